"""`/_sandbox/*` needs the admin key when the sandbox listens beyond loopback (real HTTP, real CLI process)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app, free_port
from billing_agent.sandbox.admin import ADMIN_KEY_HEADER

ALL_INTERFACES = "0.0.0.0"


def _admin_calls(client: httpx.Client, headers: dict[str, str]) -> list[httpx.Response]:
    return [
        client.get("/_sandbox/health", headers=headers),
        client.put("/_sandbox/faults", json={"latency_ms": 0}, headers=headers),
        client.post("/_sandbox/reset", headers=headers),
    ]


@pytest.fixture
def exposed() -> Iterator[SandboxServer]:
    """A small sandbox bound to every interface, reached through 127.0.0.1."""
    with SandboxServer(create_sandbox_app(":memory:", customers=5), host=ALL_INTERFACES) as server:
        yield server


def test_loopback_needs_no_admin_key(sandbox_server: SandboxServer) -> None:
    assert sandbox_server.admin_key is None
    with httpx.Client(base_url=sandbox_server.url) as client:
        assert [r.status_code for r in _admin_calls(client, {})] == [200, 200, 200]


def test_a_non_loopback_host_locks_the_admin_routes_with_a_clear_error(exposed: SandboxServer) -> None:
    key = exposed.admin_key
    assert key
    with httpx.Client(base_url=f"http://127.0.0.1:{exposed.port}") as client:
        for response in _admin_calls(client, {}):
            assert response.status_code == 401 and ADMIN_KEY_HEADER in response.json()["message"]
        for response in _admin_calls(client, {ADMIN_KEY_HEADER: key + "x"}):
            assert response.status_code == 403 and "Wrong sandbox admin key" in response.json()["message"]
        assert [r.status_code for r in _admin_calls(client, {ADMIN_KEY_HEADER: key})] == [200, 200, 200]
        api = client.get("/api/v1/customers", headers={"Authorization": f"Bearer {DEMO_API_KEY}"})
        assert api.status_code == 200, "the Lago API itself keeps its own API-key auth"


def _wait_for(url: str, process: subprocess.Popen[str]) -> None:
    for _ in range(300):
        assert process.poll() is None, process.communicate()
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def _cli() -> str:
    return str(Path(sys.executable).with_name("billing-agent"))


@pytest.mark.parametrize("given", [None, "my-admin-key"])
def test_cli_serve_on_all_interfaces_prints_and_requires_the_key(tmp_path: Path, given: str | None) -> None:
    port = free_port()
    argv = [_cli(), "sandbox", "serve", "--host", ALL_INTERFACES, "--port", str(port), "--db", ":memory:"]
    argv += ["--customers", "5", *(["--admin-key", given] if given else [])]
    process = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(f"{base}/api/v1/customers", process)
        assert process.stderr is not None
        lines = [process.stderr.readline(), process.stderr.readline()]  # the URL line, then the key line
        found = re.search(rf"{ADMIN_KEY_HEADER}: (\S+)", lines[1])
        assert found, lines
        key = found.group(1)
        assert key == given if given else len(key) >= 24
        with httpx.Client(base_url=base) as client:
            assert client.get("/_sandbox/health").status_code == 401
            assert client.get("/_sandbox/health", headers={ADMIN_KEY_HEADER: key}).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
