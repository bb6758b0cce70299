"""The risk policy: table first (ours + the 53 official names), then MCP annotations, unknown = destructive."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.tools import StructuredTool

from billing_agent.mcp_server.annotations import TOOL_HINTS
from billing_agent.tools.policy import OFFICIAL_TOOL_NAMES, RISK_TABLE, Risk, ToolPolicy


def _tool(name: str, metadata: dict[str, Any] | None = None) -> StructuredTool:
    async def run() -> str:
        return ""

    return StructuredTool.from_function(coroutine=run, name=name, description=name, metadata=metadata)


def test_table_covers_the_53_official_tools_and_ours() -> None:
    assert len(OFFICIAL_TOOL_NAMES) == 53
    assert set(RISK_TABLE) >= OFFICIAL_TOOL_NAMES
    assert set(TOOL_HINTS) == set(RISK_TABLE)


@pytest.mark.parametrize("name", sorted(TOOL_HINTS))
def test_table_agrees_with_our_servers_annotations(name: str) -> None:
    hints, risk = TOOL_HINTS[name], RISK_TABLE[name]
    assert (risk is Risk.READ) == hints.read_only
    assert (risk is Risk.DESTRUCTIVE) == hints.destructive


def test_the_official_server_sends_no_annotations_so_the_table_decides() -> None:
    policy = ToolPolicy([_tool(name) for name in OFFICIAL_TOOL_NAMES])
    assert policy.is_read_only("list_invoices") and policy.is_read_only("download_invoice")
    assert policy.risk("delete_subscription") is Risk.DESTRUCTIVE and policy.risk("void_invoice") is Risk.DESTRUCTIVE
    assert policy.risk("apply_coupon") is Risk.WRITE


@pytest.mark.parametrize(
    ("metadata", "risk"),
    [
        ({"readOnlyHint": True}, Risk.READ),
        ({"readOnlyHint": False, "destructiveHint": False}, Risk.WRITE),
        ({"readOnlyHint": False, "destructiveHint": True}, Risk.DESTRUCTIVE),
        ({"readOnlyHint": None, "destructiveHint": None}, Risk.DESTRUCTIVE),
        ({"destructiveHint": False}, Risk.WRITE),
        (None, Risk.DESTRUCTIVE),
    ],
)
def test_unknown_names_follow_annotations_and_default_to_destructive(
    metadata: dict[str, Any] | None, risk: Risk
) -> None:
    assert ToolPolicy([_tool("custom_tool", metadata)]).risk("custom_tool") is risk


def test_a_server_that_says_a_table_read_tool_writes_is_believed() -> None:
    policy = ToolPolicy([_tool("list_invoices", {"readOnlyHint": False, "destructiveHint": True})])
    assert policy.risk("list_invoices") is Risk.DESTRUCTIVE


def test_names_outside_the_tool_set_are_destructive_unless_the_table_knows_them() -> None:
    policy = ToolPolicy([])
    assert policy.risk("drop_database") is Risk.DESTRUCTIVE
    assert policy.risk("get_invoice") is Risk.READ
