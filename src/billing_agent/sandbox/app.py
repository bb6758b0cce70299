"""The sandbox's Starlette application: auth by API key, fault injection, logging, admin endpoints (admin key)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from billing_agent.sandbox.admin import admin_refusal
from billing_agent.sandbox.faults import FaultConfig, FaultInjector
from billing_agent.sandbox.http import Ctx, LagoError
from billing_agent.sandbox.logs import API_LOG_KIND, record_api_call
from billing_agent.sandbox.store import Org, SandboxStore

API_PREFIX = "/api/v1"
ADMIN_PREFIX = "/_sandbox"

Handler = Callable[[Ctx], Awaitable[Response]]


@dataclass
class Sandbox:
    """Everything the sandbox app holds: its store, its faults and how it was seeded."""

    store: SandboxStore
    faults: FaultInjector = field(default_factory=FaultInjector)
    seed: str | None = None
    customers: int = 1200
    admin_key: str | None = None
    """Required by `/_sandbox/*` when set (see `billing_agent.sandbox.admin`)."""


def api_route(path: str, method: str, handler: Handler) -> Route:
    """A `/api/v1` route: authenticates the key, injects faults, logs the call, renders Lago errors."""

    async def endpoint(request: Request) -> Response:
        sandbox: Sandbox = request.app.state.sandbox
        org = _authenticate(sandbox.store, request)
        if org is None:
            return JSONResponse({"status": 401, "error": "Unauthorized"}, status_code=401)
        request.state.org = org
        faults = sandbox.faults
        limited, headers = faults.rate_limited(org.id)
        if faults.config.latency_ms > 0:
            await asyncio.sleep(faults.config.latency_ms / 1000)
        if limited:
            return JSONResponse({"status": 429, "error": "Too Many Requests"}, status_code=429, headers=headers)
        status = faults.injected_error()
        if status is not None:
            return JSONResponse({"status": status, "error": "Injected fault"}, status_code=status, headers=headers)
        try:
            response = await handler(Ctx(request))
        except LagoError as error:
            response = JSONResponse(error.body(), status_code=error.status)
        response.headers.update(headers)
        if request.method != "GET":  # Lago logs write requests only (ApiLoggable skips GETs)
            record_api_call(
                sandbox.store,
                org.id,
                method=request.method,
                path=request.url.path,
                status=response.status_code,
                request_body=await request.body(),
                response_body=bytes(response.body),
                client=request.headers.get("user-agent", ""),
            )
        return response

    return Route(f"{API_PREFIX}{path}", endpoint, methods=[method])


def _authenticate(store: SandboxStore, request: Request) -> Org | None:
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return store.org_by_key(key.strip())


def _locked(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        sandbox: Sandbox = request.app.state.sandbox
        return admin_refusal(request, sandbox.admin_key) or await handler(request)

    return endpoint


def _admin_routes() -> list[BaseRoute]:
    async def health(request: Request) -> Response:
        sandbox: Sandbox = request.app.state.sandbox
        return JSONResponse({"status": "ok", "orgs": [o.name for o in sandbox.store.orgs()]})

    async def faults(request: Request) -> Response:
        sandbox: Sandbox = request.app.state.sandbox
        if request.method == "PUT":
            try:
                payload = await request.json()
                config = FaultConfig(**payload)
                sandbox.faults.configure(config)
            except (TypeError, ValueError) as error:
                return JSONResponse({"error": f"bad fault config: {error}"}, status_code=400)
        return JSONResponse(sandbox.faults.config.as_dict())

    async def reset(request: Request) -> Response:
        sandbox: Sandbox = request.app.state.sandbox
        reseed(sandbox)
        return JSONResponse({"status": "reset", "seed": sandbox.seed})

    return [
        Route(f"{ADMIN_PREFIX}/health", _locked(health), methods=["GET"]),
        Route(f"{ADMIN_PREFIX}/faults", _locked(faults), methods=["GET", "PUT"]),
        Route(f"{ADMIN_PREFIX}/reset", _locked(reset), methods=["POST"]),
    ]


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown paths and wrong methods answer with Lago's JSON error body, not Starlette's plain text."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return JSONResponse(LagoError(status).body(), status_code=status)


def reseed(sandbox: Sandbox) -> None:
    """Wipe the store and apply the sandbox's seed again."""
    from billing_agent.sandbox.seed import apply_seed

    sandbox.store.wipe()
    apply_seed(sandbox.store, sandbox.seed, customers=sandbox.customers)


def create_sandbox_app(
    db: str | Path = ":memory:",
    *,
    seed: str | None = "demo",
    customers: int = 1200,
    faults: FaultConfig | None = None,
    store: SandboxStore | None = None,
    admin_key: str | None = None,
) -> Starlette:
    """Build the Lago-API-compatible sandbox app.

    Args:
        db: SQLite file (kept between runs) or `:memory:`.
        seed: `"demo"` seeds the demo organizations on an empty database; None leaves it empty
            (add organizations with `app.state.sandbox.store.add_org`).
        customers: how many customers the demo seed creates.
        faults: initial fault injection (latency, error rate, rate limit).
        store: an existing store to serve instead of opening `db`.
        admin_key: when set, `/_sandbox/*` admin routes need it in the `X-Sandbox-Admin-Key` header
            (`SandboxServer` and the CLI set one whenever the host is not loopback).
    """
    from billing_agent.sandbox.resources import ROUTES
    from billing_agent.sandbox.seed import apply_seed

    sandbox_store = store or SandboxStore(db)
    injector = FaultInjector()
    if faults:
        injector.configure(faults)
    sandbox = Sandbox(store=sandbox_store, faults=injector, seed=seed, customers=customers, admin_key=admin_key)
    if seed and not sandbox_store.orgs():
        apply_seed(sandbox_store, seed, customers=customers)
    app = Starlette(routes=[*ROUTES, *_admin_routes()], exception_handlers={HTTPException: _http_error})
    app.state.sandbox = sandbox
    return app


__all__ = ["API_LOG_KIND", "Sandbox", "api_route", "create_sandbox_app", "reseed"]
