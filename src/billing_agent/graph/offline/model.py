"""`OfflinePlanner`: the deterministic intent parser as a LangChain chat model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import LanguageModelInput
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from billing_agent.graph.offline.catalog import ToolCatalog
from billing_agent.graph.offline.planner import plan_next_message


class OfflinePlanner(BaseChatModel):
    """A chat model that parses billing requests with fixed rules and emits MCP tool calls.

    Used when no model key is configured. It is stateless: everything it needs comes from the messages
    (the last user request, the tool results since, earlier results for follow-ups), so it works across
    processes with a checkpointer. Bind it to the MCP tools with `bind_tools`; it only calls tools that
    were bound, with arguments their schemas accept.

    Attributes:
        today: The day relative ranges ("last week") are computed from; defaults to a date stated in the
            system prompt ("Today is 2026-11-29"), else the machine's date.
    """

    today: date | None = None

    @property
    def _llm_type(self) -> str:
        return "offline-planner"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"today": self.today.isoformat() if self.today else None}

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Binds tool schemas (OpenAI format) that every call then plans against."""
        formatted = [convert_to_openai_tool(tool) for tool in tools]
        return super().bind(tools=formatted, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        catalog = ToolCatalog(kwargs.get("tools") or [])
        message = plan_next_message(messages, catalog, self.today)
        return ChatResult(generations=[ChatGeneration(message=message)])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._generate(messages, stop=stop, **kwargs)
