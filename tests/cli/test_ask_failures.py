"""`ask` when something outside it fails: one clear line and a non-zero exit, never a traceback or a silent 0.

Real subprocesses; "unreachable" is a closed local port (no network needed).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from billing_agent.sandbox import free_port

from .test_bad_utf8 import _cli

QUESTION = "What plans are available?"


def _ask(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    for name in ("MISTRAL_API_KEY", "BILLING_AGENT_MODEL", "LAGO_API_URL", "LAGO_API_KEY"):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run(
        [_cli(), "ask", *args], capture_output=True, text=True, timeout=180, check=False, env=environment
    )


def test_lago_unreachable_exits_4_and_says_so(home: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}/api/v1"
    result = _ask(QUESTION, LAGO_API_URL=closed, LAGO_API_KEY="k", LAGO_MAX_RETRIES="0")
    assert result.returncode == 4, result.stderr
    assert "Lago did not answer" in result.stderr and "Traceback" not in result.stderr


def test_chat_model_unreachable_exits_1_with_one_clear_error(home: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}/v1"
    model = {"BILLING_AGENT_MODEL": "mistralai:mistral-large-latest", "MISTRAL_API_KEY": "not-a-key"}
    result = _ask(QUESTION, MISTRAL_BASE_URL=closed, BILLING_AGENT_MODEL_MAX_RETRIES="0", **model)
    stderr = " ".join(result.stderr.split())
    assert result.returncode == 1, result.stderr
    assert "The chat model (" in stderr and "did not answer" in stderr and "BILLING_AGENT_MODEL=offline" in stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) < 12, result.stderr


def test_a_mistyped_thread_is_refused_instead_of_started(home: Path) -> None:
    result = _ask("--thread", "no-such-thread", "CONFIRM")
    assert result.returncode == 1, result.stderr
    assert "No conversation 'no-such-thread'" in " ".join(result.stderr.split())
