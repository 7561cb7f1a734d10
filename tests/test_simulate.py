"""The vendors' own operations, as a simulated gateway performs them, live in the codecs.

Issue 14 item 2: nothing in ``transports/`` names a vendor outside docstrings
and comments, and the simulator has no per-vendor module. Each codec declares
what its own operations do (``codecs/<vendor>/_simulate.py``) as pure handlers
over a :class:`GatewayState`; the tests below drive them with a state written
here (no simulator), so what they do comes from the documents' words.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterable, MutableMapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from smswire.codecs import (
    VENDORS,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    FetchInbound,
    FetchReports,
    GatewayError,
    InboundMessage,
    QueryBalance,
    Receipt,
    SendPersonalized,
    SendResult,
    SendSms,
    emay,
    esms100,
    get_codec,
    smscn,
)
from smswire.codecs._chinatime import CHINA
from smswire.codecs._simulate import GatewayState, Simulation, simulation_of

ROOT = Path(__file__).resolve().parent.parent
WHEN = datetime(2024, 6, 1, 8, 30, 15, 123456, tzinfo=CHINA)
NEUTRAL = {SendSms, SendPersonalized, QueryBalance, FetchReports, FetchInbound}
#: Every vendor's name as code would spell it (registry names, module names, hosts).
VENDOR_WORDS = ("esms100", "smscn", "sms.cn", "changlong", "112088", "eims", "emay")


def _code_text(path: Path) -> str:
    """``path``'s source without its comments, docstrings and prose (help texts).

    A string holding a blank is prose for a reader (``--help`` texts); code
    would name a vendor in a name, a key or a module path.
    """
    source = path.read_text("utf-8")
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
            and isinstance(node.body[0].value.value, str)
        ):
            doc = node.body[0]
            lines.update(range(doc.lineno, (doc.end_lineno or doc.lineno) + 1))
    kept = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT or token.start[0] in lines:
            continue
        if token.type == tokenize.STRING and " " in token.string:
            continue
        kept.append(token.string)
    return " ".join(kept).lower()


TRANSPORTS = sorted((ROOT / "transports").rglob("*.py"))


@pytest.mark.parametrize("path", TRANSPORTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_transport_module_names_a_vendor_in_its_code(path: Path) -> None:
    named = [word for word in VENDOR_WORDS if word in _code_text(path)]
    assert not named, f"{path.relative_to(ROOT)} names {named} outside docstrings and comments"


def test_the_vendor_name_check_sees_code_and_skips_docstrings(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        '"""About esms100."""\n# emay\nX = "smswire.codecs.smscn"\n'
        'Y = "help for eims"\nchanglong = 1\n',
        "utf-8",
    )
    text = _code_text(module)
    assert "esms100" not in text
    assert "emay" not in text
    assert "eims" not in text
    assert "smscn" in text
    assert "changlong" in text


def test_the_simulator_has_no_per_vendor_module() -> None:
    names = {p.stem.lstrip("_") for p in (ROOT / "transports" / "sim").glob("*.py")}
    assert not names & {"emay", "vendors", "operations", *VENDOR_WORDS}


@pytest.mark.parametrize("vendor", list(VENDORS))
def test_every_own_operation_of_a_codec_has_a_simulation(vendor: str) -> None:
    codec = get_codec(vendor)
    simulation = simulation_of(codec.traits.simulations)
    own = set(codec.operations()) - NEUTRAL
    assert own <= set(simulation.operations), own - set(simulation.operations)


def test_a_vendor_without_own_operations_declares_no_simulation() -> None:
    # 112088.net's document has send, reports, replies and balance only.
    assert get_codec("changlong").traits.simulations is None
    assert simulation_of(None) == Simulation()


def test_a_traits_module_without_a_simulation_is_refused() -> None:
    with pytest.raises(TypeError, match="declares no SIMULATION"):
        simulation_of("smswire.codecs._traits")


# --------------------------------------------------------------------------- a state of our own


@attrs.frozen
class Sent:
    message_id: str
    mobile: str
    content: str
    sent_at: datetime
    parts: int = 1
    delivered: bool = True


@attrs.define
class State:
    """A gateway state written for these tests: a list, a dict and a clock."""

    account: Any
    now: datetime = WHEN
    balance: Decimal = Decimal(10)
    delay: timedelta = timedelta(0)
    store: MutableMapping[str, Any] = attrs.field(factory=dict)
    log: list[Sent] = attrs.field(factory=list)
    again: list[str] = attrs.field(factory=list)
    ids: int = 0

    def new_id(self) -> str:
        self.ids += 1
        return f"id{self.ids}"

    def replace_account(self, account: Any) -> None:
        self.account = account

    def send(
        self, wanted: Iterable[tuple[str, str, str | None]], extension: str | None = None
    ) -> SendResult:
        rows = list(wanted)
        if len(rows) > self.balance:
            raise GatewayError("test", "X", "no balance")
        self.balance -= len(rows)
        for mobile, content, _cid in rows:
            self.log.append(Sent(self.new_id(), mobile, content, self.now))
        return SendResult(tuple(Receipt(m, None, c) for m, _t, c in rows))

    def sent(self) -> Sequence[Sent]:
        return tuple(self.log)

    def find(self, message_id: str) -> Sent | None:
        return next((m for m in self.log if m.message_id == message_id), None)

    def reported(self, message: Any) -> bool:
        return bool(self.now >= message.sent_at + self.delay)

    def report(self, message: Any, code: str | None = None) -> DeliveryReport:
        code = code or ("DELIVERED" if message.delivered else "FAILED")
        return DeliveryReport(
            message.mobile, DeliveryStatus.UNKNOWN, code, message_id=message.message_id
        )

    def take_reports(self, limit: int | None) -> Batch[DeliveryReport]:
        return Batch(tuple(self.report(m) for m in self.log[:limit]))

    def take_replies(self, limit: int | None) -> Batch[InboundMessage]:
        return Batch(())

    def report_again(self, messages: Iterable[Any]) -> None:
        self.again.extend(m.message_id for m in messages)


def _perform(vendor: str, op: Any, state: GatewayState) -> Any:
    simulation = simulation_of(get_codec(vendor).traits.simulations)
    return simulation.operations[type(op)](op, state)


def test_state_of_our_own_is_a_gateway_state() -> None:
    state: GatewayState = State(None)  # mypy checks the protocol here
    assert state.now == WHEN


def test_esms100_change_password_replaces_the_password() -> None:
    # §8 "修改密码": the account then signs with the new password.
    state = State(esms100.Account("10000", password="old"))
    _perform("esms100", esms100.ChangePassword("new-one"), state)
    assert state.account == esms100.Account("10000", password="new-one")


def test_smscn_send_records_page_by_fifty_and_narrow_by_day_and_number() -> None:
    # §10 "每次最多取50条记录，可以根据页数依次取完".
    state = State(smscn.Account("demo", password="x"))
    day = WHEN.date()
    state.log = [Sent(str(i), "13800138000", f"t{i}", WHEN) for i in range(60)]
    state.log.append(Sent("x", "13900139000", "other", WHEN - timedelta(days=1)))
    second = _perform("smscn", smscn.QuerySendRecords(page=2, date=day), state)
    assert (second.total, second.count, second.pages) == (60, 10, 2)
    assert [r.content for r in second.records] == [f"t{i}" for i in range(50, 60)]
    assert second.records[0].sent_at == WHEN.replace(microsecond=0)
    assert second.records[0].status == "DELIVERED"  # the state's own report code
    other = _perform("smscn", smscn.QuerySendRecords(mobile="13900139000"), state)
    assert [(r.mobile, r.content) for r in other.records] == [("13900139000", "other")]
    none = _perform("smscn", smscn.QuerySendRecords(date=date(2000, 1, 1)), state)
    assert none == smscn.SendRecords()


def test_smscn_sent_count_sums_the_parts() -> None:
    state = State(None)
    state.log = [Sent("1", "1", "a", WHEN, parts=2), Sent("2", "1", "b", WHEN, parts=3)]
    assert _perform("smscn", smscn.QuerySentCount(), state) == 5


def test_eims_report_query_counts_by_the_state_and_the_clock() -> None:
    # §3 "状态：0发送成功，1：未发送，2：正在发送"; an unknown id is "nofound".
    from smswire.codecs import eims

    state = State(None, delay=timedelta(seconds=30))
    state.log = [
        Sent("1", "13800138000", "a", WHEN - timedelta(minutes=1)),
        Sent("2", "13800138001", "b", WHEN - timedelta(minutes=1), delivered=False),
        Sent("3", "13800138002", "c", WHEN),
    ]
    answer = _perform("eims", eims.QueryReports(("1", "2", "3", "9")), state)
    assert (answer.success, answer.fail, answer.sending, answer.nofound) == (1, 1, 1, 1)
    # The one in transit is "2：正在发送" (sending), as its counter says, not "1：未发送".
    assert eims.REPORT_STATES["2"] is DeliveryStatus.PENDING
    assert [r.code for r in answer.reports] == ["DELIVERED", "FAILED", "2"]


def test_eims_report_query_counts_every_id_not_only_the_first_of_each_kind() -> None:
    # §3 "success 发送成功的条数 … sending 正在发送的条数 … nofound Id 没有找到的条数".
    from smswire.codecs import eims

    state = State(None, delay=timedelta(seconds=30))
    before = WHEN - timedelta(minutes=1)
    state.log = [
        Sent("1", "13800138000", "a", before),
        Sent("2", "13800138001", "b", before),
        Sent("3", "13800138002", "c", before, delivered=False),
        Sent("4", "13800138003", "d", before, delivered=False),
        Sent("5", "13800138004", "e", WHEN),
        Sent("6", "13800138005", "f", WHEN),
    ]
    ids = ("1", "2", "3", "4", "5", "6", "8", "9")
    answer = _perform("eims", eims.QueryReports(ids), state)
    counts = (answer.success, answer.fail, answer.unsent, answer.sending, answer.nofound)
    assert counts == (2, 2, 0, 2, 2)
    assert [r.message_id for r in answer.reports.items] == ["1", "2", "3", "4", "5", "6"]
    assert answer.reports.malformed == ()


def test_emay_template_variables_are_filled_and_charged() -> None:
    state = State(None)
    created = _perform("emay", emay.CreateTemplate("您好${name}，验证码${code}"), state)
    message = emay.TemplateVariables("13800138000", (("name", "张三"), ("code", "1234")))
    _perform("emay", emay.SendTemplateVariables(created.template_id, (message,)), state)
    assert [m.content for m in state.log] == ["您好张三，验证码1234"]
    assert state.balance == 9
    with pytest.raises(GatewayError):
        _perform("emay", emay.SendTemplate("nope", (emay.Recipient("13800138000"),)), state)


def test_emay_a_click_is_dated_by_the_states_clock_and_read_once() -> None:
    state = State(None)
    op = emay.SendShortLink(
        "看" + emay.PLACEHOLDER, "http://example.com/a", (emay.Recipient("13800138000"),), 1
    )
    _perform("emay", op, state)
    code = state.log[0].content.rpartition("/")[2]
    events = simulation_of(get_codec("emay").traits.simulations).events
    click = events["click"](state, code)
    assert (click.mobile, click.accessed_at, click.long_link) == (
        "13800138000",
        WHEN.replace(microsecond=0),
        "http://example.com/a",
    )
    assert _perform("emay", emay.FetchShortLinkClicks(), state).items == (click,)
    assert _perform("emay", emay.FetchShortLinkClicks(), state).items == ()
    with pytest.raises(LookupError):
        events["click"](state, "no-such-code")


def test_emay_retrieve_report_asks_again_for_the_window_and_ids() -> None:
    state = State(None)
    state.log = [
        Sent("1", "1", "a", WHEN),
        Sent("2", "1", "b", WHEN),
        Sent("3", "1", "c", WHEN + timedelta(hours=1)),
    ]
    start, end = WHEN - timedelta(minutes=5), WHEN + timedelta(minutes=5)
    _perform("emay", emay.RetrieveReport(start, end, ()), state)
    _perform("emay", emay.RetrieveReport(start, end, ("2",)), state)
    assert state.again == ["1", "2", "2"]
