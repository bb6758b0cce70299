"""`runs.cancel` mid-batch on a real `langgraph dev`: the run ends `interrupted`, what was applied is kept and
reported in the next answer, and the batch can be continued (only the rest runs) or undone.

The server runs batches slowly (8 calls/s) against a sandbox over HTTP, so the cancel lands mid-batch.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from langgraph_sdk.client import LangGraphClient

from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app

from .launch import GRAPH, client, langgraph_dev
from .test_langgraph_server import _interrupt

pytestmark = pytest.mark.slow
CUSTOMERS = 60
CANCEL_AFTER = 12
_CANCELLED = re.compile(r"The batch `apply_coupon` was cancelled after (\d+) of 60 items")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    """A fresh demo sandbox with 60 customers."""
    with SandboxServer(create_sandbox_app(":memory:", seed="demo", customers=CUSTOMERS)) as server:
        yield server


@pytest.fixture(scope="module")
def slow_server(sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`langgraph dev` whose batches run at 8 calls per second."""
    slow = {"BILLING_AGENT_BATCH_RATE": "8", "BILLING_AGENT_BATCH_CONCURRENCY": "4"}
    workdir, home = tmp_path_factory.mktemp("langgraph"), tmp_path_factory.mktemp("home")
    with langgraph_dev(sandbox.url, workdir, home, slow) as url:
        yield url


async def _active(sandbox: SandboxServer, code: str) -> set[str]:
    """External ids of the customers that have `code` applied and active, read from the sandbox."""
    found: set[str] = set()
    headers = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    async with httpx.AsyncClient(base_url=sandbox.api_url, headers=headers) as http:
        page: int | None = 1
        while page:
            params: dict[str, Any] = {"coupon_code[]": code, "page": page, "per_page": 100}
            body = (await http.get("/applied_coupons", params=params)).raise_for_status().json()
            found |= {c["external_customer_id"] for c in body["applied_coupons"] if c["status"] == "active"}
            page = body["meta"].get("next_page")
    return found


async def _ask(alice: LangGraphClient, thread_id: str, text: str) -> str:
    result: Any = await alice.runs.wait(thread_id, GRAPH, input={"messages": [{"role": "user", "content": text}]})
    return str(result["messages"][-1]["content"])


async def _approve(alice: LangGraphClient, thread_id: str) -> str:
    assert _interrupt(await alice.threads.get_state(thread_id)) is not None
    result: Any = await alice.runs.wait(thread_id, GRAPH, command={"resume": {"decisions": [{"type": "approve"}]}})
    return str(result["messages"][-1]["content"])


async def _start_and_cancel(alice: LangGraphClient, sandbox: SandboxServer, code: str) -> tuple[str, set[str]]:
    """Start a batch applying `code` to every customer, cancel it mid-way: the thread and who had it before."""
    before = await _active(sandbox, code)  # the demo seed applies each coupon to a few customers
    thread_id = (await alice.threads.create())["thread_id"]
    await _ask(alice, thread_id, f"Apply coupon {code} to all customers")
    assert _interrupt(await alice.threads.get_state(thread_id)) is not None
    run = await alice.runs.create(thread_id, GRAPH, command={"resume": {"decisions": [{"type": "approve"}]}})
    while len(await _active(sandbox, code) - before) < CANCEL_AFTER:  # noqa: ASYNC110 (the sandbox is another process's)
        await asyncio.sleep(0.1)
    await alice.runs.cancel(thread_id, run["run_id"], wait=True)
    assert (await alice.runs.get(thread_id, run["run_id"]))["status"] == "interrupted"
    assert (await alice.threads.get(thread_id))["status"] != "error"
    return thread_id, before


def _outcomes(state: Any) -> tuple[dict[str, str], dict[str, Any]]:
    values = state["values"]
    customers = {i["key"]: i["args"]["external_customer_id"] for i in values["batch"]["items"]}
    return customers, values["batch_outcomes"]["items"]


async def test_a_cancelled_batch_is_reported_and_continuing_runs_only_the_rest(
    slow_server: str, sandbox: SandboxServer
) -> None:
    alice = client(slow_server, "tok-alice")
    thread_id, before = await _start_and_cancel(alice, sandbox, "WELCOME10")
    answer = await _ask(alice, thread_id, "what happened?")
    applied = await _active(sandbox, "WELCOME10") - before
    assert CANCEL_AFTER <= len(applied) < CUSTOMERS
    match = _CANCELLED.search(answer)
    assert match is not None, answer
    customers, outcomes = _outcomes(await alice.threads.get_state(thread_id))
    assert int(match.group(1)) == len(outcomes)
    ok = {customers[k] for k, o in outcomes.items() if o["status"] == "ok"} - before
    in_flight = {customers[k] for k, o in outcomes.items() if o.get("code") == "unverified"}
    assert ok <= applied <= ok | in_flight  # every applied coupon is known: done, or in flight when cancelled
    assert len(ok) >= CANCEL_AFTER - len(in_flight)

    await _ask(alice, thread_id, "continue the batch")
    report = await _approve(alice, thread_id)
    assert f"on {CUSTOMERS - len(outcomes)} customers" in report, report
    never_run = {c for k, c in customers.items() if k not in outcomes} - before
    assert ok | never_run <= await _active(sandbox, "WELCOME10") - before <= ok | never_run | in_flight


async def test_a_cancelled_batch_can_be_undone(slow_server: str, sandbox: SandboxServer) -> None:
    alice = client(slow_server, "tok-alice")
    thread_id, before = await _start_and_cancel(alice, sandbox, "LOYALTY15")
    assert _CANCELLED.search(await _ask(alice, thread_id, "what happened?"))
    customers, outcomes = _outcomes(await alice.threads.get_state(thread_id))
    ok = {k for k, o in outcomes.items() if o["status"] == "ok" and o.get("result_id")}
    in_flight = {customers[k] for k, o in outcomes.items() if o.get("code") == "unverified"}

    await _ask(alice, thread_id, "undo that")
    report = await _approve(alice, thread_id)
    assert f"on {len(ok)} " in report and f"{len(ok)} done" in report, report
    # only the coupons the batch did not apply are left: the seeded ones and calls cut off in flight
    assert await _active(sandbox, "LOYALTY15") <= before | in_flight
