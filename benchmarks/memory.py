"""Conversation memory costs: per-turn overhead, checkpoint storage amplification, prompt growth.

A scripted chat model (answers in no time; its own time is subtracted anyway) drives the real agent graph
through our MCP server in-process against the demo sandbox over HTTP, with the PostgreSQL checkpointer and
store. Every turn is one user request → one read tool call (`list_customers`, 5 records) → the answer.

- turn overhead: wall time of a turn minus the time spent inside the model (p50 over the turns);
- storage amplification: bytes of the thread's rows in checkpoints + checkpoint_blobs + checkpoint_writes
  plus its archived turns in the store (compaction), after N turns, divided by the bytes of all its
  messages serialized once (the saver's serializer);
- prompt tokens: what the model is sent at turn 5 and turn 50 (approximate count), and their ratio.

Usage: `python benchmarks/memory.py [--turns 100] [--snapshot-frequency 500]`
(`BILLING_AGENT_TEST_POSTGRES_URL` overrides the database). The last line is `key=value` pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolCall, ToolMessage
from langchain_core.messages.utils import count_tokens_approximately
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from pydantic import Field

from billing_agent.agent import create_agent
from billing_agent.graph import Context
from billing_agent.graph import state as graph_state
from billing_agent.memory import open_memory, turn_durability
from billing_agent.memory.compaction import delete_archive, read_archive, transcript_namespace
from billing_agent.sandbox import DEMO_API_KEY, SandboxServer, create_sandbox_app
from billing_agent.settings import Settings
from billing_agent.tools.connect import InProcessServer

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/billing_agent_test"
DURABILITY = turn_durability(resuming=False)  # what `billing-agent chat` uses for a new message
TABLES = ("checkpoints", "checkpoint_blobs", "checkpoint_writes")


class TimedScriptedModel(BaseChatModel):
    """Calls `list_customers` for a new request, answers after the tool result; keeps its own time and prompts."""

    seconds: float = 0.0
    prompts: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "benchmark-scripted"

    def bind_tools(self, tools: Any, **kwargs: Any) -> Runnable[Any, BaseMessage]:
        return self

    def _reply(self, messages: list[BaseMessage]) -> AIMessage:
        if isinstance(messages[-1], ToolMessage):
            return AIMessage(content="Here are five customers; ask for more details on any of them.")
        call = ToolCall(name="list_customers", args={"per_page": 5}, id=uuid.uuid4().hex[:9], type="tool_call")
        return AIMessage(content="", tool_calls=[call])

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        started = time.perf_counter()
        self.prompts.append(list(messages))
        reply = self._reply(messages)
        self.seconds += time.perf_counter() - started
        return ChatResult(generations=[ChatGeneration(message=reply)])

    async def _agenerate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        return self._generate(messages, stop)


async def _thread_bytes(pool: Any, thread_id: str) -> int:
    total = 0
    async with pool.connection() as conn:
        for table in TABLES:
            cursor = await conn.execute(
                f"select coalesce(sum(pg_column_size(t.*)), 0) as size from {table} t where thread_id = %s",
                (thread_id,),
            )
            row = await cursor.fetchone()
            total += int(row["size"])
    return total


async def _archive_bytes(pool: Any, thread_id: str) -> int:
    async with pool.connection() as conn:
        cursor = await conn.execute(
            "select coalesce(sum(pg_column_size(s.*)), 0) as size from store s where prefix = %s",
            (".".join(transcript_namespace(thread_id)),),
        )
        row = await cursor.fetchone()
    return int(row["size"])


async def measure(api_url: str, database_url: str, turns: int) -> dict[str, float]:
    """Run `turns` turns on one thread and return the figures."""
    settings = Settings(BILLING_AGENT_DATABASE_URL=database_url)
    model = TimedScriptedModel()
    thread_id = f"bench-{uuid.uuid4().hex}"
    config: Any = {"configurable": {"thread_id": thread_id}}
    context = Context()
    overheads: list[float] = []
    written: list[int] = []
    prompt_tokens: dict[int, int] = {}
    async with open_memory(settings) as memory:
        server = InProcessServer(api_url=api_url, api_key=DEMO_API_KEY)
        pool: Any = memory.checkpointer.conn  # type: ignore[attr-defined]
        async with create_agent(
            settings, model=model, checkpointer=memory.checkpointer, store=memory.store, mcp=server
        ) as graph:
            for turn in range(1, turns + 1):
                before_model, before_bytes = model.seconds, await _thread_bytes(pool, thread_id)
                started = time.perf_counter()
                request = {"messages": [HumanMessage(f"Show me five customers (request {turn})")]}
                await graph.ainvoke(request, config, context=context, durability=DURABILITY)
                elapsed = time.perf_counter() - started
                overheads.append((elapsed - (model.seconds - before_model)) * 1000)
                written.append(await _thread_bytes(pool, thread_id) - before_bytes)
                prompt_tokens[turn] = count_tokens_approximately(model.prompts[-1])
            archived = await read_archive(memory.store, thread_id)
            messages = [*archived, *(await graph.aget_state(config)).values["messages"]]
            message_bytes = len(memory.checkpointer.serde.dumps_typed(messages)[1])
            checkpoint_bytes = await _thread_bytes(pool, thread_id)
            archive_bytes = await _archive_bytes(pool, thread_id)
        await memory.checkpointer.adelete_thread(thread_id)
        await delete_archive(memory.store, thread_id)
    stored = checkpoint_bytes + archive_bytes
    late = statistics.median(written[-10:])  # medians: snapshot turns spike by design
    early = statistics.median(written[9:19])
    return {
        "turn_overhead_ms_p50": statistics.median(overheads[5:]),
        "turn_overhead_ms_p90": statistics.quantiles(overheads[5:], n=10)[-1],
        "checkpoint_bytes": checkpoint_bytes,
        "archive_bytes": archive_bytes,
        "message_bytes": message_bytes,
        "storage_amplification": stored / message_bytes,
        "write_growth_median_last10_vs_turns10to20": late / early,
        "prompt_tokens_turn5": prompt_tokens[5],
        "prompt_tokens_turn50": prompt_tokens.get(50, prompt_tokens[turns]),
        "prompt_token_ratio": prompt_tokens.get(50, prompt_tokens[turns]) / prompt_tokens[5],
    }


def main() -> None:
    """Run the measurements and print them; the last line is `key=value` pairs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--turns", type=int, default=100, help="turns of the scripted conversation (>= 50)")
    parser.add_argument(
        "--snapshot-frequency", type=int, default=None, help="override both delta channels' snapshot frequency"
    )
    args = parser.parse_args()
    if args.snapshot_frequency:
        for channel in (graph_state.MESSAGES_CHANNEL, graph_state.RESULTS_CHANNEL):
            channel.snapshot_frequency = args.snapshot_frequency
    database_url = os.environ.get("BILLING_AGENT_TEST_POSTGRES_URL", DEFAULT_URL)
    with SandboxServer(create_sandbox_app(":memory:", seed="demo", customers=60)) as sandbox:
        figures = asyncio.run(measure(sandbox.api_url, database_url, max(args.turns, 50)))
    for key, value in figures.items():
        print(f"{key:38s} {value:12.2f}")
    print("targets: turn_overhead_ms_p50 <= 20, storage_amplification <= 5, prompt_token_ratio <= 2")
    frequency = graph_state.MESSAGES_CHANNEL.snapshot_frequency
    print(
        f"turn_overhead_ms_p50={figures['turn_overhead_ms_p50']:.1f} "
        f"storage_amplification={figures['storage_amplification']:.2f} "
        f"prompt_token_ratio={figures['prompt_token_ratio']:.2f} "
        f"prompt_tokens_turn5={figures['prompt_tokens_turn5']:.0f} "
        f"prompt_tokens_turn50={figures['prompt_tokens_turn50']:.0f} "
        f"write_growth={figures['write_growth_median_last10_vs_turns10to20']:.2f} turns={max(args.turns, 50)} "
        f"snapshot_frequency={frequency}"
    )


if __name__ == "__main__":
    main()
