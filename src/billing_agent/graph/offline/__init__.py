"""Offline planner: a deterministic intent parser that acts as a chat model when no model key is set."""

from billing_agent.graph.offline.model import OfflinePlanner

__all__ = ["OfflinePlanner"]
