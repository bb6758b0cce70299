"""Make a message list valid for Mistral (and every other chat API with the same rules).

Rules enforced (measured against Mistral's API):
- every tool call of an assistant message is answered by a tool message right after it (also after a
  reject or an edit); tool messages answering nothing are dropped;
- no user message right after a tool message (an assistant note is put between them);
- the last message is a user or tool message (trailing plain assistant messages are dropped);
- system messages come first; assistant messages are never empty.
Tool call ids of 9 characters are handled by the langchain-mistralai integration itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

NOT_RUN = "No result: this call was not run. Ask the user before trying it again."
BRIDGE = "(tool results received)"


def _call_ids(message: AIMessage) -> list[str]:
    ids = [call["id"] for call in message.tool_calls if call.get("id")]
    ids += [call["id"] for call in message.invalid_tool_calls if call.get("id")]
    return [str(i) for i in ids]


def _call_names(message: AIMessage) -> dict[str, str]:
    names = {str(c["id"]): c["name"] for c in message.tool_calls if c.get("id")}
    names.update({str(c["id"]): str(c.get("name") or "") for c in message.invalid_tool_calls if c.get("id")})
    return names


def _is_empty(message: BaseMessage) -> bool:
    content = message.content
    return not (content.strip() if isinstance(content, str) else content)


def for_model(messages: Sequence[BaseMessage]) -> list[BaseMessage]:
    """Return a copy of `messages` that satisfies the rules above; the input is not changed.

    Args:
        messages: the conversation, optionally starting with system messages.

    Returns:
        A new list: system messages first, then the repaired conversation.
    """
    system = [m for m in messages if isinstance(m, SystemMessage)]
    result: list[BaseMessage] = []
    index = 0
    body = [m for m in messages if not isinstance(m, SystemMessage)]
    while index < len(body):
        message = body[index]
        index += 1
        if isinstance(message, ToolMessage):
            continue  # an orphan: its call was not the assistant message right before it
        if isinstance(message, AIMessage) and _call_ids(message):
            answers: dict[str, ToolMessage] = {}
            while index < len(body) and isinstance(body[index], ToolMessage):
                answer = body[index]
                assert isinstance(answer, ToolMessage)
                answers.setdefault(answer.tool_call_id, answer)
                index += 1
            result.append(message)
            names = _call_names(message)
            for call_id in dict.fromkeys(_call_ids(message)):
                result.append(
                    answers.get(call_id)
                    or ToolMessage(content=NOT_RUN, tool_call_id=call_id, name=names.get(call_id), status="error")
                )
            continue
        if isinstance(message, AIMessage) and _is_empty(message):
            continue
        if isinstance(message, HumanMessage) and result and isinstance(result[-1], ToolMessage):
            result.append(AIMessage(content=BRIDGE))
        result.append(message)
    while result and isinstance(result[-1], AIMessage) and not _call_ids(result[-1]):
        result.pop()
    return [*system, *result]
