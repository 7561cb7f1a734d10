"""Emay's signed plain-text wire: the ``sign`` recipe and ``retrieveReport`` (§2.4).

The simple interface (§2.2) and ``/report/retrieveReport`` (§2.4) share one
authentication: form parameters ``appId``, ``timestamp`` (``yyyyMMddHHmmss``,
China time) and ``sign = md5(appId + secretKey + timestamp)`` in lower-case
hex. The helpers for both roles live here so that the secure codec can carry
:class:`RetrieveReport` without importing the simple codec.

``retrieveReport`` asks the gateway to push the reports of messages submitted
in a window again (through the pushes of §2.3); its answer is the bare string
``SUCCESS`` or an error code of the status table.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, ClassVar

import attrs

from .._chinatime import format_compact, parse_compact, to_china
from .._codec import Lookup
from .._digest import digest_equal, md5_hex
from .._errors import DecodeError, EncodeError, GatewayError
from .._exchange import Exchange
from .._http import HttpRequest, HttpResponse
from .._models import Effect, Operation, Stamp
from .._plan import split_field
from .._query import QueryParams, build_query, parse_query
from ._account import Account
from ._section import SPEC

__all__ = [
    "PATH",
    "RETRIEVE",
    "RetrieveReport",
    "check_window",
    "decode_request",
    "decode_response",
    "encode_error",
    "encode_request",
    "encode_response",
    "form_request",
    "plan",
    "read_params",
    "sign",
    "signed_pairs",
    "verify",
]

_SIMPLE_LIMITS = SPEC.section.simple_limits
#: ``/report/retrieveReport``.
PATH = SPEC.section.simple_endpoints["retrieve_report"]
_MAX_IDS: int = _SIMPLE_LIMITS["retrieve_max_sms_ids"]
_MAX_SPAN = timedelta(seconds=_SIMPLE_LIMITS["retrieve_max_window_seconds"])
_LOOKBACK = timedelta(days=_SIMPLE_LIMITS["retrieve_lookback_days"])
_CHARSET = "utf-8"
_FORM = "application/x-www-form-urlencoded; charset=UTF-8"


# --------------------------------------------------------------------------- signature


def sign(account: Account, timestamp: str) -> str:
    """``md5(appId + secretKey + timestamp)``, lower-case hex (§2.2)."""
    return md5_hex(account.app_id, account.secret_key, timestamp)


def signed_pairs(account: Account, stamp: Stamp) -> list[tuple[str, str]]:
    """``appId``, ``timestamp`` (from the stamp, China time) and ``sign``."""
    timestamp = format_compact(stamp.now)
    return [("appId", account.app_id), ("timestamp", timestamp), ("sign", sign(account, timestamp))]


def form_request(path: str, pairs: Iterable[tuple[str, str]]) -> HttpRequest:
    """A POST with the parameters as a UTF-8 form body (§2.2: "均通过 post 参数提交")."""
    body = build_query(pairs, _CHARSET, safe=",").encode("ascii")
    return HttpRequest("POST", path, (("Content-Type", _FORM),), body)


def read_params(request: HttpRequest) -> QueryParams:
    """The request's parameters: query string first, then the form body.

    The document's examples are GET URLs while its prose says POST; a
    servlet's ``getParameter`` reads both, so the server role does too.
    """
    pairs = parse_query(request.query)
    if request.body:
        pairs.extend(parse_query(request.body))
    return QueryParams(pairs, _CHARSET)


def _text(params: QueryParams, name: str) -> str | None:
    try:
        return params.text(name)
    except DecodeError:
        # A value that is not UTF-8 is as good as a wrong one for the checks here.
        return None


def verify(params: QueryParams, lookup: Lookup[Account]) -> Account:
    """The account a signed request belongs to, or the gateway's refusal.

    Unknown ``appId`` → ``ERROR_APPID``; a missing or malformed timestamp →
    ``ERROR_TIMESTAMP``; a missing or wrong sign → ``ERROR_SIGN``. The
    ``stimestamp`` spelling of one of the document's examples (quirk
    ``stimestamp-typo``) is read when ``timestamp`` is absent.
    """
    app_id = _text(params, "appId")
    account = lookup(app_id) if app_id else None
    if account is None:
        raise SPEC.error("ERROR_APPID")
    timestamp = _text(params, "timestamp")
    if timestamp is None:
        timestamp = _text(params, "stimestamp")
    if timestamp is None or len(timestamp) != 14:
        raise SPEC.error("ERROR_TIMESTAMP")
    try:
        parse_compact(timestamp)
    except DecodeError:
        raise SPEC.error("ERROR_TIMESTAMP") from None
    given = _text(params, "sign")
    if given is None or not digest_equal(given, sign(account, timestamp)):
        raise SPEC.error("ERROR_SIGN")
    return account


# --------------------------------------------------------------------------- the operation


def _whole_seconds(value: datetime) -> datetime:
    # The wire carries yyyyMMddHHmmss; keeping sub-seconds would make the op
    # differ from what the gateway sees.
    return to_china(value).replace(microsecond=0)


def _sms_ids(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@attrs.frozen
class RetrieveReport(Operation[None]):
    """Ask the gateway to push again the reports of messages submitted in a window (§2.4).

    ``start_time`` < ``end_time``, at most 10 minutes apart (times are the
    messages' submission times, to the second); ``sms_ids`` narrows the
    request to those messages (at most 1000 per request; ``plan`` splits).
    Whether the window lies within the last 30 days is checked against the
    stamp when the request is encoded. The reports arrive as pushes.
    """

    # Repeating it makes the gateway push the same reports again: not harmful
    # to data, but not a read either, so transports do not retry it blindly.
    effect: ClassVar[Effect] = Effect.WRITE
    rate_key: ClassVar[str] = "retrieve_report"

    start_time: datetime = attrs.field(converter=_whole_seconds)
    end_time: datetime = attrs.field(converter=_whole_seconds)
    sms_ids: tuple[str, ...] = attrs.field(default=(), converter=_sms_ids)

    def __attrs_post_init__(self) -> None:
        if self.end_time <= self.start_time:
            raise EncodeError("end_time: must be later than start_time (§2.4)")
        if self.end_time - self.start_time > _MAX_SPAN:
            raise EncodeError(
                f"end_time: at most {int(_MAX_SPAN.total_seconds()) // 60} minutes "
                "after start_time (§2.4)"
            )
        for sms_id in self.sms_ids:
            if (
                not isinstance(sms_id, str)
                or not sms_id
                or not sms_id.isascii()
                or not sms_id.isprintable()
                or "," in sms_id
                or " " in sms_id
            ):
                raise EncodeError(f"sms_ids: {sms_id!r} is not an Emay smsId")


def check_window(op: RetrieveReport, now: datetime) -> str | None:
    """Why ``op``'s window is outside what the gateway accepts at ``now``, or ``None``."""
    if op.end_time > now:
        return "end_time: later than the request's timestamp (§2.4: 不能大于当前时间)"
    if op.start_time < now - _LOOKBACK:
        return f"start_time: more than {_LOOKBACK.days} days before the request's timestamp"
    return None


def plan(op: RetrieveReport) -> tuple[RetrieveReport, ...]:
    """Split a request for more than 1000 smsIds into requests of at most 1000."""
    return split_field(op, "sms_ids", _MAX_IDS)


# --------------------------------------------------------------------------- client role


def encode_request(op: RetrieveReport, account: Account, stamp: Stamp) -> HttpRequest:
    """The signed POST to ``/report/retrieveReport``; the window is checked against ``stamp``."""
    if len(op.sms_ids) > _MAX_IDS:
        raise EncodeError(
            f"sms_ids: emay takes at most {_MAX_IDS} smsIds per retrieveReport, "
            f"got {len(op.sms_ids)}; use codec.plan(op) to split"
        )
    problem = check_window(op, stamp.now.replace(microsecond=0))
    if problem is not None:
        raise EncodeError(problem)
    pairs = signed_pairs(account, stamp)
    pairs += [
        ("startTime", format_compact(op.start_time)),
        ("endTime", format_compact(op.end_time)),
    ]
    if op.sms_ids:
        pairs.append(("smsId", ",".join(op.sms_ids)))
    return form_request(PATH, pairs)


def decode_response(response: HttpResponse) -> None:
    """``SUCCESS`` → ``None``; an error code → :class:`GatewayError`; else DecodeError."""
    if response.status != 200:
        raise DecodeError(f"emay answered HTTP {response.status}", response.body)
    try:
        text = response.body.decode("utf-8").strip().lstrip("\ufeff")
    except UnicodeDecodeError:
        raise DecodeError("emay retrieveReport answer is not UTF-8", response.body) from None
    if text == "SUCCESS":
        return
    if text.startswith("ERROR_") and text.isascii() and text.replace("_", "").isalnum():
        raise SPEC.error(text, raw=response.body)
    raise DecodeError(
        "emay retrieveReport answer is neither SUCCESS nor an error code", response.body
    )


# --------------------------------------------------------------------------- server role


def decode_request(
    request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None = None
) -> tuple[RetrieveReport, Account]:
    """The request's :class:`RetrieveReport` and account, refused as the gateway refuses.

    With ``stamp`` (the server's clock) the window is checked too.
    """
    if request.path != PATH:
        raise DecodeError(f"emay retrieveReport is served at {PATH!r}, not {request.path!r}")
    params = read_params(request)
    account = verify(params, lookup)
    start, end = _text(params, "startTime"), _text(params, "endTime")
    if not start or not end:
        raise SPEC.error("ERROR_REPORT_TIME")
    ids_text = _text(params, "smsId") or ""
    sms_ids = tuple(i for i in ids_text.split(",") if i)
    if len(sms_ids) > _MAX_IDS:
        raise SPEC.error("ERROR_TOO_MUCH_SMSIDS")
    try:
        start_time, end_time = parse_compact(start), parse_compact(end)
    except DecodeError:
        raise SPEC.error("ERROR_REPORT_TIME") from None
    if len(start.strip()) != len(start) or len(end.strip()) != len(end):
        raise SPEC.error("ERROR_REPORT_TIME")
    try:
        op = RetrieveReport(start_time, end_time, sms_ids)
    except EncodeError as exc:
        code = "ERROR_PARAMS" if str(exc).startswith("sms_ids") else "ERROR_REPORT_TIME"
        raise SPEC.error(code) from None
    if stamp is not None and check_window(op, stamp.now.replace(microsecond=0)) is not None:
        raise SPEC.error("ERROR_REPORT_TIME")
    return op, account


def _bare(text: str) -> HttpResponse:
    return HttpResponse(200, (("Content-Type", "text/plain; charset=UTF-8"),), text.encode("utf-8"))


def encode_response(result: GatewayError | None) -> HttpResponse:
    """``SUCCESS``, or the refusal's code, as the whole body."""
    if isinstance(result, GatewayError):
        return encode_error(result)
    if result is not None:
        raise EncodeError("emay retrieveReport has no result beyond SUCCESS")
    return _bare("SUCCESS")


def encode_error(error: GatewayError) -> HttpResponse:
    """A refusal of ``retrieveReport``: its code as the whole body."""
    return _bare(error.code)


# --------------------------------------------------------------------------- the exchange


def _retrieve_request(
    codec: object, op: RetrieveReport, account: Account, stamp: Stamp
) -> HttpRequest:
    return encode_request(op, account, stamp)


def _retrieve_answer(
    codec: object, op: RetrieveReport, response: HttpResponse, account: Account
) -> None:
    decode_response(response)


def _retrieve_read(
    codec: object, request: HttpRequest, lookup: Lookup[Account], stamp: Stamp | None
) -> tuple[RetrieveReport, Account]:
    return decode_request(request, lookup, stamp)


def _retrieve_write(
    codec: object, op: RetrieveReport, result: None, account: Account
) -> HttpResponse:
    return encode_response(result)


def _retrieve_refuse(codec: object, error: GatewayError) -> HttpResponse:
    return encode_error(error)


def _retrieve_split(codec: object, op: RetrieveReport) -> tuple[RetrieveReport, ...]:
    return plan(op)


#: §2.4 状态报告重新获取接口, in both codecs. Its examples are GET URLs while its
#: prose says POST; its answer, refusals included, is the bare code.
RETRIEVE: Exchange[Any, Account, RetrieveReport, None] = Exchange(
    RetrieveReport, PATH, ("GET", "POST"), _retrieve_request, _retrieve_answer, _retrieve_read,
    _retrieve_write, None, _retrieve_split, refuse=_retrieve_refuse,
)  # fmt: skip
