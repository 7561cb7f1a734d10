"""``_capabilities``: the probe, on toy codecs whose capabilities are known by construction.

A toy codec here refuses the options, requires or refuses the report fields and
keeps the ids its test says; the expected :class:`Capabilities` follow from
that declaration, not from the probe. The vendors' rows are the published
table of README.md ("Generated from the codecs", kept as literals here: a change
of any cell must be a deliberate one). Written to kill the mutants that
survived ``tools/mutate.py codecs/_capabilities.py`` (issue 17).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

import attrs
import pytest
from smswire.codecs import (
    CHINA,
    Batch,
    DeliveryReport,
    DeliveryStatus,
    EncodeError,
    FetchInbound,
    FetchReports,
    HttpRequest,
    HttpResponse,
    InboundMessage,
    Operation,
    QueryBalance,
    SendPersonalized,
    SendSms,
    Stamp,
    get_codec,
)
from smswire.codecs._capabilities import (
    NEUTRAL_VERBS,
    PROBE_STAMP,
    Capabilities,
    _probe_report,
    capabilities,
    capability_table,
    main,
    probe_account,
)

NOON = datetime(2024, 5, 1, 12, 0, 0, tzinfo=CHINA)
V = "0123456789abcdef"


@attrs.frozen
class Own(Operation[None]):
    pass


@attrs.frozen
class Account:
    """A probe account needs ``hashed``: every optional field before it is tried first."""

    name: str
    secret: str | None = None
    hashed: str | None = None
    port: int = 0

    def __attrs_post_init__(self) -> None:
        if self.hashed is None:
            raise ValueError("hashed is needed")


@attrs.frozen
class Wire:
    """A report wire: fields it needs, fields it refuses, ids it brings back."""

    required: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()
    kept: frozenset[str] = frozenset({"message_id", "client_id"})
    twice: bool = False

    def render(self, batch: Batch[Any]) -> bytes:
        items = []
        for item in batch:
            if isinstance(item, InboundMessage):
                items.append({"reply": item.content})
                continue
            present = {n for n in ("message_id", "client_id", "sent_at", "reported_at",
                                   "extension") if getattr(item, n) is not None}  # fmt: skip
            if not self.required <= present or present & self.refused:
                raise EncodeError("this wire cannot carry that report")
            ids = {n: getattr(item, n) for n in self.kept if n in present}
            items.extend([{"code": item.code, **ids}] * (2 if self.twice else 1))
        return json.dumps(items).encode()


def read(body: bytes) -> Batch[Any]:
    items: list[Any] = [InboundMessage("1", "noise")]
    for item in json.loads(body):
        if "reply" in item:
            items.append(InboundMessage("1", item["reply"]))
        else:
            code = item.pop("code")
            items.append(DeliveryReport("13800138000", DeliveryStatus.UNKNOWN, code, **item))
    return Batch(tuple(items))


ALL_OPS = (SendSms, QueryBalance, FetchReports, FetchInbound, Own)


@attrs.frozen
class Toy:
    ops: tuple[type[Operation[Any]], ...] = ALL_OPS
    refused: frozenset[str] = frozenset()
    fetch: Wire = Wire()
    seen: list[Any] = attrs.field(factory=list, eq=False)
    vendor = "toy"

    def operations(self) -> tuple[type[Operation[Any]], ...]:
        return self.ops

    def encode_request(self, op: Operation[Any], account: Account, stamp: Stamp) -> HttpRequest:
        assert stamp is PROBE_STAMP
        self.seen.append(account)
        asked = {n for n in ("send_at", "extension", "client_ids", "since")
                 if getattr(op, n, None)}  # fmt: skip
        if asked & self.refused:
            raise EncodeError("refused")
        if isinstance(op, SendSms):
            assert op.mobiles == ("13800138000",) and op.content == "probe"
            assert op.send_at in (None, datetime(2024, 5, 2, 12, 0, tzinfo=CHINA))
            assert op.extension in (None, "12") and op.client_ids in (None, ("12345",))
        if isinstance(op, FetchInbound):
            assert op.since == datetime(2024, 5, 1, 11, 0, tzinfo=CHINA)
        return HttpRequest("GET", "/")

    def encode_response(self, op: Any, result: Any, account: Any) -> HttpResponse:
        assert type(op) is FetchReports
        return HttpResponse(200, (), self.fetch.render(result))

    def decode_response(self, op: Any, response: HttpResponse, account: Any) -> Any:
        assert type(op) is FetchReports
        return read(response.body)


@attrs.frozen
class PushToy(Toy):
    push: Wire | None = Wire()
    replies: bool = True
    secrets = frozenset()
    traits = spec = None

    def encode_push(self, batch: Batch[Any], account: Any) -> tuple[HttpRequest, ...]:
        if any(isinstance(i, InboundMessage) for i in batch):
            if not self.replies:
                raise EncodeError("no replies pushed")
            assert list(batch) == [InboundMessage("13800138000", "probe", NOON)]
            return (HttpRequest("POST", "/push", body=b"[]"),)
        if self.push is None:
            raise EncodeError("no reports pushed")
        # One request per item, and an empty one: items are gathered over all of them.
        return (HttpRequest("POST", "/p", body=b"[]"),
                HttpRequest("POST", "/p", body=self.push.render(batch)))  # fmt: skip

    def decode_push(self, request: HttpRequest, lookup: Any) -> Batch[Any]:
        assert lookup("whoever") is self.seen[-1]
        return read(request.body)

    def plan(self, op: Any) -> Any: ...
    def decode_request(self, request: Any, lookup: Any, stamp: Any = None) -> Any: ...
    def encode_response_to(self, request: Any, op: Any, result: Any, account: Any) -> Any: ...
    def encode_error(self, request: Any, error: Any) -> Any: ...
    def push_ack(self) -> Any: ...
    def decode_push_ack(self, response: Any) -> Any: ...


def probe(codec: Toy) -> Capabilities:
    account = Account(V, hashed=V)
    codec.seen.append(account)
    return capabilities(codec, account)


def test_a_codec_carrying_every_option() -> None:
    assert probe(Toy()) == Capabilities("toy", ALL_OPS, True, True, True,
                                        ("message_id", "client_id"), (), True)  # fmt: skip
    assert probe(Toy()).own_operations == (Own,)


@pytest.mark.parametrize("refused", ["send_at", "extension", "client_ids", "since"])
def test_each_option_refused_alone(refused: str) -> None:
    found = attrs.asdict(probe(Toy(refused=frozenset({refused}))), recurse=False)
    expected = {"send_at": True, "extension": True, "client_ids": True, "since": True}
    expected[refused] = False
    assert {k: found[k] for k in expected} == expected


def test_options_of_operations_a_codec_lacks_are_not_asked() -> None:
    toy = Toy(ops=(QueryBalance, Own))
    assert probe(toy) == Capabilities("toy", (QueryBalance, Own), False, False, False, (), (),
                                      False)  # fmt: skip
    assert probe(toy).own_operations == (Own,)
    assert probe(Toy(ops=(FetchInbound,))).since is True


def test_ids_are_the_union_over_the_field_sets_the_wire_renders() -> None:
    # Every field required: only the set of all five renders.
    every = frozenset({"message_id", "client_id", "sent_at", "reported_at", "extension"})
    assert probe(Toy(fetch=Wire(required=every, kept=frozenset({"client_id"})))).report_ids == (
        "client_id",
    )
    # client_id refused: the sets without it bring back message_id alone.
    assert probe(Toy(fetch=Wire(refused=frozenset({"client_id"})))).report_ids == ("message_id",)
    assert probe(Toy(fetch=Wire(kept=frozenset({"client_id", "message_id"})))).report_ids == (
        "message_id", "client_id")  # fmt: skip
    assert probe(Toy(fetch=Wire(kept=frozenset()))).report_ids == ()
    # A wire that answers one report as two is no round trip.
    assert probe(Toy(fetch=Wire(twice=True))).report_ids == ()


def test_pushed_reports_and_replies() -> None:
    assert probe(PushToy()).pushes == ("reports", "replies")
    assert probe(PushToy(replies=False)).pushes == ("reports",)
    assert probe(PushToy(push=None)).pushes == ("replies",)
    assert probe(PushToy(push=None, replies=False)).pushes == ()
    # Reports pushed with no id still are pushed reports.
    kept_none = PushToy(ops=(SendSms,), push=Wire(kept=frozenset()))
    assert probe(kept_none).pushes == ("reports", "replies") and probe(kept_none).report_ids == ()
    # The ids of both paths, in the table's order.
    both = PushToy(fetch=Wire(kept=frozenset({"client_id"})),
                   push=Wire(kept=frozenset({"message_id"})))  # fmt: skip
    assert probe(both).report_ids == ("message_id", "client_id")
    only_push = PushToy(ops=(SendSms,), push=Wire(kept=frozenset({"client_id"})))
    assert probe(only_push).report_ids == ("client_id",)
    assert probe(PushToy(push=Wire(twice=True), fetch=Wire(kept=frozenset()))).pushes == (
        "replies",
    )


def test_an_error_that_is_not_smswires_is_not_a_no() -> None:
    class Broken(Toy):
        def encode_request(self, op: Any, account: Any, stamp: Stamp) -> HttpRequest:
            raise RuntimeError("a bug, not a refusal")

    with pytest.raises(RuntimeError):
        probe(Broken())


def test_the_probe_report_and_stamp() -> None:
    assert Stamp(NOON, seq=1) == PROBE_STAMP
    assert _probe_report(()) == DeliveryReport("13800138000", DeliveryStatus.UNKNOWN, "PROBE")
    assert _probe_report(("message_id", "client_id", "sent_at", "reported_at", "extension")) == (
        DeliveryReport("13800138000", DeliveryStatus.UNKNOWN, "PROBE", message_id="123456789",
                       client_id="12345", sent_at=NOON,
                       reported_at=datetime(2024, 5, 1, 12, 0, 5, tzinfo=CHINA), extension="12")
    )  # fmt: skip
    verbs = {SendSms: "send", SendPersonalized: "send_personalized", QueryBalance: "balance",
             FetchReports: "fetch_reports", FetchInbound: "fetch_inbound"}  # fmt: skip
    assert verbs == NEUTRAL_VERBS


# ------------------------------------------------------------------ probe accounts


@attrs.frozen
class Needy:
    name: str
    derived: str = attrs.field(init=False)


@attrs.frozen
class Empty:
    a: str
    b: str | None = None

    def __attrs_post_init__(self) -> None:
        raise EncodeError("never")


class Typed(Toy):
    def encode_request(self, op: Any, account: Needy, stamp: Stamp) -> HttpRequest:
        raise EncodeError("no")


class Unhinted(Toy):
    def encode_request(self, op: Any, account: NoSuchName, stamp: Stamp) -> HttpRequest:  # type: ignore[name-defined] # noqa: F821
        raise EncodeError("no")


class Orphan(Toy):
    def encode_request(self, op: Any, account: Any, stamp: Stamp) -> HttpRequest:
        raise EncodeError("no")


class Blank(Toy):
    def encode_request(self, op: Any, account: Empty, stamp: Stamp) -> HttpRequest:
        raise EncodeError("no")


def test_a_probe_account_fills_required_fields_then_one_optional_at_a_time() -> None:
    # Toy.encode_request's account is an Account: name, then secret, hashed, port tried.
    assert probe_account(Toy()) == Account(V, hashed=V)
    assert Toy().encode_request  # the hint, not the module's Account, names the type
    found = capabilities(Toy())
    assert found.send_at is True


def test_an_account_that_cannot_be_built_or_found_is_a_type_error() -> None:
    # A field the class sets itself (init=False) is no argument to fill in.
    needy = probe_account(Typed())
    assert type(needy) is Needy and needy.name == V
    with pytest.raises(TypeError, match=r"^toy: cannot build a probe account of Empty$"):
        probe_account(Blank())
    # An unresolvable hint falls back to the module's Account.
    assert probe_account(Unhinted()) == Account(V, hashed=V)
    orphan = Orphan()
    assert probe_account(orphan) == Account(V, hashed=V)
    module = sys.modules[__name__]
    saved = module.Account
    try:
        del module.Account  # type: ignore[attr-defined]
        with pytest.raises(TypeError) as raised:
            probe_account(orphan)
        assert str(raised.value) == "toy: no attrs Account class to probe with"
        module.Account = dict  # type: ignore[attr-defined]
        with pytest.raises(TypeError, match=r"^toy: no attrs Account class to probe with$"):
            probe_account(orphan)
    finally:
        module.Account = saved  # type: ignore[attr-defined]


# ------------------------------------------------------------------ the vendors' table

TABLE = """\
| vendor | client verbs | `send_at` | `extension` | `client_ids` | ids in reports | pushes | `since` |
|---|---|---|---|---|---|---|---|
| `changlong` | `send`, `balance`, `fetch_reports`, `fetch_inbound` | yes | — | — | `message_id` | — | — |
| `eims` | `send`, `balance`, `fetch_inbound` | yes | — | — | `message_id` | reports | yes |
| `emay` | `send`, `send_personalized`, `balance`, `fetch_reports`, `fetch_inbound` | yes | yes | yes | `message_id`, `client_id` | reports, replies | — |
| `emay-simple` | `send`, `send_personalized`, `balance`, `fetch_reports`, `fetch_inbound` | yes | yes | yes | `message_id`, `client_id` | reports, replies | — |
| `esms100` | `send`, `balance`, `fetch_reports`, `fetch_inbound` | — | — | — | — | — | — |
| `smscn` | `send`, `balance`, `fetch_reports`, `fetch_inbound` | — | yes | yes | `client_id` | reports, replies | — |

Their own operations (`client.call(op)`, from the vendor's module):

- `changlong`: —
- `eims`: `SendMessage`, `QueryReports`
- `emay`: `SendPersonalityAll`, `CreateTemplate`, `DeleteTemplate`, `QueryTemplate`, `SendTemplate`, `SendTemplateVariables`, `SendShortLink`, `FetchReportsUpTo`, `FetchInboundUpTo`, `FetchShortLinkClicks`, `RetrieveReport`
- `emay-simple`: `FetchReportsUpTo`, `FetchInboundUpTo`, `RetrieveReport`
- `esms100`: `ChangePassword`
- `smscn`: `QuerySentCount`, `QuerySendRecords`
"""  # noqa: E501


def test_the_table_is_the_published_one() -> None:
    assert capability_table() == TABLE
    lines = TABLE.splitlines()
    one = capability_table(["esms100"])
    assert one.splitlines() == [*lines[:2], lines[6], "",
                                "Their own operations (`client.call(op)`, from the vendor's "
                                "module):", "", "- `esms100`: `ChangePassword`"]  # fmt: skip
    assert one.endswith("`ChangePassword`\n")


def test_each_vendor_row_from_its_codec() -> None:
    eims = capabilities(get_codec("eims"))
    assert (eims.send_at, eims.extension, eims.client_ids, eims.since) == (True, False, False,
                                                                           True)  # fmt: skip
    assert (eims.report_ids, eims.pushes) == (("message_id",), ("reports",))
    smscn = capabilities(get_codec("smscn"))
    assert (smscn.report_ids, smscn.pushes) == (("client_id",), ("reports", "replies"))


def test_the_script_prints_the_table_or_refuses_an_argument(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["--markdown"]) == 0 and main([]) == 0
    assert capsys.readouterr() == (TABLE + TABLE, "")
    assert main(["--markdown", "--html", "-x"]) == 2
    assert capsys.readouterr() == ("", "unknown argument '--html'; usage: [--markdown]\n")
    monkeypatch.setattr(sys, "argv", ["capabilities", "--csv"])
    assert main() == 2
    assert capsys.readouterr().err == "unknown argument '--csv'; usage: [--markdown]\n"
    monkeypatch.setattr(sys, "argv", ["capabilities"])
    assert main() == 0
    assert capsys.readouterr().out == TABLE
