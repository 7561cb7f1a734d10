"""The ``smswire`` command line: demo, sim, encode, decode.

* ``smswire demo``: every vendor end to end against an in-process simulator;
* ``smswire sim``: run the simulator for your own integration tests;
* ``smswire encode VENDOR OPERATION --json '…'``: the exact HTTP request a codec sends;
* ``smswire decode VENDOR OPERATION < body``: a captured answer or push, as JSON.

Accounts default to the simulator's demo account of the vendor; pass
``--account '{"cpid": "…", "password": "…"}'`` for your own. Secrets are masked
in what ``encode`` prints unless ``--show-secrets`` is given.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO

from ._cli_args import parser

__all__ = ["main"]


class UsageError(Exception):
    """A mistake on the command line: one line on stderr, exit status 2."""


# --------------------------------------------------------------------------- helpers


def _vendor_names() -> list[str]:
    from smswire.codecs import VENDORS

    return list(VENDORS)


def _codec(vendor: str, options: Sequence[str]) -> Any:
    from smswire.codecs import VENDORS, VendorUnavailable, get_codec

    if vendor not in _vendor_names():
        raise UsageError(f"unknown vendor {vendor!r} (known: {', '.join(_vendor_names())})")
    try:
        VENDORS[vendor]
    except VendorUnavailable as exc:
        raise UsageError(str(exc)) from None
    kwargs: dict[str, Any] = {}
    for item in options:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--option takes NAME=VALUE, got {item!r}")
        try:
            kwargs[key] = json.loads(value)
        except json.JSONDecodeError:
            kwargs[key] = value
    try:
        return get_codec(vendor, **kwargs)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"{vendor} codec options: {exc}") from None


def _operation_type(codec: Any, name: str) -> type:
    from .sim._profile import operation_name

    names: dict[str, type] = {operation_name(op): op for op in codec.operations()}
    if name not in names:
        raise UsageError(
            f"{codec.vendor} has no operation {name!r} (known: {', '.join(sorted(names))})"
        )
    return names[name]


def _load_json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{what} is not valid JSON: {exc.msg} at column {exc.colno}") from None


def _describe(exc: BaseException) -> str:
    from cattrs.errors import ForbiddenExtraKeysError

    if isinstance(exc, ForbiddenExtraKeysError):
        import attrs

        known = ", ".join(f.name for f in attrs.fields(exc.cl))
        unknown = ", ".join(sorted(exc.extra_fields))
        return f"unknown field {unknown} for {exc.cl.__name__} (known: {known})"
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(_describe(e) for e in exc.exceptions)
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc)


def _structure(data: Any, cls: Any, what: str) -> Any:
    from smswire.codecs import make_converter

    # Strict: an unknown field ("sendat" for "send_at") is refused, never dropped.
    # Times typed without an offset are China time, as the documents write them.
    converter = make_converter(forbid_extra_keys=True, naive_as_china=True)
    try:
        return converter.structure(data, cls)
    except Exception as exc:  # cattrs reports field errors as exception groups
        raise UsageError(f"{what}: {_describe(exc)}") from None


def _operation(codec: Any, name: str, text: str | None) -> Any:
    op_type = _operation_type(codec, name)
    if text is None:
        try:
            return op_type()
        except TypeError:
            raise UsageError(f"{name} needs --json with its fields") from None
    return _structure(_load_json(text, "--json"), op_type, f"--json for {name}")


def _account(vendor: str, text: str | None, key: str | None) -> Any:
    import attrs
    from smswire.codecs import traits_of

    try:
        traits = traits_of(vendor)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if text is None:
        account = traits.demo_account
    else:
        account = _structure(_load_json(text, "--account"), traits.account_type, "--account")
    if key is not None:
        if traits.key_field is None:
            raise UsageError(f"{vendor} accounts have no key")
        account = attrs.evolve(account, **{traits.key_field: key})
    return account


def _now(text: str | None) -> datetime:
    from smswire.codecs._chinatime import CHINA

    if text is None:
        return datetime.now(CHINA)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--time {text!r} is not an ISO 8601 time") from None
    # Text without an offset is China time, the documents' convention.
    return parsed.replace(tzinfo=CHINA) if parsed.tzinfo is None else parsed


MASK = "***"


def _secret_values(account: Any) -> list[str]:
    """The account's secrets in the forms a wire may carry them (hashed, quoted, JSON-escaped).

    A second net behind the codec's secret names: the value itself never prints.
    """
    import hashlib
    from urllib.parse import quote

    import attrs

    values: set[str] = set()
    for field in attrs.fields(type(account)):
        value = getattr(account, field.name)
        # Short values would mask unrelated text (a password '"' in JSON); the names cover them.
        if field.repr or not isinstance(value, str) or len(value) < 4:
            continue
        digest = hashlib.md5(value.encode("utf-8", "surrogatepass")).hexdigest()
        escaped = json.dumps(value, ensure_ascii=False)[1:-1]
        values.update({value, quote(value, safe=""), escaped, digest, digest.upper()})
    return sorted(values, key=len, reverse=True)


def _mask(text: str, names: frozenset[str], secrets: Sequence[str]) -> str:
    from smswire.codecs._masking import mask_text

    text = mask_text(text, names)
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def _body_text(body: bytes) -> str:
    if not body:
        return ""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return "base64:" + base64.b64encode(body).decode("ascii")


def _print_request(request: Any, codec: Any, account: Any, show: bool, out: TextIO) -> None:
    names: frozenset[str] = frozenset() if show else frozenset(codec.secrets)
    secrets = [] if show else _secret_values(account)
    lowered = {name.lower() for name in names}
    out.write(f"{request.method} {_mask(request.target, names, secrets)}\n")
    for name, value in request.headers:
        hidden = name.lower() in lowered
        out.write(f"{name}: {MASK if hidden else _mask(value, names, secrets)}\n")
    body = _body_text(request.body)
    if body:
        out.write("\n" + _mask(body, names, secrets) + "\n")


# --------------------------------------------------------------------------- commands


def _need_extra(command: str, extra: str, modules: Sequence[str]) -> None:
    """Refuse ``command`` in one line when an optional dependency is not installed."""
    import importlib.util

    missing = [name for name in modules if _find_spec(importlib.util, name) is None]
    if missing:
        raise UsageError(
            f"'smswire {command}' needs {', '.join(missing)}: pip install 'smswire[{extra}]'"
        )


def _find_spec(util: Any, name: str) -> Any:
    if name in sys.modules:
        return sys.modules[name]  # None when an import of it is blocked
    try:
        return util.find_spec(name)
    except (ImportError, ValueError):
        return None


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    _need_extra("demo", "sim", ("httpx", "uvicorn"))
    from .sim._demo import run_demo

    return run_demo(out, color=out.isatty() and not args.no_color)


def _check_sim_options(args: argparse.Namespace) -> None:
    if not 0.0 <= args.failure_ratio <= 1.0:
        raise UsageError(f"--failure-ratio must be between 0 and 1, not {args.failure_ratio}")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, not {args.port}")
    if not args.report_delay >= 0:
        raise UsageError(f"--report-delay must be 0 or more seconds, not {args.report_delay}")


def _cmd_sim(args: argparse.Namespace, out: TextIO) -> int:
    from datetime import timedelta

    from smswire.codecs import to_jsonable

    _check_sim_options(args)
    _need_extra("sim", "sim", ("httpx", "uvicorn"))
    from .sim import Outcome, SimServer, Simulator

    host = "127.0.0.1" if args.host == "localhost" else args.host
    try:
        outcome = Outcome(args.failure_ratio, timedelta(seconds=args.report_delay), args.seed)
        sim = Simulator(outcome=outcome, rate_limits=not args.no_rate_limits)
        server = SimServer(sim, host=host, port=args.port)
    except (ValueError, OverflowError) as exc:
        raise UsageError(str(exc)) from None
    try:
        server.start()
    except (OSError, OverflowError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(f"cannot listen on {host}:{args.port}: {reason}") from None
    try:
        _announce(server, sim, out, to_jsonable)
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop()
        out.write("stopped\n")
    finally:
        server.stop()
    return 0


def _announce(server: Any, sim: Any, out: TextIO, to_jsonable: Any) -> None:
    out.write(f"smswire simulator on {server.base_url}  (Ctrl-C stops it)\n\n")
    for name, account in sim.demo_accounts().items():
        creds = json.dumps(to_jsonable(account), ensure_ascii=False)
        out.write(f"{name:<12} {server.url(name)}\n{'':<12} account {creds}\n")
    from smswire.codecs import VENDORS

    from .sim import missing_profiles

    unavailable = VENDORS.unavailable()
    for name in missing_profiles():
        why = unavailable.get(name, "the simulator has no profile for it yet")
        out.write(f"{name:<12} (registered, but not served: {why})\n")
    out.write(
        "\ncontrol: POST /_sim/inject {vendor, mobile, content}, POST /_sim/faults, "
        "POST /_sim/push {vendor, url}, GET /_sim/accounts\n"
    )
    out.flush()


def _cmd_encode(args: argparse.Namespace, out: TextIO) -> int:
    from smswire.codecs import Stamp

    codec = _codec(args.vendor, args.option)
    op = _operation(codec, args.operation, args.json)
    account = _account(args.vendor, args.account, args.key)
    request = codec.encode_request(op, account, Stamp(_now(args.time), args.seq))
    _print_request(request, codec, account, args.show_secrets, out)
    return 0


def _headers(items: Sequence[str]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in items:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise UsageError(f"--header takes 'Name: value', got {item!r}")
        pairs.append((name.strip(), value.strip()))
    return tuple(pairs)


def _cmd_decode(args: argparse.Namespace, out: TextIO, stdin: Any) -> int:
    from smswire.codecs import HttpRequest, HttpResponse, to_jsonable

    codec = _codec(args.vendor, args.option)
    account = _account(args.vendor, args.account, args.key)
    body: bytes = stdin.read()
    headers = _headers(args.header)
    if args.operation == "push":
        from smswire.codecs import PushCodec

        if not isinstance(codec, PushCodec):
            raise UsageError(f"{args.vendor} does not push")
        from ._push import as_lookup

        request = HttpRequest(args.method, args.target, headers, body)
        result = codec.decode_push(request, as_lookup(account))
    else:
        op = _operation(codec, args.operation, args.json)
        given = {name.lower() for name, _ in headers}
        # A captured body lacks what the codec's success answer carries beside it (Emay's
        # "result: SUCCESS"); a --header of the same name overrides it.
        implied = tuple(
            h for h in getattr(codec, "success_headers", ()) if h[0].lower() not in given
        )
        response = HttpResponse(args.status, implied + headers, body)
        result = codec.decode_response(op, response, account)
    json.dump(to_jsonable(result), out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0


# --------------------------------------------------------------------------- parser


def _quiet_stdout() -> None:
    # The reader went away (``| head``): no further write, and none at exit, may fail.
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: list[str] | None = None, *, stdout: TextIO | None = None, stdin: Any = None) -> int:
    """Entry point of the ``smswire`` console script; returns the exit status."""
    from smswire.codecs import SmsWireError

    out = stdout or sys.stdout
    args = parser(_vendor_names()).parse_args(argv)
    try:
        return _run(args, out, stdin)
    except BrokenPipeError:
        _quiet_stdout()
        sys.stderr.write("smswire: error: output closed before the command finished\n")
        return 2
    except UsageError as exc:
        sys.stderr.write(f"smswire: error: {exc}\n")
        return 2
    except SmsWireError as exc:
        sys.stderr.write(f"smswire: {type(exc).__name__}: {exc}\n")
        return 1
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace, out: TextIO, stdin: Any) -> int:
    try:
        if args.command == "demo":
            return _cmd_demo(args, out)
        if args.command == "sim":
            return _cmd_sim(args, out)
        if args.command == "encode":
            return _cmd_encode(args, out)
        return _cmd_decode(args, out, stdin or sys.stdin.buffer)
    finally:
        if out is sys.stdout:
            out.flush()  # a closed pipe shows here, inside main's handlers


if __name__ == "__main__":
    sys.exit(main())
