"""Subprocess of the crash tests: the real `billing-agent` command line with only the chat model scripted.

Usage: `python scripted_cli.py BATCH_ARGS_JSON ask …`. The model answers a user message (other than CONFIRM)
with one `run_batch` call whose arguments are read from BATCH_ARGS_JSON, and anything else with "Done.";
everything else (CLI, session, graph, MCP, checkpointer) is the product's own code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

import billing_agent.agent
from billing_agent.cli import app
from tests.graph.scripted import ScriptedChatModel, call


def scripted(batch_args: dict[str, Any]) -> ScriptedChatModel:
    """Answers a new request with the batch call, anything else with a plain 'Done.'."""

    def script(messages: list[BaseMessage]) -> AIMessage:
        if isinstance(messages[-1], HumanMessage) and messages[-1].content != "CONFIRM":
            return AIMessage(content="", tool_calls=[call("run_batch", **batch_args)])
        return AIMessage(content="Done.")

    return ScriptedChatModel(script=script)


def main() -> None:
    batch_args = json.loads(Path(sys.argv[1]).read_text())
    real = billing_agent.agent.create_agent

    @asynccontextmanager
    async def with_scripted_model(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        async with real(*args, **{**kwargs, "model": scripted(batch_args)}) as graph:
            yield graph

    billing_agent.agent.create_agent = with_scripted_model  # type: ignore[assignment]
    sys.argv = ["billing-agent", *sys.argv[2:]]
    app()


if __name__ == "__main__":
    main()
