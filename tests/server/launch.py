"""Start a real `langgraph dev` for the server tests: this repo's graphs and auth, pointed at a sandbox."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from billing_agent.sandbox import DEMO_API_KEY, OTHER_API_KEY, free_port

REPO = Path(__file__).resolve().parents[2]
LANGGRAPH = Path(sys.executable).with_name("langgraph")
GRAPH = "billing_assistant"
TOKENS = {
    "tok-alice": "hooli:alice:admin",
    "tok-bob": "hooli:bob:admin",
    "tok-olga": "hooli:olga:operator",
    "tok-victor": "hooli:victor:viewer",
    "tok-pat": "pied:pat:admin",
}
"""Bearer token → principal; hooli is the sandbox's demo organization, pied its other one."""


@contextmanager
def langgraph_dev(lago_url: str, workdir: Path, home: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """`langgraph dev` on a free port (its threads persist under `workdir`); yields its URL.

    The server's log is shown when it does not come up.
    """
    if not LANGGRAPH.is_file():
        pytest.fail(f"{LANGGRAPH} is missing: install the dev extras (langgraph-cli[inmem]).")
    port = free_port()
    for name in ("langgraph.json", ".env.example"):
        shutil.copy(REPO / name, workdir / name)
    shutil.copytree(REPO / "graphs", workdir / "graphs", ignore=shutil.ignore_patterns("__pycache__"))
    log_path = workdir / "server.log"
    environment = {
        **os.environ,
        "BILLING_AGENT_HOME": str(home),
        "LAGO_API_URL": lago_url,
        "BILLING_AGENT_ORG_API_KEYS": json.dumps({"hooli": DEMO_API_KEY, "pied": OTHER_API_KEY}),
        "BILLING_AGENT_AUTH_TOKENS": json.dumps(TOKENS),
        "LANGGRAPH_NO_VERSION_CHECK": "1",
        **(env or {}),
    }
    for name in ("MISTRAL_API_KEY", "BILLING_AGENT_MODEL", "LAGO_API_KEY"):
        environment.pop(name, None)
    command = [str(LANGGRAPH), "dev", "--no-browser", "--no-reload", "--port", str(port)]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=workdir, env=environment, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"langgraph dev did not start:\n{log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}/ok", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def client(url: str, token: str | None) -> LangGraphClient:
    """An SDK client sending `Authorization: Bearer <token>`."""
    return get_client(url=url, headers={"Authorization": f"Bearer {token}"} if token else {})
