"""Read the README: its fenced code blocks, the shell commands and transcripts in them, and its config tables."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "README.md"
SHELL_LANGUAGES = {"bash", "sh", "shell"}
PROMPT = "$ "

_FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```\s*$", re.DOTALL | re.MULTILINE)
_ASSIGNMENT = re.compile(r"^[A-Z][A-Z0-9_]*=")
_TABLE_ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*(.*?)\s*\|\s*(.*?)\s*\|\s*$")


@dataclass(frozen=True)
class CodeBlock:
    """One fenced block: its info-string language, its text, and the README line it starts on."""

    language: str
    text: str
    line: int


@dataclass(frozen=True)
class Command:
    """One shell command of the README: leading `VAR=value` assignments apart from the argument list."""

    assignments: tuple[str, ...]
    argv: tuple[str, ...]
    line: int

    @property
    def program(self) -> str:
        """The program run (first argument), or '' for a bare assignment line."""
        return self.argv[0] if self.argv else ""


@dataclass(frozen=True)
class TranscriptStep:
    """A `$ command` line of a console block and the output printed under it."""

    command: str
    output: str


def read_readme() -> str:
    """The README's text."""
    return README.read_text(encoding="utf-8")


def code_blocks(text: str) -> list[CodeBlock]:
    """Every fenced code block, in order."""
    return [
        CodeBlock(match.group(1).lower(), match.group(2), text.count("\n", 0, match.start()) + 1)
        for match in _FENCE.finditer(text)
    ]


def _split(line: str, number: int) -> Command:
    tokens = shlex.split(line, comments=True)
    if tokens and tokens[-1] == "&":  # run in the background
        tokens.pop()
    assignments = []
    while tokens and _ASSIGNMENT.match(tokens[0]):
        assignments.append(tokens.pop(0))
    return Command(tuple(assignments), tuple(tokens), number)


def _logical_lines(block: CodeBlock) -> list[tuple[int, str]]:
    """Lines of a shell block with backslash continuations joined, paired with their README line number."""
    joined: list[tuple[int, str]] = []
    pending = ""
    start = block.line + 1
    for offset, raw in enumerate(block.text.splitlines()):
        if not pending:
            start = block.line + 1 + offset
        line = raw.rstrip()
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        joined.append((start, pending + line))
        pending = ""
    return joined


def shell_commands(blocks: list[CodeBlock]) -> list[Command]:
    """Commands of `bash`/`sh`/`shell` blocks (every non-comment line) and of `console` blocks (`$ ` lines)."""
    commands: list[Command] = []
    for block in blocks:
        if block.language in SHELL_LANGUAGES:
            lines = [(n, line) for n, line in _logical_lines(block) if line.strip()]
        elif block.language == "console":
            lines = [(n, line[len(PROMPT) :]) for n, line in _logical_lines(block) if line.startswith(PROMPT)]
        else:
            continue
        for number, line in lines:
            command = _split(line, number)
            if command.argv or command.assignments:
                commands.append(command)
    return commands


def transcript(block: CodeBlock) -> list[TranscriptStep]:
    """The steps of a console block: each `$ ` command with the lines printed until the next one."""
    steps: list[TranscriptStep] = []
    for line in block.text.splitlines():
        if line.startswith(PROMPT):
            steps.append(TranscriptStep(line[len(PROMPT) :], ""))
        elif steps:
            last = steps[-1]
            steps[-1] = TranscriptStep(last.command, f"{last.output}{line}\n")
    return steps


def config_rows(text: str) -> dict[str, tuple[str, str]]:
    """Rows of the README's configuration tables: variable → (default cell, meaning cell)."""
    rows: dict[str, tuple[str, str]] = {}
    for line in text.splitlines():
        match = _TABLE_ROW.match(line)
        if match:
            rows[match.group(1)] = (match.group(2), match.group(3))
    return rows
