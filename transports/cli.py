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
import re
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NoReturn, TextIO

__all__ = ["main"]


class UsageError(Exception):
    """A mistake on the command line: one line on stderr, exit status 2."""


# --------------------------------------------------------------------------- helpers


def _vendor_names() -> list[str]:
    from smswire.codecs import VENDORS

    return list(VENDORS)


def _codec(vendor: str, options: Sequence[str]) -> Any:
    from smswire.codecs import get_codec

    if vendor not in _vendor_names():
        raise UsageError(f"unknown vendor {vendor!r} (known: {', '.join(_vendor_names())})")
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
    from .sim._vendors import operation_name

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
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(_describe(e) for e in exc.exceptions)
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc)


def _structure(data: Any, cls: Any, what: str) -> Any:
    from smswire.codecs import from_jsonable

    try:
        return from_jsonable(data, cls)
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

    from .sim._vendors import available_profiles

    profile = available_profiles().get(vendor)
    if text is None:
        if profile is None:
            raise UsageError(f"{vendor} has no demo account: pass --account")
        account = profile.demo_account
    else:
        cls = type(profile.demo_account) if profile else _vendor_account_type(vendor)
        account = _structure(_load_json(text, "--account"), cls, "--account")
    if key is not None:
        fields = [f.name for f in attrs.fields(type(account)) if "key" in f.name]
        if not fields:
            raise UsageError(f"{vendor} accounts have no key")
        account = attrs.evolve(account, **{fields[0]: key})
    return account


def _vendor_account_type(vendor: str) -> Any:
    from .sim._vendors import vendor_module

    return vendor_module(vendor).Account


def _now(text: str | None) -> datetime:
    from smswire.codecs._chinatime import CHINA

    if text is None:
        return datetime.now(CHINA)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--time {text!r} is not an ISO 8601 time") from None


_SECRET_NAME = re.compile(r"pwd|pass|secret|sign|key|token", re.IGNORECASE)
MASK = "***"


def _secret_values(account: Any) -> list[str]:
    """The account's secrets and the forms the wires carry them in (hashed, quoted)."""
    import hashlib
    from urllib.parse import quote

    import attrs

    values: set[str] = set()
    for field in attrs.fields(type(account)):
        value = getattr(account, field.name)
        if field.repr or not isinstance(value, str) or not value:
            continue
        digest = hashlib.md5(value.encode("utf-8")).hexdigest()
        values.update({value, quote(value, safe=""), digest, digest.upper()})
    return sorted(values, key=len, reverse=True)


def _mask_pairs(text: str, separator: str = "&") -> str:
    parts = []
    for part in text.split(separator):
        name, sep, _value = part.partition("=")
        parts.append(f"{name}={MASK}" if sep and _SECRET_NAME.search(name) else part)
    return separator.join(parts)


def _mask(text: str, secrets: Sequence[str]) -> str:
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


def _print_request(request: Any, account: Any, show: bool, out: TextIO) -> None:
    secrets = [] if show else _secret_values(account)
    path, sep, query = request.target.partition("?")
    target = path + sep + (query if show else _mask_pairs(query))
    out.write(f"{request.method} {_mask(target, secrets)}\n")
    for name, value in request.headers:
        hidden = not show and _SECRET_NAME.search(name)
        out.write(f"{name}: {MASK if hidden else _mask(value, secrets)}\n")
    body = _body_text(request.body)
    content_type = (request.header("content-type") or "").lower()
    if body and not show and "form-urlencoded" in content_type:
        body = _mask_pairs(body)
    if body:
        out.write("\n" + _mask(body, secrets) + "\n")


# --------------------------------------------------------------------------- commands


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from .sim._demo import run_demo

    return run_demo(out, color=out.isatty() and not args.no_color)


def _cmd_sim(args: argparse.Namespace, out: TextIO) -> int:
    from datetime import timedelta

    from smswire.codecs import to_jsonable

    from .sim import Outcome, SimServer, Simulator

    host = "127.0.0.1" if args.host == "localhost" else args.host
    outcome = Outcome(args.failure_ratio, timedelta(seconds=args.report_delay), args.seed)
    sim = Simulator(outcome=outcome, rate_limits=not args.no_rate_limits)
    try:
        server = SimServer(sim, host=host, port=args.port)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    try:
        server.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{args.port}: {exc.strerror}") from None
    out.write(f"smswire simulator on {server.base_url}  (Ctrl-C stops it)\n\n")
    for name, account in sim.demo_accounts().items():
        creds = json.dumps(to_jsonable(account), ensure_ascii=False)
        out.write(f"{name:<12} {server.url(name)}\n{'':<12} account {creds}\n")
    from .sim import missing_profiles

    for name in missing_profiles():
        out.write(f"{name:<12} (registered, but the simulator has no profile for it yet)\n")
    out.write(
        "\ncontrol: POST /_sim/inject {vendor, mobile, content}, POST /_sim/faults, "
        "POST /_sim/push {vendor, url}, GET /_sim/accounts\n"
    )
    out.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop()
        out.write("stopped\n")
    return 0


def _cmd_encode(args: argparse.Namespace, out: TextIO) -> int:
    from smswire.codecs import Stamp

    codec = _codec(args.vendor, args.option)
    op = _operation(codec, args.operation, args.json)
    account = _account(args.vendor, args.account, args.key)
    request = codec.encode_request(op, account, Stamp(_now(args.time), args.seq))
    _print_request(request, account, args.show_secrets, out)
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
        if not hasattr(codec, "decode_push"):
            raise UsageError(f"{args.vendor} does not push")
        from ._push import as_lookup

        request = HttpRequest(args.method, args.target, headers, body)
        result = codec.decode_push(request, as_lookup(account))
    else:
        op = _operation(codec, args.operation, args.json)
        result = codec.decode_response(op, HttpResponse(args.status, headers, body), account)
    json.dump(to_jsonable(result), out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0


# --------------------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="smswire",
        description="Codecs, clients and a simulator for five Chinese SMS gateways.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = sub.add_parser(
        "demo",
        help="every vendor end to end against the simulator",
        description="Start the simulator on 127.0.0.1 and, for every vendor, check the "
        "balance, send a batch, read the reports, inject and read a reply and see a wrong "
        "password refused, with the real sync and async clients. Exits non-zero if any "
        "step fails.",
    )
    demo.add_argument("--no-color", action="store_true", help="plain output even on a terminal")

    sim = sub.add_parser("sim", help="run the gateway simulator until Ctrl-C")
    sim.add_argument("--host", default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    sim.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    sim.add_argument(
        "--failure-ratio",
        type=float,
        default=0.0,
        help="share of messages reported as failed (default 0)",
    )
    sim.add_argument(
        "--report-delay",
        type=float,
        default=0.0,
        help="seconds before a report is ready (default 0)",
    )
    sim.add_argument("--seed", type=int, default=0, help="seed of the report outcomes")
    sim.add_argument(
        "--no-rate-limits",
        action="store_true",
        help="do not enforce the vendors' documented request rates",
    )

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("vendor", help="vendor name: " + ", ".join(_vendor_names()))
        p.add_argument(
            "operation",
            help="send, send-personalized, balance, reports, inbound, "
            "or a vendor operation (e.g. change-password)",
        )
        p.add_argument("--json", help="the operation's fields as JSON")
        p.add_argument("--account", help="the account as JSON (default: the demo account)")
        p.add_argument("--key", help="the account's key (Emay secretKey, EIMS key)")
        p.add_argument(
            "--option",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="a codec option, e.g. charset=utf-8 (repeatable)",
        )

    enc = sub.add_parser("encode", help="print the HTTP request a codec sends")
    common(enc)
    enc.add_argument("--show-secrets", action="store_true", help="do not mask secrets")
    enc.add_argument("--time", help="the request time, ISO 8601 (default: now, China time)")
    enc.add_argument("--seq", type=int, default=1, help="the request sequence number")

    dec = sub.add_parser("decode", help="decode an answer or push body read from stdin")
    common(dec)
    dec.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="a header of the captured message (repeatable)",
    )
    dec.add_argument("--status", type=int, default=200, help="HTTP status of the answer")
    dec.add_argument("--method", default="POST", help="push: the request method")
    dec.add_argument("--target", default="/", help="push: the request target (path?query)")
    return parser


def main(argv: list[str] | None = None, *, stdout: TextIO | None = None, stdin: Any = None) -> int:
    """Entry point of the ``smswire`` console script; returns the exit status."""
    from smswire.codecs import SmsWireError

    out = stdout or sys.stdout
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            return _cmd_demo(args, out)
        if args.command == "sim":
            return _cmd_sim(args, out)
        if args.command == "encode":
            return _cmd_encode(args, out)
        return _cmd_decode(args, out, stdin or sys.stdin.buffer)
    except UsageError as exc:
        sys.stderr.write(f"smswire: error: {exc}\n")
        return 2
    except SmsWireError as exc:
        sys.stderr.write(f"smswire: {type(exc).__name__}: {exc}\n")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
