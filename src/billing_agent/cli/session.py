"""One conversation thread driven from the command line: send a message or answer a pending confirmation."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage
from langchain_core.runnables import RunnableConfig
from langgraph.types import Command, StateSnapshot, StreamMode

from billing_agent.agent import AgentGraph
from billing_agent.graph import Context
from billing_agent.graph.decisions import CONFIRM_WORD
from billing_agent.graph.toolcall import content_text
from billing_agent.graph.turn import unreachable_lago
from billing_agent.memory import ConversationIndex, ConversationNotFound, turn_durability

ProgressCallback = Callable[[str], None]
NoticeCallback = Callable[[str], None]
"""Receives what the user must know before the answer, e.g. that an interrupted run is being finished first."""
BATCH_WORKER = "batch_worker"
FINISHING_BATCH = "Finishing the interrupted batch …"
FINISHING_RUN = "Finishing the interrupted run …"
TokenCallback = Callable[[str], None]
EventCallback = Callable[[dict[str, Any]], None]
"""Receives custom stream events, e.g. `{"type": "batch_progress", "done": 312, "total": 1000, "failed": 3}`."""
STREAM_MODES: list[StreamMode] = ["updates", "messages"]
"""`messages` makes the chat model stream tokens; only asked for when someone shows them."""


@dataclass
class TurnResult:
    """What a turn ended with: an answer, or a confirmation request waiting for the human."""

    thread_id: str
    answer: str | None = None
    request: dict[str, Any] | None = None
    unreachable: str | None = None
    """Why Lago could not be reached in this turn (a tool call got no response), if it could not."""


class ChatSession:
    """A thread of the agent; `send` routes a message to the pending confirmation when there is one."""

    def __init__(
        self,
        graph: AgentGraph,
        context: Context,
        thread_id: str | None = None,
        index: ConversationIndex | None = None,
    ) -> None:
        """Drive `thread_id` (a new one when None); with an `index`, only the principal's own threads."""
        self.graph = graph
        self.context = context
        self.thread_id = thread_id or uuid.uuid4().hex
        self.index = index
        self.config: RunnableConfig = {"configurable": {"thread_id": self.thread_id}}

    async def require_existing(self) -> None:
        """Raise `ConversationNotFound` unless this thread already holds a conversation (a mistyped id)."""
        if self.index is not None and await self.index.check_access(self.context.principal, self.thread_id):
            return
        if not (await self.graph.aget_state(self.config)).values:
            raise ConversationNotFound(self.thread_id)

    async def pending_request(self) -> dict[str, Any] | None:
        """The confirmation request this thread waits on, if any."""
        return _request_of(await self.graph.aget_state(self.config))

    async def finish_interrupted(
        self, on_notice: NoticeCallback | None = None, on_event: EventCallback | None = None
    ) -> TurnResult | None:
        """Finish a run that was cut off (crash, kill -9) before it ended; None when the thread has none.

        A run was cut off when the thread's last checkpoint still has nodes to run but waits on no interrupt;
        running the graph with no input continues it from that checkpoint (finished tasks are not redone).
        """
        if self.index is not None:
            await self.index.check_access(self.context.principal, self.thread_id)
        return await self._finish(await self.graph.aget_state(self.config), on_notice, on_event)

    async def _finish(
        self, snapshot: StateSnapshot, on_notice: NoticeCallback | None, on_event: EventCallback | None
    ) -> TurnResult | None:
        """`finish_interrupted` on the thread's current `snapshot` (already read, access already checked)."""
        if not snapshot.next or snapshot.interrupts:
            return None
        if on_notice is not None:
            on_notice(FINISHING_BATCH if BATCH_WORKER in snapshot.next else FINISHING_RUN)
        async for mode, chunk in self.graph.astream(
            None,
            self.config,
            context=self.context,
            stream_mode=["updates", "custom"] if on_event is not None else ["updates"],
            durability=turn_durability(True),
        ):
            if mode == "custom" and on_event is not None and isinstance(chunk, dict):
                on_event(chunk)
        snapshot = await self.graph.aget_state(self.config)
        request = _request_of(snapshot)
        if self.index is not None:
            await self.index.record_turn(self.context.principal, self.thread_id, None, waiting=request is not None)
        return TurnResult(self.thread_id, answer=None if request else _answer_of(snapshot), request=request)

    async def send(
        self,
        text: str,
        *,
        on_progress: ProgressCallback | None = None,
        on_token: TokenCallback | None = None,
        on_event: EventCallback | None = None,
        on_notice: NoticeCallback | None = None,
    ) -> TurnResult:
        """Send `text`: as the answer to a pending confirmation, else as a new user message.

        An interrupted run of the thread is finished first (`finish_interrupted`): `CONFIRM` then gets that
        run's answer, and a confirmation it stopped at is shown rather than answered by a word typed earlier.
        """
        graph_input: Any
        if self.index is not None:  # raises ConversationNotFound for someone else's thread, before any read
            await self.index.check_access(self.context.principal, self.thread_id)
        snapshot = await self.graph.aget_state(self.config)
        recovered = await self._finish(snapshot, on_notice, on_event)
        if recovered is not None:
            if recovered.request is not None or text.strip() == CONFIRM_WORD:
                return recovered
            if on_notice is not None and recovered.answer:
                on_notice(recovered.answer)
        # a finished run that stopped at a confirmation returned above, so only an untouched thread can wait on one
        resuming = recovered is None and _request_of(snapshot) is not None
        graph_input = Command(resume=text) if resuming else {"messages": [HumanMessage(text)]}
        modes: list[StreamMode] = STREAM_MODES if on_token is not None else ["updates"]
        async for mode, chunk in self.graph.astream(
            graph_input,
            self.config,
            context=self.context,
            stream_mode=[*modes, "custom"] if on_event is not None else modes,
            durability=turn_durability(resuming),
        ):
            if mode == "custom" and on_event is not None and isinstance(chunk, dict):
                on_event(chunk)
                continue
            if mode == "messages" and on_token is not None and isinstance(chunk, tuple):
                message, metadata = chunk
                if isinstance(message, AIMessageChunk) and metadata.get("langgraph_node") == "planner":
                    on_token(content_text(message.content))
            elif mode == "updates" and on_progress is not None:
                _report_tool_calls(chunk, on_progress)
        snapshot = await self.graph.aget_state(self.config)  # one read for both the request and the answer
        request = _request_of(snapshot)
        if self.index is not None:
            await self.index.record_turn(self.context.principal, self.thread_id, text, waiting=request is not None)
        if request is not None:
            return TurnResult(self.thread_id, request=request)
        return TurnResult(self.thread_id, answer=_answer_of(snapshot), unreachable=_unreachable(snapshot))

    async def last_answer(self) -> str:
        """The assistant's last message of the thread."""
        return _answer_of(await self.graph.aget_state(self.config))


def _request_of(snapshot: StateSnapshot) -> dict[str, Any] | None:
    if not snapshot.interrupts:
        return None
    value = snapshot.interrupts[0].value
    return value if isinstance(value, dict) else {"action_requests": [], "value": value}


def _unreachable(snapshot: StateSnapshot) -> str | None:
    return unreachable_lago(snapshot.values.get("messages", []))


def _answer_of(snapshot: StateSnapshot) -> str:
    for message in reversed(snapshot.values.get("messages", [])):
        if isinstance(message, AIMessage):
            return content_text(message.content)
    return ""


def _report_tool_calls(update: Any, on_progress: ProgressCallback) -> None:
    if not isinstance(update, dict):
        return
    planned = update.get("planner")
    if not isinstance(planned, dict):
        return
    for message in planned.get("messages", []):
        for call in getattr(message, "tool_calls", []):
            on_progress(f"→ {call['name']}({', '.join(f'{k}={v!r}' for k, v in call['args'].items())})")
