"""Runtime context of one agent run: who asks, what day it is, and where the web app lives.

Limits are not part of it: they are fixed when the graph is built (`billing_agent.graph.limits`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from langgraph.config import get_config
from langgraph.runtime import Runtime

from billing_agent.settings import DEFAULT_FRONT_URL
from billing_agent.tenancy import AUTH_USER_KEY, Principal, Role, principal_from_auth_user

__all__ = ["ANONYMOUS", "Context", "Principal", "resolve_context"]

ANONYMOUS = Principal(user_id="anonymous", role=Role.VIEWER)
"""Who a run is when nothing says who it is: read-only."""


@dataclass(frozen=True)
class Context:
    """Per-run settings passed as `context=` to `ainvoke`/`astream`."""

    principal: Principal = field(default_factory=Principal)
    today: date | None = None
    front_url: str = DEFAULT_FRONT_URL

    def current_date(self) -> date:
        """`today` when pinned (tests, replays), else the local date."""
        return self.today or date.today()


def resolve_context(runtime: Runtime[Any]) -> Context:
    """The run's context, with the principal LangGraph Server authenticated when there is one.

    Under LangGraph Server the principal comes from the bearer token (`graphs/auth.py`), never from the
    context a client sends; embedding apps and the CLI pass theirs in `context=`. A run with neither gets
    the least privilege: a viewer, who can read but not change anything.
    """
    context = runtime.context if isinstance(runtime.context, Context) else Context(principal=ANONYMOUS)
    try:
        user = get_config().get("configurable", {}).get(AUTH_USER_KEY)
    except RuntimeError:  # called outside a run
        user = None
    if user is not None:
        return replace(context, principal=principal_from_auth_user(user))
    if not isinstance(context.principal, Principal):  # a client-sent dict: not trusted
        return replace(context, principal=ANONYMOUS)
    return context
