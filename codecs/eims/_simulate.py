"""What EIMS's own operations do at a simulated gateway: by-id reports, ``SendMessage``."""

from __future__ import annotations

from .._models import Batch, DeliveryReport, SendResult
from .._simulate import GatewayState, Simulation
from ._model import QueryReports, ReportQuery, SendMessage

__all__ = ["SIMULATION"]

#: §3 "2：正在发送": a message whose report is not in yet is being sent (the "sending" count).
_SENDING = "2"


def query_reports(op: QueryReports, state: GatewayState) -> ReportQuery:
    """§3: a plain read, the same ids answer the same again; unknown ids are counted."""
    rows: list[DeliveryReport] = []
    counts = {"success": 0, "fail": 0, "sending": 0, "nofound": 0}
    for message_id in op.ids:
        message = state.find(message_id)
        if message is None:
            counts["nofound"] += 1
        elif not state.reported(message):
            counts["sending"] += 1
            rows.append(state.report(message, _SENDING))
        else:
            counts["success" if message.delivered else "fail"] += 1
            rows.append(state.report(message))
    return ReportQuery(
        counts["success"],
        counts["fail"],
        0,
        counts["sending"],
        counts["nofound"],
        Batch(tuple(rows)),
    )


def send_message(op: SendMessage, state: GatewayState) -> SendResult:
    """A sender, a title or MMS changes nothing a simulator models: a send like any other."""
    return state.send([(n, op.content, None) for n in op.mobiles])


SIMULATION = Simulation({QueryReports: query_reports, SendMessage: send_message})
