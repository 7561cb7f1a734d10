"""The arguments of the ``smswire`` command line (a table, kept apart from what the commands do)."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

__all__ = ["parser"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def parser(vendors: list[str]) -> argparse.ArgumentParser:
    """The ``smswire`` command line's arguments; ``vendors`` are the registered names."""
    top = _Parser(
        prog="smswire",
        description="Codecs, clients and a simulator for five Chinese SMS gateways. "
        "encode and decode need only the base install; demo and sim need the 'sim' extra "
        "(pip install 'smswire[sim]').",
    )
    top.add_argument("--version", action="version", version=f"smswire {_version()}")
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)

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
        p.add_argument("vendor", help="vendor name: " + ", ".join(vendors))
        p.add_argument(
            "operation",
            help="send, send-personalized, balance, reports, inbound, "
            "or a vendor operation (e.g. change-password)",
        )
        p.add_argument(
            "--json",
            help="the operation's fields as JSON (times without an offset are China time)",
        )
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
    enc.add_argument(
        "--time",
        help="the request time, ISO 8601; without an offset it is China time (default: now)",
    )
    enc.add_argument("--seq", type=int, default=1, help="the request sequence number")

    dec = sub.add_parser(
        "decode",
        help="decode an answer or push body read from stdin",
        description="Decode a captured answer (or, with OPERATION 'push', a push) read from "
        "stdin and print it as JSON. Headers are passed with --header 'Name: value' "
        "(repeatable), e.g. --header 'result: ERROR_BALANCE' for an Emay refusal. A body "
        "given without headers is read as the codec's success answer (for Emay, "
        "'result: SUCCESS' is implied).",
    )
    common(dec)
    dec.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="a header of the captured message, e.g. 'result: SUCCESS' (repeatable)",
    )
    dec.add_argument("--status", type=int, default=200, help="HTTP status of the answer")
    dec.add_argument("--method", default="POST", help="push: the request method")
    dec.add_argument("--target", default="/", help="push: the request target (path?query)")
    return top


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("smswire")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"
