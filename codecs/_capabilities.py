"""What each vendor can do, asked of its codec: the capability table the README shows.

Every cell is the codec's own answer to a fixed probe (codecs are pure, so
probing is honest and repeatable): the operation types it lists, whether
``encode_request`` refuses a send with ``send_at``/``extension``/``client_ids``
or a fetch of replies ``since`` a time with :class:`EncodeError`, whether it
is a :class:`PushCodec` and which records its ``encode_push`` carries, and
which ids a report keeps through the codec's own server and client roles
(the server role refuses a record field its wire cannot carry). This module is
the one place the table is computed, so that it can switch to capabilities a
codec declares without the README changing by hand.

``python -m smswire.codecs._capabilities`` prints the Markdown table.
"""

from __future__ import annotations

import itertools
import sys
import typing
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs

from ._chinatime import CHINA
from ._codec import VENDORS, Codec, PushCodec, get_codec
from ._errors import SmsWireError
from ._models import (
    Batch,
    DeliveryReport,
    DeliveryStatus,
    FetchInbound,
    FetchReports,
    InboundMessage,
    Operation,
    QueryBalance,
    SendPersonalized,
    SendSms,
    Stamp,
)

__all__ = ["Capabilities", "capabilities", "capability_table"]

#: The fixed moment every probe is stamped with (aware, China time).
PROBE_STAMP = Stamp(datetime(2024, 5, 1, 12, 0, 0, tzinfo=CHINA), seq=1)
_MOBILE = "13800138000"
_TEXT = "probe"
#: One value for every required text field of a probe account: 16 ASCII
#: letters and digits, which is also a valid AES-128 key.
_PROBE_VALUE = "0123456789abcdef"
#: The neutral operations, under the names the clients call them by.
NEUTRAL_VERBS: dict[type[Operation[Any]], str] = {
    SendSms: "send",
    SendPersonalized: "send_personalized",
    QueryBalance: "balance",
    FetchReports: "fetch_reports",
    FetchInbound: "fetch_inbound",
}
#: Report fields beyond number, status and code that a wire may require or refuse.
_REPORT_FIELDS = ("message_id", "client_id", "sent_at", "reported_at", "extension")
_ID_FIELDS = ("message_id", "client_id")


@attrs.frozen
class Capabilities:
    """One vendor's capabilities as its codec answers them.

    ``operations`` are the operation types the codec carries; ``send_at``,
    ``extension`` and ``client_ids`` whether a :class:`SendSms` may have them;
    ``report_ids`` which of ``message_id``/``client_id`` a delivery report
    (fetched or pushed) brings back; ``pushes`` what the gateway pushes
    (``"reports"``, ``"replies"``); ``since`` whether replies can be fetched
    from a time on.
    """

    vendor: str
    operations: tuple[type[Operation[Any]], ...]
    send_at: bool
    extension: bool
    client_ids: bool
    report_ids: tuple[str, ...]
    pushes: tuple[str, ...]
    since: bool

    @property
    def own_operations(self) -> tuple[type[Operation[Any]], ...]:
        """The vendor's own operation types (performed with ``client.call(op)``)."""
        return tuple(t for t in self.operations if t not in NEUTRAL_VERBS)


def capabilities(codec: Codec[Any], account: Any = None) -> Capabilities:
    """Ask ``codec`` what its vendor can do (``account``: a probe account by default)."""
    if account is None:
        account = probe_account(codec)
    ops = codec.operations()
    at = PROBE_STAMP.now

    def encodes(op_type: type[Operation[Any]], build: Callable[[], Operation[Any]]) -> bool:
        return op_type in ops and _accepts(
            lambda: codec.encode_request(build(), account, PROBE_STAMP)
        )

    return Capabilities(
        vendor=codec.vendor,
        operations=ops,
        send_at=encodes(
            SendSms, lambda: SendSms((_MOBILE,), _TEXT, send_at=at + timedelta(days=1))
        ),
        extension=encodes(SendSms, lambda: SendSms((_MOBILE,), _TEXT, extension="12")),
        client_ids=encodes(SendSms, lambda: SendSms((_MOBILE,), _TEXT, client_ids=("12345",))),
        report_ids=_report_ids(codec, account),
        pushes=_pushes(codec, account),
        since=encodes(FetchInbound, lambda: FetchInbound(since=at - timedelta(hours=1))),
    )


def _accepts(attempt: Callable[[], object]) -> bool:
    try:
        attempt()
    except SmsWireError:
        return False
    return True


def _push_requests(codec: PushCodec[Any], batch: Batch[Any], account: Any) -> Sequence[Any]:
    return codec.encode_push(batch, account)


def _pushes(codec: Codec[Any], account: Any) -> tuple[str, ...]:
    if not isinstance(codec, PushCodec):
        return ()
    reply = InboundMessage(_MOBILE, _TEXT, PROBE_STAMP.now)
    found = [] if _report_round_trips(codec, account, "push") is None else ["reports"]
    if _accepts(lambda: _push_requests(codec, Batch((reply,)), account)):
        found.append("replies")
    return tuple(found)


def _report_ids(codec: Codec[Any], account: Any) -> tuple[str, ...]:
    kept: set[str] = set()
    for path in ("fetch", "push"):
        kept |= _report_round_trips(codec, account, path) or set()
    return tuple(name for name in _ID_FIELDS if name in kept)


def _report_round_trips(codec: Codec[Any], account: Any, path: str) -> set[str] | None:
    """The id fields a report keeps through ``path``; ``None`` when no report goes that way.

    The field sets are tried smallest first; each wire requires some fields
    (a time, an id) and refuses others, so the union over the sets it renders
    is what it can carry.
    """
    if path == "fetch" and FetchReports not in codec.operations():
        return None
    if path == "push" and not isinstance(codec, PushCodec):
        return None
    carried: set[str] | None = None
    for size in range(len(_REPORT_FIELDS) + 1):
        for names in itertools.combinations(_REPORT_FIELDS, size):
            back = _round_trip(codec, account, path, _probe_report(names))
            if back is not None:
                carried = (carried or set()) | {n for n in _ID_FIELDS if getattr(back, n)}
    return carried


def _probe_report(names: Iterable[str]) -> DeliveryReport:
    values: dict[str, Any] = {
        "message_id": "123456789",
        "client_id": "12345",
        "sent_at": PROBE_STAMP.now,
        "reported_at": PROBE_STAMP.now + timedelta(seconds=5),
        "extension": "12",
    }
    # An undocumented code means UNKNOWN on every wire: no vendor table is needed.
    return DeliveryReport(_MOBILE, DeliveryStatus.UNKNOWN, "PROBE", **{n: values[n] for n in names})


def _round_trip(
    codec: Codec[Any], account: Any, path: str, report: DeliveryReport
) -> DeliveryReport | None:
    try:
        if path == "fetch":
            answer = codec.encode_response(FetchReports(), Batch((report,)), account)
            items: tuple[Any, ...] = codec.decode_response(FetchReports(), answer, account).items
        else:
            push = typing.cast(PushCodec[Any], codec)
            requests = _push_requests(push, Batch((report,)), account)
            items = tuple(i for r in requests for i in push.decode_push(r, lambda _c: account))
    except SmsWireError:
        return None
    found = [i for i in items if isinstance(i, DeliveryReport)]
    return found[0] if len(found) == 1 else None


def probe_account(codec: Codec[Any]) -> Any:
    """An account of ``codec``'s kind whose every required text field is a fixed value.

    Optional fields are added one at a time, in order, until the account is
    valid (a vendor that needs a password or its hash takes the first).
    """
    kind = _account_type(codec)
    fields = [f for f in attrs.fields(kind) if f.init]
    required = {f.name: _PROBE_VALUE for f in fields if f.default is attrs.NOTHING}
    for extra in (None, *(f.name for f in fields if f.name not in required)):
        values = dict(required) if extra is None else {**required, extra: _PROBE_VALUE}
        try:
            return kind(**values)
        except (SmsWireError, TypeError, ValueError):
            continue
    raise TypeError(f"{codec.vendor}: cannot build a probe account of {kind.__name__}")


def _account_type(codec: Codec[Any]) -> type:
    import importlib

    try:
        hinted = typing.get_type_hints(type(codec).encode_request).get("account")
    except Exception:  # an unresolvable annotation: the module's Account
        hinted = None
    if isinstance(hinted, type) and attrs.has(hinted):
        return hinted
    found = getattr(importlib.import_module(type(codec).__module__), "Account", None)
    if isinstance(found, type) and attrs.has(found):
        return found
    raise TypeError(f"{codec.vendor}: no attrs Account class to probe with")


# ----------------------------------------------------------------------------- rendering


def _mark(value: bool) -> str:
    return "yes" if value else "—"


def _names(values: Iterable[str]) -> str:
    return ", ".join(values) or "—"


def capability_table(vendors: Iterable[str] | None = None) -> str:
    """The README's capability table (Markdown) for ``vendors`` (every registered one)."""
    names = list(VENDORS.available() if vendors is None else vendors)
    rows = [capabilities(get_codec(name)) for name in names]
    lines = [
        "| vendor | client verbs | `send_at` | `extension` | `client_ids` "
        "| ids in reports | pushes | `since` |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, row in zip(names, rows, strict=True):
        verbs = [verb for op, verb in NEUTRAL_VERBS.items() if op in row.operations]
        cells = [
            f"`{name}`",
            _names(f"`{v}`" for v in verbs),
            _mark(row.send_at),
            _mark(row.extension),
            _mark(row.client_ids),
            _names(f"`{n}`" for n in row.report_ids),
            _names(row.pushes),
            _mark(row.since),
        ]
        lines.append(f"| {' | '.join(cells)} |")
    lines.append("")
    lines.append("Their own operations (`client.call(op)`, from the vendor's module):")
    lines.append("")
    for name, row in zip(names, rows, strict=True):
        own = _names(f"`{t.__name__}`" for t in row.own_operations)
        lines.append(f"- `{name}`: {own}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the capability table (``--markdown``, the only format, is accepted)."""
    args = list(sys.argv[1:] if argv is None else argv)
    unknown = [a for a in args if a != "--markdown"]
    if unknown:
        print(f"unknown argument {unknown[0]!r}; usage: [--markdown]", file=sys.stderr)
        return 2
    sys.stdout.write(capability_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
