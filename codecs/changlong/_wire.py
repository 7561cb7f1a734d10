"""changlong's shared wire (接口设计): the account, the credentials every page takes
(``us_name``, ``us_pwd``), the answer's leading code field and the plain-text answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from .._checks import parse_code
from .._codec import Lookup
from .._digest import secret_equal
from .._errors import DecodeError, EncodeError, GatewayError
from .._exchange import Exchange
from .._http import HttpRequest, HttpResponse
from .._models import Operation, Stamp
from .._query import QueryParams, encode_text
from .._records import check_field, decode_lenient
from .._spec import Spec, load_spec

if TYPE_CHECKING:
    from ._codec import Codec


@attrs.frozen
class ChanglongSection:
    """``[changlong]``: the document names no charset (GBK default, UTF-8 an option)."""

    default_charset: str


SPEC: Spec[ChanglongSection] = load_spec("changlong", ChanglongSection)
VENDOR = SPEC.vendor
_MAX_MOBILES = SPEC.limit("max_mobiles")
_MAX_CHARS = SPEC.limit("max_content_chars")
_MAX_REPORTS = SPEC.limit("max_reports_per_answer")
_MAX_INBOUND = SPEC.limit("max_inbound_per_answer")
_EP = SPEC.endpoints

#: Every call example is a GET URL (``…/sendsms_txt.asp?us_name=帐号&us_pwd=密码…``).
_METHODS = ("GET",)

# Ids travel inside ';'/','/'|'-framed fields; blanks would be stripped on reading.
_ID_FORBIDDEN = ("|", ";", ",", " ", "\t", "\r", "\n")

O = TypeVar("O", bound=Operation[Any])  # noqa: E741
R = TypeVar("R")


@attrs.frozen
class Account:
    """A 112088.net account: ``username`` (``us_name``) and the clear password (``us_pwd``)."""

    username: str
    password: str = attrs.field(repr=False)

    def __attrs_post_init__(self) -> None:
        if not self.username or not self.password:
            raise EncodeError("changlong.Account needs a username and a password")


# ------------------------------------------------------------------ requests


def _auth_query(codec: Codec, account: Account) -> str:
    """``us_name=…&us_pwd=…``, remembered per codec for the account it last saw."""
    return codec._credentials.get(account, codec._credential_query)


def _authorised(
    codec: Codec, request: HttpRequest, lookup: Lookup[Account], scope: str, no_user: str = "-1"
) -> tuple[QueryParams, Account]:
    """The parameters of a request whose ``us_name`` and ``us_pwd`` are an account's.

    ``no_user`` is the endpoint's code for an unknown name: sends have no "no
    such user" code, their table says login failed (``-7``).
    """
    params = QueryParams.parse(_query_bytes(request.query, codec.charset), codec.charset)
    name, password = params.text("us_name"), params.text("us_pwd")
    account = lookup(name) if name else None
    if account is None:
        raise SPEC.error(no_user, scope=scope)
    if password is None or not secret_equal(password, account.password):
        raise SPEC.error("-7", scope=scope)
    return params, account


def _query_bytes(query: str, charset: str) -> bytes | str:
    """The bytes of a request's query, whichever way the target was built.

    A target holding text (the document's URL prints ``send_content=这条是测试短信``
    raw; quirk send-content-unencoded) is that text in our charset. A target
    decoded from request-line bytes with ``surrogateescape`` (raw GBK arrives
    so) goes back to exactly those bytes; :func:`parse_query` does that, and
    refuses a lone surrogate with a :class:`DecodeError`.
    """
    try:
        return query.encode(charset)
    except UnicodeEncodeError:
        return query


# ------------------------------------------------------------------ answers


def _answer(response: HttpResponse, charset: str, scope: str) -> tuple[str, str, bool]:
    """The answer's leading code field, the rest after its first ``|``, and cleanliness.

    A negative code raises the endpoint's :class:`GatewayError` (anything after
    the ``|`` is its detail: the forbidden word of a send's ``-3|word``).
    """
    if response.status != 200:
        raise DecodeError(f"changlong answered HTTP {response.status}", response.body)
    text, clean = decode_lenient(response.body, charset)
    # The reply example starts with a blank (quirk inbound-leading-space);
    # ASP pages may end with a line break.
    text = text.lstrip().rstrip("\r\n")
    head, _, rest = text.partition("|")
    code = parse_code(head)
    if code is None:
        raise DecodeError("changlong answer does not start with a number", response.body)
    if code < 0:
        detail = rest if clean and rest else None
        raise SPEC.error(str(code), raw=response.body, detail=detail, scope=scope)
    return head.strip(), rest, clean


def _text(codec: Codec, body: str) -> HttpResponse:
    data = encode_text(body, codec.charset, "answer text")
    content_type = f"text/plain; charset={codec.charset.upper()}"
    return HttpResponse(200, (("Content-Type", content_type),), data)


def _error_body(error: GatewayError) -> str:
    """A refusal is its negative code, with ``|detail`` when it has one (``-3|word``)."""
    if error.detail is None:
        return error.code
    check_field(error.detail, ("\r", "\n"), "error detail")
    return f"{error.code}|{error.detail}"


def _check_id(value: str | None, field: str) -> str:
    if not value:
        raise EncodeError(f"{field}: changlong needs a non-empty id")
    return check_field(value, _ID_FORBIDDEN, field)


def _check_count(items: tuple[Any, ...], limit: int, what: str) -> None:
    if len(items) > limit:
        raise EncodeError(f"changlong answers carry at most {limit} {what}, got {len(items)}")


# ------------------------------------------------------------------ credentials-only pages


def _fetch(
    new: type[O],
    scope: str,
    read_answer: Callable[[Codec, O, HttpResponse, Account], R],
    write_answer: Callable[[Codec, O, R, Account], HttpResponse],
    check: Callable[[O], None] | None = None,
) -> Exchange[Codec, Account, O, R]:
    """An exchange whose request carries only ``us_name`` and ``us_pwd`` (1.1.2–1.1.4).

    ``scope`` is the endpoint's key in ``specs/changlong.toml`` (its path and
    its status table); ``check`` refuses what the request cannot carry of ``op``.
    """
    path = _EP[scope]

    def write(codec: Codec, op: O, account: Account, stamp: Stamp) -> HttpRequest:
        if check is not None:
            check(op)
        return HttpRequest("GET", f"{path}?{_auth_query(codec, account)}")

    def read(
        codec: Codec, request: HttpRequest, lookup: Lookup[Account], _: Stamp | None
    ) -> tuple[O, Account]:
        return new(), _authorised(codec, request, lookup, scope)[1]

    return Exchange(new, path, _METHODS, write, read_answer, read, write_answer)
