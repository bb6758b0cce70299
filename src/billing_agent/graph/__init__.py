"""The billing agent graph: planner, executor, structural confirmation, summarizer."""

from billing_agent.graph.builder import build_graph
from billing_agent.graph.context import Context, Principal
from billing_agent.graph.limits import Limits
from billing_agent.graph.state import InputState, State

__all__ = ["Context", "InputState", "Limits", "Principal", "State", "build_graph"]
