"""What Emay's own operations do at a simulated gateway (``emay/_simulate.py``).

emay.txt §2.1.7 deleteTemplateSMS code "true删除成功；false删除失败"; §2.1.8 status
"1：通过 … -1：模板不存在"; §2.1.12-§2.1.14 number "默认每次请求给 500个"; §2.4
retrieveReport re-reports the messages whose submission time lies in [startTime,
endTime]. The state here is a recorder written for these tests. Written to kill the
mutants that survived ``tools/mutate.py codecs/emay/_simulate.py`` (issue 17).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from _emay_strength import CST
from smswire.codecs import Batch, GatewayError, Receipt, SendResult, emay
from smswire.codecs.emay._simulate import SIMULATION

NOW = datetime(2024, 6, 1, 8, 30, 15, tzinfo=CST)


@attrs.frozen
class Sent:
    message_id: str
    mobile: str
    content: str
    sent_at: datetime
    parts: int = 1
    delivered: bool = True


@attrs.define
class Recorder:
    """A gateway state that records what the handlers ask of it."""

    now: datetime = NOW
    store: dict[str, Any] = attrs.field(factory=dict)
    sends: list[tuple[list[tuple[str, str, str | None]], str | None]] = attrs.field(factory=list)
    taken: list[tuple[str, int | None]] = attrs.field(factory=list)
    log: list[Sent] = attrs.field(factory=list)
    again: list[str] = attrs.field(factory=list)
    ids: int = 0

    def new_id(self) -> str:
        self.ids += 1
        return f"id{self.ids}"

    def send(
        self, wanted: Iterable[tuple[str, str, str | None]], extension: str | None = None
    ) -> SendResult:
        rows = list(wanted)
        self.sends.append((rows, extension))
        return SendResult(tuple(Receipt(m, None, c) for m, _t, c in rows))

    def sent(self) -> tuple[Sent, ...]:
        return tuple(self.log)

    def take_reports(self, limit: int | None) -> Batch[Any]:
        self.taken.append(("reports", limit))
        return Batch()

    def take_replies(self, limit: int | None) -> Batch[Any]:
        self.taken.append(("replies", limit))
        return Batch()

    def report_again(self, messages: Iterable[Sent]) -> None:
        self.again.extend(m.message_id for m in messages)


def perform(op: Any, state: Recorder) -> Any:
    return SIMULATION.operations[type(op)](op, state)


def test_templates_are_created_queried_and_deleted() -> None:
    state = Recorder()
    created = perform(emay.CreateTemplate("您好"), state)
    assert created == emay.TemplateCreated("id1")
    # The store is the whole gateway's: Emay's templates keep to their own key.
    assert state.store == {"templates": {"id1": "您好"}}
    assert perform(emay.QueryTemplate("id1"), state) == emay.TemplateState("id1", "1")
    assert perform(emay.QueryTemplate("id9"), state) == emay.TemplateState("id9", "-1")
    assert perform(emay.DeleteTemplate("id1"), state) == emay.TemplateDeleted("id1", True)
    assert perform(emay.DeleteTemplate("id1"), state) == emay.TemplateDeleted("id1", False)
    assert perform(emay.QueryTemplate("id1"), state) == emay.TemplateState("id1", "-1")


def test_template_sends_carry_the_text_ids_and_extension() -> None:
    state = Recorder()
    perform(emay.CreateTemplate("您好${name}"), state)
    recipients = (emay.Recipient("13800138000", "c1"), emay.Recipient("13800138001"))
    result = perform(emay.SendTemplate("id1", recipients, extension="111"), state)
    assert result == SendResult((Receipt("13800138000", None, "c1"), Receipt("13800138001")))
    message = emay.TemplateVariables("13800138000", (("name", "王先生"),), "c2")
    perform(emay.SendTemplateVariables("id1", (message,), extension="112"), state)
    assert state.sends == [
        ([("13800138000", "您好${name}", "c1"), ("13800138001", "您好${name}", None)], "111"),
        ([("13800138000", "您好王先生", "c2")], "112"),
    ]


def test_an_unknown_template_is_error_params_naming_it() -> None:
    with pytest.raises(GatewayError) as info:
        perform(emay.SendTemplate("nope", (emay.Recipient("13800138000"),)), Recorder())
    assert (info.value.code, info.value.detail) == ("ERROR_PARAMS", "no template nope")


def test_personality_all_sends_each_its_own_text() -> None:
    state = Recorder()
    messages = (emay.PersonalityMessage("13800138000", "haha", "1"),
                emay.PersonalityMessage("13800138001", "haha1"))  # fmt: skip
    perform(emay.SendPersonalityAll(messages), state)
    assert state.sends == [([("13800138000", "haha", "1"), ("13800138001", "haha1", None)], None)]


def test_short_link_send_carries_the_extension_and_a_link_each() -> None:
    state = Recorder()
    op = emay.SendShortLink("点击" + emay.PLACEHOLDER, "http://wwww.baidu.com",
                            (emay.Recipient("12100000000", "1"),), 1, extension="111")  # fmt: skip
    perform(op, state)
    assert state.sends == [([("12100000000", "点击http://t.sim.invalid/id1", "1")], "111")]


def test_clicks_without_links_and_without_records() -> None:
    state = Recorder()
    with pytest.raises(LookupError, match=r"^no short link 'id1'$"):
        SIMULATION.events["click"](state, "id1")
    assert perform(emay.FetchShortLinkClicks(), state) == Batch()


def test_click_fetch_hands_out_the_default_500_then_the_rest() -> None:
    state = Recorder()
    state.store["short-link-clicks"] = [emay.ShortLinkClick(str(i)) for i in range(501)]
    first = perform(emay.FetchShortLinkClicks(), state)
    assert [c.mobile for c in first.items] == [str(i) for i in range(500)]
    assert perform(emay.FetchShortLinkClicks(), state).items == (emay.ShortLinkClick("500"),)
    state.store["short-link-clicks"] = [emay.ShortLinkClick(str(i)) for i in range(3)]
    assert len(perform(emay.FetchShortLinkClicks(2), state).items) == 2


def test_fetches_pass_their_number() -> None:
    state = Recorder()
    perform(emay.FetchReportsUpTo(300), state)
    perform(emay.FetchInboundUpTo(7), state)
    assert state.taken == [("reports", 300), ("replies", 7)]


def test_retrieve_report_takes_the_window_inclusive_to_the_second() -> None:
    state = Recorder()
    start = NOW - timedelta(minutes=5)
    state.log = [
        Sent("before", "1", "t", start - timedelta(seconds=1)),
        Sent("start", "1", "t", start.replace(microsecond=999999)),
        Sent("inside", "1", "t", start + timedelta(minutes=1)),
        Sent("end", "1", "t", NOW.replace(microsecond=500000)),
        Sent("after", "1", "t", NOW + timedelta(seconds=1)),
    ]
    perform(emay.RetrieveReport(start, NOW), state)
    assert state.again == ["start", "inside", "end"]
    perform(emay.RetrieveReport(start, NOW, ("inside", "after")), state)
    assert state.again == ["start", "inside", "end", "inside"]
