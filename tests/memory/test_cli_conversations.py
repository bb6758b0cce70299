"""`billing-agent conversations …`, `audit list` and `chat --resume` end to end (offline planner, SQLite memory)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from billing_agent.cli import app
from billing_agent.sandbox import create_sandbox_app

runner = CliRunner()
APPLY = "Apply coupon SUMMER20 to customer Acme Corp"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo-seeded sandbox file, made once for the module."""
    path = tmp_path_factory.mktemp("seeded") / "sandbox.sqlite3"
    create_sandbox_app(path, seed="demo").state.sandbox.store.close()
    return path


@pytest.fixture
def home(seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir with its own copy of the seeded sandbox."""
    shutil.copy(seeded, tmp_path / "sandbox.sqlite3")
    monkeypatch.setenv("BILLING_AGENT_HOME", str(tmp_path))
    return tmp_path


def _thread(output: str) -> str:
    match = re.search(r"Thread: ([0-9a-f]{32})", output)
    assert match, output
    return match.group(1)


def test_conversations_are_listed_resumed_renamed_audited_and_deleted(home: Path) -> None:
    asked = runner.invoke(app, ["ask", APPLY])
    assert asked.exit_code == 3, asked.output
    thread = _thread(asked.stdout)

    listed = runner.invoke(app, ["conversations", "list"])
    assert listed.exit_code == 0 and APPLY in listed.stdout and thread in listed.stdout
    assert "waiting for CONFIRM" in listed.stdout

    resumed = runner.invoke(app, ["chat", "--resume", thread], input="CONFIRM\n")
    assert resumed.exit_code == 0, resumed.output
    assert "Confirmation needed" in resumed.stdout and "SUMMER20" in resumed.stdout.split("Confirmation needed")[1]
    assert "waiting" not in runner.invoke(app, ["conversations", "list"]).stdout

    audit = runner.invoke(app, ["audit", "list", "--json"])
    assert (
        audit.exit_code == 0 and '"decision": "approved"' in audit.stdout and '"outcome": "succeeded"' in audit.stdout
    )

    shown = runner.invoke(app, ["conversations", "show", thread])
    assert shown.exit_code == 0 and f"you> {APPLY}" in shown.stdout and "→ apply_coupon" in shown.stdout

    renamed = runner.invoke(app, ["conversations", "rename", thread, "Summer coupon for Acme"])
    assert renamed.exit_code == 0 and "Summer coupon for Acme" in runner.invoke(app, ["conversations", "list"]).stdout

    deleted = runner.invoke(app, ["conversations", "delete", thread, "--yes"])
    assert deleted.exit_code == 0, deleted.output
    gone = runner.invoke(app, ["conversations", "show", thread])
    assert gone.exit_code == 1 and "No conversation" in gone.stderr
    again = runner.invoke(app, ["chat", "--resume", thread], input="hello\n")
    assert again.exit_code == 1 and "conversations list" in again.stderr


def test_unknown_ids_are_errors_with_a_hint(home: Path) -> None:
    for command in (["conversations", "show", "nope"], ["conversations", "rename", "nope", "x"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1 and "billing-agent conversations list" in result.stderr
    empty = runner.invoke(app, ["conversations", "list"])
    assert empty.exit_code == 0 and "No saved conversations yet" in empty.stderr
