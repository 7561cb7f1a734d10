"""The replay engine of the spec's ``[[examples]]``, shared by the suite and our tests.

Each ``[[examples]]`` entry of a spec is an exchange printed by the vendor's
document: the operation and account, the request, the answer and what it
means (:class:`smswire.codecs._spec.Example`). The functions here turn its
converter data into models and its wire text into requests and answers; the
four replays (client writes, client reads, server reads, server writes) are
:class:`~smswire.testing.ConformanceSuite` tests.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from types import ModuleType
from typing import Any, get_args

import attrs
from smswire import codecs
from smswire.codecs import (
    CHINA,
    VENDORS,
    GatewayError,
    HttpRequest,
    HttpResponse,
    Operation,
    Stamp,
    from_jsonable,
)
from smswire.codecs._spec import Example

__all__ = [
    "STAMP",
    "Wire",
    "expected_result",
    "replay_client_read",
    "replay_client_write",
    "replay_server_read",
    "replay_server_write",
    "result_type",
    "structure",
    "vendor_module",
    "wire_answer",
    "wire_request",
]

#: The clock of every replay (examples print no time the codecs would write).
STAMP = Stamp(datetime(2024, 5, 1, 9, 30, tzinfo=CHINA))


def vendor_module(vendor: str) -> ModuleType:
    """The module vendor ``vendor`` registers its codec from (its operations and account)."""
    module = VENDORS.registration(vendor).target.partition(":")[0]
    return importlib.import_module(module)


def structure(module: ModuleType, data: Any) -> Any:
    """Converter data with a ``type`` key → that class of ``module``, else of smswire.codecs."""
    fields = dict(data)
    name = fields.pop("type")
    cls = getattr(module, name, None) or getattr(codecs, name)
    return from_jsonable(fields, cls)


def result_type(op: Operation[Any]) -> Any:
    """The result type an operation class declares (``Operation[SendResult]`` → SendResult)."""
    for klass in type(op).__mro__:
        for base in getattr(klass, "__orig_bases__", ()):
            args = get_args(base)
            if args:
                return args[0]
    raise AssertionError(f"{type(op).__name__} names no result type")


def expected_result(op: Operation[Any], example: Example) -> Any:
    """The example's result, structured as ``op``'s result type."""
    kind = result_type(op)
    if kind is type(None):
        assert example.result is None
        return None
    return from_jsonable(example.result, kind)


def wire_request(example: Example) -> HttpRequest:
    """The example's printed request as bytes."""
    assert example.request is not None
    wire = example.request
    return HttpRequest(wire.method, wire.target, wire.headers, wire.body.encode(wire.charset))


def wire_answer(example: Example) -> HttpResponse:
    """The example's printed answer as bytes."""
    assert example.answer is not None
    wire = example.answer
    return HttpResponse(wire.status, wire.headers, wire.body.encode(wire.charset))


class Wire:
    """How a vendor's example texts travel: as printed (the default).

    A vendor whose bodies are not the document's text on the wire (Emay's secure
    interface prints plaintext JSON that travels AES-sealed) overrides these in
    its suite (:meth:`ConformanceSuite.example_wire`), with an oracle of its own:
    the suite never trusts the codec's envelope to check the codec.
    """

    def codec(self, codec: Any, example: Example) -> Any:
        """The codec as the document's client was set up for this example."""
        return codec

    def stamp(self, example: Example) -> Stamp:
        """The clock of the example's request."""
        return STAMP

    def request(self, example: Example, account: Any) -> HttpRequest:
        """The example's request as it travels."""
        return wire_request(example)

    def answer(self, example: Example, account: Any) -> HttpResponse:
        """The example's answer as it travels."""
        return wire_answer(example)

    def written(self, body: bytes, example: Example, account: Any) -> Any:
        """What of a body the codec wrote is compared with the example's text."""
        return body

    def printed(self, text: str, charset: str) -> Any:
        """What of the example's text is compared with a body the codec wrote."""
        return text.encode(charset)


PRINTED = Wire()


def _parts(codec: Any, module: ModuleType, example: Example) -> tuple[Operation[Any], Any]:
    return structure(module, example.operation), structure(module, example.account)


def replay_client_write(
    codec: Any, module: ModuleType, example: Example, wire: Wire = PRINTED
) -> None:
    """The client role writes the document's request (method, target, body, headers)."""
    assert example.request is not None
    op, account = _parts(codec, module, example)
    request = wire.codec(codec, example).encode_request(op, account, wire.stamp(example))
    target = example.request.canonical_target or example.request.target
    assert (request.method, request.target) == (example.request.method, target)
    written = wire.written(request.body, example, account)
    assert written == wire.printed(example.request.body, example.request.charset)
    for header in example.request.headers:
        assert header in request.headers


def replay_client_read(
    codec: Any, module: ModuleType, example: Example, wire: Wire = PRINTED
) -> None:
    """The client role reads the document's answer as the example's result or refusal."""
    assert example.answer is not None, "every example prints an answer"
    op, account = _parts(codec, module, example)
    answer = wire.answer(example, account)
    if example.error is not None:
        try:
            codec.decode_response(op, answer, account)
        except GatewayError as error:
            assert (error.code, error.detail) == (example.error.code, example.error.detail)
            return
        raise AssertionError(f"{example.name}: the answer was not read as a refusal")
    assert codec.decode_response(op, answer, account) == expected_result(op, example)


def replay_server_read(
    codec: Any, module: ModuleType, example: Example, wire: Wire = PRINTED
) -> None:
    """The server role reads the document's request as the operation and account."""
    op, account = _parts(codec, module, example)
    asked: list[str] = []

    def lookup(name: str) -> Any:
        asked.append(name)
        return account

    assert codec.decode_request(wire.request(example, account), lookup) == (op, account)
    # The credential looked up is one the account holds.
    held = {str(v) for v in attrs.asdict(account).values() if v is not None}
    assert asked, "the server role looked no account up"
    assert set(asked) <= held


def replay_server_write(
    codec: Any, module: ModuleType, example: Example, wire: Wire = PRINTED
) -> None:
    """The server role writes the example's result as the document's answer."""
    assert example.answer is not None
    op, account = _parts(codec, module, example)
    outcome: Any
    if example.error is not None:
        outcome = codec.spec.error(example.error.code, detail=example.error.detail)
    else:
        outcome = expected_result(op, example)
    response = wire.codec(codec, example).encode_response(op, outcome, account)
    answer = example.answer
    text = answer.body
    if example.direction == "decode":
        assert example.canonical is not None, "a one-way example says what is written instead"
        text = example.canonical
    written = wire.written(response.body, example, account)
    assert (response.status, written) == (answer.status, wire.printed(text, answer.charset))
    for header in answer.headers:
        assert header in response.headers
