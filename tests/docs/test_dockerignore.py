"""The image `langgraph build` makes does not carry the virtualenv, git history, server state or secrets."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MUST_STAY_OUT = (".git/", ".venv/", ".langgraph_api/", ".env")


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image() -> None:
    patterns = {line.strip() for line in (REPO / ".dockerignore").read_text().splitlines() if line.strip()}
    assert set(MUST_STAY_OUT) <= patterns
    gitignored = {line.strip() for line in (REPO / ".gitignore").read_text().splitlines() if line.strip()}
    missing = {p for p in gitignored if p not in patterns and f"**/{p}" not in patterns}
    assert not missing, f"ignored by git but copied into the image: {sorted(missing)}"
