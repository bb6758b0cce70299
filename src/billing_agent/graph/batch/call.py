"""Run one batch item's tool call at the lowest cost that keeps the MCP session and protocol.

A batch makes up to 1,000 calls of the same tool. `BaseTool.ainvoke` spends about as much CPU per call on
callback managers, signature and type-hint inspection as the MCP round trip itself. An MCP tool from
langchain-mcp-adapters is a `StructuredTool` whose coroutine sends `tools/call` over the kept session and whose
JSON-schema arguments LangChain passes through unvalidated, so awaiting that coroutine makes exactly the same MCP
request and gets exactly the same result. Any other tool (or one with callbacks of its own) goes through
`run_tool` as usual.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.tools import BaseTool, StructuredTool, ToolException

from billing_agent.graph.records import parse_json_text
from billing_agent.graph.toolcall import Outcome, content_text, run_tool

Coroutine = Callable[..., Awaitable[Any]]


def direct_coroutine(tool: BaseTool | None) -> Coroutine | None:
    """The tool's own coroutine when awaiting it is equivalent to `ainvoke` (an MCP adapter tool), else None."""
    if not isinstance(tool, StructuredTool) or tool.coroutine is None:
        return None
    if tool.response_format != "content_and_artifact" or not isinstance(tool.args_schema, dict):
        return None  # a pydantic schema would be validated by `ainvoke`; keep that
    if tool.callbacks or tool.verbose:
        return None  # someone listens to this tool's runs; let LangChain report them
    return tool.coroutine


def _error_text(error: BaseException) -> str:
    if isinstance(error, BaseExceptionGroup):
        return "; ".join(_error_text(e) for e in error.exceptions)
    return f"{type(error).__name__}: {error}".strip()


def _call_failed(name: str, error: BaseException) -> Outcome:
    return Outcome(False, f"Calling {name} failed ({_error_text(error)}). Check the arguments or try again.", None)


def _handled_error(tool: BaseTool, error: ToolException) -> Outcome:
    """What the tool's `handle_tool_error` makes of a tool error (as `ainvoke` would), as a failed outcome."""
    flag = tool.handle_tool_error
    if not flag:
        return _call_failed(tool.name, error)
    if isinstance(flag, str):
        content: Any = flag
    elif callable(flag):
        try:
            content = flag(error)
        except Exception as unhandled:  # the handler re-raised: the error is not a tool result
            return _call_failed(tool.name, unhandled)
    else:
        content = error.args[0] if error.args else "Tool execution error"
    text = content_text(content)
    return Outcome(False, text or f"{tool.name} failed without a message.", None)


def _success(response: Any, name: str) -> Outcome:
    if not isinstance(response, tuple) or len(response) != 2:
        problem = ValueError(f"a (content, artifact) pair was expected, got {type(response).__name__}")
        return _call_failed(name, problem)
    content, artifact = response
    if isinstance(content, ToolMessage):  # an interceptor answered with a whole message
        if content.status == "error":
            return Outcome(False, content_text(content.content) or f"{name} failed without a message.", None)
        artifact = content.artifact
        content = content.content
    text = content_text(content)
    if isinstance(artifact, Mapping) and "structured_content" in artifact:
        return Outcome(True, text, artifact["structured_content"])
    if isinstance(artifact, dict | list):
        return Outcome(True, text, artifact)
    return Outcome(True, text, parse_json_text(text))


async def call_batch_tool(tools: Mapping[str, BaseTool], name: str, args: dict[str, Any], call_id: str) -> Outcome:
    """Call `name` with `args`; every failure becomes a failed outcome with the same text `run_tool` gives."""
    tool = tools.get(name)
    coroutine = direct_coroutine(tool)
    if tool is None or coroutine is None:
        return await run_tool(tools, ToolCall(name=name, args=args, id=call_id))
    try:
        response = await coroutine(**args)
    except ToolException as error:
        return _handled_error(tool, error)
    except Exception as error:  # every failure is reported per item, none propagates
        return _call_failed(name, error)
    return _success(response, name)
