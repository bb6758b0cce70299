"""The scripted chat model of the test suite (the remote-model edge): each reply is computed from the conversation."""

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

Script = Callable[[list[BaseMessage]], AIMessage]
_ids = itertools.count(1)


def call(name: str, **args: Any) -> ToolCall:
    """A tool call with a fresh 9-character id."""
    return ToolCall(name=name, args=args, id=f"call{next(_ids):05d}", type="tool_call")


def calls(*tool_calls: ToolCall, text: str = "") -> AIMessage:
    """An assistant message that makes these tool calls."""
    return AIMessage(content=text, tool_calls=list(tool_calls))


class ScriptedChatModel(BaseChatModel):
    """Replies with `script(messages)`; records every prompt it was sent and the tools it was bound to."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    script: Any
    prompts: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[str] = Field(default_factory=list)
    offered: list[list[str]] = Field(default_factory=list)
    """Per model call, the names of the tools bound at that moment (the planner binds the role's tools)."""

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable[Any, BaseMessage]:
        self.bound_tools = [t.name if isinstance(t, BaseTool) else str(t) for t in tools]
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.prompts.append(list(messages))
        self.offered.append(list(self.bound_tools))
        reply = self.script(list(messages))
        return ChatResult(generations=[ChatGeneration(message=reply)])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._generate(messages, stop)


def sequence(*replies: AIMessage) -> Script:
    """A script that replies with each message in turn, then repeats a plain 'Done.'."""
    queue = list(replies)

    def script(messages: list[BaseMessage]) -> AIMessage:
        return queue.pop(0) if queue else AIMessage(content="Done.")

    return script
