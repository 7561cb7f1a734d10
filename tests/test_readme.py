"""README.md as a test: every block runs as written, and its capability table is generated.

Python blocks run in a fresh namespace each (``test_*`` functions a block
defines are called too), and print exactly what their ``print(...)  # …``
comments show; a block whose first line is ``# fragment`` is the
only kind skipped. Shell blocks: each ``smswire encode``/``decode`` line that
needs no file runs with the installed console script, and ``# `` lines right
under it are its expected output, line for line.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from smswire.codecs import (
    VENDORS,
    EncodeError,
    FetchInbound,
    PushCodec,
    SendSms,
    capabilities,
    capability_table,
    get_codec,
)
from smswire.codecs._capabilities import PROBE_STAMP, main, probe_account

README = Path(__file__).resolve().parent.parent / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)
BEGIN, END = "<!-- capabilities: begin -->\n", "<!-- capabilities: end -->"


def _blocks(language: str) -> list[tuple[int, str]]:
    text = README.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, m.start()) + 1, m.group(2))
        for m in FENCE.finditer(text)
        if m.group(1) == language
    ]


PYTHON = _blocks("python")


def test_the_readme_has_python_blocks_and_few_fragments() -> None:
    assert len(PYTHON) >= 6
    fragments = [line for line, code in PYTHON if code.startswith("# fragment")]
    assert len(fragments) <= 1, fragments


@pytest.mark.parametrize(("line", "code"), PYTHON, ids=[f"line{line}" for line, _ in PYTHON])
def test_python_block_runs(line: int, code: str) -> None:
    if code.startswith("# fragment"):
        pytest.skip("the block says it is a fragment")
    namespace: dict[str, Any] = {"__name__": f"readme_line{line}"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, f"README.md:{line}", "exec"), namespace)
        for name, value in list(namespace.items()):
            if name.startswith("test_") and callable(value):
                value()
    # `print(...)  # shown` lines: what the README says is printed is what is printed.
    shown = [m.group(1) for m in re.finditer(r"^\s*print\(.*\)\s+# (.*)$", code, re.M)]
    assert printed.getvalue().splitlines() == shown


# ----------------------------------------------------------------------------- shell


def _commands() -> list[tuple[str, list[str]]]:
    """``(command, expected output lines)`` for each self-contained smswire encode/decode."""
    found: list[tuple[str, list[str]]] = []
    for _line, code in _blocks("sh"):
        lines = code.splitlines()
        for index, text in enumerate(lines):
            command = re.split(r"\s{2,}#", text)[0].strip()
            if not re.search(r"(^|\| )smswire (encode|decode) ", command):
                continue
            if "<" in shlex.split(command) or "$" in command:
                continue  # reads a captured file or a variable of the reader's
            expected = []
            for after in lines[index + 1 :]:
                if not after.startswith("# "):
                    break
                expected.append(after[2:])
            found.append((command, expected))
    return found


COMMANDS = _commands()


def test_the_readme_shows_encode_and_decode_commands() -> None:
    assert any(" encode " in c and out for c, out in COMMANDS)
    assert any(" decode " in c for c, _ in COMMANDS)


@pytest.mark.parametrize(("command", "expected"), COMMANDS)
def test_shell_command_runs(command: str, expected: list[str]) -> None:
    script = shutil.which("smswire", path=str(Path(sys.executable).parent))
    assert script is not None, "the venv's smswire console script"
    env = {**os.environ, "PATH": f"{Path(script).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["/bin/sh", "-c", command], check=False, capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    if expected:
        assert done.stdout.splitlines() == expected


# ----------------------------------------------------------------------------- capabilities


def test_readme_table_is_the_generated_one() -> None:
    text = README.read_text(encoding="utf-8")
    shown = text[text.index(BEGIN) + len(BEGIN) : text.index(END)]
    assert shown == capability_table()


def test_the_script_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--markdown"]) == 0
    assert capsys.readouterr().out == capability_table()
    assert main(["--html"]) == 2


#: What the documents say, cell by cell (the oracle is the documents, not the codecs).
DOCUMENTED: dict[str, dict[str, Any]] = {
    # esms100 /mt/ takes cpid, cppwd, phone and msgtext only (its -14 "扩展号错误" has
    # no parameter); the document describes no push.
    "esms100": {"send_at": False, "extension": False, "client_ids": False, "pushes": ()},
    # EIMS sendsms: "sendtime 定时发送时间（为空为立即发送）"; getsms: "start_time
    # 开始查询的时间戳"; §5 "以 put的方式推送到客户指定的 url" reports (type "report").
    "eims": {"send_at": True, "extension": False, "client_ids": False,
             "report_ids": ("message_id",), "pushes": ("reports",), "since": True},
    # sms.cn: "mobileids=消息编号" and "子扩展号 可选项"; no schedule parameter (its
    # 113 "定时时间格式不对" has none); §6 pushes "cmd=res&uid=…&mobileids=…&status=…"
    # and "6.2 推送接收上行短信（回复）".
    "smscn": {"send_at": False, "extension": True, "client_ids": True,
              "report_ids": ("client_id",), "pushes": ("reports", "replies"), "since": False},
    # Emay: "timerTime … 定时发送时间", "customSmsId … 自定义消息 ID", "extendedCode
    # … 扩展码"; "2.3 推送状态报告和上行".
    "emay": {"send_at": True, "extension": True, "client_ids": True,
             "report_ids": ("message_id", "client_id"), "pushes": ("reports", "replies"),
             "since": False},
    # 112088.net: "send_time … 可以实现定时短信"; the send answers an id "以方便在收取
    # 状态报告时相对应批次"; no push.
    "changlong": {"send_at": True, "extension": False, "client_ids": False,
                  "report_ids": ("message_id",), "pushes": ()},
}  # fmt: skip


@pytest.mark.parametrize("vendor", sorted(DOCUMENTED))
def test_capabilities_agree_with_the_documents(vendor: str) -> None:
    found = capabilities(get_codec(vendor))
    for cell, value in DOCUMENTED[vendor].items():
        assert getattr(found, cell) == value, cell


def test_every_registered_vendor_is_in_the_table() -> None:
    table = capability_table()
    assert all(f"| `{name}` |" in table for name in VENDORS)


@pytest.mark.parametrize("vendor", list(VENDORS))
def test_a_no_is_an_encode_error_and_a_yes_encodes(vendor: str) -> None:
    # The cells mean what a caller meets: a "—" option is refused before any byte leaves.
    codec = get_codec(vendor)
    account = probe_account(codec)
    found = capabilities(codec, account)
    assert found.pushes == () or isinstance(codec, PushCodec)
    ops = {
        "send_at": SendSms(("13800138000",), "x", send_at=PROBE_STAMP.now + timedelta(hours=2)),
        "extension": SendSms(("13800138000",), "x", extension="12"),
        "since": FetchInbound(since=PROBE_STAMP.now),
    }
    for cell, op in ops.items():
        if getattr(found, cell):
            codec.encode_request(op, account, PROBE_STAMP)
        else:
            with pytest.raises(EncodeError):
                codec.encode_request(op, account, PROBE_STAMP)
