"""EIMS wire pieces: tolerant JSON reading, typed field access, and the send rows.

Every answer and push is a JSON object whose records are positional arrays.
Rows are parsed one by one so that a bad row lands in ``Batch.malformed``
(re-serialised as JSON bytes) instead of taking its neighbours down; the
report, push and reply rows are in :mod:`._rows`.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from .._checks import parse_code
from .._chinatime import format_compact, from_compact_number, parse_compact
from .._errors import DecodeError
from .._json import mend_typography
from .._models import Receipt
from .._query import encode_text
from .._records import RecordParseError

__all__ = [
    "as_decimal",
    "as_int",
    "dump",
    "dumps",
    "load_object",
    "opt_text",
    "parse_rows",
    "receipts",
    "row_fields",
    "time_field",
    "token",
    "wire_id",
    "wire_time",
]

T = TypeVar("T")

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


# --------------------------------------------------------------------------- sends


def _stripped(number: str) -> str:
    return number.lstrip("0") or "0"


def receipts(array: Any, mobiles: Sequence[str]) -> tuple[Receipt, ...]:
    """One receipt per ``[number, id]`` row, each tied back to the exact number sent.

    The gateway may write a number as a JSON integer, losing leading zeros, so
    a row matches the first unused sent number that is equal to it, or else
    equal once leading zeros are dropped. A row matching no sent number keeps
    the gateway's spelling. A bad row makes the whole answer unreadable: a
    receipt cannot be kept aside as malformed.
    """
    if array is None:
        return ()
    if not isinstance(array, list):
        raise DecodeError("eims send array is not an array")
    exact: dict[str, deque[int]] = {}
    loose: dict[str, deque[int]] = {}
    for index, mobile in enumerate(mobiles):
        exact.setdefault(mobile, deque()).append(index)
        loose.setdefault(_stripped(mobile), deque()).append(index)
    used = [False] * len(mobiles)

    def take(queue: deque[int] | None) -> int | None:
        while queue:
            index = queue.popleft()
            if not used[index]:
                used[index] = True
                return index
        return None

    out: list[Receipt] = []
    for row in array:
        number, message_id = row_fields(row, (2,), "send")
        key = token(number, "number")
        found = take(exact.get(key))
        if found is None:
            found = take(loose.get(_stripped(key)))
        out.append(Receipt(key if found is None else mobiles[found], token(message_id, "id")))
    return tuple(out)
