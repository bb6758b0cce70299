"""Support for the Mistral wire tests: the request-body rules as a vcrpy matcher, a scripted fake Mistral API
for synthesizing cassettes, and a persister that marks synthesized cassettes as such."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from vcr.persisters.filesystem import FilesystemPersister

ENDPOINT = "https://api.mistral.ai/v1"
CASSETTE_DIR = Path(__file__).resolve().parents[1] / "cassettes"
SYNTHESIZED_HEADER = (
    "# SYNTHESIZED cassette: written by the scripted fake Mistral API in tests/graph/mistral_wire.py\n"
    "# (BILLING_AGENT_SYNTHESIZE_CASSETTES=1 pytest tests/graph/test_mistral_wire.py --record-mode=all),\n"
    "# not recorded from api.mistral.ai. Re-record for real with `make record-cassettes` (needs MISTRAL_API_KEY).\n"
)
_TOOL_ID = re.compile(r"^[a-zA-Z0-9]{9}$")


def check_wire_messages(body: dict[str, Any]) -> None:
    """Assert that a /chat/completions request body follows Mistral's message rules."""
    messages = body["messages"]
    expected: list[str] = []
    previous = None
    for message in messages:
        role = message["role"]
        if role == "tool":
            assert _TOOL_ID.match(message["tool_call_id"]), f"bad tool_call_id {message['tool_call_id']!r}"
            assert expected and message["tool_call_id"] == expected.pop(0), "tool message answers nothing"
        else:
            assert not expected, f"unanswered tool calls {expected}"
            assert not (role == "user" and previous == "tool"), "user message right after a tool message"
            if role == "assistant":
                expected = [call["id"] for call in message.get("tool_calls") or []]
                assert all(_TOOL_ID.match(i) for i in expected), f"bad tool call ids {expected}"
                assert all(isinstance(c["function"]["arguments"], str) for c in message.get("tool_calls") or [])
        previous = role
    assert not expected, f"unanswered tool calls at the end {expected}"
    assert messages[-1]["role"] in ("user", "tool"), "last message must be user or tool"


def mistral_rules_matcher(live: Any, recorded: Any) -> None:
    """vcrpy matcher: the live request must satisfy Mistral's rules (the recorded one is not compared)."""
    body = live.body
    check_wire_messages(json.loads(body.decode() if isinstance(body, bytes) else body))


def tool_call_reply(call_id: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
    """A Mistral chat completion that calls one tool."""
    message = {
        "role": "assistant",
        "content": "",
        "tool_calls": [{"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}],
    }
    return _completion(message, "tool_calls")


def text_reply(text: str) -> dict[str, Any]:
    """A Mistral chat completion with plain text."""
    return _completion({"role": "assistant", "content": text, "tool_calls": None}, "stop")


def _completion(message: dict[str, Any], finish: str) -> dict[str, Any]:
    return {
        "id": "cmpl-synthesized",
        "object": "chat.completion",
        "created": 1796000000,
        "model": "mistral-large-latest",
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 900, "completion_tokens": 20, "total_tokens": 920},
    }


def fake_mistral(replies: list[dict[str, Any]]) -> Callable[[httpx.Request], httpx.Response]:
    """A MockTransport handler: checks each request body against the rules, answers the next scripted reply."""
    queue = list(replies)

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        check_wire_messages(body)
        assert body["tools"], "the tools must be sent"
        return httpx.Response(200, json=queue.pop(0))

    return handle


class SynthesizedPersister(FilesystemPersister):
    """Writes cassettes with a header saying they were synthesized."""

    @staticmethod
    def save_cassette(cassette_path: Any, cassette_dict: Any, serializer: Any) -> None:
        FilesystemPersister.save_cassette(cassette_path, cassette_dict, serializer)
        path = Path(cassette_path)
        path.write_text(SYNTHESIZED_HEADER + path.read_text())
