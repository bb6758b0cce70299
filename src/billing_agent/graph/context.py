"""Runtime context of one agent run: who asks, what day it is, where the web app lives, and limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from billing_agent.settings import DEFAULT_FRONT_URL

READ_ONLY_ROLES = frozenset({"viewer"})


@dataclass(frozen=True)
class Principal:
    """Who is asking: organization, user and role (placeholder until authentication lands)."""

    org_id: str = "default"
    user_id: str = "local"
    role: str = "admin"
    org_name: str | None = None

    @property
    def may_change(self) -> bool:
        """False for read-only roles: their change requests are declined without asking."""
        return self.role not in READ_ONLY_ROLES


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
