"""LangGraph Server: `langgraph dev` loads graphs/billing_assistant.py with graphs/auth.py; driven by langgraph-sdk.

One server for the module (in-memory runtime, no reload), pointed at a fresh sandbox over HTTP. Tokens map to
principals of the sandbox's two organizations.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app

from .launch import GRAPH, client, langgraph_dev

pytestmark = pytest.mark.slow
APPLY = "Apply coupon SUMMER20 to customer Acme Corp"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    """A fresh demo sandbox for the server's runs."""
    with SandboxServer(create_sandbox_app(":memory:", seed="demo", customers=60)) as server:
        yield server


@pytest.fixture(scope="module")
def server_url(sandbox: SandboxServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`langgraph dev` serving this repo's graph against the sandbox."""
    with langgraph_dev(sandbox.url, tmp_path_factory.mktemp("langgraph"), tmp_path_factory.mktemp("home")) as url:
        yield url


def _interrupt(state: Any) -> dict[str, Any] | None:
    interrupts = [i for task in state.get("tasks", []) for i in task.get("interrupts", [])]
    return interrupts[0]["value"] if interrupts else None


def _check_request_schema(request: dict[str, Any]) -> None:
    (action,) = request["action_requests"]
    assert set(action) == {"name", "args", "description"}
    assert action["name"] == "apply_coupon"
    assert action["args"] == {"external_customer_id": "acme_corp", "coupon_code": "SUMMER20"}
    assert "Acme Corp" in action["description"] and "SUMMER20" in action["description"]
    (review,) = request["review_configs"]
    assert review == {"action_name": "apply_coupon", "allowed_decisions": ["approve", "edit", "reject"]}


async def _acme_coupons(sandbox: SandboxServer) -> list[str]:
    async with httpx.AsyncClient(base_url=sandbox.api_url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"}) as http:
        found = (await http.get("/applied_coupons", params={"external_customer_id": "acme_corp"})).json()
    return [c["coupon_code"] for c in found["applied_coupons"] if c["status"] == "active"]


async def test_a_viewer_token_never_reaches_a_confirmation(server_url: str, sandbox: SandboxServer) -> None:
    victor = client(server_url, "tok-victor")
    thread = await victor.threads.create()
    await victor.runs.wait(thread["thread_id"], GRAPH, input={"messages": [{"role": "user", "content": APPLY}]})
    assert _interrupt(await victor.threads.get_state(thread["thread_id"])) is None
    assert "SUMMER20" not in await _acme_coupons(sandbox)


async def test_confirmation_round_trip_and_owner_scoping(server_url: str, sandbox: SandboxServer) -> None:
    alice = client(server_url, "tok-alice")
    thread = await alice.threads.create()
    thread_id = thread["thread_id"]
    assert thread["metadata"]["owner"] == "hooli:alice"

    await alice.runs.wait(thread_id, GRAPH, input={"messages": [{"role": "user", "content": APPLY}]})
    request = _interrupt(await alice.threads.get_state(thread_id))
    assert request is not None
    _check_request_schema(request)
    assert "SUMMER20" not in await _acme_coupons(sandbox)

    result: Any = await alice.runs.wait(thread_id, GRAPH, command={"resume": {"decisions": [{"type": "approve"}]}})
    assert "SUMMER20" in result["messages"][-1]["content"]
    assert "SUMMER20" in await _acme_coupons(sandbox)
    assert _interrupt(await alice.threads.get_state(thread_id)) is None

    for token in ("tok-bob", "tok-pat"):
        intruder = client(server_url, token)
        assert await intruder.threads.search() == []
        for attempt in (
            intruder.threads.get(thread_id),
            intruder.threads.get_state(thread_id),
            intruder.threads.update(thread_id, metadata={"owner": "me"}),
            intruder.runs.create(thread_id, GRAPH, input={"messages": [{"role": "user", "content": "hi"}]}),
            intruder.threads.delete(thread_id),
        ):
            with pytest.raises(httpx.HTTPStatusError) as caught:
                await attempt
            assert caught.value.response.status_code == 404
            assert "SUMMER20" not in caught.value.response.text
    assert [t["thread_id"] for t in await alice.threads.search()] == [thread_id]


async def test_requests_without_a_valid_token_are_rejected(server_url: str) -> None:
    for token in (None, "tok-unknown"):
        with pytest.raises(httpx.HTTPStatusError) as caught:
            await client(server_url, token).threads.search()
        assert caught.value.response.status_code in (401, 403)


async def test_store_items_are_kept_under_their_owner(server_url: str) -> None:
    alice, bob = client(server_url, "tok-alice"), client(server_url, "tok-bob")
    await alice.store.put_item(["notes"], key="todo", value={"text": "call Acme"})
    assert [i["value"] for i in (await alice.store.search_items(["notes"]))["items"]] == [{"text": "call Acme"}]
    assert (await bob.store.search_items(["notes"]))["items"] == []
    assert await bob.store.get_item(["hooli:alice", "notes"], key="todo") is None  # read as his own namespace
    assert (await alice.store.get_item(["notes"], key="todo") or {}).get("value") == {"text": "call Acme"}


async def test_an_empty_resume_over_the_server_is_a_rejection(server_url: str, sandbox: SandboxServer) -> None:
    alice = client(server_url, "tok-alice")
    thread_id = (await alice.threads.create())["thread_id"]
    terminate = {"messages": [{"role": "user", "content": "Terminate subscription for Acme Corp"}]}
    await alice.runs.wait(thread_id, GRAPH, input=terminate)
    assert _interrupt(await alice.threads.get_state(thread_id)) is not None
    body = {"assistant_id": GRAPH, "command": {"resume": None}}  # raw: the SDK drops None from a command
    async with httpx.AsyncClient(base_url=server_url, headers={"Authorization": "Bearer tok-alice"}) as http:
        response = await http.post(f"/threads/{thread_id}/runs/wait", json=body, timeout=60)
    assert response.status_code == 200, response.text
    result = response.json()
    assert "The reply was empty" in json.dumps(result["messages"]), result  # main: UnboundLocalError, run "error"
    assert _interrupt(await alice.threads.get_state(thread_id)) is None
    assert (await alice.threads.get(thread_id))["status"] == "idle"
    async with httpx.AsyncClient(base_url=sandbox.api_url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"}) as http:
        found = (await http.get("/subscriptions", params={"external_customer_id": "acme_corp"})).json()
    assert [s["status"] for s in found["subscriptions"] if s["external_id"] == "sub_acme_corp"] == ["active"]
