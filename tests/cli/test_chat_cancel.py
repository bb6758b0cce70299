"""Ctrl-C in `billing-agent chat` (a real subprocess, a real SIGINT) cancels the running batch turn only: what
was applied is kept, the chat goes on, and the next answer tells about the cancelled batch."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
CODE = "WELCOME10"
CANCEL_AFTER = 12
WAIT = 60.0
_CANCELLED = re.compile(r"The batch `apply_coupon` was cancelled after (\d+) of 60 items")


def _active(http: httpx.Client) -> set[str]:
    found: set[str] = set()
    page: int | None = 1
    while page:
        body = http.get("/applied_coupons", params={"coupon_code[]": CODE, "page": page, "per_page": 100}).json()
        found |= {c["external_customer_id"] for c in body["applied_coupons"] if c["status"] == "active"}
        page = body["meta"].get("next_page")
    return found


class Chat:
    """`billing-agent chat` with piped stdin; stdout and stderr lines arrive on one queue."""

    def __init__(self, api_url: str, home: Path) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO / "src"),
            "BILLING_AGENT_HOME": str(home),
            "LAGO_API_URL": api_url,
            "LAGO_API_KEY": DEMO_API_KEY,
            "BILLING_AGENT_BATCH_RATE": "8",
            "BILLING_AGENT_BATCH_CONCURRENCY": "4",
        }
        for name in ("MISTRAL_API_KEY", "BILLING_AGENT_MODEL"):
            env.pop(name, None)
        command = [sys.executable, "-c", "from billing_agent.cli import app; app()", "chat"]
        self.process = subprocess.Popen(
            command, env=env, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        for stream in (self.process.stdout, self.process.stderr):
            threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put(line)

    def say(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def wait_for(self, pattern: str) -> str:
        """Read lines until one matches `pattern`; fail with everything read when none comes."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        pytest.fail(f"no line matching {pattern!r}; output:\n{''.join(self.seen)}")


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(create_sandbox_app(":memory:", seed="demo", customers=60)) as server:
        yield server


def test_ctrl_c_cancels_the_batch_turn_and_the_next_answer_reports_it(sandbox: SandboxServer, tmp_path: Path) -> None:
    http = httpx.Client(base_url=sandbox.api_url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"})
    before = _active(http)  # the demo seed applies the coupon to a few customers
    chat = Chat(sandbox.api_url, tmp_path)
    try:
        chat.say(f"Apply coupon {CODE} to all customers")
        chat.wait_for("Type CONFIRM")
        chat.say("CONFIRM")
        deadline = time.monotonic() + WAIT
        while len(_active(http) - before) < CANCEL_AFTER and time.monotonic() < deadline:
            time.sleep(0.1)
        chat.process.send_signal(signal.SIGINT)
        chat.wait_for("Cancelled")
        applied = _active(http) - before
        assert CANCEL_AFTER <= len(applied) < 60
        assert chat.process.poll() is None  # the chat is still there

        chat.say("what happened?")
        match = _CANCELLED.search(chat.wait_for("was cancelled after"))
        assert match is not None
        assert len(applied) <= int(match.group(1)) < 60  # every applied item is counted (with those in flight)

        chat.say("continue the batch")
        chat.wait_for("Type CONFIRM")
        chat.say("CONFIRM")
        report = chat.wait_for(r"Batch `apply_coupon` on \d+ customers")
        assert f"on {60 - int(match.group(1))} customers" in report
        chat.say("exit")
        assert chat.process.wait(timeout=WAIT) == 0
    finally:
        if chat.process.poll() is None:
            chat.process.kill()
            chat.process.wait()
        http.close()
