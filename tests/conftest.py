"""Shared fixtures: an isolated data dir, the Lago spec, PostgreSQL, and the sandbox (in-process and over HTTP)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app
from billing_agent.sandbox.app import Sandbox

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = REPO_ROOT.parent / "shared" / "reference" / "lago-openapi.yaml"
IN_CI = os.environ.get("CI", "").lower() == "true"
SMALL_SEED_CUSTOMERS = 60


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real data dir or picks up real keys."""
    monkeypatch.setenv("BILLING_AGENT_HOME", str(tmp_path_factory.mktemp("home")))
    for name in (
        "LAGO_API_URL",
        "LAGO_API_KEY",
        "MISTRAL_API_KEY",
        "BILLING_AGENT_MODEL",
        "BILLING_AGENT_DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def openapi_spec_path() -> Path:
    """The official Lago OpenAPI spec (`LAGO_OPENAPI_SPEC`, else ../shared/reference)."""
    path = Path(os.environ.get("LAGO_OPENAPI_SPEC", DEFAULT_SPEC))
    if not path.is_file():
        message = f"Lago OpenAPI spec not found at {path}; set LAGO_OPENAPI_SPEC"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of a reachable PostgreSQL test database; fails in CI when missing, skips locally with a reason."""
    url = os.environ.get("BILLING_AGENT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/billing_agent_test")
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("select 1")
    except Exception as error:
        message = f"PostgreSQL not reachable at {url} ({error}); set BILLING_AGENT_TEST_POSTGRES_URL"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def demo_server() -> Iterator[SandboxServer]:
    """A demo-seeded sandbox (1,200 customers) served over HTTP for the whole session. Read-only use only."""
    with SandboxServer(create_sandbox_app(":memory:", seed="demo")) as server:
        yield server


@pytest.fixture
def sandbox_asgi() -> Starlette:
    """A fresh, small demo sandbox app for tests that change data."""
    return create_sandbox_app(":memory:", seed="demo", customers=SMALL_SEED_CUSTOMERS)


@pytest.fixture
def sandbox_app(sandbox_asgi: Starlette) -> Sandbox:
    """The fresh small sandbox's state (its store and faults)."""
    sandbox: Sandbox = sandbox_asgi.state.sandbox
    return sandbox


@pytest.fixture
def sandbox_server(sandbox_asgi: Starlette) -> Iterator[SandboxServer]:
    """The fresh small sandbox served over real HTTP on a free port."""
    with SandboxServer(sandbox_asgi) as server:
        yield server


@pytest.fixture
async def sandbox_http(sandbox_server: SandboxServer) -> AsyncIterator[httpx.AsyncClient]:
    """A raw httpx client on the fresh sandbox's `/api/v1`, authenticated as the demo org."""
    async with httpx.AsyncClient(
        base_url=sandbox_server.api_url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"}
    ) as client:
        yield client
