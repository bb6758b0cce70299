"""Who is asking and what they may do: the `Principal`, the role table, and the org → Lago API key lookup.

The role table is declarative (like stripe/agent-toolkit's permission table): a role names the tool risks it
may use. Tools outside the role are not offered to the model, and a call to one is refused.
The Lago API key is chosen server-side from the principal's organization; it never comes from a message and
is never written to a checkpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from billing_agent.tools.policy import Risk


class Role(StrEnum):
    """What a user may do in their organization."""

    VIEWER = "viewer"
    OPERATOR = "operator"
    ADMIN = "admin"


ROLE_PERMISSIONS: Mapping[Role, frozenset[Risk]] = {
    Role.VIEWER: frozenset({Risk.READ}),
    Role.OPERATOR: frozenset({Risk.READ, Risk.WRITE}),
    Role.ADMIN: frozenset({Risk.READ, Risk.WRITE, Risk.DESTRUCTIVE}),
}
"""The tool risks each role may use: viewer reads, operator also makes non-destructive changes, admin all."""


class AccessDenied(PermissionError):
    """The principal may not do this; the message says what is missing."""


def parse_role(value: str | Role) -> Role:
    """`value` as a `Role`.

    Raises:
        ValueError: for an unknown role (the message lists the valid ones).
    """
    try:
        return Role(str(value).lower())
    except ValueError:
        valid = ", ".join(role.value for role in Role)
        raise ValueError(f"Unknown role {value!r}; use one of: {valid}.") from None


@dataclass(frozen=True)
class Principal:
    """Who is asking: organization, user and role (travels in the runtime context, never in a message)."""

    org_id: str = "default"
    user_id: str = "local"
    role: Role = Role.ADMIN
    org_name: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", parse_role(self.role))

    def may_use(self, risk: Risk) -> bool:
        """True when this principal's role covers tools of `risk`."""
        return risk in ROLE_PERMISSIONS[self.role]

    @property
    def may_change(self) -> bool:
        """False for read-only roles: their change requests are declined without asking."""
        return any(self.may_use(risk) for risk in Risk if risk is not Risk.READ)

    @property
    def owner(self) -> tuple[str, str]:
        """The (org, user) pair that owns this principal's conversations."""
        return (self.org_id, self.user_id)


ApiKeyLookup = Callable[[str], str | None]
"""Returns the Lago API key of an organization id, or None when the org is unknown."""


class ApiKeyResolver:
    """Server-side org → Lago API key lookup, from a map and/or a callable (e.g. a secrets manager)."""

    def __init__(
        self, keys: Mapping[str, str] | None = None, lookup: ApiKeyLookup | None = None, default: str | None = None
    ) -> None:
        """Build the resolver.

        Args:
            keys: org id → API key.
            lookup: called for orgs not in `keys`.
            default: the key of the single-tenant setup (`LAGO_API_KEY`), used for the org "default" only.
        """
        self._keys = dict(keys or {})
        self._lookup = lookup
        self._default = default

    def api_key(self, principal: Principal) -> str:
        """The Lago API key of the principal's organization.

        Raises:
            AccessDenied: when no key is configured for the organization.
        """
        key = self._keys.get(principal.org_id)
        if key is None and self._lookup is not None:
            key = self._lookup(principal.org_id)
        if key is None and principal.org_id == Principal().org_id:
            key = self._default
        if not key:
            raise AccessDenied(
                f"No Lago API key is configured for organization {principal.org_id!r}. "
                "Add it to BILLING_AGENT_ORG_API_KEYS (a JSON object org id → key) or pass a key lookup."
            )
        return key


AUTH_USER_KEY = "langgraph_auth_user"
"""Where LangGraph Server puts the authenticated user in a run's `configurable` (set by the server, not the client)."""


def principal_from_auth_user(user: Any) -> Principal:
    """The principal of a LangGraph Server user (see `graphs/auth.py`, which puts org, user and role on it).

    Raises:
        AccessDenied: when the user carries no organization (e.g. an unauthenticated Studio session).
    """
    fields: dict[str, Any] = {}
    for name in ("org_id", "user_id", "role", "org_name"):
        try:
            fields[name] = user[name]
        except (KeyError, TypeError):
            fields[name] = getattr(user, name, None)
    if not fields["org_id"] or not fields["user_id"]:
        raise AccessDenied("This request is not tied to an organization and user; send a valid bearer token.")
    return Principal(
        org_id=str(fields["org_id"]),
        user_id=str(fields["user_id"]),
        role=parse_role(fields["role"] or Role.VIEWER),
        org_name=fields["org_name"],
    )


def parse_principal(spec: str) -> Principal:
    """`'org_id:user_id:role'` (role optional, default viewer) as a `Principal`.

    Raises:
        ValueError: when the text is not in that form or the role is unknown.
    """
    parts = spec.split(":")
    if len(parts) not in (2, 3) or not all(part.strip() for part in parts):
        raise ValueError(f"Expected 'org_id:user_id:role', got {spec!r}.")
    role = parse_role(parts[2].strip()) if len(parts) == 3 else Role.VIEWER
    return Principal(org_id=parts[0].strip(), user_id=parts[1].strip(), role=role)
