"""`billing-agent` command line: chat, ask, sandbox, mcp, conversations."""

import typer

from billing_agent.cli import sandbox

app = typer.Typer(no_args_is_help=True, help="AI billing assistant for Lago.", add_completion=False)
app.add_typer(sandbox.app, name="sandbox")

__all__ = ["app"]
