"""`billing-agent chat` (interactive, or one message per line from a pipe) and `billing-agent ask` (one turn)."""

from __future__ import annotations

import asyncio
import sys
from typing import Annotated, Any

import typer
from rich.console import Console, Group
from rich.live import Live
from rich.markdown import Markdown
from rich.panel import Panel

from billing_agent.settings import Settings

NEEDS_CONFIRMATION = 3
LAGO_UNREACHABLE = 4
BAD_INPUT = 2
CONFIRM_WORD = "CONFIRM"  # the same word billing_agent.graph.decisions accepts (kept here so the CLI starts fast)
EXIT_WORDS = {"exit", "quit", ":q"}

out = Console()
err = Console(stderr=True)


def _context(settings: Settings) -> Any:
    from billing_agent.graph import Context, Principal

    org = "Hooli Demo (sandbox)" if settings.uses_sandbox else None
    return Context(front_url=settings.lago_front_url, principal=Principal(org_name=org))


def _index(graph: Any) -> Any:
    """The conversation index of the agent's store (None when the graph has no store)."""
    from langgraph.checkpoint.base import BaseCheckpointSaver

    from billing_agent.memory import ConversationIndex

    if graph.store is None:
        return None
    saver = graph.checkpointer if isinstance(graph.checkpointer, BaseCheckpointSaver) else None
    return ConversationIndex(graph.store, saver)


def _announce(settings: Settings) -> None:
    from billing_agent.graph.model import is_offline

    if is_offline(settings.resolved_model()):
        err.print(
            "[yellow]Offline mode:[/] no MISTRAL_API_KEY, so requests are read by the built-in offline planner "
            "(fixed rules, not an AI model). Set MISTRAL_API_KEY to use Mistral."
        )
    if settings.uses_sandbox:
        err.print(f"[dim]Using the local sandbox (no LAGO_API_URL): {settings.sandbox_db_path}[/]")


def unreadable(text: str) -> str | None:
    """Why `text` cannot be sent (a byte that is not UTF-8, or a lone surrogate), or None when it can."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        bad = text[error.start]
        what = f"byte 0x{ord(bad) - 0xDC00:02x}" if 0xDC80 <= ord(bad) <= 0xDCFF else f"character U+{ord(bad):04X}"
        return f"the message is not valid UTF-8 ({what} at position {error.start}); check the terminal's encoding"
    return None


def format_request(request: dict[str, Any]) -> str:
    """The confirmation request as plain text: one line per action, then how to answer."""
    from billing_agent.graph.impact import CONFIRM_HINT

    lines = ["Confirmation needed:"]
    for action in request.get("action_requests", []):
        description = str(action.get("description") or action.get("name")).removesuffix(CONFIRM_HINT).strip()
        lines.append(f"- {description}")
    lines.append(f"Type {CONFIRM_WORD} to proceed; anything else cancels.")
    return "\n".join(lines)


def _show_answer(text: str, *, rich_output: bool) -> None:
    if rich_output:
        out.print(Markdown(text, hyperlinks=True))
    else:
        out.print(text, markup=False, highlight=False, soft_wrap=True)


async def _chat(settings: Settings, thread: str | None, resume: str | None = None) -> None:
    from billing_agent.agent import create_agent
    from billing_agent.cli.session import ChatSession

    interactive = sys.stdin.isatty()
    _announce(settings)
    async with create_agent(settings) as graph:
        context, index = _context(settings), _index(graph)
        if resume is not None and index is not None:
            conversation = await index.get(context.principal, resume)
            err.print(f"[dim]Resuming “{conversation.title}” (last active {conversation.updated_at[:16]}).[/]")
            thread = resume
        session = ChatSession(graph, context, thread, index)
        if thread is not None and (recovered := await session.finish_interrupted(_notice)) is not None:
            _show_result(recovered, interactive=False)
        elif resume is not None and (pending := await session.pending_request()) is not None:
            out.print(format_request(pending), markup=False, highlight=False, soft_wrap=True)
        err.print(f"[dim]Conversation {session.thread_id}. Type 'exit' to leave.[/]")
        while True:
            try:
                line = out.input("[bold cyan]you>[/] ") if interactive else sys.stdin.readline()
            except (EOFError, KeyboardInterrupt):
                break
            if not interactive and line == "":
                break
            text = line.rstrip("\n")
            if text.strip().lower() in EXIT_WORDS:
                break
            if (problem := unreadable(text)) is not None:
                err.print(f"[red]Not sent:[/] {problem}. Type it again.")
                continue
            await _turn(session, text, interactive=interactive)


async def _turn(session: Any, text: str, *, interactive: bool) -> None:
    from billing_agent.cli.interrupt import CANCELLED, cancellable

    streamed: list[str] = []
    try:
        if interactive:
            from billing_agent.cli.progress import BatchProgressBar

            bar = BatchProgressBar()
            with Live(Markdown(""), console=out, transient=True, refresh_per_second=12) as live:

                def view() -> Any:
                    text = Markdown("".join(streamed))
                    return Group(text, bar.progress) if bar.active else text

                def on_token(token: str) -> None:
                    streamed.append(token)
                    live.update(view())

                def on_event(event: dict[str, Any]) -> None:
                    if bar.update(event):
                        live.update(view())

                cancelled, result = await cancellable(
                    session.send(
                        text,
                        on_progress=lambda s: err.print(f"[dim]{s}[/]"),
                        on_token=on_token,
                        on_event=on_event,
                        on_notice=_notice,
                    )
                )
        else:
            cancelled, result = await cancellable(session.send(text, on_notice=_notice))
    except Exception as error:  # shown to the user; the conversation stays usable
        err.print(f"[red]That turn failed:[/] {type(error).__name__}: {error}. Try again or rephrase.")
        return
    if cancelled or result is None:
        err.print(f"[yellow]{CANCELLED}[/]")
        return
    _show_result(result, interactive=interactive)


def _notice(text: str) -> None:
    out.print(text, markup=False, highlight=False, soft_wrap=True)


def _show_result(result: Any, *, interactive: bool) -> None:
    if result.request is not None:
        request_text = format_request(result.request)
        if interactive:
            out.print(Panel(request_text, title="Confirm"), markup=False)
        else:
            out.print(request_text, markup=False, highlight=False, soft_wrap=True)
    else:
        _show_answer(result.answer or "", rich_output=interactive)


async def _ask(settings: Settings, message: str, thread: str | None) -> int:
    from billing_agent.agent import create_agent
    from billing_agent.cli.session import ChatSession

    _announce(settings)
    async with create_agent(settings) as graph:
        session = ChatSession(graph, _context(settings), thread, _index(graph))
        if thread is not None:
            await session.require_existing()
        result = await session.send(message, on_notice=_notice)
    if result.request is not None:
        out.print(format_request(result.request), markup=False, highlight=False, soft_wrap=True)
        out.print(f"Thread: {result.thread_id}", markup=False, highlight=False)
        out.print(f"To approve: billing-agent ask --thread {result.thread_id} {CONFIRM_WORD}", markup=False)
        return NEEDS_CONFIRMATION
    out.print(result.answer or "", markup=False, highlight=False, soft_wrap=True)
    err.print(f"[dim]Thread: {result.thread_id} (continue with --thread {result.thread_id})[/]")
    if result.unreachable is not None:
        err.print("[red]Lago did not answer:[/] check LAGO_API_URL and that the Lago server is running.")
        return LAGO_UNREACHABLE
    return 0


def _run(coroutine: Any) -> Any:
    from billing_agent.graph.batch.cancel import only_exception
    from billing_agent.graph.model import ModelConfigurationError

    user_errors = (ModelConfigurationError, ConnectionError, ValueError, LookupError, PermissionError)
    try:
        return asyncio.run(coroutine)
    except BaseExceptionGroup as group:  # raised inside the MCP session's task group
        error = only_exception(group)
        if not isinstance(error, user_errors):
            raise
        err.print(f"[red]Cannot continue:[/] {error}")
        raise typer.Exit(1) from error
    except user_errors as error:
        err.print(f"[red]Cannot start:[/] {error}")
        raise typer.Exit(1) from error


def chat(
    thread: Annotated[str | None, typer.Option(help="Continue this conversation id.")] = None,
    resume: Annotated[
        str | None, typer.Option(help="Resume one of your saved conversations (see `conversations list`).")
    ] = None,
) -> None:
    """Chat with the billing assistant (one message per line when input is piped)."""
    _run(_chat(Settings(), thread, resume))


def ask(
    message: Annotated[str, typer.Argument(help="Your request, or CONFIRM to approve a pending action.")],
    thread: Annotated[str | None, typer.Option(help="Continue this conversation id.")] = None,
) -> None:
    """Ask one question.

    Exit code 3 when an action waits for CONFIRM, 4 when Lago did not answer, 2 when the message is not valid
    UTF-8, 1 when the assistant cannot start (unknown --thread, unreachable chat model, bad settings).
    """
    if (problem := unreadable(message)) is not None:
        err.print(f"[red]Cannot send:[/] {problem}.", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(BAD_INPUT)
    code = _run(_ask(Settings(), message, thread))
    if code:
        raise typer.Exit(code)
