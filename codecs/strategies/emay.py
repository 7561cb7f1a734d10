"""Strategies for Emay's secure interface: codecs, accounts, operations, results, answers.

Answers of the secure interface are sealed with the account's key and
compressed when the request was (the codec's gzip setting), which
``answers(op)`` alone cannot know; their JSON is UTF-8 whatever the codec's
charset. Without them it
draws answers every account can read (the ``result`` refusals, which carry no
body); given ``codec=`` and ``account=`` it also draws sealed ``SUCCESS``
answers, including the document's variants, and ``mutated_answers`` then
draws broken ones: flipped or truncated ciphertext, arbitrary bytes encrypted
under the right key, bad gzip inside good AES, JSON of the wrong shape.
"""

from __future__ import annotations

import gzip
from decimal import Decimal
from typing import Any, cast

from hypothesis import strategies as st

from .. import emay
from .._codec import Codec
from .._http import HttpResponse
from .._models import (
    Balance,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    FetchInbound,
    FetchReports,
    InboundMessage,
    Operation,
    PersonalizedMessage,
    QueryBalance,
    Receipt,
    SendPersonalized,
    SendResult,
    SendSms,
)
from ..emay._section import SPEC
from . import china_datetimes, digits, fitted_inbound, fitted_reports, mobiles, mutate, sms_text

__all__ = ["accounts", "answers", "codecs", "mutated_answers", "operations", "results"]

# Expected values come from the document, never from the codec's own tables (issue 17):
# §3 接口状态码表, every code but SUCCESS, as the document prints them.
_ERROR_CODES = (
    "ERROR_APPID",
    "ERROR_NO_VOICE_SERVICE",
    "ERROR_ENCRYPTION",
    "ERROR_PARAMS",
    "ERROR_REQUEST_NO_VALID",
    "ERROR_CLIENT_IP",
    "ERROR_OVER_SPEED",
    "ERROR_MOBILE_EMPTY",
    "ERROR_MOBILE_NUMBER",
    "ERROR_MOBILE_ERROR",
    "ERROR_CONTENT_EMPTY",
    "ERROR_SMS_TIME",
    "ERROR_CUSTOM_SMSID",
    "ERROR_EXTENDED_CODE",
    "ERROR_LONG_CONTENT",
    "ERROR_VOICE_CONTENT",
    "ERROR_BALANCE",
    "ERROR_TIMESTAMP",
    "ERROR_SIGN",
    "ERROR_NO_RETRIEVE_SERVICE",
    "ERROR_REPORT_TIME",
    "ERROR_TOO_MUCH_SMSIDS",
)
_F = DeliveryStatus.FAILED
# §4 状态报告状态码表: DELIVRD 成功; TIMEOUT 运营商状态报告超时 says nothing of the
# handset (unknown); every FAIL_… state is a failure. A state outside it is unknown.
_DOCUMENT_STATES = {
    "DELIVRD": DeliveryStatus.DELIVERED,
    "TIMEOUT": DeliveryStatus.UNKNOWN,
    "FAIL_BALANCE": _F,
    "FAIL_MOBILE": _F,
    "FAIL_MOBILE_SUPPORT": _F,
    "FAIL_MOBILE_REPEAT": _F,
    "FAIL_AUDITING_REFUSED": _F,
    "FAIL_BLACK_LIST": _F,
    "FAIL_BLACK_DICT": _F,
    "FAIL_UNSUBSCRIBE": _F,
    "FAIL_WHITE_LIST": _F,
    "FAIL_INTERCEPT": _F,
    "FAIL_SIGN": _F,
    "FAIL_SEND_FILTER": _F,
    "FAIL_RESPONSE": _F,
    "FAIL_UNKNOW": _F,
}
_CARRIER_STATES = ("MK:0001", "UNDELIV", "DB:0141")
_TRAITS = emay.Codec.traits
_MAX = 12  # numbers per generated send: enough to exercise arrays, small enough to be quick


def codecs() -> st.SearchStrategy[Codec[Any]]:
    """Secure codecs over gzip on/off, UTF-8/GBK and a few validity periods."""
    return st.builds(
        _codec,
        gzip=st.booleans(),
        charset=st.sampled_from(["utf-8", "gbk"]),
        period=st.sampled_from([30, 60, 600]),
    )


def _codec(gzip: bool, charset: str, period: int) -> Codec[Any]:
    # The protocol declares vendor/spec as instance variables; codecs keep them as
    # class variables (as esms100 does), which mypy's protocol check does not accept.
    return cast("Codec[Any]", emay.Codec(gzip=gzip, charset=charset, request_valid_period=period))


def accounts() -> st.SearchStrategy[emay.Account]:
    """Accounts with AES-128, -192 and -256 keys (ASCII and multi-byte UTF-8 keys)."""
    ascii_key = st.sampled_from([16, 24, 32]).flatmap(
        lambda n: st.text(
            st.characters(codec="ascii", categories=("L", "N")), min_size=n, max_size=n
        )
    )
    # Six three-byte characters make an 18-byte string: pad to a valid size in bytes.
    mixed_key = st.sampled_from([(4, 4), (6, 6), (10, 2)]).flatmap(
        lambda p: st.tuples(
            st.text("密钥亿美软通", min_size=p[0], max_size=p[0]),
            st.text("abcdef0123", min_size=p[1], max_size=p[1]),
        ).map("".join)
    )
    app_id = st.text(st.characters(codec="ascii", categories=("Lu", "N")), min_size=1, max_size=20)
    return st.builds(emay.Account, app_id=app_id, secret_key=st.one_of(ascii_key, mixed_key))


def _texts(charset: str, max_size: int = 20) -> st.SearchStrategy[str]:
    return sms_text(charset, max_size=max_size)


def _client_ids(charset: str) -> st.SearchStrategy[str]:
    return st.text(min_size=1, max_size=32).filter(lambda t: _fits(t, charset))


def _fits(text: str, charset: str) -> bool:
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


_extensions = st.none() | digits(1, 12)


@st.composite
def _send_sms(draw: st.DrawFn, charset: str) -> SendSms:
    numbers = tuple(draw(st.lists(mobiles(), min_size=1, max_size=_MAX)))
    ids = draw(
        st.none() | st.lists(_client_ids(charset), min_size=len(numbers), max_size=len(numbers))
    )
    return SendSms(
        numbers,
        draw(_texts(charset)),
        extension=draw(_extensions),
        client_ids=None if ids is None else tuple(ids),
    )


def operations(codec: Codec[Any]) -> st.SearchStrategy[Operation[Any]]:
    """Every secure operation within the limits (no schedule: the stamp is not known here)."""
    charset = codec.charset  # type: ignore[attr-defined]
    cid = st.none() | _client_ids(charset)
    text = _texts(charset)
    recipients = st.lists(st.builds(emay.Recipient, mobiles(), cid), min_size=1, max_size=_MAX)
    variables = st.lists(
        st.tuples(_texts(charset, 6), text), max_size=4, unique_by=lambda kv: kv[0]
    )
    return st.one_of(
        _send_sms(charset),
        st.builds(
            SendPersonalized,
            st.lists(
                st.builds(PersonalizedMessage, mobiles(), text, cid), min_size=1, max_size=_MAX
            ),
            extension=_extensions,
        ),
        st.builds(
            emay.SendPersonalityAll,
            st.lists(
                st.builds(emay.PersonalityMessage, mobiles(), text, cid, extension=_extensions),
                min_size=1,
                max_size=_MAX,
            ),
        ),
        st.builds(emay.SendTemplate, _texts(charset, 8), recipients, extension=_extensions),
        st.builds(
            emay.SendTemplateVariables,
            _texts(charset, 8),
            st.lists(
                st.builds(emay.TemplateVariables, mobiles(), variables, cid),
                min_size=1,
                max_size=_MAX,
            ),
            extension=_extensions,
        ),
        st.builds(
            emay.SendShortLink,
            st.tuples(text, text).map(lambda p: p[0] + emay.PLACEHOLDER + p[1]),
            st.just("http://example.com/a?b=c&d=%E4"),
            recipients,
            st.sampled_from([1, 2]),
            extension=_extensions,
        ),
        st.builds(emay.CreateTemplate, text),
        st.builds(emay.DeleteTemplate, digits(1, 12)),
        st.builds(emay.QueryTemplate, _texts(charset, 8)),
        st.just(FetchReports()),
        st.builds(emay.FetchReportsUpTo, st.integers(1, 500)),
        st.just(FetchInbound()),
        st.builds(emay.FetchInboundUpTo, st.integers(1, 500)),
        st.builds(emay.FetchShortLinkClicks, st.none() | st.integers(1, 500)),
        st.just(QueryBalance()),
    )


# --------------------------------------------------------------------------- results

# Answers are UTF-8 (§2.1 step 4: new String(data,"UTF-8")) whatever the request's charset.
# Emay writes an absent member as null and reads "" as absent: optional texts are never "".
_gbk_text = sms_text("utf-8", min_size=0, max_size=15)
_opt_gbk = st.none() | sms_text("utf-8", min_size=1, max_size=15)
_time = china_datetimes(2000, 2099)
_when = st.none() | _time


def reports() -> st.SearchStrategy[DeliveryReport]:
    """getReport records: documented states, and carrier codes outside the table (unknown).

    Both times are always there: the tables mark them 必填 and the encoder needs them;
    ``extension`` is the record's ``extendedCode`` (选填).
    """
    code = st.sampled_from(sorted(_DOCUMENT_STATES)) | st.sampled_from(_CARRIER_STATES)
    drawn = st.builds(
        lambda m, c, mid, cid, sent, got, desc, ext: DeliveryReport(
            m, _DOCUMENT_STATES.get(c, DeliveryStatus.UNKNOWN), c, mid, cid, sent, got, desc, ext
        ),
        mobiles(),
        code,
        st.none() | digits(1, 20),
        st.none() | digits(1, 32),
        _time,
        _time,
        _opt_gbk,
        _extensions,
    )
    return fitted_reports(_TRAITS, drawn)


def replies() -> st.SearchStrategy[InboundMessage]:
    """getMo records."""
    drawn = st.builds(
        InboundMessage,
        mobile=mobiles(),
        content=_gbk_text,
        received_at=_time,
        destination=st.none() | digits(1, 12),
    )
    return fitted_inbound(_TRAITS, drawn)


def clicks() -> st.SearchStrategy[emay.ShortLinkClick]:
    """getShortLink records."""
    return st.builds(
        emay.ShortLinkClick,
        mobiles(),
        _when,
        _opt_gbk,
        _opt_gbk,
        st.none() | st.just("http://example.com/long"),
        st.none() | st.just("http://y.m.cn:7080/002Jhm2Ml0"),
        _opt_gbk,
        _opt_gbk,
    )


def _receipts(numbers: list[tuple[str, str | None]], single: bool) -> st.SearchStrategy[SendResult]:
    receipt = st.sampled_from(numbers).flatmap(
        lambda pair: st.builds(
            Receipt, st.just(pair[0]), st.none() | digits(1, 20), st.just(pair[1])
        )
    )
    if single:
        return receipt.map(lambda r: SendResult((r,)))
    return st.lists(receipt, max_size=len(numbers)).map(lambda rs: SendResult(tuple(rs)))


def _numbers(op: Operation[Any]) -> list[tuple[str, str | None]]:
    if isinstance(op, SendSms):
        ids = op.client_ids or (None,) * len(op.mobiles)
        return list(zip(op.mobiles, ids, strict=True))
    if isinstance(op, emay.SendTemplate | emay.SendShortLink):
        return [(r.mobile, r.client_id) for r in op.recipients]
    return [(m.mobile, m.client_id) for m in op.messages]  # type: ignore[attr-defined]


def _batch(items: st.SearchStrategy[Any]) -> st.SearchStrategy[Batch[Any]]:
    return st.lists(items, max_size=6).map(lambda xs: Batch(tuple(xs)))


def _ok(op: Operation[Any]) -> st.SearchStrategy[Any]:
    if isinstance(op, SendSms | SendPersonalized | emay.SendPersonalityAll | emay.SendTemplate):
        # §2.1.1 sendSingleSMS (one number) answers one object, the other sends an array.
        return _receipts(_numbers(op), isinstance(op, SendSms) and len(op.mobiles) == 1)
    if isinstance(op, emay.SendTemplateVariables | emay.SendShortLink):
        return _receipts(_numbers(op), False)
    if isinstance(op, FetchReports | emay.FetchReportsUpTo):
        return _batch(reports())
    if isinstance(op, FetchInbound | emay.FetchInboundUpTo):
        return _batch(replies())
    if isinstance(op, emay.FetchShortLinkClicks):
        return _batch(clicks())
    if isinstance(op, QueryBalance):
        return st.integers(0, 10**12).map(lambda n: Balance(Decimal(n)))
    if isinstance(op, emay.CreateTemplate):
        return st.builds(emay.TemplateCreated, digits(1, 20))
    if isinstance(op, emay.DeleteTemplate):
        return st.builds(emay.TemplateDeleted, digits(1, 20), st.booleans())
    if isinstance(op, emay.QueryTemplate):
        return st.builds(
            emay.TemplateState, digits(1, 20), st.sampled_from(["0", "1", "2", "-1", "false"])
        )
    raise ValueError(f"not an emay operation: {op!r}")


def results(op: Operation[Any]) -> st.SearchStrategy[Any]:
    """Results the server role renders for ``op``, or refusals from the status table."""
    return st.one_of(_ok(op), st.sampled_from(_ERROR_CODES).map(SPEC.error))


# --------------------------------------------------------------------------- answers


def _refusal(code: str) -> HttpResponse:
    return HttpResponse(200, (("result", code),), b"")


def _document_variants(value: Any, draw: st.DrawFn) -> Any:
    # The document's own spellings: "receiveTime " with a trailing space, " status ".
    if isinstance(value, list):
        return [_document_variants(v, draw) for v in value]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            spelled = key
            if key in ("receiveTime", "status", "templateContent") and draw(st.booleans()):
                spelled = f"{key} " if key == "receiveTime" else f" {key} "
            out[spelled] = item
        return out
    return value


@st.composite
def _sealed(
    draw: st.DrawFn, op: Operation[Any], codec: emay.Codec, account: emay.Account
) -> HttpResponse:
    result = draw(_ok(op))
    plain = codec.encode_response(op, result, account)
    value = emay.loads(
        emay.unseal(plain.body, account.key, gzip=codec.gzip, max_size=codec.max_decompressed),
        "utf-8",
        plain.body,
    )
    value = _document_variants(value, draw)
    data = emay.dumps(value, "utf-8")
    if codec.gzip and draw(st.booleans()):
        # Concatenated gzip members (RFC 1952 §2.2), what GZIPInputStream reads as one.
        cut = draw(st.integers(0, len(data)))
        members = gzip.compress(data[:cut], mtime=0) + gzip.compress(data[cut:], mtime=0)
        body = emay.seal(members, account.key, gzip=False)
    else:
        body = emay.seal(data, account.key, gzip=codec.gzip)
    header = draw(st.sampled_from(["result", "Result", "RESULT"]))
    return HttpResponse(200, ((header, "SUCCESS"),), body)


def answers(
    op: Operation[Any], codec: emay.Codec | None = None, account: emay.Account | None = None
) -> st.SearchStrategy[HttpResponse]:
    """Well-formed answers: refusals always; sealed ``SUCCESS`` answers given codec and account."""
    refusals = st.sampled_from(_ERROR_CODES).map(_refusal)
    if codec is None or account is None:
        return refusals
    return st.one_of(refusals, _sealed(op, codec, account), _sealed(op, codec, account))


@st.composite
def _broken_sealed(
    draw: st.DrawFn, op: Operation[Any], codec: emay.Codec, account: emay.Account
) -> HttpResponse:
    how = draw(st.sampled_from(["mutate", "arbitrary", "bad-gzip", "wrong-shape", "wrong-key"]))
    if how == "mutate":
        body = draw(mutate(draw(_sealed(op, codec, account)).body))
    elif how == "arbitrary":
        body = emay.seal(draw(st.binary(max_size=200)), account.key, gzip=False)
    elif how == "bad-gzip":
        good = gzip.compress(b'{"balance":1}', mtime=0)
        at = draw(st.integers(0, len(good) - 1))
        broken = draw(
            st.sampled_from([good[:at], good[:at] + b"\x00" + good[at + 1 :], good + b"junk"])
        )
        body = emay.seal(broken, account.key, gzip=False)
    elif how == "wrong-shape":
        value: Any = draw(
            st.sampled_from([[1, 2], {"x": None}, "text", 3, [{"mobile": 5}], None, [[]]])
        )
        body = emay.seal(emay.dumps(value, "utf-8"), account.key, gzip=codec.gzip)
    else:
        other = "k" * (16 if len(account.key) != 16 else 32)
        body = emay.seal(b'{"balance":1}', other.encode(), gzip=codec.gzip)
    return HttpResponse(200, (("result", "SUCCESS"),), body)


def mutated_answers(
    op: Operation[Any], codec: emay.Codec | None = None, account: emay.Account | None = None
) -> st.SearchStrategy[HttpResponse]:
    """Broken answers: bodies under a ``SUCCESS`` header, mangled or missing ``result`` headers."""
    headerless = st.binary(max_size=64).map(lambda b: HttpResponse(200, (), b))
    success = st.binary(max_size=128).map(lambda b: HttpResponse(200, (("result", "SUCCESS"),), b))
    codes = st.sampled_from(_ERROR_CODES).flatmap(
        lambda c: mutate(c.encode("ascii")).map(
            lambda b: HttpResponse(500, (("result", b.decode("latin-1")),), b"")
        )
    )
    base = st.one_of(headerless, success, codes)
    if codec is None or account is None:
        return base
    return st.one_of(base, _broken_sealed(op, codec, account))
