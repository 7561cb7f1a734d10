"""EIMS's shared wire: how every request travels and is authorised, how every answer
is framed (tolerant JSON reading, typed field access, rows kept whole when bad).

"本接口的编码格式：utf8": every request and answer is UTF-8. Requests are GET
queries (a send may instead be a JSON POST); every answer is a JSON object
with a ``status`` whose records are positional arrays, read in :mod:`._rows`.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from .._checks import parse_code
from .._chinatime import format_compact, from_compact_number, from_unix, parse_compact
from .._codec import Lookup
from .._digest import digest_equal
from .._errors import DecodeError, EncodeError, GatewayError
from .._http import HttpRequest, HttpResponse
from .._json import mend_typography
from .._models import Batch, Operation, Stamp
from .._query import QueryParams, build_query, encode_text
from .._records import RecordParseError
from ._model import SPEC, Account

if TYPE_CHECKING:
    from ._codec import Codec

__all__ = [
    "JSON_HEADERS",
    "as_decimal",
    "as_int",
    "dump",
    "dumps",
    "load_object",
    "opt_text",
    "parse_rows",
    "row_fields",
    "time_field",
    "token",
    "wire_id",
    "wire_time",
]

T = TypeVar("T")
O = TypeVar("O", bound=Operation[Any])  # noqa: E741
R = TypeVar("R")

_BOM = b"\xef\xbb\xbf"


class _Failure:
    """Why a text is not readable JSON (never a JSON value, so it cannot be mistaken for one)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _Unreadable(ValueError):
    """A JSON text whose values no exact reading can hold (the reason is the message)."""


def _no_constant(name: str) -> Any:
    # json accepts NaN and Infinity by default; neither is a balance or a count.
    raise _Unreadable(f"holds {name}, which is not JSON")


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except ArithmeticError:
        # 1e999999999999999999999: valid JSON, but beyond any exponent a Decimal holds.
        raise _Unreadable(f"holds the number {text[:40]!r}, beyond any amount") from None


#: Built once: ``json.loads`` with hooks builds a decoder (and its scanner) per call,
#: 2.19 against 0.79 µs measured. It holds no state between calls (json's own
#: module-level decoder is shared the same way).
_DECODER = json.JSONDecoder(parse_float=_decimal, parse_constant=_no_constant)


def _loads(text: str) -> Any:
    """The value of ``text``, or the reason it cannot be read."""
    if text.startswith("\ufeff"):
        # What json.loads refuses before decoding ("Unexpected UTF-8 BOM").
        return _Failure("is not JSON")
    try:
        return _DECODER.decode(text)
    except _Unreadable as exc:
        return _Failure(str(exc))
    except RecursionError:
        return _Failure("nests deeper than any answer")
    except json.JSONDecodeError:
        return _Failure("is not JSON")
    except ValueError:
        # int() refuses integers past sys.get_int_max_str_digits() (4300 digits by default).
        return _Failure("holds an integer too long to read")


def load_object(raw: bytes, what: str) -> dict[str, Any]:
    """The JSON object of a body; a :class:`DecodeError` carrying ``raw`` otherwise.

    Nothing the JSON reader can raise escapes: numbers past any exponent,
    integers past the interpreter's digit limit, ``NaN``/``Infinity`` and
    nesting past the recursion limit are all a :class:`DecodeError`.
    """
    data = raw[len(_BOM) :] if raw.startswith(_BOM) else raw
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DecodeError(f"eims {what} is not UTF-8", raw) from None
    value = _loads(text)
    if isinstance(value, _Failure):
        mended = mend_typography(text)
        if mended is not None:
            again = _loads(mended)
            value = value if isinstance(again, _Failure) else again
    if isinstance(value, _Failure):
        raise DecodeError(f"eims {what} {value.reason}", raw)
    if not isinstance(value, dict):
        raise DecodeError(f"eims {what} is not a JSON object", raw)
    return value


def dumps(value: Any, secrets: frozenset[str] | None = None) -> bytes:
    """Compact UTF-8 JSON, as the gateway writes it; unencodable text is an EncodeError.

    The error names the top-level field holding the text; when that field is one of
    ``secrets`` (by default: any codec's, :func:`~smswire.codecs._masking.secret_names`)
    it names the field only, never a character or position of it.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        pass
    field = "JSON text"
    if isinstance(value, dict):
        for key, item in value.items():
            try:
                json.dumps(item, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:
                field = str(key)
                break
    return encode_text(text, "utf-8", field, secret=None if secrets is None else field in secrets)


def _dump(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return "[" + ",".join(_dump(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_dump(k)}:{_dump(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


def dump(value: Any) -> bytes:
    """The bytes of a record that did not parse, as JSON (numbers keep their digits)."""
    try:
        return _dump(value).encode("utf-8", "surrogatepass")
    except (RecursionError, ValueError):
        return repr(value).encode("utf-8", "backslashreplace")


# --------------------------------------------------------------------------- fields


def as_int(value: Any, field: str) -> int:
    """An integer sent as a JSON number or as a string of digits."""
    if type(value) is int:
        return value
    if isinstance(value, str):
        code = parse_code(value)
        if code is not None:
            return code
    raise DecodeError(f"eims {field} is not an integer")


#: A decimal amount as JSON or Python writes one, in ASCII ("99.990000", "-1.5", "1E+2").
#: Decimal() alone would also take "١٢", "１２", "1_000", "NaN" and "  7".
_AMOUNT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def as_decimal(value: Any, field: str) -> Decimal:
    """An exact amount sent as a decimal string (or, leniently, a JSON number).

    Balances are money (§1 ``"balance":"99.990000"``), so the amount is kept
    exact; anything but an ASCII decimal (``"--5"``, ``"²"``, a boolean, a
    number past any exponent) is a :class:`DecodeError`.
    """
    if isinstance(value, Decimal):
        amount = value
    elif type(value) is int:
        amount = Decimal(value)
    elif isinstance(value, str) and _AMOUNT.fullmatch(text := value.strip()):
        try:
            amount = Decimal(text)
        except ArithmeticError:
            raise DecodeError(f"eims {field} {text[:40]!r} is beyond any amount") from None
    else:
        raise DecodeError(f"eims {field} is not a decimal")
    if not amount.is_finite():
        raise DecodeError(f"eims {field} is not a finite decimal")
    return amount


def token(value: Any, field: str) -> str:
    """An id or a phone number, sent as a JSON integer or a string."""
    if type(value) is int and value >= 0:
        return str(value)
    if isinstance(value, str) and value:
        return value
    raise DecodeError(f"eims {field} is neither a non-negative integer nor a string")


def time_field(value: Any, field: str) -> datetime | None:
    """A 14-digit China time sent as a number or a string; 0 or empty means none."""
    if value is None or value in (0, ""):
        return None
    if type(value) is int:
        return from_compact_number(value)
    if isinstance(value, str):
        return parse_compact(value)
    raise DecodeError(f"eims {field} is not a 14-digit time")


def opt_text(value: Any, field: str) -> str | None:
    """Free text; absent and empty are both none."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    raise DecodeError(f"eims {field} is not text")


def wire_id(value: str) -> int | str:
    """An id or number as the gateway writes it: a JSON integer unless that would lose digits."""
    if (
        value.isascii()
        and value.isdigit()
        and len(value) <= 18
        and (value[0] != "0" or value == "0")
    ):
        return int(value)
    return value


def wire_time(value: datetime | None) -> int | str:
    """A time as the gateway writes it: 14 digits as a number (0 for none)."""
    if value is None:
        return 0
    digits = format_compact(value)
    return digits if digits[0] == "0" else int(digits)


def row_fields(value: Any, sizes: tuple[int, ...], what: str) -> list[Any]:
    """A positional row of one of the documented sizes."""
    if not isinstance(value, list) or len(value) not in sizes:
        raise DecodeError(f"eims {what} row is not an array of {' or '.join(map(str, sizes))}")
    return value


def parse_rows(array: Any, parse: Callable[[Any], T], what: str) -> tuple[list[T], list[bytes]]:
    """Parse each row of ``array``; rows that fail are kept as JSON bytes."""
    if array is None:
        return [], []
    if not isinstance(array, list):
        raise DecodeError(f"eims {what} array is not an array")
    items: list[T] = []
    malformed: list[bytes] = []
    for row in array:
        try:
            items.append(parse(row))
        except (*RecordParseError, TypeError):
            malformed.append(dump(row))
    return items, malformed


# --------------------------------------------------------------------------- requests

#: "HTTP 头参数“Content-Type”的值为“application/json;charset=utf-8”" (every answer).
JSON_HEADERS = (("Content-Type", SPEC.section.content_type),)


def auth(codec: Codec, account: Account, stamp: Stamp) -> list[tuple[str, str]]:
    """``version`` (when the codec has one), then the account's credentials."""
    head = [("version", codec.version)] if codec.version is not None else []
    return [*head, *account.credentials(stamp.seq, stamp.now)]


def get(path: str, pairs: list[tuple[str, str]], safe: str = "") -> HttpRequest:
    """A GET request carrying ``pairs`` in its query, UTF-8."""
    return HttpRequest("GET", f"{path}?{build_query(pairs, 'utf-8', safe)}")


def target_bytes(request: HttpRequest) -> bytes:
    """The request-line bytes of a target (the transports decode them with surrogateescape)."""
    try:
        return request.target.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        # A lone surrogate no request line can carry: keep it visible, byte for byte.
        return request.target.encode("utf-8", "surrogatepass")


def _query_params(query: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in QueryParams.parse(query, "utf-8").items_text():
        params.setdefault(name, value)
    return params


def _body_params(body: bytes) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, value in load_object(body, "request body").items():
        if isinstance(value, str):
            params[name] = value
        elif type(value) is int:
            params[name] = str(value)
        elif value is not None:
            raise DecodeError(f"eims request parameter {name!r} is not a string or an integer")
    return params


def _authenticate(params: dict[str, str], lookup: Lookup[Account]) -> Account:
    name = params.get("account")
    given = params.get("password")
    account = lookup(name) if name else None
    if account is None or given is None:
        raise SPEC.error("-1")
    if account.key is None:
        ok = hmac.compare_digest(
            given.encode("utf-8", "surrogatepass"),
            account.password.encode("utf-8", "surrogatepass"),
        )
    else:
        seq = parse_code(params.get("seq", ""))
        time = parse_code(params.get("time", ""))
        ok = (
            seq is not None
            and time is not None
            and digest_equal(given, account.signed_password(seq, time))
        )
    if not ok:
        raise SPEC.error("-1")
    return account


def authorised(request: HttpRequest, lookup: Lookup[Account]) -> tuple[dict[str, str], Account]:
    """The parameters of a request and the account its credentials are (server role).

    GET parameters come from the query; a POST (only a send takes one) holds
    every parameter in its JSON body. The password is checked plain, or as
    the signed MD5 when the account has a key. The document sets no validity
    window for ``time``, so no clock is consulted.
    """
    post = request.method == "POST"
    try:
        params = _body_params(request.body) if post else _query_params(request.query)
    except DecodeError as exc:
        raw = request.body if post else target_bytes(request)
        raise DecodeError(exc.message, raw) from None
    return params, _authenticate(params, lookup)


def sendtime(sendtime: str | None) -> datetime | None:
    """A ``sendtime`` ("比如:20171001123015": 14 digits of China time), else -11."""
    if sendtime is None:
        return None
    if len(sendtime) != 14:
        raise SPEC.error("-11")
    try:
        return parse_compact(sendtime)
    except DecodeError:
        raise SPEC.error("-11") from None


def start_time(start: str | None) -> datetime | None:
    """A ``start_time`` in Unix seconds ("开始查询的时间戳"), else -11."""
    if start is None:
        return None
    seconds = parse_code(start)
    if seconds is not None and seconds >= 0:
        with contextlib.suppress(DecodeError):  # past any calendar
            return from_unix(seconds)
    # The nearest refusal the table has for a time it cannot read.
    raise SPEC.error("-11", detail="start_time is not Unix seconds")


# --------------------------------------------------------------------------- answers


def reads(
    parse: Callable[[O, dict[str, Any]], R],
) -> Callable[[Codec, O, HttpResponse, Account], R]:
    """An answer reader from ``parse`` (the answer's object, once its ``status`` is 0).

    A non-zero ``status`` raises the vendor's :class:`GatewayError`; whatever
    ``parse`` finds unreadable is a :class:`DecodeError` carrying the body.
    """

    def read_answer(codec: Codec, op: O, response: HttpResponse, account: Account) -> R:
        if response.status != 200:
            raise DecodeError(f"eims answered HTTP {response.status}", response.body)
        raw = response.body
        try:
            obj = load_object(raw, "answer")
            if "status" not in obj:
                raise DecodeError("eims answer has no status")
            status = as_int(obj["status"], "status")
            if status != 0:
                raise SPEC.error(str(status), raw=raw)
            return parse(op, obj)
        except DecodeError as exc:
            if exc.raw:
                raise
            raise DecodeError(exc.message, raw) from None

    return read_answer


def answer(body: dict[str, Any]) -> HttpResponse:
    """A JSON answer, as the gateway writes it."""
    return HttpResponse(200, JSON_HEADERS, dumps(body))


def refusal(error: GatewayError) -> HttpResponse:
    """Every EIMS refusal is ``{"status": code}``."""
    code = parse_code(error.code)
    if code is None:
        raise EncodeError(f"eims status codes are integers, not {error.code!r}")
    return answer({"status": code})


def refuse_malformed(batch: Batch[Any]) -> None:
    """Refuse to render a batch holding fragments that did not parse."""
    if batch.malformed:
        raise EncodeError("eims cannot render malformed fragments; give parsed records only")
