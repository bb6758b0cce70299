"""Shorthands of the memory tests over the suite's scripted chat model (tests/graph/scripted.py)."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from tests.graph.scripted import ScriptedChatModel, call, calls
from tests.graph.scripted import sequence as replies

__all__ = ["ScriptedChatModel", "replies", "tool_call"]


def tool_call(name: str, **args: Any) -> AIMessage:
    """An assistant message calling one tool, with a fresh 9-character id."""
    return calls(call(name, **args))
