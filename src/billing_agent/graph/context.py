"""Runtime context of one agent run: who asks, what day it is, where the web app lives, and limits."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from langgraph.config import get_config
from langgraph.runtime import Runtime

from billing_agent.settings import DEFAULT_FRONT_URL
from billing_agent.tenancy import AUTH_USER_KEY, Principal, principal_from_auth_user

__all__ = ["Context", "Principal", "resolve_context"]


@dataclass(frozen=True)
class Context:
    """Per-run settings passed as `context=` to `ainvoke`/`astream`."""

    principal: Principal = field(default_factory=Principal)
    today: date | None = None
    front_url: str = DEFAULT_FRONT_URL
    max_tool_rounds: int = 6
    max_message_chars: int = 20_000
    tool_result_chars: int = 6_000

    def current_date(self) -> date:
        """`today` when pinned (tests, replays), else the local date."""
        return self.today or date.today()


def resolve_context(runtime: Runtime[Any]) -> Context:
    """The run's context, with the principal LangGraph Server authenticated when there is one.

    Under LangGraph Server the principal comes from the bearer token (`graphs/auth.py`), never from the
    context a client sends; embedding apps and the CLI pass theirs in `context=`.
    """
    context = runtime.context if isinstance(runtime.context, Context) else Context()
    try:
        user = get_config().get("configurable", {}).get(AUTH_USER_KEY)
    except RuntimeError:  # called outside a run
        user = None
    if user is not None:
        return replace(context, principal=principal_from_auth_user(user))
    if not isinstance(context.principal, Principal):  # a client-sent dict: not trusted
        return replace(context, principal=Principal())
    return context
