"""The chat transcript in the README is what the CLI prints today (ids and dates aside)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .readme import code_blocks, read_readme
from .transcript import normalized, replay, steps_of_readme

NEEDS_CONFIRMATION = 3


@pytest.mark.slow
def test_the_readme_transcript_is_real_output(tmp_path: Path) -> None:
    steps = steps_of_readme()
    assert len(steps) >= 3, "the transcript shows a question, a confirmation request and its approval"
    replayed = replay([step.command for step in steps], tmp_path)
    for shown, ran in zip(steps, replayed, strict=True):
        waits = "Confirmation needed" in ran.output
        assert ran.exit_code == (NEEDS_CONFIRMATION if waits else 0), ran.output
        assert normalized(ran.output) == normalized(shown.output), (
            f"`{ran.command}` now prints:\n{ran.output}\n"
            "Refresh the README's transcript with `.venv/bin/python -m tests.docs.transcript`."
        )


def _embedding_snippet() -> str:
    found = [block.text for block in code_blocks(read_readme()) if "async def main()" in block.text]
    assert len(found) == 1, "the README's embedding example defines `async def main()`"
    return found[0]


@pytest.mark.slow
async def test_the_readme_embedding_example_runs_offline(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(_embedding_snippet(), "README.md", "exec"), namespace)
    await namespace["main"]()
    assert "Terminated subscription sub_acme_corp" in capsys.readouterr().out
