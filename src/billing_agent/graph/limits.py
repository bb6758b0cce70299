"""Per-turn limits of the agent: set by whoever builds the graph (server settings), never by a run's caller."""

from __future__ import annotations

from dataclasses import dataclass

from billing_agent.settings import Settings


@dataclass(frozen=True)
class Limits:
    """How far one turn may go: tool rounds, the size of a user message, the tool result text the model sees."""

    max_tool_rounds: int = 6
    max_message_chars: int = 20_000
    tool_result_chars: int = 6_000

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Limits:
        """The limits of `BILLING_AGENT_MAX_TOOL_ROUNDS`, `…_MAX_MESSAGE_CHARS` and `…_TOOL_RESULT_CHARS`."""
        s = settings or Settings()
        return cls(s.max_tool_rounds, s.max_message_chars, s.tool_result_chars)
