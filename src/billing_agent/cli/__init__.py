"""`billing-agent` command line: chat, ask, sandbox, mcp, conversations."""

import typer

from billing_agent.cli import audit, chat, conversations, mcp, sandbox

app = typer.Typer(no_args_is_help=True, help="AI billing assistant for Lago.", add_completion=False)
app.add_typer(sandbox.app, name="sandbox")
app.add_typer(mcp.app, name="mcp")
app.add_typer(conversations.app, name="conversations")
app.add_typer(audit.app, name="audit")
app.command("chat")(chat.chat)
app.command("ask")(chat.ask)

__all__ = ["app"]
