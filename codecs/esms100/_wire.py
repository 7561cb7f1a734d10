"""esms100's shared wire (§1 工作方式, §2 字符编码, §3 响应格式): the account, how every
request travels and is authorised, and how every answer is framed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from .._checks import (
    parse_code,
)
from .._codec import Lookup
from .._digest import digest_equal, md5_hex_upper
from .._errors import DecodeError, EncodeError, GatewayError
from .._exchange import Exchange
from .._http import HttpRequest, HttpResponse
from .._models import (
    Operation,
    Stamp,
)
from .._query import (
    QueryParams,
    build_query,
    encode_text,
    form_request,
    request_pairs,
)
from .._records import (
    decode_lenient,
)
from .._spec import Spec, load_spec

if TYPE_CHECKING:
    from ._codec import Codec


@attrs.frozen
class Esms100Section:
    """``[esms100]``: requests are GBK unless ``encode=utf8`` is sent; answers always GBK."""

    request_charset: str
    response_charset: str


SPEC: Spec[Esms100Section] = load_spec("esms100", Esms100Section)
VENDOR = SPEC.vendor
_ANSWER_CHARSET = SPEC.section.response_charset
_MAX_MOBILES = SPEC.limit("max_mobiles")
_MAX_CHARS = SPEC.limit("max_content_chars")
_EP = SPEC.endpoints
_MT, _MO, _QAMOUNT, _QREPORT, _ENT = (
    _EP[k] for k in ("send", "inbound", "balance", "reports", "change_password")
)

O = TypeVar("O", bound=Operation[Any])  # noqa: E741
R = TypeVar("R")


def _is_md5_hex(value: str) -> bool:
    return len(value) == 32 and all(c in "0123456789abcdefABCDEF" for c in value)


@attrs.frozen
class Account:
    """An esms100 account: ``cpid`` and either the password or its MD5 (``cppwd``)."""

    cpid: str
    password: str | None = attrs.field(default=None, repr=False)
    cppwd: str | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        if (self.password is None) == (self.cppwd is None):
            raise EncodeError("esms100.Account needs exactly one of password= or cppwd=")
        if self.cppwd is not None and not _is_md5_hex(self.cppwd):
            raise EncodeError("esms100.Account: cppwd must be 32 hexadecimal digits")

    @property
    def password_md5(self) -> str:
        """``cppwd`` as the wire carries it: upper-case hex MD5 of the password."""
        if self.cppwd is not None:
            return self.cppwd.upper()
        return md5_hex_upper(self.password or "")


# ------------------------------------------------- §1 工作方式, §2 字符编码, §3 响应格式

#: §1 "通过 HTTP 的 GET/POST 方式交换": every endpoint takes both.
_METHODS = ("GET", "POST")


def _request(codec: Codec, path: str, *query: str) -> HttpRequest:
    """GET carries the parameters (``query``, written one after the other) in the query
    string; POST in a form body."""
    if codec.charset == "utf-8":
        # §2 "如提交的是UTF-8 编码字符,需要添加参数 encode=utf8": every request says so
        # (quirk encode-listed-only-for-mt), where real clients put it: last.
        return form_request(codec.method, path, *query, "&encode=utf8")
    return form_request(codec.method, path, *query)


def _auth_query(codec: Codec, account: Account) -> str:
    """``cpid=…&cppwd=…`` for ``account``, computed once while the same account comes back.

    The MD5 and its escaping cost as much as the rest of a short request. The
    fragment lives in the codec's :class:`~smswire.codecs._query.CredentialMemo`
    (hidden from its repr, equality and hash), never in a module-level cache
    holding credentials process-wide.
    """
    return codec._credentials.get(account, lambda a: _auth_pairs(codec.charset, a))


def _auth_pairs(charset: str, account: Account) -> str:
    return build_query([("cpid", account.cpid), ("cppwd", account.password_md5)], charset)


def _authorised(
    request: HttpRequest, lookup: Lookup[Account], key: str = "cppwd"
) -> tuple[QueryParams, Account]:
    """The parameters of a request whose ``cpid`` and password (``key``) are an account's."""
    # §1 "通过 HTTP 的 GET/POST 方式交换": a POST's form body counts as well.
    params = QueryParams(request_pairs(request), "gbk")
    encode = params.text("encode")
    if encode is not None and encode.lower() in ("utf8", "utf-8"):
        params.charset = "utf-8"
    cpid = params.text("cpid")
    given = params.text(key)
    if given is None:
        raise SPEC.error("-3")
    account = lookup(cpid) if cpid else None
    if account is None or not digest_equal(given, account.password_md5):
        raise SPEC.error("-1")
    return params, account


def _answer_text(response: HttpResponse) -> tuple[str, bool]:
    """§2 "请求响应返回内容是 GBK 编码" (leniently: bad bytes end up in ``malformed``)."""
    if response.status != 200:
        raise DecodeError(f"esms100 answered HTTP {response.status}", response.body)
    return decode_lenient(response.body, _ANSWER_CHARSET)


def _status(head: str, response: HttpResponse) -> int:
    code = parse_code(head)
    if code is None:
        raise DecodeError("esms100 answer does not start with a number", response.body)
    if code < 0:
        raise SPEC.error(str(code), raw=response.body)
    return code


def _accepted(response: HttpResponse) -> None:
    """A send or password change: §4 "返回值“0”表示提交成功，否则返回错误代码"."""
    answer = _answer_text(response)[0].strip()
    if answer == "0":
        return
    if parse_code(answer) is None:
        raise DecodeError("esms100 answer is not a status code", response.body)
    # Positive codes are not in the table: still a refusal, of an unknown kind.
    raise SPEC.error(answer, raw=response.body)


def _text(body: str) -> HttpResponse:
    data = encode_text(body, _ANSWER_CHARSET, "answer text")
    return HttpResponse(200, (("Content-Type", "text/plain; charset=GBK"),), data)


def _refusal(positive: bool) -> Callable[[Codec, Operation[Any], GatewayError, Any], HttpResponse]:
    """How a refusal is answered: a status (send, password) by any code but "0"; a count
    or a balance is positive, so a refusal there is negative."""

    def refuse(codec: Codec, op: Operation[Any], error: GatewayError, _: Any) -> HttpResponse:
        value = parse_code(error.code)
        if not value or (value > 0 and not positive):
            raise EncodeError(f"esms100 cannot answer {type(op).__name__} with {error.code!r}")
        return _text(error.code)

    return refuse


_STATUS, _COUNT = _refusal(positive=True), _refusal(positive=False)


def _plain(
    new: type[O],
    path: str,
    read_answer: Callable[[Codec, O, HttpResponse, Account], R],
    write_answer: Callable[[Codec, O, R, Account], HttpResponse],
    check: Callable[[O], None] | None = None,
) -> Exchange[Codec, Account, O, R]:
    """An exchange whose request carries only ``cpid`` and ``cppwd`` (§5, §6, §7).

    ``check`` refuses what the request cannot carry of ``op``.
    """

    def write(codec: Codec, op: O, account: Account, stamp: Stamp) -> HttpRequest:
        if check is not None:
            check(op)
        return _request(codec, path, _auth_query(codec, account))

    def read(
        codec: Codec, request: HttpRequest, lookup: Lookup[Account], _: Stamp | None
    ) -> tuple[O, Account]:
        return new(), _authorised(request, lookup)[1]

    return Exchange(new, path, _METHODS, write, read_answer, read, write_answer, _COUNT)


def _answer_zero(
    codec: Codec, op: Operation[Any], result: object, account: Account
) -> HttpResponse:
    """§4, §8: "0" is success."""
    return _text("0")
