"""Deterministic demo data: org "Hooli Demo" (key `sandbox-demo-key`) and a second org."""

from __future__ import annotations

from billing_agent.sandbox.store import SandboxStore

DEMO_ORG_NAME = "Hooli Demo"
DEMO_API_KEY = "sandbox-demo-key"
OTHER_ORG_NAME = "Pied Piper"
OTHER_API_KEY = "sandbox-other-key"
SEEDS = ("demo", "empty")


def apply_seed(store: SandboxStore, seed: str | None, *, customers: int = 1200) -> None:
    """Fill an empty store with the named seed (`demo`: full demo data; `empty`: the two orgs only)."""
    if seed is None:
        return
    if seed not in SEEDS:
        raise ValueError(f"unknown seed {seed!r}; use one of {', '.join(SEEDS)}")
    store.add_org(DEMO_ORG_NAME, DEMO_API_KEY)
    store.add_org(OTHER_ORG_NAME, OTHER_API_KEY)
