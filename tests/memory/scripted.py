"""A chat model that replies from a script and records the tools it was offered (the remote-model edge)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolCall
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from pydantic import ConfigDict, Field

_ids = itertools.count(1)


def tool_call(name: str, **args: Any) -> AIMessage:
    """An assistant message calling one tool, with a fresh 9-character id."""
    return AIMessage(
        content="", tool_calls=[ToolCall(name=name, args=args, id=f"mem{next(_ids):06d}", type="tool_call")]
    )


class Scripted(BaseChatModel):
    """Replies with `reply(prompt)`; `offered` holds, per model call, the names of the tools it was offered."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    reply: Any
    prompts: list[list[BaseMessage]] = Field(default_factory=list)
    offered: list[list[str]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-memory"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable[Any, BaseMessage]:
        return _Bound(parent=self, names=[t.name if isinstance(t, BaseTool) else str(t) for t in tools])

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.prompts.append(list(messages))
        return ChatResult(generations=[ChatGeneration(message=self.reply(list(messages)))])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._generate(messages, stop)


class _Bound(BaseChatModel):
    """The scripted model bound to one tool set."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    parent: Any
    names: list[str]

    @property
    def _llm_type(self) -> str:
        return "scripted-memory-bound"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.parent.offered.append(self.names)
        result: ChatResult = self.parent._generate(messages, stop)
        return result

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._generate(messages, stop)


def replies(*messages: AIMessage) -> Callable[[list[BaseMessage]], AIMessage]:
    """Reply with each message in turn; then 'Done.'."""
    queue = list(messages)
    return lambda prompt: queue.pop(0) if queue else AIMessage(content="Done.")
