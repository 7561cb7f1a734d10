"""What sms.cn's own operations do at a simulated gateway: the sent count and the send log."""

from __future__ import annotations

from .._simulate import GatewayState, Simulation
from ._model import SPEC, QuerySendRecords, QuerySentCount, SendRecord, SendRecords

__all__ = ["SIMULATION"]

_PER_PAGE = SPEC.limit("send_records_per_page")


def sent_count(_op: QuerySentCount, state: GatewayState) -> int:
    """How many billable parts the account has sent."""
    return sum(message.parts for message in state.sent())


def send_records(op: QuerySendRecords, state: GatewayState) -> SendRecords:
    """One page of the send log, narrowed to a day and a number; status as its report says."""
    rows = [
        message
        for message in state.sent()
        if (op.date is None or message.sent_at.date() == op.date)
        and (op.mobile is None or message.mobile == op.mobile)
    ]
    if not rows:
        return SendRecords()
    page = op.page or 1
    chunk = rows[(page - 1) * _PER_PAGE : page * _PER_PAGE]
    records = tuple(
        SendRecord(r.sent_at.replace(microsecond=0), r.mobile, r.content, state.report(r).code)
        for r in chunk
    )
    pages = -(-len(rows) // _PER_PAGE)
    return SendRecords(len(rows), len(records), pages, records)


SIMULATION = Simulation({QuerySentCount: sent_count, QuerySendRecords: send_records})
