"""LangGraph Server auth: tokens map to principals; every thread, run and store item belongs to its owner.

A token comes as `Authorization: Bearer <token>` or as `X-Api-Key: <token>` (what agent-chat-ui sends).

Tokens come from `BILLING_AGENT_AUTH_TOKENS` (a JSON object token → 'org_id:user_id:role'). Replace
`authenticate` with your identity provider's check (e.g. verify a JWT) in production; the ownership rules
below stay the same.
"""

from __future__ import annotations

import hmac
from typing import Any

from langgraph_sdk import Auth

from billing_agent.settings import Settings
from billing_agent.tenancy import Principal, parse_principal

OWNER_KEY = "owner"
API_KEY_HEADER = b"x-api-key"

auth = Auth()


def _directory() -> dict[str, Principal]:
    return {token: parse_principal(spec.get_secret_value()) for token, spec in Settings().auth_tokens.items()}


def _lookup(token: str) -> Principal | None:
    for known, principal in _directory().items():
        if hmac.compare_digest(known.encode(), token.encode()):
            return principal
    return None


def owner_of(principal: Principal) -> str:
    """The owner tag of a principal's resources: organization and user."""
    return f"{principal.org_id}:{principal.user_id}"


def _token(authorization: str | None, headers: dict[bytes, bytes]) -> str:
    """The token of `Authorization: Bearer <token>`, else of `X-Api-Key: <token>` (what agent-chat-ui sends)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    for name, value in headers.items():
        if name.lower() == API_KEY_HEADER:
            return value.decode("latin-1").strip()
    return ""


@auth.authenticate
async def authenticate(authorization: str | None, headers: dict[bytes, bytes]) -> Auth.types.MinimalUserDict:
    """Accept a configured token as `Authorization: Bearer <token>` or `X-Api-Key: <token>`; else a 401."""
    token = _token(authorization, headers or {})
    principal = _lookup(token) if token else None
    if principal is None:
        raise Auth.exceptions.HTTPException(
            status_code=401,
            detail="Send 'Authorization: Bearer <token>' (or 'X-Api-Key: <token>') with a token your administrator "
            "issued.",
        )
    user: dict[str, Any] = {
        "identity": owner_of(principal),
        "org_id": principal.org_id,
        "user_id": principal.user_id,
        "role": principal.role.value,
        "permissions": [f"role:{principal.role.value}"],
    }
    return user  # type: ignore[return-value]


@auth.on
async def owner_only(ctx: Auth.types.AuthContext, value: Any) -> Auth.types.FilterType:
    """Tag what a user creates with their owner id and only let them see or touch what carries it."""
    owner = str(ctx.user.identity)
    if isinstance(value, dict):
        if value.get("metadata") is None:
            value["metadata"] = {}
        metadata = value["metadata"]
        if isinstance(metadata, dict):
            metadata[OWNER_KEY] = owner  # in place: the server keeps a reference to this dict
    return {OWNER_KEY: owner}


@auth.on.assistants
async def assistants_are_shared(ctx: Auth.types.AuthContext, value: Any) -> bool:
    """Assistants are the deployed graphs: every authenticated user may use them."""
    return True


@auth.on.store()
async def own_namespace_only(ctx: Auth.types.AuthContext, value: Any) -> None:
    """Store items live under the user's owner id as first namespace label."""
    namespace = tuple(value.get("namespace") or ())
    owner = str(ctx.user.identity).replace(".", "%2E")
    if not namespace or namespace[0] != owner:
        value["namespace"] = (owner, *namespace)
