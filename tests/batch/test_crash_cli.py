"""Exactly-once across crashes, resumed the documented way: `billing-agent ask --thread T CONFIRM` (or
`chat --resume T`) after kill -9.

A 1,000-item batch runs in a real CLI process against a sandbox served over HTTP (3% injected 5xx); it is
SIGKILLed at five seeded points and continued each time with the command the README documents, on SQLite and
on PostgreSQL. Two actions: `apply_coupon` with a reusable coupon (probed: Lago itself would accept doubles),
asked through the offline planner; `top_up_wallet` (no natural probe: each item's marker is stored in the
transaction's metadata) and `update_customer` (no probe: a repeat sets the same value), asked through the same
CLI with a scripted chat model (`scripted_cli.py`). Afterwards
the sandbox must show the effect exactly once for every item the report calls done and for no other.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from billing_agent.graph.batch.config import MAX_CHUNK
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app, kinds
from billing_agent.sandbox.app import Sandbox
from billing_agent.sandbox.faults import FaultConfig

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SCRIPTED_CLI = Path(__file__).with_name("scripted_cli.py")
CUSTOMERS = 1000
CONCURRENCY = 4
KILLS = 5
CODE = "KILL9"
CLI = "import sys; from billing_agent.cli import app; sys.argv[0] = 'billing-agent'; app()"
FAULTS = FaultConfig(latency_ms=1, error_rate=0.03, seed=7)

Effects = Callable[[], dict[str, int]]
"""Per target (customer or wallet), how many times the batch's effect is in the sandbox."""


@dataclass
class Scenario:
    """How to ask for the batch in a CLI process, and how to count its effects in the sandbox."""

    command: list[str]
    effects: Effects


@pytest.fixture
def crash_sandbox() -> Iterator[tuple[SandboxServer, Sandbox]]:
    """1,000 customers served over HTTP by this process (faults are switched on by each scenario)."""
    app = create_sandbox_app(":memory:", seed="demo", customers=CUSTOMERS)
    with SandboxServer(app) as server:
        yield server, app.state.sandbox


def _org(sandbox: Sandbox) -> str:
    org = sandbox.store.org_by_key(DEMO_API_KEY)
    assert org is not None
    return org.id


def coupon_scenario(http: httpx.Client, sandbox: Sandbox, tmp_path: Path) -> Scenario:
    """`apply_coupon` of a reusable coupon to every customer, asked through the offline planner."""
    coupon = {
        "name": "Kill nine",
        "code": CODE,
        "coupon_type": "percentage",
        "percentage_rate": "10",
        "frequency": "once",
        "expiration": "no_expiration",
        "reusable": True,  # Lago accepts a second application: only the agent's bookkeeping prevents it
    }
    http.post("/coupons", json={"coupon": coupon}).raise_for_status()
    org = _org(sandbox)

    def effects() -> dict[str, int]:
        holders: dict[str, int] = {}
        for applied in sandbox.store.snapshot(org, kinds.APPLIED_COUPON):
            if applied["coupon_code"] == CODE:
                holders[applied["external_customer_id"]] = holders.get(applied["external_customer_id"], 0) + 1
        return holders

    return Scenario([sys.executable, "-c", CLI], effects)


def top_up_scenario(http: httpx.Client, sandbox: Sandbox, tmp_path: Path) -> Scenario:
    """`top_up_wallet` (10 granted credits) on one wallet per customer, asked through a scripted chat model."""
    org = _org(sandbox)
    active = [w for w in sandbox.store.snapshot(org, kinds.WALLET) if w["status"] == "active"]
    has_wallet = {w["external_customer_id"] for w in active}
    for customer in sandbox.store.snapshot(org, kinds.CUSTOMER):
        if customer["external_id"] not in has_wallet:
            body = {"wallet": {"external_customer_id": customer["external_id"], "rate_amount": "1"}}
            body["wallet"]["currency"] = customer.get("currency") or "USD"
            http.post("/wallets", json=body).raise_for_status()
    wallets = [w["lago_id"] for w in sandbox.store.snapshot(org, kinds.WALLET) if w["status"] == "active"]
    assert len(wallets) == CUSTOMERS
    batch = {"action": "top_up_wallet", "targets": {"ids": wallets}, "args": {"granted_credits": "10"}}
    batch["fill"] = {"wallet_id": "id"}
    args_file = tmp_path / "batch.json"
    args_file.write_text(json.dumps(batch))

    def effects() -> dict[str, int]:
        topped: dict[str, int] = {}
        for transaction in sandbox.store.snapshot(org, kinds.WALLET_TRANSACTION):
            if any(str(m.get("value", "")).startswith("ba_") for m in transaction.get("metadata") or []):
                topped[transaction["lago_wallet_id"]] = topped.get(transaction["lago_wallet_id"], 0) + 1
        return topped

    return Scenario([sys.executable, str(SCRIPTED_CLI), str(args_file)], effects)


def update_scenario(http: httpx.Client, sandbox: Sandbox, tmp_path: Path) -> Scenario:
    """`update_customer` (a 77-day payment term) on every customer: no probe, a repeat sets the same value."""
    org = _org(sandbox)
    customers = [c["external_id"] for c in sandbox.store.snapshot(org, kinds.CUSTOMER)]
    assert len(customers) == CUSTOMERS
    batch = {
        "action": "update_customer",
        "targets": {"ids": customers},
        "fill": {"external_id": "id"},
        "args": {"net_payment_term": 77},
    }
    args_file = tmp_path / "batch.json"
    args_file.write_text(json.dumps(batch))

    def effects() -> dict[str, int]:
        customers = sandbox.store.snapshot(org, kinds.CUSTOMER)
        return {c["external_id"]: 1 for c in customers if c.get("net_payment_term") == 77}

    return Scenario([sys.executable, str(SCRIPTED_CLI), str(args_file)], effects)


def _env(server: SandboxServer, home: Path, database_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{REPO / 'src'}{os.pathsep}{REPO}",
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


def _start(scenario: Scenario, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    command = [*scenario.command, *args]
    return subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _kill_at(process: subprocess.Popen[str], effects: Effects, count: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if len(effects()) >= count:
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
    counts = {"done": 0, "failed": 0, "confirmed": 0, "already": 0}
    for key, pattern in (
        ("done", r"([\d,]+) done"),
        ("failed", r"([\d,]+) failed"),
        ("confirmed", r"([\d,]+) confirmed in Lago after the crash"),
        ("already", r"([\d,]+) already in place"),
    ):
        found = re.search(pattern, text)
        if found:
            counts[key] = int(found.group(1).replace(",", ""))
    return counts


def _crash_and_resume(
    make: Callable[[httpx.Client, Sandbox, Path], Scenario],
    served: tuple[SandboxServer, Sandbox],
    tmp_path: Path,
    database_url: str | None,
    seed: int,
    finish_with_chat: bool = False,
) -> None:
    server, sandbox = served
    env = _env(server, tmp_path, database_url)
    kill_points = sorted(random.Random(seed).sample(range(60, 900, 20), KILLS))
    with httpx.Client(base_url=server.api_url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"}) as http:
        scenario = make(http, sandbox, tmp_path)
    sandbox.faults.configure(FAULTS)
    asked = _start(scenario, env, "ask", "Apply coupon KILL9 to all customers")
    out, err = asked.communicate(timeout=120)
    assert asked.returncode == 3, out[-2000:] + err[-2000:]
    thread = re.search(r"Thread: (\w+)", out)
    assert thread is not None, out
    confirm = ("ask", "--thread", thread.group(1), "CONFIRM")
    for index, point in enumerate(kill_points):
        _kill_at(_start(scenario, env, *confirm), scenario.effects, point)
        assert len(scenario.effects()) < CUSTOMERS, f"kill {index + 1} came after the batch had ended"
    if finish_with_chat:  # `chat --resume T` (stdin at its end: the chat leaves after finishing the batch)
        final = _start(scenario, env, "chat", "--resume", thread.group(1))
    else:
        final = _start(scenario, env, *confirm)
    out, err = final.communicate("", timeout=180)
    assert final.returncode == 0, err[-3000:]
    effects = scenario.effects()
    assert "Finishing the interrupted batch" in out
    assert "Nothing is waiting for confirmation" not in out
    counts = _report_counts(out)
    doubled = sorted(target for target, n in effects.items() if n > 1)
    print(f"\nkills at {kill_points}: report {counts}, sandbox {len(effects)} targets, {len(doubled)} doubled")
    assert doubled == [], f"{len(doubled)} targets got the effect twice"
    assert counts["done"] + counts["failed"] == CUSTOMERS, out[-2000:]
    assert len(effects) == counts["done"], "the effect is there for every item the report calls done, no other"
    assert counts["already"] == 0, "items this batch did itself are done, not 'already in place'"
    assert counts["confirmed"] <= KILLS * CONCURRENCY * MAX_CHUNK, "outcomes of finished chunks were lost"


SCENARIOS = {"apply_coupon": coupon_scenario, "top_up_wallet": top_up_scenario, "update_customer": update_scenario}


@pytest.mark.parametrize("action", list(SCENARIOS))
def test_kill_nine_then_ask_confirm_finishes_the_batch_exactly_once_sqlite(
    action: str, crash_sandbox: tuple[SandboxServer, Sandbox], tmp_path: Path
) -> None:
    _crash_and_resume(SCENARIOS[action], crash_sandbox, tmp_path, None, seed=10)


@pytest.mark.postgres
@pytest.mark.parametrize("action", list(SCENARIOS))
def test_kill_nine_then_ask_confirm_finishes_the_batch_exactly_once_postgres(
    action: str, crash_sandbox: tuple[SandboxServer, Sandbox], tmp_path: Path, postgres_url: str
) -> None:
    _crash_and_resume(SCENARIOS[action], crash_sandbox, tmp_path, postgres_url, seed=11, finish_with_chat=True)
