"""`billing-agent sandbox serve | reset`: the local Lago-API-compatible server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from billing_agent.sandbox import DEMO_API_KEY, FaultConfig, create_sandbox_app
from billing_agent.sandbox.admin import ADMIN_KEY_HEADER, is_loopback, new_admin_key
from billing_agent.sandbox.app import reseed
from billing_agent.settings import Settings

app = typer.Typer(no_args_is_help=True, help="Run or reset the local Lago sandbox.")
console = Console(stderr=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8088,
    db: Annotated[Path | None, typer.Option(help="SQLite file (kept between runs) or ':memory:'.")] = None,
    seed: Annotated[str | None, typer.Option(help="'demo' or 'empty'; applied only to an empty database.")] = "demo",
    customers: Annotated[int, typer.Option(min=0, help="Customers in the demo seed.")] = 1200,
    latency_ms: Annotated[float, typer.Option(min=0, help="Delay added to every API request.")] = 0.0,
    error_rate: Annotated[float, typer.Option(min=0, max=1, help="Share of API requests answered with 5xx.")] = 0.0,
    rate_limit: Annotated[float, typer.Option(min=0, help="Requests/second per org before 429 (0 = off).")] = 0.0,
    admin_key: Annotated[
        str | None,
        typer.Option(help="Key the /_sandbox/* admin routes require (a random one when --host is not loopback)."),
    ] = None,
) -> None:
    """Serve the Lago API v1 sandbox over HTTP."""
    db_path = str(db) if db else str(Settings().sandbox_db_path)
    faults = FaultConfig(latency_ms=latency_ms, error_rate=error_rate, rate_limit=rate_limit)
    key = admin_key or (None if is_loopback(host) else new_admin_key())
    application = create_sandbox_app(db_path, seed=seed, customers=customers, faults=faults, admin_key=key)
    where = f"Lago sandbox on http://{host}:{port}/api/v1 (db: {db_path}); demo API key: {DEMO_API_KEY}"
    console.print(where, markup=False, soft_wrap=True)
    if key is not None:
        line = f"Admin routes /_sandbox/* need the header {ADMIN_KEY_HEADER}: {key}"
        console.print(line, markup=False, soft_wrap=True)
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command()
def reset(
    db: Annotated[Path | None, typer.Option(help="SQLite file to reseed (default: the embedded sandbox's).")] = None,
    customers: Annotated[int, typer.Option(min=0, help="Customers in the demo seed.")] = 1200,
) -> None:
    """Wipe the sandbox database and seed the demo data again."""
    db_path = str(db) if db else str(Settings().sandbox_db_path)
    application = create_sandbox_app(db_path, seed=None, customers=customers)
    sandbox = application.state.sandbox
    sandbox.seed = "demo"
    reseed(sandbox)
    console.print(f"Sandbox reseeded with the demo data: {db_path}")
