"""The conformance suite: the checks our own codecs pass, for any registered vendor.

Subclass :class:`ConformanceSuite` in a test module and name the vendor::

    from smswire.testing import ConformanceSuite

    class TestAcme(ConformanceSuite):
        vendor = "acme"

pytest collects the subclass (the base's name does not start with ``Test``):

* the spec's ``[[examples]]`` replayed in both roles (client writes the
  document's request and reads its answer; server reads the request and
  writes the answer);
* request and answer round trips over the vendor's strategies (its
  ``smswire.strategies`` entry point, see :func:`smswire.codecs.strategies.for_vendor`);
* arbitrary and mutated bytes into every decoder (answers, requests, pushes):
  nothing but smswire errors escapes;
* purity: the vendor's modules import nothing that does I/O and read no clock;
* pickling and the package converter round-trip operations, results, accounts;
* secrets (account fields with ``repr=False``, the codec's secret parameters)
  absent from the reprs of accounts and requests;
* ``plan()`` cuts an over-long send to the vendor's limits, losing nothing.

Class attributes tune it: ``options`` (the codec's wire options for the
examples, default the vendor's defaults), ``purity_exempt`` (file or directory
names, without ``.py``, the purity check skips: e.g. a helper that reads files
at build time).
The number of hypothesis examples is the active hypothesis profile's.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from smswire.codecs import (
    VENDORS,
    DecodeError,
    GatewayError,
    HttpRequest,
    HttpResponse,
    PushCodec,
    SendSms,
    SmsWireError,
    Stamp,
    from_jsonable,
    get_codec,
    to_jsonable,
)
from smswire.codecs.strategies import china_datetimes, for_vendor

from . import _examples
from ._purity import impurities, module_files

__all__ = ["ConformanceSuite"]

F = TypeVar("F", bound=Callable[..., None])

_STAMPS = st.builds(Stamp, china_datetimes(2015, 2035), st.integers(0, 2**31))
_EXAMPLE_TESTS = frozenset(
    {
        "test_example_quirks_are_listed",
        "test_example_client_writes_the_request",
        "test_example_client_reads_the_answer",
        "test_example_server_reads_the_request",
        "test_example_server_writes_the_answer",
    }
)
#: What fills a send cut by ``plan()`` when the spec states no limit on numbers.
_NO_STATED_LIMIT = 1000


def _given(**strategies: st.SearchStrategy[Any]) -> Callable[[F], F]:
    """Mark a property of the suite; each subclass gets its own ``@given`` of it.

    One ``@given`` wrapper shared by every vendor's subclass would trip
    hypothesis' ``differing_executors`` health check (and rightly: its state
    would be shared between vendors).
    """

    def mark(test: F) -> F:
        test._suite_given = strategies  # type: ignore[attr-defined]
        return test

    return mark


def _secret_values(account: Any, public: str) -> list[str]:
    """The account's ``repr=False`` values that could not appear in a repr by chance.

    ``public`` is what may show (the operation, the account's other fields): a
    secret that happens to be a substring of it proves nothing.
    """
    return [
        value
        for field in attrs.fields(type(account))
        if not field.repr and isinstance(value := getattr(account, field.name), str)
        if len(value) >= 4 and value not in public
    ]


class ConformanceSuite:
    """Base class of a vendor's conformance tests; set :attr:`vendor` in the subclass."""

    #: The registry name of the vendor under test.
    vendor: ClassVar[str]
    #: Wire options of the codec the examples are replayed with.
    options: ClassVar[Mapping[str, Any]] = {}
    #: File or directory names (without ``.py``) the purity check skips.
    purity_exempt: ClassVar[frozenset[str]] = frozenset()
    #: Document sections whose examples this codec replays, by prefix (``()``: all). For
    #: codecs sharing one spec (Emay's secure interface §2.1 and simple one §2.2).
    example_sections: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, test in vars(ConformanceSuite).items():
            strategies = getattr(test, "_suite_given", None)
            # A property the subclass (or a class between) overrides stays theirs.
            if strategies is not None and getattr(cls, name) is test:
                setattr(cls, name, given(**strategies)(test))

    # ------------------------------------------------------------------ parametrization

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Parametrize the example replays by example, the purity check by module."""
        name = metafunc.function.__name__
        if name in _EXAMPLE_TESTS:
            spec = get_codec(self.vendor, **self.options).spec
            sections = self.example_sections
            examples = [
                e
                for e in spec.examples
                if (name != "test_example_server_reads_the_request" or e.request is not None)
                and (not sections or e.section.startswith(sections))
            ]
            if name == "test_example_client_writes_the_request":
                examples = [e for e in examples if e.request is not None]
            metafunc.parametrize("example", examples, ids=[e.name for e in examples])
        elif name == "test_module_is_pure":
            files = [
                path
                for path in module_files(_examples.vendor_module(self.vendor))
                if not any(part in self.purity_exempt for part in _dotted(path))
            ]
            metafunc.parametrize("path", files, ids=[p.name for p in files])

    # ------------------------------------------------------------------ helpers

    def codec(self) -> Any:
        """The codec the examples are replayed with."""
        return get_codec(self.vendor, **self.options)

    def example_wire(self, example: Any) -> _examples.Wire:
        """How ``example``'s texts travel (as printed, unless the vendor says otherwise)."""
        return _examples.PRINTED

    def strategies(self) -> Any:
        """The vendor's strategies module (its ``smswire.strategies`` entry point)."""
        return for_vendor(self.vendor)

    def _setup(self, data: st.DataObject) -> tuple[Any, Any, Any]:
        s = self.strategies()
        codec = data.draw(s.codecs(), label="codec")
        account = data.draw(s.accounts(), label="account")
        op = data.draw(s.operations(codec), label="op")
        return codec, account, op

    # ------------------------------------------------------------------ registry

    def test_vendor_is_registered_and_loads(self) -> None:
        assert self.vendor in VENDORS, f"{self.vendor!r} is not registered under smswire.vendors"
        assert self.vendor in VENDORS.available(), VENDORS.unavailable().get(self.vendor)
        codec = self.codec()
        assert type(codec).traits is codec.traits
        assert isinstance(codec.traits.demo_account, codec.traits.account_type)

    # ------------------------------------------------------------------ examples

    def test_example_quirks_are_listed(self, example: Any) -> None:
        assert set(example.quirks) <= {q.id for q in self.codec().spec.quirks}

    def test_example_client_writes_the_request(self, example: Any) -> None:
        module = _examples.vendor_module(self.vendor)
        _examples.replay_client_write(self.codec(), module, example, self.example_wire(example))

    def test_example_client_reads_the_answer(self, example: Any) -> None:
        module = _examples.vendor_module(self.vendor)
        _examples.replay_client_read(self.codec(), module, example, self.example_wire(example))

    def test_example_server_reads_the_request(self, example: Any) -> None:
        module = _examples.vendor_module(self.vendor)
        _examples.replay_server_read(self.codec(), module, example, self.example_wire(example))

    def test_example_server_writes_the_answer(self, example: Any) -> None:
        module = _examples.vendor_module(self.vendor)
        _examples.replay_server_write(self.codec(), module, example, self.example_wire(example))

    # ------------------------------------------------------------------ round trips

    @_given(data=st.data())
    def test_request_round_trip(self, data: st.DataObject) -> None:
        codec, account, op = self._setup(data)
        stamp = data.draw(_STAMPS, label="stamp")
        request = codec.encode_request(op, account, stamp)
        assert codec.decode_request(request, lambda _key: account, stamp) == (op, account)

    @_given(data=st.data())
    def test_answer_round_trip(self, data: st.DataObject) -> None:
        codec, account, op = self._setup(data)
        result = data.draw(self.strategies().results(op), label="result")
        response = codec.encode_response(op, result, account)
        if isinstance(result, GatewayError):
            with pytest.raises(GatewayError) as caught:
                codec.decode_response(op, response, account)
            assert caught.value == result
        else:
            assert codec.decode_response(op, response, account) == result

    @_given(data=st.data())
    def test_well_formed_answers_decode_whole(self, data: st.DataObject) -> None:
        codec, account, op = self._setup(data)
        response = data.draw(self.strategies().answers(op, codec, account), label="answer")
        try:
            result = codec.decode_response(op, response, account)
        except GatewayError:
            return
        assert getattr(result, "malformed", ()) == (), "a well-formed answer left fragments"

    # ------------------------------------------------------------------ fuzzing

    @staticmethod
    def _read_or_smswire_error(codec: Any, op: Any, response: HttpResponse, account: Any) -> None:
        try:
            codec.decode_response(op, response, account)
        except DecodeError as exc:
            # Nothing is lost: the error carries the answer it could not read.
            assert exc.raw == response.body, "a DecodeError must keep the answer's bytes"
        except SmsWireError:
            return

    @_given(data=st.data())
    def test_mutated_answers_raise_only_smswire_errors(self, data: st.DataObject) -> None:
        codec, account, op = self._setup(data)
        response = data.draw(self.strategies().mutated_answers(op, codec, account))
        self._read_or_smswire_error(codec, op, response, account)

    @_given(data=st.data(), body=st.binary(max_size=512), status=st.sampled_from([200, 500]))
    def test_arbitrary_answers_raise_only_smswire_errors(
        self, data: st.DataObject, body: bytes, status: int
    ) -> None:
        codec, account, op = self._setup(data)
        real = data.draw(self.strategies().answers(op, codec, account), label="a real answer")
        self._read_or_smswire_error(codec, op, HttpResponse(status, real.headers, body), account)

    @_given(
        data=st.data(),
        method=st.sampled_from(["GET", "POST", "PUT"]),
        query=st.text(max_size=200),
        body=st.binary(max_size=300),
    )
    def test_arbitrary_requests_raise_only_smswire_errors(
        self, data: st.DataObject, method: str, query: str, body: bytes
    ) -> None:
        codec, account, op = self._setup(data)
        real = codec.encode_request(op, account, data.draw(_STAMPS))
        target = data.draw(st.sampled_from([real.target, f"{real.path}?{query}", query]))
        with contextlib.suppress(SmsWireError):
            codec.decode_request(HttpRequest(method, target, real.headers, body), lambda _: account)

    @_given(data=st.data(), body=st.binary(max_size=512), query=st.text(max_size=120))
    def test_arbitrary_pushes_raise_only_smswire_errors(
        self, data: st.DataObject, body: bytes, query: str
    ) -> None:
        codec, account, _ = self._setup(data)
        if not isinstance(codec, PushCodec):
            return
        method = data.draw(st.sampled_from(["GET", "POST", "PUT"]))
        with contextlib.suppress(SmsWireError):
            codec.decode_push(HttpRequest(method, f"/push?{query}", (), body), lambda _: account)

    # ------------------------------------------------------------------ purity

    def test_module_is_pure(self, path: Path) -> None:
        assert not impurities(path), f"{path}: {', '.join(impurities(path))}"

    # ------------------------------------------------------------------ models

    @_given(data=st.data())
    def test_models_pickle_and_convert(self, data: st.DataObject) -> None:
        codec, account, op = self._setup(data)
        result = data.draw(self.strategies().results(op), label="result")
        for value in (op, account, codec):
            assert pickle.loads(pickle.dumps(value)) == value
        for value in (op, account):
            assert from_jsonable(to_jsonable(value), type(value)) == value
        if isinstance(result, GatewayError):
            again = pickle.loads(pickle.dumps(result))
            assert (again.code, again.kind, again.detail) == (
                result.code,
                result.kind,
                result.detail,
            )
            return
        assert pickle.loads(pickle.dumps(result)) == result
        kind = _examples.result_type(op)
        if kind is not type(None):
            assert from_jsonable(to_jsonable(result, kind), kind) == result

    # ------------------------------------------------------------------ secrets

    @_given(data=st.data())
    def test_secrets_stay_out_of_reprs(self, data: st.DataObject) -> None:
        codec, account, op = self._setup(data)
        request = codec.encode_request(op, account, data.draw(_STAMPS))
        shown = repr(account) + repr(request) + repr(codec)
        public = repr(op) + " ".join(
            str(getattr(account, f.name)) for f in attrs.fields(type(account)) if f.repr
        )
        for value in _secret_values(account, public):
            assert value not in shown, "an account secret is in a repr"
        for name in codec.secrets:
            for value in _parameter_values(request, name):
                if len(value) >= 4 and value not in public:
                    assert value not in repr(request), f"secret parameter {name} is in the repr"

    # ------------------------------------------------------------------ limits

    def test_plan_cuts_a_send_to_the_limits(self) -> None:
        codec = self.codec()
        if SendSms not in codec.operations():
            pytest.skip(f"{self.vendor} has no SendSms")
        stated = [v for k, v in codec.spec.limits.items() if "mobiles" in k]
        count = max(stated, default=_NO_STATED_LIMIT) + 1
        op = SendSms(mobiles=tuple(f"138{n:08d}" for n in range(count)), content="test")
        parts = codec.plan(op)
        if stated:
            assert len(parts) > 1, f"{count} numbers exceed {self.vendor}'s limit but were not cut"
        mobiles = [m for part in parts for m in part.mobiles]
        assert mobiles == list(op.mobiles)
        account = codec.traits.demo_account
        for part in parts:
            assert part.content == op.content
            codec.encode_request(part, account, _examples.STAMP)

    def test_plan_keeps_an_operation_that_fits(self) -> None:
        codec = self.codec()
        if SendSms not in codec.operations():
            pytest.skip(f"{self.vendor} has no SendSms")
        op = SendSms(mobiles=("13800138000",), content="test")
        assert codec.plan(op) == (op,)


def _dotted(path: Path) -> tuple[str, ...]:
    return tuple(path.with_suffix("").parts)


def _parameter_values(request: HttpRequest, name: str) -> list[str]:
    from urllib.parse import parse_qsl

    wanted = name.lower()
    pairs = parse_qsl(request.target.partition("?")[2], keep_blank_values=True)
    with contextlib.suppress(UnicodeDecodeError):
        pairs += parse_qsl(request.body.decode("utf-8"), keep_blank_values=True)
    values = [v for k, v in pairs if k.lower() == wanted]
    values += [v for k, v in request.headers if k.lower() == wanted]
    return values
