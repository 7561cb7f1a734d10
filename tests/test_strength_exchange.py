"""``_exchange``: both roles' dispatch, checked against hand-built toy exchange tables.

Every expected value is the toy's own: each function a test declares answers
with the name of the exchange it belongs to and what it was given, so a route
to the wrong exchange, a swapped argument or a dropped option shows as a wrong
literal. The error texts are the ones the module's docstring documents
("<vendor> has no endpoint '<path>'", "<vendor> takes GET or POST at '<path>',
not PUT", "<vendor> has no operation for …"). Written to kill the mutants that
survived ``tools/mutate.py codecs/_exchange.py`` (issue 17).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import attrs
import pytest
from smswire.codecs import (
    CHINA,
    DecodeError,
    EncodeError,
    GatewayError,
    HttpRequest,
    HttpResponse,
    Operation,
    Stamp,
)
from smswire.codecs._exchange import Exchange, ExchangeCodec, Exchanges

STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))
ERROR = GatewayError("toy", "E1", "refused")


@attrs.frozen
class Ping(Operation[str]):
    word: str = ""


@attrs.frozen
class Pong(Operation[str]):
    word: str = ""


@attrs.frozen
class Peep(Operation[str]):
    word: str = ""


def _body(response: HttpResponse) -> str:
    return response.body.decode()


def toy(name: str, op: type[Any], path: str, methods: tuple[str, ...] = ("GET",), **kw: Any) -> Any:
    """An exchange whose every function names itself (``name``) and what it received."""

    def write_request(codec: Any, o: Any, account: Any, stamp: Stamp) -> HttpRequest:
        assert stamp is STAMP
        return HttpRequest("GET", f"/{name}?{o.word}&{account}")

    def read_answer(codec: Any, o: Any, response: HttpResponse, account: Any) -> str:
        return f"{name}:{o.word}:{_body(response)}:{account}"

    def read_request(codec: Any, request: HttpRequest, lookup: Any, stamp: Any) -> Any:
        return (
            op(name),
            lookup(f"{name}|{type(codec).__name__}|{request.target}|{stamp is STAMP}"),
        )

    def write_answer(codec: Any, o: Any, result: Any, account: Any) -> HttpResponse:
        return HttpResponse(200, (), f"{name} {o.word} {result} {account}".encode())

    return Exchange(op, path, methods, write_request, read_answer, read_request, write_answer, **kw)


def refusal(name: str) -> Any:
    def write_refusal(codec: Any, o: Any, error: GatewayError, account: Any) -> HttpResponse:
        text = f"{name} refusal {type(codec).__name__} {o.word} {error.code} {account}"
        return HttpResponse(400, (), text.encode())

    return write_refusal


def early(name: str) -> Any:
    def refuse(codec: Any, error: GatewayError) -> HttpResponse:
        return HttpResponse(403, (), f"{name} refuse {error.code} {type(codec).__name__}".encode())

    return refuse


def halves(codec: Any, op: Ping) -> tuple[Ping, ...]:
    return (Ping(op.word[:1]), Ping(op.word[1:]))


PING = toy("ping", Ping, "/Ping", ("GET", "POST"), write_refusal=refusal("ping"), split=halves)
PONG = toy("pong", Pong, "/pong", ("POST",), also=(Peep,), refuse=early("pong"))
SHORT = toy("short", Peep, "/short", picks=lambda op: len(op.word) < 3)
LONG = toy("long", Peep, "/long", picks=lambda op: len(op.word) < 9)


@attrs.frozen
class Toy(ExchangeCodec[str]):
    vendor: ClassVar[str] = "toy"
    exchanges: ClassVar[Exchanges[Toy, str]] = Exchanges("toy", (PING, PONG))

    def refuse(self, error: GatewayError) -> HttpResponse:
        return HttpResponse(500, (), f"codec refuse {error.code}".encode())


def echo(credential: str) -> str:
    return credential


# ------------------------------------------------------------------ Exchange


def test_an_exchange_keeps_every_argument_under_its_name() -> None:
    functions = [lambda *a, n=n: n for n in range(9)]
    ex = Exchange(Ping, "/p", ("GET",), *functions[:6], when=functions[6], picks=functions[7],
                  choose=functions[8], also=(Pong,), refuse=functions[0])  # fmt: skip
    assert (ex.op, ex.path, ex.methods) == (Ping, "/p", ("GET",))
    assert [ex.write_request, ex.read_answer, ex.read_request, ex.write_answer,
            ex.write_refusal, ex.split] == functions[:6]  # fmt: skip
    assert (ex.when, ex.picks, ex.choose, ex.refuse) == tuple(functions[6:9] + functions[:1])
    assert ex.also == (Pong,)
    bare = Exchange(Ping, "/p", ("GET",), *functions[:4])
    assert (bare.write_refusal, bare.split, bare.when, bare.picks, bare.choose) == (None,) * 5
    assert (bare.also, bare.refuse) == ((), None)


def test_an_exchange_repr_names_its_operation_methods_and_path() -> None:
    assert repr(PING) == "Exchange(Ping, GET|POST /Ping)"
    assert repr(PONG) == "Exchange(Pong, POST /pong)"


# ------------------------------------------------------------------ Exchanges: the index


def test_the_index_of_a_table() -> None:
    table = Toy.exchanges
    assert table.vendor == "toy" and table.all == (PING, PONG) and table.fold_case is False
    assert table.by_op == {Ping: PING, Pong: PONG, Peep: PONG}
    assert table.by_route == {("GET", "/Ping"): (PING,), ("POST", "/Ping"): (PING,),
                              ("POST", "/pong"): (PONG,)}  # fmt: skip
    assert table.paths == {"/Ping": ("GET", "POST"), "/pong": ("POST",)}
    assert set(table.refusals) == {"/pong"} and table.refusals["/pong"] is PONG.refuse
    assert table.ops == (Ping, Pong, Peep)
    assert (table.by_pick, table.choices) == ({}, {})


def test_the_methods_of_a_shared_path_are_merged_once_each_in_order() -> None:
    a = toy("a", Ping, "/x", ("POST", "GET"), when=lambda r: False)
    b = toy("b", Pong, "/x", ("GET", "PUT", "POST"), when=lambda r: False)
    table = Exchanges("toy", (a, b))
    assert table.paths == {"/x": ("POST", "GET", "PUT")}
    assert table.by_route == {("POST", "/x"): (a, b), ("GET", "/x"): (a, b), ("PUT", "/x"): (b,)}
    assert table.ops == (Ping, Pong)


def test_a_case_blind_table_keys_paths_lower_cased() -> None:
    table = Exchanges("toy", (PING,), fold_case=True)
    assert table.fold_case is True
    assert table.key("/PiNg") == "/ping"
    assert Toy.exchanges.key("/PiNg") == "/PiNg"
    assert table.paths == {"/ping": ("GET", "POST")}
    assert set(table.by_route) == {("GET", "/ping"), ("POST", "/ping")}
    refusing = Exchanges("toy", (toy("a", Ping, "/A", refuse=early("a")),), fold_case=True)
    assert set(refusing.refusals) == {"/a"}


def test_ops_are_listed_once_each_in_document_order() -> None:
    a = toy("a", Pong, "/a", also=(Ping,))
    b = toy("b", Ping, "/b", picks=lambda op: True, also=(Peep, Pong))
    table = Exchanges("toy", (a, b), fold_case=False)
    assert table.ops == (Pong, Ping, Peep)
    assert table.by_op == {Pong: a, Ping: a}
    assert table.by_pick == {Ping: (b,), Peep: (b,), Pong: (b,)}


def test_a_route_shared_with_one_predicate_missing_is_refused() -> None:
    a = toy("a", Ping, "/x", ("GET", "POST"), when=lambda r: True)
    b = toy("b", Pong, "/x", ("POST",))
    c = toy("c", Peep, "/x", ("POST",), when=lambda r: True)
    with pytest.raises(ValueError, match=r"^shop: ") as raised:
        Exchanges("shop", (a, b, c))
    assert str(raised.value) == "shop: POST /x is shared by Ping, Pong, Peep: give each `when`"
    # The same route with every predicate given is accepted, and so is a lone one without.
    Exchanges("shop", (a, toy("b", Pong, "/x", ("POST",), when=lambda r: True)))
    assert Exchanges("shop", (b,)).by_route == {("POST", "/x"): (b,)}


def test_a_second_exchange_of_a_type_without_picks_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^shop: ") as raised:
        Exchanges("shop", (toy("a", Ping, "/a"), toy("b", Ping, "/b")))
    assert str(raised.value) == "shop: two exchanges for Ping: give each `picks`"
    # A type some exchange picks cannot have an unpicked one too.
    with pytest.raises(ValueError, match=r"^shop: two exchanges for Peep: give each `picks`$"):
        Exchanges("shop", (SHORT, toy("c", Peep, "/c")))


def test_an_operation_only_chosen_is_refused_naming_every_orphan() -> None:
    a = toy("a", Ping, "/a", choose=lambda c: True)
    b = toy("b", Pong, "/b", choose=lambda c: True)
    with pytest.raises(ValueError, match=r"^shop: ") as raised:
        Exchanges("shop", (a, b))
    assert str(raised.value) == "shop: Ping, Pong has no exchange without `choose`"


def test_choices_accumulate_per_type_in_order() -> None:
    one, two = (lambda c: False), (lambda c: True)
    a = toy("a", Ping, "/a", choose=one, also=(Pong,))
    b = toy("b", Ping, "/b", choose=two)
    base = toy("base", Ping, "/base", also=(Pong,))
    table = Exchanges("shop", (a, b, base))
    assert table.choices == {Ping: ((one, a), (two, b)), Pong: ((one, a),)}
    assert table.by_op == {Ping: base, Pong: base}


# ------------------------------------------------------------------ Exchanges: pick, route


def test_pick_takes_the_first_exchange_whose_picks_holds() -> None:
    table = Exchanges("toy", (SHORT, LONG))
    assert table.by_pick == {Peep: (SHORT, LONG)}
    assert table.pick(Peep("ab")) is SHORT
    assert table.pick(Peep("abcdef")) is LONG
    assert table.pick(Peep("abcdefghij")) is None
    assert table.pick(Ping("a")) is None


def test_route_names_the_vendor_path_and_methods_of_a_miss() -> None:
    table = Toy.exchanges
    with pytest.raises(DecodeError) as raised:
        table.route(HttpRequest("GET", "/nowhere?x=1"))
    assert str(raised.value) == "toy has no endpoint '/nowhere'"
    with pytest.raises(DecodeError) as raised:
        table.route(HttpRequest("PUT", "/Ping?x=1"))
    assert str(raised.value) == "toy takes GET or POST at '/Ping', not PUT"
    with pytest.raises(DecodeError) as raised:
        table.route(HttpRequest("GET", "/pong"))
    assert str(raised.value) == "toy takes POST at '/pong', not GET"
    # Case matters unless the table folds it.
    with pytest.raises(DecodeError, match=r"^toy has no endpoint '/ping'$"):
        table.route(HttpRequest("GET", "/ping"))
    folded = Exchanges("toy", (PING,), fold_case=True)
    assert folded.route(HttpRequest("POST", "/PING?x")) is PING
    with pytest.raises(DecodeError) as raised:
        folded.route(HttpRequest("PUT", "/PING"))
    assert str(raised.value) == "toy takes GET or POST at '/PING', not PUT"


def test_route_asks_the_predicates_in_order_and_names_a_request_none_takes() -> None:
    asked: list[str] = []

    def when(name: str, answer: bool) -> Any:
        def predicate(request: HttpRequest) -> bool:
            asked.append(name)
            return answer and "go" in request.query

        return predicate

    a = toy("a", Ping, "/x", when=when("a", False))
    b = toy("b", Pong, "/x", when=when("b", True))
    c = toy("c", Peep, "/x", when=when("c", True))
    table = Exchanges("shop", (a, b, c))
    assert table.route(HttpRequest("GET", "/x?go")) is b
    assert asked == ["a", "b"]
    with pytest.raises(DecodeError) as raised:
        table.route(HttpRequest("GET", "/x?stay"))
    assert str(raised.value) == "shop has no operation for GET '/x'"


def test_a_lone_exchange_on_a_route_takes_the_request_without_its_predicate() -> None:
    lone = toy("lone", Ping, "/x", when=lambda r: False)
    assert Exchanges("shop", (lone,)).route(HttpRequest("GET", "/x")) is lone


# ------------------------------------------------------------------ ExchangeCodec: client role


def test_the_base_refuse_is_left_to_the_vendor() -> None:
    with pytest.raises(NotImplementedError):
        ExchangeCodec.refuse(Toy(), ERROR)


def test_the_client_role_calls_the_exchange_of_the_operation_type() -> None:
    codec = Toy()
    assert codec.operations() == (Ping, Pong, Peep)
    assert codec.encode_request(Ping("hi"), "ann", STAMP).target == "/ping?hi&ann"
    assert codec.encode_request(Peep("hi"), "ann", STAMP).target == "/pong?hi&ann"
    answer = HttpResponse(200, (), b"body")
    assert codec.decode_response(Pong("w"), answer, "ann") == "pong:w:body:ann"
    assert codec.decode_response(Ping("w"), answer, "ann") == "ping:w:body:ann"


def test_plan_uses_the_split_of_the_exchange_or_keeps_the_operation() -> None:
    codec = Toy()
    assert codec.plan(Ping("ab")) == (Ping("a"), Ping("b"))
    assert codec.plan(Pong("ab")) == (Pong("ab"),)


def test_an_operation_no_exchange_carries_is_the_documented_encode_error() -> None:
    @attrs.frozen
    class Stray(Ping):
        pass

    for call in (
        lambda: Toy().encode_request(Stray("x"), "ann", STAMP),
        lambda: Toy().plan(Stray("x")),
        lambda: Toy().encode_response(Stray("x"), "r", "ann"),
    ):
        with pytest.raises(EncodeError) as raised:
            call()
        assert str(raised.value) == "toy has no operation Stray"
        assert raised.value.__suppress_context__ is True


@attrs.frozen
class Picky(ExchangeCodec[str]):
    loud: bool = False
    vendor: ClassVar[str] = "picky"
    exchanges: ClassVar[Exchanges[Picky, str]] = Exchanges(
        "picky",
        (
            SHORT,
            LONG,
            toy("base", Ping, "/base"),
            toy("quiet", Ping, "/quiet", choose=lambda c: False),
            toy("loud", Ping, "/loud", choose=lambda c: c.loud),
            toy("louder", Ping, "/louder", choose=lambda c: c.loud),
        ),
    )

    def refuse(self, error: GatewayError) -> HttpResponse:
        return HttpResponse(500, (), b"picky")


def test_picks_and_choices_select_the_exchange_of_the_client_role() -> None:
    assert Picky().encode_request(Peep("ab"), "a", STAMP).path == "/short"
    assert Picky().encode_request(Peep("abcd"), "a", STAMP).path == "/long"
    with pytest.raises(EncodeError, match=r"^picky has no operation Peep$"):
        Picky().encode_request(Peep("abcdefghij"), "a", STAMP)
    assert Picky().encode_request(Ping("x"), "a", STAMP).path == "/base"
    # The first choice whose `choose` holds, in the order declared.
    assert Picky(loud=True).encode_request(Ping("x"), "a", STAMP).path == "/loud"


def test_a_codec_without_choices_takes_the_default_exchange() -> None:
    table = Exchanges("t", (toy("base", Ping, "/base"),))

    @attrs.frozen
    class Plain(ExchangeCodec[str]):
        vendor: ClassVar[str] = "t"
        exchanges: ClassVar[Exchanges[Any, str]] = table

    assert Plain().encode_request(Ping("x"), "a", STAMP).path == "/base"


# ------------------------------------------------------------------ ExchangeCodec: server role


def test_decode_request_routes_and_passes_lookup_and_stamp() -> None:
    codec = Toy()
    request = HttpRequest("POST", "/Ping?a=1")
    assert codec.decode_request(request, echo, STAMP) == (Ping("ping"), "ping|Toy|/Ping?a=1|True")
    assert codec.decode_request(request, echo) == (Ping("ping"), "ping|Toy|/Ping?a=1|False")
    assert codec.decode_request(HttpRequest("POST", "/pong"), echo)[0] == Pong("pong")


def test_encode_response_writes_the_answer_or_the_refusal_the_exchange_has() -> None:
    codec = Toy()
    assert _body(codec.encode_response(Ping("w"), "R", "ann")) == "ping w R ann"
    assert _body(codec.encode_response(Peep("w"), "R", "ann")) == "pong w R ann"
    # write_refusal first, else the exchange's refuse, else the codec's.
    refused = codec.encode_response(Ping("w"), ERROR, "ann")
    assert (refused.status, _body(refused)) == (400, "ping refusal Toy w E1 ann")
    refused = codec.encode_response(Pong("w"), ERROR, "ann")
    assert (refused.status, _body(refused)) == (403, "pong refuse E1 Toy")
    plain = Exchanges("toy", (toy("plain", Ping, "/plain"),))
    refused = Toy()._answer(plain.all[0], Ping("w"), ERROR, "ann")
    assert (refused.status, _body(refused)) == (500, "codec refuse E1")


def test_encode_error_refuses_with_the_refuse_of_the_path_or_the_codec() -> None:
    codec = Toy()
    refused = codec.encode_error(HttpRequest("POST", "/pong?x=1"), ERROR)
    assert (refused.status, _body(refused)) == (403, "pong refuse E1 Toy")
    refused = codec.encode_error(HttpRequest("GET", "/Ping"), ERROR)
    assert (refused.status, _body(refused)) == (500, "codec refuse E1")
    refused = codec.encode_error(HttpRequest("GET", "/unknown"), ERROR)
    assert (refused.status, _body(refused)) == (500, "codec refuse E1")


@attrs.frozen
class Folded(ExchangeCodec[str]):
    vendor: ClassVar[str] = "folded"
    exchanges: ClassVar[Exchanges[Folded, str]] = Exchanges(
        "folded", (toy("a", Ping, "/A", refuse=early("a")),), fold_case=True
    )

    def refuse(self, error: GatewayError) -> HttpResponse:
        return HttpResponse(500, (), b"folded")


def test_encode_error_finds_the_refuse_of_a_path_in_any_case_when_folded() -> None:
    assert _body(Folded().encode_error(HttpRequest("GET", "/a"), ERROR)) == "a refuse E1 Folded"


# ------------------------------------------------------------------ encode_response_to


@attrs.frozen
class Answering(ExchangeCodec[str]):
    """Peep is carried by `/own` (its own exchange) and also by `/other`."""

    marker: str = "plain"
    vendor: ClassVar[str] = "answering"
    exchanges: ClassVar[Exchanges[Answering, str]] = Exchanges(
        "answering",
        (
            toy("own", Peep, "/own"),
            toy("first", Ping, "/other", ("GET",), when=lambda r: "first" in r.query),
            toy(
                "other",
                Pong,
                "/other",
                ("GET",),
                also=(Peep,),
                picks=lambda op: True,
                when=lambda r: True,
            ),
        ),
        fold_case=True,
    )

    def refuse(self, error: GatewayError) -> HttpResponse:
        return HttpResponse(500, (), f"{self.marker} refuse".encode())

    def for_request(self, request: HttpRequest) -> Answering:
        header = request.header("marker")
        return self if header is None else Answering(header)


def test_the_answer_to_a_request_is_written_by_the_exchange_it_called() -> None:
    codec = Answering()
    # The called exchange carries Peep through `also`: it writes the answer.
    response = codec.encode_response_to(HttpRequest("GET", "/OTHER"), Peep("w"), "R", "ann")
    assert _body(response) == "other w R ann"
    # Called as its own exchange, or on a route that does not carry it: op's own.
    response = codec.encode_response_to(HttpRequest("GET", "/own"), Peep("w"), "R", "ann")
    assert _body(response) == "own w R ann"
    response = codec.encode_response_to(HttpRequest("GET", "/nowhere"), Peep("w"), "R", "ann")
    assert _body(response) == "own w R ann"
    # The exchange whose `op` is the type, among several on the route.
    response = codec.encode_response_to(HttpRequest("GET", "/other"), Ping("w"), "R", "ann")
    assert _body(response) == "first w R ann"
    response = codec.encode_response_to(HttpRequest("GET", "/other"), Pong("w"), "R", "ann")
    assert _body(response) == "other w R ann"


def test_the_answer_to_a_request_uses_the_codec_for_that_request() -> None:
    request = HttpRequest("GET", "/own", (("marker", "loud"),))
    response = Answering().encode_response_to(request, Peep("w"), ERROR, "ann")
    assert _body(response) == "loud refuse"
    assert _body(Answering().encode_response_to(HttpRequest("GET", "/own"), Peep("w"),
                                                ERROR, "ann")) == "plain refuse"  # fmt: skip


def test_the_base_codec_answers_every_request_as_itself() -> None:
    codec = Toy()
    assert codec.for_request(HttpRequest("GET", "/Ping")) is codec


@attrs.frozen
class TwoWays(ExchangeCodec[str]):
    """Ping goes to `/one` when short, else to `/two`; both read and answer it."""

    vendor: ClassVar[str] = "twoways"
    exchanges: ClassVar[Exchanges[TwoWays, str]] = Exchanges(
        "twoways",
        (
            toy("one", Ping, "/one", picks=lambda op: len(op.word) < 3),
            toy("two", Ping, "/two", picks=lambda op: True),
        ),
    )

    def refuse(self, error: GatewayError) -> HttpResponse:
        return HttpResponse(500, (), b"twoways")


def test_the_endpoint_called_answers_an_operation_another_would_carry() -> None:
    # As Emay's sendBatchSMS answers a one-number SendSms that sendSingleSMS would carry.
    codec = TwoWays()
    assert codec.encode_request(Ping("w"), "ann", STAMP).path == "/one"
    response = codec.encode_response_to(HttpRequest("GET", "/two"), Ping("w"), "R", "ann")
    assert _body(response) == "two w R ann"
    response = codec.encode_response_to(HttpRequest("GET", "/one"), Ping("long"), "R", "ann")
    assert _body(response) == "one long R ann"
    assert _body(codec.encode_response(Ping("w"), "R", "ann")) == "one w R ann"
