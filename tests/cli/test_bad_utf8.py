"""Invalid UTF-8 on the command line or on a piped chat line: one clear line, no traceback (real subprocesses)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

BAD = b"Show customer \xed\xa0\x80"  # an encoded lone surrogate: not UTF-8
PROBLEM = "the message is not valid UTF-8 (byte 0xed at position 14)"


def _cli() -> str:
    beside = Path(sys.executable).with_name("billing-agent")
    found = str(beside) if beside.is_file() else shutil.which("billing-agent")
    assert found, "the billing-agent console script is installed with the package"
    return found


def test_ask_with_invalid_utf8_exits_2_with_one_line(home: Path) -> None:
    result = subprocess.run([_cli().encode(), b"ask", BAD], capture_output=True, timeout=120, check=False)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert f"Cannot send: {PROBLEM}" in stderr and "Traceback" not in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1 and result.stdout == b""


def test_chat_skips_an_invalid_line_and_answers_the_next(home: Path) -> None:
    lines = BAD + b"\nWhat plans are available?\n"
    result = subprocess.run([_cli(), "chat"], input=lines, capture_output=True, timeout=120, check=False)
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert f"Not sent: {PROBLEM}" in " ".join(stderr.split()) and "Traceback" not in stderr
    assert "Enterprise" in result.stdout.decode()
