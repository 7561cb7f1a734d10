"""Exchange definitions: each document operation in one place, both roles driven from it.

After h11's ``READERS``/``WRITERS`` tables, applied per exchange: a vendor
module declares, for every operation its document describes, one
:class:`Exchange` holding the four directions of that endpoint and its split;
:class:`ExchangeCodec` implements the :class:`~smswire.codecs.Codec` protocol by
looking the exchange up (one dict look-up) and calling it. No ``isinstance``
chain over operation types, no per-codec path table, no ``cast``.

Declaring an exchange
---------------------
``Exchange(op, path, methods, write_request, read_answer, read_request,
write_answer, write_refusal=None, split=None, *, when=None, choose=None)``. Every function
takes the codec first (its options: charset, method…), then exactly what the
protocol method gets, typed with the concrete operation ``O`` and result ``R``:

* ``write_request(codec, op: O, account, stamp) -> HttpRequest`` (client):
  refuse with :class:`EncodeError` what the wire cannot carry, before any byte;
* ``read_answer(codec, op: O, response, account) -> R`` (client): a refusal
  code raises the vendor's :class:`GatewayError` (``SPEC.error(code)``);
* ``read_request(codec, request, lookup, stamp) -> (O, account)`` (server):
  parse, check the credential (``lookup`` maps the wire's credential to the
  account), refuse with the vendor's :class:`GatewayError`;
  the operation may be another exchange's of the same result type (EIMS
  §2: the one ``/sendsms`` reader answers ``SendSms`` or ``SendMessage``);
  an exchange declared with no ``methods`` routes no request and serves the
  client role and its answers only;
* ``write_answer(codec, op: O, result: R, account) -> HttpResponse`` (server);
* ``write_refusal(codec, op: O, error, account) -> HttpResponse`` (server,
  optional): how this endpoint answers a refusal of an understood request
  (e.g. esms100 refuses a count answer with a positive code). Without it the
  codec's :meth:`ExchangeCodec.refuse` renders it;
* ``split(codec, op: O) -> tuple[O, ...]`` (optional): cut ``op`` to the
  vendor's limits (use :func:`~smswire.codecs._plan.split_field`). Without it
  the operation travels whole.

Mypy infers ``O`` and ``R`` from the functions, so each function is written
against its own operation and result types and needs no ``cast``; a function
shared by several exchanges takes the common supertype (``Operation[Any]``,
``object``). A vendor whose exchanges repeat a shape (credentials-only reads)
writes one small factory returning an ``Exchange`` (esms100's ``_plain``).
Name the functions after the document's operation (``_mt_request``,
``_mt_answer``, ``_mt_read``, ``_mt_write``): positional declarations then
read as a table row and fit one line.

The vendor codec inherits :class:`ExchangeCodec` and lists its exchanges once,
in document order (``operations()`` returns them in that order)::

    @attrs.frozen
    class Codec(ExchangeCodec[Account]):
        vendor: ClassVar[str] = VENDOR
        exchanges: ClassVar[Exchanges[Codec, Account]] = Exchanges(VENDOR, (SEND, INBOUND))

        def refuse(self, error: GatewayError) -> HttpResponse: ...

Options and pushes (``decode_push`` etc.) stay ordinary methods of the codec;
the base implements only ``operations``, ``plan``, ``encode_request``,
``decode_response``, ``decode_request``, ``encode_response`` and
``encode_error``. Class variables ``secrets`` and ``spec`` stay the vendor's.

Routing
-------
* Client role (``encode_request``, ``decode_response``, ``plan``): by
  ``type(op)``, exactly (a subclass of an operation is not its parent's
  exchange). An operation with no exchange raises
  :func:`~smswire.codecs._codec.unsupported` (an :class:`EncodeError`).
* Server role (``decode_request``): by ``(request.method, request.path)``.
  An unknown path is ``DecodeError("<vendor> has no endpoint '<path>'")``; a
  known path asked with another method is ``DecodeError("<vendor> takes GET
  or POST at '<path>', not PUT")``. Both are *not* refusals: nothing was
  understood, the server (simulator, CLI) answers them through
  ``encode_error`` or as HTTP errors as it does today.
* Several operations on one path (sms.cn's send variants, Emay's simple
  interface, any vendor whose operation is a parameter): give each of those
  exchanges a ``when(request) -> bool`` predicate; they are tried in the
  order declared and the first that holds takes the request. If none holds,
  the request is ``DecodeError("<vendor> has no operation for …")``. A path
  with one exchange is never tested (no predicate is needed or called).
  Distinct paths (sms.cn ``/mt/`` and ``/mtutf8/``, Emay's ``/inter/…``) are
  just distinct exchanges: no predicate.
* ``Exchanges(vendor, exchanges, fold_case=True)``: paths are matched without
  regard to case, as an IIS/ASP gateway does (112088.net's
  ``Get_Account_Balance.asp`` answers ``/get_account_balance.asp`` too).
* One operation on several paths (sms.cn's ``SendSms`` on ``/mt/`` and, as
  public clients use it, ``/mtutf8/``): the server role routes each path to
  its exchange; the client role takes the one declared without ``choose``
  unless a later one's ``choose(codec) -> bool`` holds for the codec's
  options (``Codec(mtutf8=True)``). Every operation has exactly one exchange
  without ``choose``; ``operations()`` lists each operation once.
* ``encode_response(op, result, account)``: by ``type(op)``; a
  :class:`GatewayError` result goes to the exchange's ``write_refusal`` or
  else to the codec's ``refuse``; ``encode_error(request, error)`` (a request
  refused before it was understood) always goes to ``refuse``.

Split and merge
---------------
``plan(op)`` calls the exchange's ``split``. The transports send each part
and merge the results with :func:`~smswire.codecs._models.merge_results`:
the result type's own ``merge`` classmethod (:class:`SendResult`,
:class:`Batch`, EIMS ``ReportQuery``…, the :class:`Mergeable` protocol), or
``None`` for operations without a result. A result type of an operation that
a ``split`` can cut must define ``merge``.

Errors
------
* client role: an operation with no exchange → ``EncodeError("<vendor> has no
  operation <Op>")``; what a writer refuses → ``EncodeError``; a reader's
  ``DecodeError``/``GatewayError`` pass through unchanged;
* server role: routing misses are ``DecodeError`` (above); a reader refuses
  with the vendor's :class:`GatewayError`; the server renders it with
  ``encode_error(request, error)`` (before an operation exists) or
  ``encode_response(op, error, account)`` (after): both end in
  ``write_refusal`` or :meth:`ExchangeCodec.refuse`.

Worked example (a balance query on ``/qamount/``, esms100 §6)::

    def _qamount_request(codec: Codec, op: QueryBalance, account: Account,
                         stamp: Stamp) -> HttpRequest:
        return _request(codec, "/qamount/", _auth_query(codec, account))

    def _qamount_answer(codec: Codec, op: QueryBalance, response: HttpResponse,
                        account: Account) -> Balance:
        return parse_message_count(_answer_text(response)[0], VENDOR, response.body)

    def _qamount_read(codec: Codec, request: HttpRequest, lookup: Lookup[Account],
                      stamp: Stamp | None) -> tuple[QueryBalance, Account]:
        return QueryBalance(), _authorised(request, lookup)[1]

    def _qamount_write(codec: Codec, op: QueryBalance, result: Balance,
                       account: Account) -> HttpResponse:
        return _text(render_message_count(result, VENDOR))

    BALANCE = Exchange(QueryBalance, "/qamount/", ("GET", "POST"), _qamount_request,
                       _qamount_answer, _qamount_read, _qamount_write, _COUNT)

Dispatch costs one dict look-up per call (``by_op[type(op)]``; ``by_route``
keyed by ``(method, path)``), so the hot paths stay where they were.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from ._codec import Lookup, unsupported
from ._errors import DecodeError, GatewayError
from ._http import HttpRequest, HttpResponse
from ._models import Operation, Stamp

__all__ = ["Exchange", "ExchangeCodec", "Exchanges"]

C = TypeVar("C")
A = TypeVar("A")
O = TypeVar("O", bound=Operation[Any])  # noqa: E741
R = TypeVar("R")


class Exchange(Generic[C, A, O, R]):
    """One document operation: its endpoint, its four directions and its split.

    ``C`` is the vendor codec, ``A`` its account, ``O`` the operation type and
    ``R`` the operation's result type.
    """

    __slots__ = (
        "choose",
        "methods",
        "op",
        "path",
        "read_answer",
        "read_request",
        "split",
        "when",
        "write_answer",
        "write_refusal",
        "write_request",
    )

    def __init__(
        self,
        op: type[O],
        path: str,
        methods: tuple[str, ...],
        write_request: Callable[[C, O, A, Stamp], HttpRequest],
        read_answer: Callable[[C, O, HttpResponse, A], R],
        read_request: Callable[[C, HttpRequest, Lookup[A], Stamp | None], tuple[Operation[R], A]],
        write_answer: Callable[[C, O, R, A], HttpResponse],
        write_refusal: Callable[[C, O, GatewayError, A], HttpResponse] | None = None,
        split: Callable[[C, O], tuple[O, ...]] | None = None,
        *,
        when: Callable[[HttpRequest], bool] | None = None,
        choose: Callable[[C], bool] | None = None,
    ) -> None:
        self.op = op
        self.path = path
        self.methods = methods
        self.write_request = write_request
        self.read_answer = read_answer
        self.read_request = read_request
        self.write_answer = write_answer
        self.write_refusal = write_refusal
        self.split = split
        self.when = when
        self.choose = choose

    def __repr__(self) -> str:
        return f"Exchange({self.op.__name__}, {'|'.join(self.methods)} {self.path})"


class Exchanges(Generic[C, A]):
    """A vendor's exchanges, in document order, indexed for both roles."""

    __slots__ = ("all", "by_op", "by_route", "choices", "fold_case", "paths", "vendor")

    def __init__(
        self,
        vendor: str,
        exchanges: tuple[Exchange[C, A, Any, Any], ...],
        *,
        fold_case: bool = False,
    ) -> None:
        self.vendor = vendor
        self.all = exchanges
        self.fold_case = fold_case
        self.by_op: dict[type[Any], Exchange[C, A, Any, Any]] = {}
        self.by_route: dict[tuple[str, str], tuple[Exchange[C, A, Any, Any], ...]] = {}
        self.paths: dict[str, tuple[str, ...]] = {}
        #: Operation → the exchanges a codec's options may choose instead of ``by_op``'s.
        self.choices: dict[
            type[Any], tuple[tuple[Callable[[C], bool], Exchange[C, A, Any, Any]], ...]
        ] = {}
        for exchange in exchanges:
            if exchange.choose is not None:
                choice = (exchange.choose, exchange)
                self.choices[exchange.op] = (*self.choices.get(exchange.op, ()), choice)
            elif exchange.op in self.by_op:
                raise ValueError(f"{vendor}: two exchanges for {exchange.op.__name__}")
            else:
                self.by_op[exchange.op] = exchange
            path = exchange.path.lower() if fold_case else exchange.path
            methods = self.paths.get(path, ())
            self.paths[path] = methods + tuple(m for m in exchange.methods if m not in methods)
            for method in exchange.methods:
                route = (method, path)
                self.by_route[route] = (*self.by_route.get(route, ()), exchange)
        for (method, path), shared in self.by_route.items():
            if len(shared) > 1 and any(e.when is None for e in shared):
                names = ", ".join(e.op.__name__ for e in shared)
                raise ValueError(
                    f"{vendor}: {method} {path} is shared by {names}: give each `when`"
                )
        orphans = [op.__name__ for op in self.choices if op not in self.by_op]
        if orphans:
            raise ValueError(f"{vendor}: {', '.join(orphans)} has no exchange without `choose`")

    def route(self, request: HttpRequest) -> Exchange[C, A, Any, Any]:
        """The exchange a request asks for (server role), or a :class:`DecodeError`."""
        path = request.path
        key = path.lower() if self.fold_case else path
        shared = self.by_route.get((request.method, key))
        if shared is None:
            methods = self.paths.get(key)
            if methods is None:
                raise DecodeError(f"{self.vendor} has no endpoint {path!r}")
            raise DecodeError(
                f"{self.vendor} takes {' or '.join(methods)} at {path!r}, not {request.method}"
            )
        if len(shared) == 1:
            return shared[0]
        for exchange in shared:
            if exchange.when is not None and exchange.when(request):
                return exchange
        raise DecodeError(f"{self.vendor} has no operation for {request.method} {path!r}")


class ExchangeCodec(Generic[A]):
    """The :class:`~smswire.codecs.Codec` protocol implemented from :attr:`exchanges`.

    A vendor codec subclasses it, sets the class variables ``vendor`` and
    ``exchanges`` and implements :meth:`refuse`.
    """

    __slots__ = ()
    vendor: ClassVar[str]
    exchanges: ClassVar[Exchanges[Any, Any]]

    def refuse(self, error: GatewayError) -> HttpResponse:
        """The vendor's answer carrying a refusal (``encode_error``; the default refusal)."""
        raise NotImplementedError

    def _exchange(self, op: Operation[R]) -> Exchange[Any, A, Operation[R], R]:
        exchanges = self.exchanges
        try:
            exchange = exchanges.by_op[type(op)]
        except KeyError:
            raise unsupported(self.vendor, op) from None
        if exchanges.choices:
            for choose, chosen in exchanges.choices.get(type(op), ()):
                if choose(self):
                    return chosen
        return exchange

    def operations(self) -> tuple[type[Operation[Any]], ...]:
        """The operation types this codec carries, in document order."""
        return tuple(self.exchanges.by_op)

    def plan(self, op: Operation[R]) -> tuple[Operation[R], ...]:
        """``op`` split to the vendor's limits (alone when its exchange has no split)."""
        split = self._exchange(op).split
        return (op,) if split is None else split(self, op)

    def encode_request(self, op: Operation[R], account: A, stamp: Stamp) -> HttpRequest:
        """Client role: the request that performs ``op``."""
        return self._exchange(op).write_request(self, op, account, stamp)

    def decode_response(self, op: Operation[R], response: HttpResponse, account: A) -> R:
        """Client role: the result of ``op`` from the gateway's answer."""
        return self._exchange(op).read_answer(self, op, response, account)

    def decode_request(
        self, request: HttpRequest, lookup: Lookup[A], stamp: Stamp | None = None
    ) -> tuple[Operation[Any], A]:
        """Server role: the operation a request asks for, and whose account it is."""
        return self.exchanges.route(request).read_request(self, request, lookup, stamp)

    def encode_response(
        self, op: Operation[R], result: R | GatewayError, account: A
    ) -> HttpResponse:
        """Server role: the answer carrying ``result``, or the refusal."""
        exchange = self._exchange(op)
        if isinstance(result, GatewayError):
            if exchange.write_refusal is None:
                return self.refuse(result)
            return exchange.write_refusal(self, op, result, account)
        return exchange.write_answer(self, op, result, account)

    def encode_error(self, request: HttpRequest, error: GatewayError) -> HttpResponse:
        """Server role: the answer refusing ``request`` before it was understood or trusted."""
        return self.refuse(error)
