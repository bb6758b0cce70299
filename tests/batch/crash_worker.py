"""Subprocess of the crash test: starts or resumes a batch thread against a sandbox, checkpointed in SQLite
(checkpoints and the store, which holds the approval ledger).

Usage: `python crash_worker.py start|resume API_URL SQLITE_PATH THREAD_ID REQUEST`. Prints one JSON line with
the batch counts when the thread finishes. The batch limits come from `BILLING_AGENT_BATCH_*`.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from langchain_core.messages import HumanMessage
from langgraph.types import Command

from billing_agent.graph import Context, build_graph
from billing_agent.graph.batch.config import BatchConfig
from billing_agent.graph.offline import OfflinePlanner
from billing_agent.memory import open_memory
from billing_agent.sandbox import DEMO_API_KEY
from billing_agent.settings import Settings
from billing_agent.tools.connect import InProcessServer, open_mcp_tools


async def main(mode: str, api_url: str, db: str, thread: str, request: str) -> None:
    config: dict[str, Any] = {"configurable": {"thread_id": thread}}
    async with (
        open_memory(Settings(BILLING_AGENT_DATABASE_URL=f"sqlite:///{db}")) as memory,
        open_mcp_tools(InProcessServer(api_url=api_url, api_key=DEMO_API_KEY)) as tools,
    ):
        limits = BatchConfig.from_settings()
        graph = build_graph(tools, OfflinePlanner(), checkpointer=memory.checkpointer, store=memory.store, batch=limits)
        if mode == "start":
            await graph.ainvoke({"messages": [HumanMessage(request)]}, config, context=Context())
            await graph.ainvoke(Command(resume="CONFIRM"), config, context=Context())
        else:
            await graph.ainvoke(None, config, context=Context())
        values = (await graph.aget_state(config)).values
    outcomes = values["batch_outcomes"]["items"]
    statuses = [o["status"] for o in outcomes.values()]
    print(
        json.dumps(
            {
                "items": len(values["batch"]["items"]),
                "ok": statuses.count("ok"),
                "failed": statuses.count("failed"),
                "skipped": statuses.count("skipped"),
                "already_done": sum(1 for o in outcomes.values() if o.get("already_done")),
                "status": values["batch"]["status"],
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
