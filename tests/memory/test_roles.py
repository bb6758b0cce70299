"""The role table: viewer reads, operator also makes non-destructive changes, admin does everything.

Tools outside the role are not offered to the model, and a call to one is refused (and audited).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.types import Command

from billing_agent.memory import AuditTrail, Decision, Memory, Outcome
from billing_agent.tenancy import ROLE_PERMISSIONS, Role
from billing_agent.tools.policy import RISK_TABLE

from .conftest import AgentFactory, context_for, thread_config
from .scripted import ScriptedChatModel, replies, tool_call

pytestmark = pytest.mark.postgres
APPLY = {"external_customer_id": "acme_corp", "coupon_code": "SUMMER20"}


async def _applied_to_acme(sandbox_http: httpx.AsyncClient) -> list[str]:
    response = await sandbox_http.get("/applied_coupons", params={"external_customer_id": "acme_corp"})
    return [c["coupon_code"] for c in response.json()["applied_coupons"] if c["status"] == "active"]


@pytest.mark.parametrize("role", list(Role))
async def test_each_role_is_offered_only_the_tools_it_may_use(
    role: Role, pg_memory: Memory, agent: AgentFactory, principal: Any
) -> None:
    model = ScriptedChatModel(script=replies(AIMessage("Hello.")))
    who = principal("alice", role=role)
    async with agent(model, who, pg_memory) as graph:
        await graph.ainvoke(
            {"messages": [HumanMessage("hi")]}, thread_config(uuid.uuid4().hex), context=context_for(who)
        )
    offered = set(model.offered[-1])
    risks = {RISK_TABLE[name] for name in offered if name in RISK_TABLE}
    assert "list_customers" in offered and risks <= ROLE_PERMISSIONS[role]
    assert ("apply_coupon" in offered) is (role is not Role.VIEWER)
    assert ("void_invoice" in offered) is (role is Role.ADMIN)


@pytest.mark.parametrize(
    ("role", "tool", "args"), [(Role.VIEWER, "apply_coupon", APPLY), (Role.OPERATOR, "void_invoice", {"lago_id": "x"})]
)
async def test_a_call_outside_the_role_is_refused_without_asking(
    role: Role,
    tool: str,
    args: dict[str, Any],
    pg_memory: Memory,
    agent: AgentFactory,
    principal: Any,
    sandbox_http: httpx.AsyncClient,
) -> None:
    model = ScriptedChatModel(script=replies(tool_call(tool, **args), AIMessage("I could not do that.")))
    who = principal("alice", role=role)
    config = thread_config(uuid.uuid4().hex)
    async with agent(model, who, pg_memory) as graph:
        state = await graph.ainvoke({"messages": [HumanMessage("do it")]}, config, context=context_for(who))
        assert not (await graph.aget_state(config)).interrupts
    refused = next(m for m in state["messages"] if isinstance(m, ToolMessage))
    assert refused.status == "error" and f"role ({role.value}) may not make changes" in refused.content
    assert "SUMMER20" not in await _applied_to_acme(sandbox_http)
    (entry,) = await AuditTrail(pg_memory.store).list(who)
    assert (entry.tool, entry.decision, entry.outcome) == (tool, Decision.REFUSED, Outcome.NOT_RUN)


async def test_an_operator_is_asked_for_a_write_but_cannot_edit_it_into_a_destructive_call(
    pg_memory: Memory, agent: AgentFactory, principal: Any, sandbox_http: httpx.AsyncClient
) -> None:
    model = ScriptedChatModel(script=replies(tool_call("apply_coupon", **APPLY), AIMessage("Stopped.")))
    operator = principal("olga", role=Role.OPERATOR)
    config = thread_config(uuid.uuid4().hex)
    async with agent(model, operator, pg_memory) as graph:
        await graph.ainvoke({"messages": [HumanMessage("apply it")]}, config, context=context_for(operator))
        (pending,) = (await graph.aget_state(config)).interrupts
        assert pending.value["action_requests"][0]["name"] == "apply_coupon"
        edit = {"type": "edit", "edited_action": {"name": "delete_customer", "args": {"external_id": "acme_corp"}}}
        state = await graph.ainvoke(Command(resume={"decisions": [edit]}), config, context=context_for(operator))
    refused = [m for m in state["messages"] if isinstance(m, ToolMessage)]
    assert refused[-1].status == "error" and "delete_customer` was NOT run" in refused[-1].content
    customer = await sandbox_http.get("/customers/acme_corp")
    assert customer.status_code == 200
    (entry,) = await AuditTrail(pg_memory.store).list(operator)
    assert (entry.tool, entry.decision, entry.outcome) == ("delete_customer", Decision.EDITED, Outcome.PENDING)


async def test_a_rejected_change_is_not_run_and_is_audited(
    pg_memory: Memory, agent: AgentFactory, principal: Any, sandbox_http: httpx.AsyncClient
) -> None:
    model = ScriptedChatModel(script=replies(tool_call("apply_coupon", **APPLY), AIMessage("Applied.")))
    admin = principal("ada", role=Role.ADMIN)
    config = thread_config(uuid.uuid4().hex)
    async with agent(model, admin, pg_memory) as graph:
        await graph.ainvoke({"messages": [HumanMessage("apply it")]}, config, context=context_for(admin))
        await graph.ainvoke(
            Command(resume={"decisions": [{"type": "reject", "message": "not now"}]}),
            config,
            context=context_for(admin),
        )
    assert "SUMMER20" not in await _applied_to_acme(sandbox_http)
    (entry,) = await AuditTrail(pg_memory.store).list(admin)
    assert (entry.decision, entry.outcome, entry.detail) == (Decision.REJECTED, Outcome.NOT_RUN, "not now")
