"""Planner node: the chat model, bound to the tools, decides the next calls or writes the answer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

import httpx
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, SystemMessage
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langgraph.runtime import Runtime

from billing_agent.graph.approval import run_ledger
from billing_agent.graph.context import Context, resolve_context
from billing_agent.graph.limits import Limits
from billing_agent.graph.messages import for_model
from billing_agent.graph.model import ModelUnavailableError
from billing_agent.graph.prompts import render_system_prompt
from billing_agent.graph.state import NodeFunction, State
from billing_agent.graph.toolcall import content_text
from billing_agent.graph.turn import last_ai, last_human, tool_rounds
from billing_agent.memory.window import context_window
from billing_agent.tenancy import Principal, Role
from billing_agent.tools.policy import ToolPolicy

EMPTY_MESSAGE = (
    "Your message was empty. Ask me about your billing, for example “Show me overdue invoices for the last "
    "30 days” or “What plans are available?”."
)
TOO_LONG = (
    "Your message is {size:,} characters long; I accept up to {limit:,}. Please shorten it to the request itself "
    "(for long lists of records, describe the selection instead, e.g. “all US customers”)."
)
ROUND_CAP = (
    "I stopped after {rounds} rounds of tool calls for this request without finishing. Here is what I found so far; "
    "ask me to continue, or make the request more specific."
)


def _guard(state: State, limits: Limits) -> str | None:
    """A direct answer when the request cannot go to the model (empty, too long, out of tool rounds)."""
    messages = state["messages"]
    human = last_human(messages)
    if human is not None and messages[-1] is human:
        text = content_text(human.content)
        if not text.strip():
            return EMPTY_MESSAGE
        if len(text) > limits.max_message_chars:
            return TOO_LONG.format(size=len(text), limit=limits.max_message_chars)
    rounds = tool_rounds(messages)
    if rounds >= limits.max_tool_rounds:
        return ROUND_CAP.format(rounds=rounds)
    return None


def make_planner(
    model: BaseChatModel, tools: Sequence[BaseTool], policy: ToolPolicy | None = None, limits: Limits | None = None
) -> NodeFunction:
    """Build the planner node around a chat model and the tool set it may call.

    The model is offered only the tools the principal's role allows (see `billing_agent.tenancy`).
    """
    risk = policy or ToolPolicy(tools)
    bounds = limits or Limits()
    bound: dict[Role, Runnable[LanguageModelInput, BaseMessage]] = {}

    def bound_for(principal: Principal) -> Runnable[LanguageModelInput, BaseMessage]:
        if principal.role not in bound:
            allowed = [tool for tool in tools if principal.may_use(risk.risk(tool.name))]
            bound[principal.role] = model.bind_tools(allowed) if allowed else model
        return bound[principal.role]

    bound_for(Principal(role=Role.ADMIN))

    async def planner(state: State, *, runtime: Runtime[Context]) -> dict[str, Any]:
        context = resolve_context(runtime)
        direct = _guard(state, bounds)
        if direct is not None:
            return {"messages": [AIMessage(content=direct)]}
        window = context_window(state["messages"], prior=state.get("summary") or [])
        system = render_system_prompt(context)
        if window.summary:
            system = f"{system}\n{window.summary}\n"
        prompt = [SystemMessage(content=system), *window.messages]
        try:
            response = await bound_for(context.principal).ainvoke(for_model(prompt))
        except (httpx.HTTPError, OSError) as error:  # after the client's own retries
            raise ModelUnavailableError(_model_name(model), error) from error
        if not isinstance(response, AIMessage):
            response = AIMessage(content=content_text(getattr(response, "content", response)))
        ledger = run_ledger(runtime)
        for call in response.tool_calls:
            if not risk.is_read_only(call["name"]):
                await ledger.ask_call(str(call.get("id")), call["name"], call.get("args") or {})
        return {"messages": [response]}

    return planner


def _model_name(model: BaseChatModel) -> str:
    name = getattr(model, "model", None) or getattr(model, "model_name", None)
    return f"{type(model).__name__} {name}" if name else type(model).__name__


def route_after_planner(policy: ToolPolicy) -> Callable[[State], Literal["__end__", "executor", "confirm"]]:
    """Where the graph goes after the planner: done (it answered, see `finish`), run reads, or confirm first."""

    def route(state: State) -> Literal["__end__", "executor", "confirm"]:
        ai = last_ai(state["messages"])
        if ai is None or not (ai.tool_calls or ai.invalid_tool_calls):
            return "__end__"  # langgraph.graph.END
        if any(not policy.is_read_only(call["name"]) for call in ai.tool_calls):
            return "confirm"
        return "executor"

    return route
