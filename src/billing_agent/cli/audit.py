"""`billing-agent audit list`: the changes you confirmed, edited or rejected (and those your role refused)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from billing_agent.cli.conversations import local_principal, run
from billing_agent.settings import Settings

app = typer.Typer(no_args_is_help=True, help="The audit trail of confirmed and rejected actions.")
out = Console()


async def _list(settings: Settings, limit: int, thread_id: str | None, as_json: bool) -> None:
    from billing_agent.memory import AuditTrail, open_memory

    async with open_memory(settings) as memory:
        entries = await AuditTrail(memory.store).list(local_principal(), limit=limit, thread_id=thread_id)
    if as_json:
        out.print_json(json.dumps([e.to_value() for e in entries], default=str))
        return
    if not entries:
        out.print("No confirmed or rejected actions yet.")
        return
    table = Table("when (UTC)", "user", "action", "decision", "outcome", "conversation")
    for e in entries:
        args = json.dumps(e.args, default=str, ensure_ascii=False)
        action = f"{e.tool} {args if len(args) <= 80 else args[:79] + '…'}"
        table.add_row(e.at[:19].replace("T", " "), e.user_id, action, e.decision.value, e.outcome.value, e.thread_id)
    for column in table.columns[-1:]:
        column.no_wrap, column.overflow = True, "ignore"
    out.print(table, crop=False)


@app.command("list")
def list_entries(
    limit: Annotated[int, typer.Option(min=1, help="How many, newest first.")] = 50,
    thread: Annotated[str | None, typer.Option(help="Only this conversation.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List confirmed, edited, rejected and refused actions, newest first."""
    run(_list(Settings(), limit, thread, as_json))
