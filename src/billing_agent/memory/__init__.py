"""Conversation memory: checkpointer and store factories, the conversation index, the audit trail, context economy."""

from billing_agent.memory.audit import AuditEntry, AuditTrail, Decision, Outcome
from billing_agent.memory.backend import CheckpointerKind, checkpointer_kind, conversations_path, index_path
from billing_agent.memory.checkpointer import open_checkpointer, turn_durability
from billing_agent.memory.conversations import (
    Conversation,
    ConversationIndex,
    ConversationNotFound,
    ConversationStatus,
)
from billing_agent.memory.store import Memory, open_memory, open_store
from billing_agent.memory.window import Window, context_window

__all__ = [
    "AuditEntry",
    "AuditTrail",
    "CheckpointerKind",
    "Conversation",
    "ConversationIndex",
    "ConversationNotFound",
    "ConversationStatus",
    "Decision",
    "Memory",
    "Outcome",
    "Window",
    "checkpointer_kind",
    "context_window",
    "conversations_path",
    "index_path",
    "open_checkpointer",
    "open_memory",
    "open_store",
    "turn_durability",
]
