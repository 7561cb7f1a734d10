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
write_answer, write_refusal=None, split=None, *, when=None, picks=None,
choose=None, also=(), refuse=None)``. Every function
takes the codec first (its options: charset, method…), then exactly what the
protocol method gets, typed with the concrete operation ``O`` and result ``R``:

* ``write_request(codec, op: O, account, stamp) -> HttpRequest`` (client):
  refuse with :class:`EncodeError` what the wire cannot carry, before any byte;
* ``read_answer(codec, op: O, response, account) -> R`` (client): a refusal
  code raises the vendor's :class:`GatewayError` (``SPEC.error(code)``);
* ``read_request(codec, request, lookup, stamp) -> (op, account)`` (server):
  parse, check the credential (``lookup`` maps the wire's credential to the
  account), refuse with the vendor's :class:`GatewayError`. Usually ``op`` is
  an ``O``; an endpoint may be read as another operation the codec carries
  (Emay's sendBatchSMS with ids for some numbers only is a ``SendPersonalized``);
* ``write_answer(codec, op: O, result: R, account) -> HttpResponse`` (server);
* ``write_refusal(codec, op: O, error, account) -> HttpResponse`` (server,
  optional): how this endpoint answers a refusal of an understood request
  (e.g. esms100 refuses a count answer with a positive code). Without it the
  codec's :meth:`ExchangeCodec.refuse` renders it;
* ``split(codec, op: O) -> tuple[O, ...]`` (optional): cut ``op`` to the
  vendor's limits (use :func:`~smswire.codecs._plan.split_field`). Without it
  the operation travels whole;
* ``refuse(codec, error)`` (optional): how this endpoint refuses whatever the
  operation, before one was read too (Emay's retrieveReport answers the bare
  code where the rest of the interface uses a header): ``encode_error`` on
  its path and ``encode_response`` of a refusal use it.

One document operation may carry several operation types, and one operation
type may go to several endpoints:

* ``also=(OtherOp, …)``: further types this exchange carries (Emay's getReport
  is ``FetchReports`` without ``number`` and ``FetchReportsUpTo`` with it).
  Its functions must accept them: type them with the union (mypy does not
  check ``also`` against them);
* ``picks(op) -> bool``: several exchanges of one type (Emay sends a
  ``SendSms`` to sendSingleSMS, sendBatchSMS or sendBatchOnlySMS by its
  numbers and ids). The client role tries them in the order declared and takes
  the first whose ``picks`` holds; every exchange of such a type needs one;
* ``choose(codec) -> bool``: an endpoint the codec's *options* select instead
  of the operation's usual one (sms.cn's ``SendSms`` goes to ``/mt/``, or to
  the ``/mtutf8/`` public clients use when ``Codec(mtutf8=True)``). The
  operation keeps exactly one exchange without ``choose``, its default; the
  server role routes each path to its own exchange whatever the options.
  (``picks`` looks at the operation, ``choose`` at the codec: Emay's three
  send endpoints differ by what is sent, sms.cn's two by how the caller set
  the codec up.)

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
* ``encode_response(op, result, account)``: by ``type(op)`` (and ``picks``);
  a :class:`GatewayError` result goes to the exchange's ``write_refusal``,
  else its ``refuse``, else the codec's ``refuse``; ``encode_error(request,
  error)`` (a request refused before it was understood) goes to the ``refuse``
  of the exchanges on ``request.path`` or the codec's.

Answers that follow the request
-------------------------------
A server answers with ``encode_response_to(request, op, result, account)``
(declared on the :class:`~smswire.codecs.Codec` protocol; the simulator calls
nothing else). Two things of the request may shape the answer, and the base
handles both without the vendor naming a path:

* the endpoint called: the exchange on ``(request.method, request.path)`` that
  carries ``type(op)`` writes the answer, else ``op``'s own exchange. (Emay: a
  one-number ``SendSms`` read from sendBatchSMS is answered as an array, as
  sendBatchSMS answers, although ``encode_response`` alone would answer it as
  sendSingleSMS's lone object);
* the request's options: :meth:`ExchangeCodec.for_request` returns the codec as
  it answers ``request``, itself by default. Emay's secure codec returns a copy
  whose ``gzip`` is the request's ``gzip: on`` header (§2.1 "如果请求信息中有压缩
  标示，返回的数据也是压缩过的").

For a vendor that overrides neither, ``encode_response_to`` is
``encode_response``.

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
keyed by ``(method, path)``), so the hot paths stay where they were; a type
with ``picks`` misses ``by_op`` and tries its few predicates.
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
        "also",
        "choose",
        "methods",
        "op",
        "path",
        "picks",
        "read_answer",
        "read_request",
        "refuse",
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
        read_request: Callable[[C, HttpRequest, Lookup[A], Stamp | None], tuple[Operation[Any], A]],
        write_answer: Callable[[C, O, R, A], HttpResponse],
        write_refusal: Callable[[C, O, GatewayError, A], HttpResponse] | None = None,
        split: Callable[[C, O], tuple[O, ...]] | None = None,
        *,
        when: Callable[[HttpRequest], bool] | None = None,
        picks: Callable[[O], bool] | None = None,
        choose: Callable[[C], bool] | None = None,
        also: tuple[type[Operation[Any]], ...] = (),
        refuse: Callable[[C, GatewayError], HttpResponse] | None = None,
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
        self.picks = picks
        self.choose = choose
        self.also = also
        self.refuse = refuse

    def __repr__(self) -> str:
        return f"Exchange({self.op.__name__}, {'|'.join(self.methods)} {self.path})"


class Exchanges(Generic[C, A]):
    """A vendor's exchanges, in document order, indexed for both roles."""

    __slots__ = (
        "all",
        "by_op",
        "by_pick",
        "by_route",
        "choices",
        "fold_case",
        "ops",
        "paths",
        "refusals",
        "vendor",
    )

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
        self.by_pick: dict[type[Any], tuple[Exchange[C, A, Any, Any], ...]] = {}
        self.by_route: dict[tuple[str, str], tuple[Exchange[C, A, Any, Any], ...]] = {}
        self.paths: dict[str, tuple[str, ...]] = {}
        self.refusals: dict[str, Callable[[C, GatewayError], HttpResponse]] = {}
        #: Operation → the exchanges a codec's options may choose instead of ``by_op``'s.
        self.choices: dict[
            type[Any], tuple[tuple[Callable[[C], bool], Exchange[C, A, Any, Any]], ...]
        ] = {}
        for exchange in exchanges:
            self._index(exchange)
        self.ops = tuple(dict.fromkeys(t for e in exchanges for t in (e.op, *e.also)))
        for (method, path), shared in self.by_route.items():
            if len(shared) > 1 and any(e.when is None for e in shared):
                names = ", ".join(e.op.__name__ for e in shared)
                raise ValueError(
                    f"{vendor}: {method} {path} is shared by {names}: give each `when`"
                )
        orphans = [op.__name__ for op in self.choices if op not in self.by_op]
        if orphans:
            raise ValueError(f"{vendor}: {', '.join(orphans)} has no exchange without `choose`")

    def key(self, path: str) -> str:
        """``path`` as the routes are keyed (lower-cased for a case-blind gateway)."""
        return path.lower() if self.fold_case else path

    def _index(self, exchange: Exchange[C, A, Any, Any]) -> None:
        vendor = self.vendor
        for op in (exchange.op, *exchange.also):
            if exchange.choose is not None:
                choice = (exchange.choose, exchange)
                self.choices[op] = (*self.choices.get(op, ()), choice)
            elif exchange.picks is not None:
                self.by_pick[op] = (*self.by_pick.get(op, ()), exchange)
            elif op in self.by_op or op in self.by_pick:
                raise ValueError(f"{vendor}: two exchanges for {op.__name__}: give each `picks`")
            else:
                self.by_op[op] = exchange
        path = self.key(exchange.path)
        if exchange.refuse is not None:
            self.refusals[path] = exchange.refuse
        methods = self.paths.get(path, ())
        self.paths[path] = methods + tuple(m for m in exchange.methods if m not in methods)
        for method in exchange.methods:
            route = (method, path)
            self.by_route[route] = (*self.by_route.get(route, ()), exchange)

    def pick(self, op: Operation[Any]) -> Exchange[C, A, Any, Any] | None:
        """The exchange that carries ``op`` (client role), or ``None``."""
        for exchange in self.by_pick.get(type(op), ()):
            if exchange.picks is not None and exchange.picks(op):
                return exchange
        return None

    def route(self, request: HttpRequest) -> Exchange[C, A, Any, Any]:
        """The exchange a request asks for (server role), or a :class:`DecodeError`."""
        path = request.path
        key = self.key(path)
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
            picked = exchanges.pick(op)
            if picked is None:
                raise unsupported(exchanges.vendor, op) from None
            return picked
        if exchanges.choices:
            for choose, chosen in exchanges.choices.get(type(op), ()):
                if choose(self):
                    return chosen
        return exchange

    def operations(self) -> tuple[type[Operation[Any]], ...]:
        """The operation types this codec carries, in document order."""
        return self.exchanges.ops

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
        return self._answer(self._exchange(op), op, result, account)

    def encode_response_to(
        self, request: HttpRequest, op: Operation[R], result: R | GatewayError, account: A
    ) -> HttpResponse:
        """Server role: the answer to ``request`` (read as ``op``) carrying ``result``.

        The exchange ``request`` called writes it, if it carries ``op``'s type
        (else ``op``'s own exchange does), with the options :meth:`for_request` gives.
        """
        codec = self.for_request(request)
        exchange = codec._exchange(op)
        route = (request.method, codec.exchanges.key(request.path))
        for called in codec.exchanges.by_route.get(route, ()):
            if type(op) is called.op or type(op) in called.also:
                exchange = called
                break
        return codec._answer(exchange, op, result, account)

    def for_request(self, request: HttpRequest) -> ExchangeCodec[A]:
        """The codec as it answers ``request``: itself, unless the vendor's answer follows
        options the request carries (Emay: its ``gzip`` header)."""
        return self

    def _answer(
        self,
        exchange: Exchange[Any, A, Operation[R], R],
        op: Operation[R],
        result: R | GatewayError,
        account: A,
    ) -> HttpResponse:
        if isinstance(result, GatewayError):
            if exchange.write_refusal is not None:
                return exchange.write_refusal(self, op, result, account)
            if exchange.refuse is not None:
                return exchange.refuse(self, result)
            return self.refuse(result)
        return exchange.write_answer(self, op, result, account)

    def encode_error(self, request: HttpRequest, error: GatewayError) -> HttpResponse:
        """Server role: the answer refusing ``request`` before it was understood or trusted."""
        refuse = self.exchanges.refusals.get(self.exchanges.key(request.path))
        return self.refuse(error) if refuse is None else refuse(self, error)
