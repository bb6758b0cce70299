"""Exactly-once across crashes: a 1,000-item batch in a subprocess is SIGKILLed mid-run and resumed, three times."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app
from billing_agent.sandbox.faults import FaultConfig

pytestmark = pytest.mark.slow

WORKER = Path(__file__).with_name("crash_worker.py")
REPO = Path(__file__).resolve().parents[2]
CUSTOMERS = 1000
CODE = "CRASH10"
KILL_AT = (150, 450, 750)
REQUEST = f"Apply coupon {CODE} to all customers"


@pytest.fixture
def big_sandbox() -> Iterator[SandboxServer]:
    """A fresh sandbox with 1,000 customers, a little latency, served over HTTP by this process."""
    app = create_sandbox_app(":memory:", seed="demo", customers=CUSTOMERS, faults=FaultConfig(latency_ms=2))
    with SandboxServer(app) as server:
        yield server


def _applied(http: httpx.Client) -> int:
    response = http.get("/applied_coupons", params={"coupon_code[]": CODE, "per_page": 1})
    response.raise_for_status()
    return int(response.json()["meta"]["total_count"])


def _all(http: httpx.Client, path: str, key: str, **params: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    page: int | None = 1
    while page:
        body = http.get(path, params={**params, "page": page, "per_page": 100}).raise_for_status().json()
        records += body[key]
        page = body["meta"].get("next_page")
    return records


def _spawn(mode: str, api_url: str, db: Path, thread: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "BILLING_AGENT_BATCH_RATE": "250",
        "BILLING_AGENT_BATCH_CONCURRENCY": "8",
        "PYTHONPATH": str(REPO / "src"),
    }
    return subprocess.Popen(
        [sys.executable, str(WORKER), mode, api_url, str(db), thread, REQUEST],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_when(process: subprocess.Popen[str], http: httpx.Client, count: int, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        applied = _applied(http)
        if applied >= count:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return applied
        if process.poll() is not None:
            _, err = process.communicate()
            pytest.fail(f"the batch process ended before {count} items were applied: {err[-2000:]}")
        time.sleep(0.01)
    process.kill()
    pytest.fail(f"fewer than {count} items applied after {timeout:.0f} s")


def test_killed_batch_resumes_and_applies_every_item_exactly_once(big_sandbox: SandboxServer, tmp_path: Path) -> None:
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    with httpx.Client(base_url=big_sandbox.api_url, headers=headers) as http:
        created = http.post(
            "/coupons",
            json={
                "coupon": {
                    "name": "Crash test",
                    "code": CODE,
                    "coupon_type": "percentage",
                    "percentage_rate": "10",
                    "frequency": "once",
                    "expiration": "no_expiration",
                    "reusable": True,  # Lago would accept a second application: only our bookkeeping prevents it
                }
            },
        )
        created.raise_for_status()
        db, thread = tmp_path / "checkpoints.sqlite", "crash-thread"
        seen = [_kill_when(_spawn("start", big_sandbox.url, db, thread), http, KILL_AT[0])]
        for threshold in KILL_AT[1:]:
            seen.append(_kill_when(_spawn("resume", big_sandbox.url, db, thread), http, threshold))
        final = _spawn("resume", big_sandbox.url, db, thread)
        out, err = final.communicate(timeout=120)
        assert final.returncode == 0, err[-3000:]
        customers = {c["external_id"] for c in _all(http, "/customers", "customers")}
        holders: dict[str, int] = {}
        for applied in _all(http, "/applied_coupons", "applied_coupons", **{"coupon_code[]": CODE}):
            holders[applied["external_customer_id"]] = holders.get(applied["external_customer_id"], 0) + 1
    assert all(count < CUSTOMERS for count in seen), f"a kill came too late to interrupt the batch: {seen}"
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary == {**summary, "items": CUSTOMERS, "ok": CUSTOMERS, "failed": 0, "skipped": 0, "status": "done"}
    assert len(customers) == CUSTOMERS
    assert holders == dict.fromkeys(customers, 1), "every customer has the coupon exactly once"
