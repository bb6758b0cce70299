"""Tenancy building blocks: roles, principals from tokens and server users, the org → API key lookup."""

from __future__ import annotations

import pytest

from billing_agent.tenancy import (
    AccessDenied,
    ApiKeyResolver,
    Principal,
    Role,
    parse_principal,
    parse_role,
    principal_from_auth_user,
)
from billing_agent.tools.policy import Risk


def test_roles_grow_from_viewer_to_admin() -> None:
    viewer, operator, admin = (Principal(role=role) for role in (Role.VIEWER, Role.OPERATOR, Role.ADMIN))
    assert [viewer.may_use(r) for r in Risk] == [True, False, False]
    assert [operator.may_use(r) for r in Risk] == [True, True, False]
    assert [admin.may_use(r) for r in Risk] == [True, True, True]
    assert (viewer.may_change, operator.may_change, admin.may_change) == (False, True, True)


def test_roles_are_parsed_strictly() -> None:
    assert parse_role("Operator") is Role.OPERATOR
    assert Principal(role="viewer").role is Role.VIEWER  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="use one of: viewer, operator, admin"):
        parse_role("root")


def test_principals_from_token_specs_and_server_users() -> None:
    assert parse_principal("acme:alice:operator") == Principal("acme", "alice", Role.OPERATOR)
    assert parse_principal("acme:bob").role is Role.VIEWER
    with pytest.raises(ValueError, match="org_id:user_id:role"):
        parse_principal("acme")
    user = {"identity": "acme:alice", "org_id": "acme", "user_id": "alice", "role": "admin"}
    assert principal_from_auth_user(user) == Principal("acme", "alice", Role.ADMIN)
    with pytest.raises(AccessDenied, match="bearer token"):
        principal_from_auth_user({"identity": "studio"})


def test_api_keys_are_looked_up_server_side_by_org() -> None:
    looked_up: list[str] = []

    def vault(org: str) -> str | None:
        looked_up.append(org)
        return "key-from-vault" if org == "globex" else None

    keys = ApiKeyResolver({"acme": "key-acme"}, lookup=vault, default="single-tenant-key")
    assert keys.api_key(Principal("acme", "a")) == "key-acme"
    assert keys.api_key(Principal("globex", "g")) == "key-from-vault"
    assert keys.api_key(Principal()) == "single-tenant-key"
    with pytest.raises(AccessDenied, match="No Lago API key is configured for organization 'initech'"):
        keys.api_key(Principal("initech", "i"))
    assert looked_up == ["globex", "default", "initech"]


async def test_an_agent_for_an_org_without_a_key_is_refused() -> None:
    from langchain_core.messages import AIMessage

    from billing_agent.agent import create_agent
    from billing_agent.settings import Settings

    from .scripted import ScriptedChatModel, replies

    settings = Settings(LAGO_API_URL="http://127.0.0.1:9", LAGO_API_KEY="single-tenant-key")
    with pytest.raises(AccessDenied, match="'initech'"):
        async with create_agent(
            settings, model=ScriptedChatModel(script=replies(AIMessage("x"))), principal=Principal("initech", "i")
        ):
            pass
