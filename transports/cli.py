"""The ``smswire`` command line."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from smswire.codecs import FetchReports, HttpResponse, SendSms, Stamp, esms100, get_codec


def _demo() -> int:
    codec = get_codec("esms100")
    account = esms100.Account(cpid="10000", password="demo-password")
    request = codec.encode_request(
        SendSms(mobiles=("13866668888", "13988889999"), content="发送测试"),
        account,
        Stamp(datetime.now()),
    )
    print(f"esms100 send      -> {request.method} {request.target}")
    body = esms100.SPEC.vector("reports-response")["body"].encode("gbk")
    for report in codec.decode_response(FetchReports(), HttpResponse(200, (), body), account):
        print(f"esms100 report    <- {report.mobile} {report.status.name} (code {report.code})")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``smswire`` console script."""
    parser = argparse.ArgumentParser(prog="smswire", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="show the codecs at work")
    args = parser.parse_args(argv)
    if args.command == "demo":
        return _demo()
    return 2


if __name__ == "__main__":
    sys.exit(main())
