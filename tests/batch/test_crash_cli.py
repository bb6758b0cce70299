"""Exactly-once across crashes, resumed the documented way: `billing-agent ask --thread T CONFIRM` after kill -9.

A 1,000-item `apply_coupon` batch (a reusable coupon, so Lago itself would accept doubles) runs in a real CLI
process against a sandbox served over HTTP; it is SIGKILLed at five seeded points and continued each time with
the command the README documents, on SQLite and on PostgreSQL. Afterwards the sandbox must hold the coupon
exactly once per customer the report calls done, and on no customer it calls failed.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from billing_agent.graph.batch.config import MAX_CHUNK
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app
from billing_agent.sandbox.faults import FaultConfig

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
CUSTOMERS = 1000
CONCURRENCY = 4
KILLS = 5
CODE = "KILL9"
CLI = "import sys; from billing_agent.cli import app; sys.argv[0] = 'billing-agent'; app()"


@pytest.fixture
def crash_sandbox() -> Iterator[SandboxServer]:
    """1,000 customers, a little latency and 3% injected 5xx (seeded), served over HTTP by this process."""
    faults = FaultConfig(latency_ms=1, error_rate=0.03, seed=7)
    app = create_sandbox_app(":memory:", seed="demo", customers=CUSTOMERS, faults=faults)
    with SandboxServer(app) as server:
        yield server


def _env(server: SandboxServer, home: Path, database_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "BILLING_AGENT_HOME": str(home),
        "BILLING_AGENT_MODEL": "offline",
        "LAGO_API_URL": server.api_url,
        "LAGO_API_KEY": DEMO_API_KEY,
        "BILLING_AGENT_BATCH_RATE": "400",
        "BILLING_AGENT_BATCH_CONCURRENCY": str(CONCURRENCY),
    }
    env.pop("BILLING_AGENT_DATABASE_URL", None)
    if database_url is not None:
        env["BILLING_AGENT_DATABASE_URL"] = database_url
    return env


def _cli(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", CLI, *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _get(http: httpx.Client, path: str, params: dict[str, Any]) -> Any:
    """GET through the injected 5xx (the test's own reads are retried until one gets through)."""
    while (response := http.get(path, params=params)).status_code >= 500:
        continue
    return response.raise_for_status().json()


def _holders(http: httpx.Client) -> dict[str, int]:
    holders: dict[str, int] = {}
    page: int | None = 1
    while page:
        params: dict[str, Any] = {"coupon_code[]": CODE, "page": page, "per_page": 100}
        body = _get(http, "/applied_coupons", params)
        for applied in body["applied_coupons"]:
            holders[applied["external_customer_id"]] = holders.get(applied["external_customer_id"], 0) + 1
        page = body["meta"].get("next_page")
    return holders


def _applied(http: httpx.Client) -> int:
    body = _get(http, "/applied_coupons", {"coupon_code[]": CODE, "per_page": 1})
    return int(body["meta"]["total_count"])


def _kill_at(process: subprocess.Popen[str], http: httpx.Client, count: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if _applied(http) >= count:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the CLI ended before {count} items were applied:\n{out[-1500:]}\n{err[-1500:]}")
        time.sleep(0.005)
    process.kill()
    pytest.fail(f"fewer than {count} items applied in time")


def _report_counts(text: str) -> dict[str, int]:
    counts = {"done": 0, "failed": 0, "confirmed": 0}
    for key, pattern in (
        ("done", r"([\d,]+) done"),
        ("failed", r"([\d,]+) failed"),
        ("confirmed", r"([\d,]+) confirmed in Lago after the crash"),
    ):
        found = re.search(pattern, text)
        if found:
            counts[key] = int(found.group(1).replace(",", ""))
    return counts


def _crash_and_resume(server: SandboxServer, home: Path, database_url: str | None, seed: int) -> None:
    env = _env(server, home, database_url)
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    kill_points = sorted(random.Random(seed).sample(range(60, 900, 20), KILLS))
    with httpx.Client(base_url=server.api_url, headers=headers) as http:
        coupon = {
            "name": "Kill nine",
            "code": CODE,
            "coupon_type": "percentage",
            "percentage_rate": "10",
            "frequency": "once",
            "expiration": "no_expiration",
            "reusable": True,  # Lago accepts a second application: only the agent's bookkeeping prevents it
        }
        while http.post("/coupons", json={"coupon": coupon}).status_code >= 500:
            continue
        asked = _cli(env, "ask", f"Apply coupon {CODE} to all customers")
        out, err = asked.communicate(timeout=120)
        assert asked.returncode == 3, err[-2000:]
        thread = re.search(r"Thread: (\w+)", out)
        assert thread is not None, out
        confirm = ("ask", "--thread", thread.group(1), "CONFIRM")
        for index, point in enumerate(kill_points):
            _kill_at(_cli(env, *confirm), http, point)
            assert _applied(http) < CUSTOMERS, f"kill {index + 1} came after the batch had ended"
        final = _cli(env, *confirm)
        out, err = final.communicate(timeout=180)
        assert final.returncode == 0, err[-3000:]
        holders = _holders(http)
    assert "Finishing the interrupted batch" in out
    assert "Nothing is waiting for confirmation" not in out
    counts = _report_counts(out)
    doubled = sorted(c for c, n in holders.items() if n > 1)
    print(f"kills at {kill_points}: report {counts}, sandbox {len(holders)} holders, {len(doubled)} doubled")
    assert doubled == [], f"{len(doubled)} customers got the coupon twice"
    assert counts["done"] + counts["failed"] == CUSTOMERS, out[-2000:]
    assert len(holders) == counts["done"], "every item the report calls done holds the coupon, no other"
    assert counts["confirmed"] <= KILLS * CONCURRENCY * MAX_CHUNK, "finished chunks were re-probed"


def test_kill_nine_then_ask_confirm_finishes_the_batch_exactly_once_sqlite(
    crash_sandbox: SandboxServer, tmp_path: Path
) -> None:
    _crash_and_resume(crash_sandbox, tmp_path, None, seed=10)


@pytest.mark.postgres
def test_kill_nine_then_ask_confirm_finishes_the_batch_exactly_once_postgres(
    crash_sandbox: SandboxServer, tmp_path: Path, postgres_url: str
) -> None:
    _crash_and_resume(crash_sandbox, tmp_path, postgres_url, seed=11)
