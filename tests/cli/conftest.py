"""CLI fixtures: a data dir whose embedded sandbox is already seeded (seeding once per session keeps tests fast)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app

SANDBOX_FILE = "sandbox.sqlite3"


@pytest.fixture(scope="session")
def seeded_sandbox_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo-seeded sandbox database file, made once."""
    path = tmp_path_factory.mktemp("seeded") / SANDBOX_FILE
    create_sandbox_app(path, seed="demo").state.sandbox.store.close()
    return path


@pytest.fixture
def home(seeded_sandbox_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """BILLING_AGENT_HOME for one test, holding a copy of the seeded sandbox."""
    shutil.copy(seeded_sandbox_file, tmp_path / SANDBOX_FILE)
    monkeypatch.setenv("BILLING_AGENT_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def sandbox_reader(home: Path) -> Iterator[Callable[[], httpx.Client]]:
    """An HTTP client on the same sandbox file the CLI uses (opened after the CLI commands ran)."""

    def open_client() -> httpx.Client:
        server = SandboxServer(create_sandbox_app(home / SANDBOX_FILE, seed=None)).start()
        servers.append(server)
        return httpx.Client(base_url=server.api_url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"})

    servers: list[SandboxServer] = []
    yield open_client
    for server in servers:
        server.stop()
