"""A local Lago-API-compatible server (Starlette + SQLite) for the assistant, tests and benchmarks."""

from billing_agent.sandbox.app import Sandbox, create_sandbox_app
from billing_agent.sandbox.faults import FaultConfig
from billing_agent.sandbox.seed import DEMO_API_KEY, DEMO_ORG_NAME, OTHER_API_KEY, OTHER_ORG_NAME
from billing_agent.sandbox.server import SandboxServer, free_port
from billing_agent.sandbox.store import SandboxStore

__all__ = [
    "DEMO_API_KEY",
    "DEMO_ORG_NAME",
    "OTHER_API_KEY",
    "OTHER_ORG_NAME",
    "FaultConfig",
    "Sandbox",
    "SandboxServer",
    "SandboxStore",
    "create_sandbox_app",
    "free_port",
]
