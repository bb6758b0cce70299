"""`billing-agent ask` and `billing-agent chat` end to end: offline planner, embedded sandbox, SQLite memory."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from billing_agent.cli import app
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app

runner = CliRunner()
DESCRIPTION = "Subscription `sub_acme_corp` for Acme Corp is active on plan Enterprise ($2,500/month)."


def _status(client: httpx.Client) -> str:
    statuses = ["active", "terminated"]
    subs = client.get("/subscriptions", params={"external_customer_id": "acme_corp", "status[]": statuses}).json()
    (sub,) = [s for s in subs["subscriptions"] if s["external_id"] == "sub_acme_corp"]
    return str(sub["status"])


def _thread(output: str) -> str:
    match = re.search(r"Thread: ([0-9a-f]{32})", output)
    assert match, output
    return match.group(1)


def test_ask_answers_with_a_linked_table_and_announces_offline_mode(home: Path) -> None:
    result = runner.invoke(app, ["ask", "What plans are available?"])
    assert result.exit_code == 0, result.output
    assert "Offline mode" in result.stderr
    assert "[Enterprise](https://app.getlago.com/plan/" in result.stdout and "$2,500.00" in result.stdout
    assert (home / "conversations.sqlite3").is_file()


def test_ask_stops_at_a_confirmation_with_exit_code_3_and_confirm_on_the_thread_approves(
    home: Path, sandbox_reader: Callable[[], httpx.Client]
) -> None:
    first = runner.invoke(app, ["ask", "Terminate subscription for Acme Corp"])
    assert first.exit_code == 3, first.output
    assert DESCRIPTION in first.stdout and "Type CONFIRM to proceed; anything else cancels." in first.stdout
    thread = _thread(first.stdout)
    assert f"billing-agent ask --thread {thread} CONFIRM" in first.stdout
    second = runner.invoke(app, ["ask", "--thread", thread, "CONFIRM"])
    assert second.exit_code == 0, second.output
    assert "terminated" in second.stdout
    with sandbox_reader() as client:
        assert _status(client) == "terminated"


@pytest.mark.parametrize("answer", ["no", "CONFIRM please", "confirm"])
def test_anything_but_confirm_on_the_thread_cancels(
    home: Path, sandbox_reader: Callable[[], httpx.Client], answer: str
) -> None:
    first = runner.invoke(app, ["ask", "Terminate subscription for Acme Corp"])
    second = runner.invoke(app, ["ask", "--thread", _thread(first.stdout), answer])
    assert second.exit_code == 0, second.output
    with sandbox_reader() as client:
        assert _status(client) == "active"


def test_confirm_without_a_pending_request_approves_nothing(
    home: Path, sandbox_reader: Callable[[], httpx.Client]
) -> None:
    result = runner.invoke(app, ["ask", "CONFIRM"])
    assert result.exit_code == 0, result.output
    with sandbox_reader() as client:
        assert _status(client) == "active"


def test_chat_reads_one_message_per_line_from_a_pipe(home: Path, sandbox_reader: Callable[[], httpx.Client]) -> None:
    lines = "What plans are available?\nTerminate subscription for Acme Corp\nCONFIRM\n\nexit\nnever read\n"
    result = runner.invoke(app, ["chat"], input=lines)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("[Enterprise](") < out.index(DESCRIPTION) < out.index("**Done** (`delete_subscription`)")
    assert "Your message was empty" in out
    assert "never read" not in out
    with sandbox_reader() as client:
        assert _status(client) == "terminated"


def test_the_sandbox_and_conversation_persist_between_runs(home: Path) -> None:
    first = runner.invoke(app, ["ask", "Terminate subscription for Acme Corp"])
    runner.invoke(app, ["ask", "--thread", _thread(first.stdout), "CONFIRM"])
    again = runner.invoke(app, ["ask", "Terminate subscription for Acme Corp"])
    assert again.exit_code == 0, again.output
    assert "Confirmation needed" not in again.stdout


def test_ask_against_a_configured_lago_url(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with SandboxServer(create_sandbox_app(":memory:", seed="demo", customers=60)) as server:
        monkeypatch.setenv("LAGO_API_URL", server.api_url)
        monkeypatch.setenv("LAGO_API_KEY", DEMO_API_KEY)
        result = runner.invoke(app, ["ask", "What plans are available?"])
    assert result.exit_code == 0, result.output
    assert "local sandbox" not in result.stderr and "[Enterprise](" in result.stdout


def test_missing_model_key_is_a_clear_error(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILLING_AGENT_MODEL", "mistralai:mistral-large-latest")
    result = runner.invoke(app, ["ask", "hi"])
    assert result.exit_code == 1
    assert "needs MISTRAL_API_KEY" in result.stderr


def test_cli_confirm_word_matches_the_graph() -> None:
    from billing_agent.cli.chat import CONFIRM_WORD
    from billing_agent.graph.decisions import CONFIRM_WORD as GRAPH_WORD

    assert CONFIRM_WORD == GRAPH_WORD
