"""Replay the README's chat transcript with the real CLI; `python -m tests.docs.transcript` prints a fresh one.

The transcript block is the README's `console` block whose commands run `billing-agent`. Each command runs
in-process (Click's runner shows stdout and stderr interleaved, as a terminal does) on one fresh data dir, so
`--thread` continues the conversation the previous command started.
"""

from __future__ import annotations

import re
import shlex
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from billing_agent.cli import app

from .readme import PROMPT, CodeBlock, TranscriptStep, code_blocks, read_readme, transcript

DEFAULT_HOME = "~/.local/share/billing-agent"
COLUMNS = "120"
_THREAD = re.compile(r"\b[0-9a-f]{32}\b")
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?")
_TIME = re.compile(r"\b\d{2}:\d{2}(?::\d{2})?\b")


@dataclass(frozen=True)
class Replayed:
    """A command as run (thread id filled in), its terminal output, and its exit code."""

    command: str
    output: str
    exit_code: int


def transcript_block(text: str) -> CodeBlock:
    """The README's chat transcript: the first console block whose commands all run `billing-agent`."""
    for block in code_blocks(text):
        steps = transcript(block) if block.language == "console" else []
        if steps and all(step.command.startswith("billing-agent ") for step in steps):
            return block
    raise LookupError("The README has no console block of `billing-agent` commands (the chat transcript).")


def replay(commands: list[str], home: Path) -> list[Replayed]:
    """Run the commands in order on `home`; `--thread <id>` gets the id the previous output announced."""
    runner = CliRunner()
    env = {"BILLING_AGENT_HOME": str(home), "COLUMNS": COLUMNS, "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
    replayed: list[Replayed] = []
    thread: str | None = None
    for command in commands:
        argv = shlex.split(command)[1:]
        if "--thread" in argv and thread is not None:
            argv[argv.index("--thread") + 1] = thread
            command = re.sub(r"--thread \S+", f"--thread {thread}", command)
        result = runner.invoke(app, argv, env=env)
        output = result.output.replace(str(home), DEFAULT_HOME)
        found = _THREAD.findall(output)
        thread = found[-1] if found else thread
        replayed.append(Replayed(command, output, result.exit_code))
    return replayed


def normalized(text: str) -> str:
    """Text without what differs between runs or days (ids, dates, times) and without line wrapping."""
    text = _UUID.sub("<uuid>", _THREAD.sub("<thread>", text))
    text = _TIME.sub("<time>", _DATE.sub("<date>", text))
    return " ".join(text.split())


def render(replayed: list[Replayed]) -> str:
    """A console block body: each command after a prompt, then its output."""
    parts = [f"{PROMPT}{step.command}\n{step.output.rstrip()}\n\n" for step in replayed]
    return "\n".join(line.rstrip() for line in "".join(parts).strip().splitlines()) + "\n"


def steps_of_readme() -> list[TranscriptStep]:
    """The transcript steps the README shows."""
    return transcript(transcript_block(read_readme()))


def main() -> None:
    """Print a fresh transcript of the README's commands (paste it into the README's chat block)."""
    commands = [step.command for step in steps_of_readme()]
    with tempfile.TemporaryDirectory() as home:
        sys.stdout.write(render(replay(commands, Path(home))))


if __name__ == "__main__":
    main()
