"""`billing-agent conversations list | show ID | rename ID TITLE | delete ID` — your saved conversations."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from billing_agent.settings import Settings

app = typer.Typer(no_args_is_help=True, help="List, show, rename and delete your saved conversations.")
out = Console()
err = Console(stderr=True)


def local_principal() -> Any:
    """The command line's user: the single-tenant default principal."""
    from billing_agent.tenancy import Principal

    return Principal()


def run(coroutine: Any) -> Any:
    """Run `coroutine`; a user error (unknown id, bad title, unreachable database) exits 1 with its message."""
    try:
        return asyncio.run(coroutine)
    except (LookupError, ValueError, ConnectionError, PermissionError) as error:
        err.print(f"[red]Error:[/] {error}", soft_wrap=True)
        raise typer.Exit(1) from error


async def read_transcript(checkpointer: Any, thread_id: str, store: Any = None) -> list[Any]:
    """The thread's messages: archived turns (from `store`) then the state's, rebuilt through the agent's schema."""
    from langgraph.graph import END, START, StateGraph

    from billing_agent.graph.state import State
    from billing_agent.memory.compaction import read_archive

    async def unused(state: State) -> dict[str, Any]:
        return {}

    graph = StateGraph(State)
    graph.add_node("read", unused)
    graph.add_edge(START, "read")
    graph.add_edge("read", END)
    snapshot = await graph.compile(checkpointer=checkpointer).aget_state({"configurable": {"thread_id": thread_id}})
    archived = await read_archive(store, thread_id) if store is not None else []
    return [*archived, *snapshot.values.get("messages", [])]


def _line(message: Any) -> str:
    from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

    from billing_agent.graph.toolcall import content_text

    if isinstance(message, HumanMessage):
        return f"you> {content_text(message.content)}"
    if isinstance(message, AIMessage) and message.tool_calls:
        return "  → " + ", ".join(call["name"] for call in message.tool_calls)
    if isinstance(message, ToolMessage):
        return f"  ← {message.name} ({message.status})"
    return f"assistant> {content_text(message.content)}"


async def _list(settings: Settings, limit: int) -> None:
    from billing_agent.memory import ConversationIndex, open_memory

    async with open_memory(settings) as memory:
        found = await ConversationIndex(memory.store).list(local_principal(), limit=limit)
    if not found:
        err.print("No saved conversations yet. Start one with `billing-agent chat`.")
        return
    if not out.is_terminal:  # piped: one tab-separated line per conversation
        for c in found:
            status = "waiting for CONFIRM" if c.waiting else "-"
            out.print(
                f"{c.thread_id}\t{c.updated_at[:16]}\t{status}\t{c.title}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        return
    table = Table("title", "updated (UTC)", "status", "id")
    for c in found:
        status = "[yellow]waiting for CONFIRM[/]" if c.waiting else ""
        table.add_row(c.title, c.updated_at[:16].replace("T", " "), status, c.thread_id)
    for column in table.columns[-1:]:
        column.no_wrap, column.overflow = True, "ignore"
    out.print(table, crop=False)


async def _show(settings: Settings, thread_id: str) -> None:
    from billing_agent.memory import ConversationIndex, open_memory

    async with open_memory(settings) as memory:
        found = await ConversationIndex(memory.store).get(local_principal(), thread_id)
        messages = await read_transcript(memory.checkpointer, thread_id, memory.store)
    out.print(f"[bold]{found.title}[/]  ({found.thread_id}, started {found.created_at[:16].replace('T', ' ')} UTC)")
    for message in messages:
        out.print(_line(message), markup=False, highlight=False, soft_wrap=True)
    if found.waiting:
        out.print(f"Waiting for confirmation: billing-agent chat --resume {thread_id}", markup=False)


async def _rename(settings: Settings, thread_id: str, title: str) -> None:
    from billing_agent.memory import ConversationIndex, open_memory

    async with open_memory(settings) as memory:
        renamed = await ConversationIndex(memory.store).rename(local_principal(), thread_id, title)
    out.print(f"Renamed {thread_id} to “{renamed.title}”.", markup=False)


async def _delete(settings: Settings, thread_id: str) -> None:
    from billing_agent.memory import ConversationIndex, open_memory

    async with open_memory(settings) as memory:
        deleted = await ConversationIndex(memory.store, memory.checkpointer).delete(local_principal(), thread_id)
    out.print(f"Deleted “{deleted.title}” ({thread_id}) and its history.", markup=False)


@app.command("list")
def list_conversations(
    limit: Annotated[int, typer.Option(min=1, help="How many, most recent first.")] = 50,
) -> None:
    """List your conversations, most recent first."""
    run(_list(Settings(), limit))


@app.command("show")
def show(thread_id: Annotated[str, typer.Argument(help="The conversation id (see `list`).")]) -> None:
    """Show a conversation's messages."""
    run(_show(Settings(), thread_id))


@app.command("rename")
def rename(
    thread_id: Annotated[str, typer.Argument(help="The conversation id.")],
    title: Annotated[str, typer.Argument(help="The new title.")],
) -> None:
    """Rename a conversation."""
    run(_rename(Settings(), thread_id, title))


@app.command("delete")
def delete(
    thread_id: Annotated[str, typer.Argument(help="The conversation id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a conversation and its whole history (checkpoints included)."""
    if not yes and not typer.confirm(f"Delete conversation {thread_id} and its history?"):
        raise typer.Exit(1)
    run(_delete(Settings(), thread_id))
