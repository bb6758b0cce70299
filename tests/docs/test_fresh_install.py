"""A newcomer's first minutes: a clean copy of the repository, the README's `make` install, then a chat."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from .readme import REPO_ROOT

INSTALL_TIMEOUT_S = 600
CHAT_TIMEOUT_S = 120
KEYS = ("LAGO_API_URL", "LAGO_API_KEY", "MISTRAL_API_KEY", "BILLING_AGENT_MODEL", "BILLING_AGENT_DATABASE_URL")


def _working_tree_files() -> list[str]:
    """Tracked and new (not ignored) files as they are now, uncommitted changes included."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split("\0")
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.fail(f"Listing the repository's files needs git and a git checkout at {REPO_ROOT}: {error}")
    return [name for name in listed if name and (REPO_ROOT / name).is_file()]


def _clean_copy(target: Path) -> Path:
    for name in _working_tree_files():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, destination)
    return target


def _newcomer_env(home: Path) -> dict[str, str]:
    """The environment of someone who just cloned the repo: no keys, no active virtualenv, a fresh data dir."""
    env = {k: v for k, v in os.environ.items() if k not in KEYS and k != "VIRTUAL_ENV" and not k.startswith("PYTEST")}
    env["BILLING_AGENT_HOME"] = str(home)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float, stdin: str | None = None) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.mark.slow
def test_a_clean_copy_installs_with_make_and_chats_offline(tmp_path: Path) -> None:
    repo = _clean_copy(tmp_path / "lago-billing-agent")
    assert not (repo / ".venv").exists()
    env = _newcomer_env(tmp_path / "home")

    started = time.monotonic()
    _run(
        ["make", ".venv/.installed"], repo, env, INSTALL_TIMEOUT_S
    )  # the install step `make chat` and `make test` share
    install_s = time.monotonic() - started
    assert (repo / ".venv" / "bin" / "billing-agent").is_file()

    planned_test = _run(["make", "-n", "test"], repo, env, 30)  # `make test` resolves to lint, mypy, pytest
    assert "ruff check" in planned_test and "mypy src" in planned_test and ".venv/bin/pytest" in planned_test

    chat = _run(["make", "chat"], repo, env, CHAT_TIMEOUT_S, stdin="What plans are available?\nexit\n")
    assert "Offline mode" in chat
    assert "[Enterprise](https://app.getlago.com/plan/" in chat and "$2,500.00" in chat

    ask = _run([str(repo / ".venv/bin/billing-agent"), "ask", "What plans are available?"], repo, env, CHAT_TIMEOUT_S)
    assert "[Enterprise](https://app.getlago.com/plan/" in ask
    assert (tmp_path / "home" / "sandbox.sqlite3").is_file() and (tmp_path / "home" / "conversations.sqlite3").is_file()
    print(f"fresh install took {install_s:.1f} s")
