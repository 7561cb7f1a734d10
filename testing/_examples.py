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


def _parts(codec: Any, module: ModuleType, example: Example) -> tuple[Operation[Any], Any]:
    return structure(module, example.operation), structure(module, example.account)


def replay_client_write(codec: Any, module: ModuleType, example: Example) -> None:
    """The client role writes the document's request (method, target, body, headers)."""
    assert example.request is not None
    op, account = _parts(codec, module, example)
    request = codec.encode_request(op, account, STAMP)
    target = example.request.canonical_target or example.request.target
    assert (request.method, request.target) == (example.request.method, target)
    assert request.body == wire_request(example).body
    for header in example.request.headers:
        assert header in request.headers


def replay_client_read(codec: Any, module: ModuleType, example: Example) -> None:
    """The client role reads the document's answer as the example's result or refusal."""
    assert example.answer is not None, "every example prints an answer"
    op, account = _parts(codec, module, example)
    if example.error is not None:
        try:
            codec.decode_response(op, wire_answer(example), account)
        except GatewayError as error:
            assert (error.code, error.detail) == (example.error.code, example.error.detail)
            return
        raise AssertionError(f"{example.name}: the answer was not read as a refusal")
    assert codec.decode_response(op, wire_answer(example), account) == expected_result(op, example)


def replay_server_read(codec: Any, module: ModuleType, example: Example) -> None:
    """The server role reads the document's request as the operation and account."""
    op, account = _parts(codec, module, example)
    asked: list[str] = []

    def lookup(name: str) -> Any:
        asked.append(name)
        return account

    assert codec.decode_request(wire_request(example), lookup) == (op, account)
    # The credential looked up is one the account holds.
    held = {str(v) for v in attrs.asdict(account).values() if v is not None}
    assert asked, "the server role looked no account up"
    assert set(asked) <= held


def replay_server_write(codec: Any, module: ModuleType, example: Example) -> None:
    """The server role writes the example's result as the document's answer."""
    assert example.answer is not None
    op, account = _parts(codec, module, example)
    outcome: Any
    if example.error is not None:
        outcome = codec.spec.error(example.error.code, detail=example.error.detail)
    else:
        outcome = expected_result(op, example)
    response = codec.encode_response(op, outcome, account)
    answer = wire_answer(example)
    body = answer.body
    if example.direction == "decode":
        assert example.canonical is not None, "a one-way example says what is written instead"
        body = example.canonical.encode(example.answer.charset)
    assert (response.status, response.body) == (answer.status, body)
    for header in answer.headers:
        assert header in response.headers
