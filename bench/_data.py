"""Deterministic test data: phone numbers, texts and times from fixed seeds.

Every generator takes a :class:`random.Random` seeded by the caller, so each
run of the benchmarks decodes and encodes exactly the same bytes.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from ._floor import CST

__all__ = [
    "ASCII_WORDS",
    "HANZI",
    "chinese_text",
    "mobile",
    "mobiles",
    "moment",
    "reply_text",
    "rng",
]

#: Common characters, all in GBK (GB2312 level 1 and punctuation).
HANZI = (
    "你好验证码测试回复通知短信退订发送成功请查收谢谢您的订单已经出库明天到达客服电话会员积分活动"
)
ASCII_WORDS = ("OK", "TD", "yes", "no", "1234", "Hi", "abc", "N")

_BASE = datetime(2024, 5, 1, 8, 0, 0, tzinfo=CST)


def rng(seed: int) -> random.Random:
    """A generator with a fixed seed."""
    return random.Random(seed)


def mobile(r: random.Random) -> str:
    """An 11-digit mainland mobile number."""
    return f"1{r.choice('3456789')}{r.randrange(10**9):09d}"


def mobiles(r: random.Random, n: int) -> tuple[str, ...]:
    """``n`` numbers (repeats possible, as in real batches)."""
    return tuple(mobile(r) for _ in range(n))


def chinese_text(r: random.Random, length: int) -> str:
    """``length`` Chinese characters."""
    return "".join(r.choice(HANZI) for _ in range(length))


def reply_text(r: random.Random) -> str:
    """A short reply: Chinese with the odd ASCII word, as handsets send."""
    text = chinese_text(r, r.randrange(2, 30))
    if r.random() < 0.3:
        text = r.choice(ASCII_WORDS) + text
    return text


def moment(r: random.Random, whole_minute: bool = False) -> datetime:
    """A China-time instant within a week of 2024-05-01 08:00."""
    value = _BASE + timedelta(seconds=r.randrange(7 * 86400))
    return value.replace(second=0) if whole_minute else value
