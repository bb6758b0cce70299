"""Every command, config snippet, import and setting the README mentions exists and is used as written."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from billing_agent.cli import app
from billing_agent.settings import Settings

from .readme import REPO_ROOT, Command, code_blocks, config_rows, read_readme, shell_commands

README_TEXT = read_readme()
BLOCKS = code_blocks(README_TEXT)
COMMANDS = shell_commands(BLOCKS)
ROOT = get_command(app)
runner = CliRunner()

# Programs other than ours that the README may run, and why the test only checks them lightly.
EXTERNAL_PROGRAMS = {
    "docker": "Lago's official MCP server image; needs Docker and the network, not run by the tests",
    "langgraph": "the LangGraph CLI (`pip install langgraph-cli`); checked against langgraph.json",
    "export": "shell built-in; the variables must be in the configuration table",
    "git": "cloning the repository",
    "pip": "installing optional tools (the LangGraph CLI)",
    "cd": "shell built-in",
}
SYSTEM_VARIABLES = {"PATH"}  # the operating system's, passed through to subprocesses
_ENV_READ = re.compile(r"""(?:os\.environ\.get|os\.getenv|os\.environ\[)\(?\s*["']([A-Z][A-Z0-9_]*)["']""")


def _is_group(command: Any) -> bool:
    return isinstance(getattr(command, "commands", None), dict)  # typer vendors click: no isinstance(click.Group)


def _resolve(argv: tuple[str, ...]) -> tuple[list[str], Any, list[str]]:
    """Walk `billing-agent …` down the command tree: (sub-command path, command, remaining arguments)."""
    command: Any = ROOT
    rest = list(argv[1:])
    path: list[str] = []
    while _is_group(command) and rest and rest[0] in command.commands:
        path.append(rest.pop(0))
        command = command.commands[path[-1]]
    return path, command, rest


def _makefile_targets() -> set[str]:
    text = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w.-]*)\s*:(?!=)", text, re.MULTILINE))


def _documented_variables() -> set[str]:
    return set(config_rows(README_TEXT))


def _label(command: Command) -> str:
    return f"README line {command.line}: {' '.join((*command.assignments, *command.argv))}"


def test_the_readme_starts_with_the_two_commands() -> None:
    first_shell = next(block for block in BLOCKS if block.language == "bash")
    assert [c.argv for c in shell_commands([first_shell])] == [("make", "chat"), ("make", "test")]


def test_every_shell_command_is_ours_a_make_target_or_a_known_program() -> None:
    targets = _makefile_targets()
    for command in COMMANDS:
        program = command.program
        if program == "billing-agent":
            continue  # checked by the next test
        if program == "make":
            missing = [t for t in command.argv[1:] if not t.startswith("-") and t not in targets]
            assert not missing, f"{_label(command)}: no Makefile target {missing}"
        else:
            assert program in EXTERNAL_PROGRAMS or not program, f"{_label(command)}: unknown program {program!r}"


@pytest.mark.parametrize(
    "command", [c for c in COMMANDS if c.program == "billing-agent"], ids=lambda c: " ".join(c.argv[1:3])
)
def test_every_billing_agent_command_parses_and_has_help(command: Command) -> None:
    path, cli_command, rest = _resolve(command.argv)
    assert path and not _is_group(cli_command), f"{_label(command)}: {path} is not a complete command"
    cli_command.make_context(" ".join(["billing-agent", *path]), list(rest))  # raises on unknown options/arguments
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output


def test_variables_set_in_commands_are_documented() -> None:
    documented = _documented_variables()
    for command in COMMANDS:
        names = [a.split("=", 1)[0] for a in command.assignments]
        if command.program == "export":
            names += [a.split("=", 1)[0] for a in command.argv[1:]]
        assert set(names) <= documented, f"{_label(command)}: undocumented {set(names) - documented}"


def _load_attribute(target: str) -> Any:
    """`./path/file.py:name` from langgraph.json, loaded the way the server loads it."""
    path, _, attribute = target.partition(":")
    spec = importlib.util.spec_from_file_location(f"readme_check_{Path(path).stem}", REPO_ROOT / path)
    assert spec is not None and spec.loader is not None, target
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, attribute)


def test_langgraph_commands_use_the_repository_config() -> None:
    used = [c for c in COMMANDS if c.program == "langgraph"]
    assert used, "the README shows how to run the agent on LangGraph Server"
    for command in used:
        assert command.argv[1] in {"dev", "build", "up", "dockerfile"}, _label(command)
    config = json.loads((REPO_ROOT / "langgraph.json").read_text(encoding="utf-8"))
    for target in [*config["graphs"].values(), config["auth"]["path"]]:
        assert _load_attribute(target) is not None
    called = re.findall(r"runs\.\w+\([^,]+,\s*\"(\w+)\"", "\n".join(_python_blocks()))
    assert called and set(called) <= set(config["graphs"]), called


def _mcp_servers() -> list[dict[str, Any]]:
    servers = []
    for block in BLOCKS:
        if block.language == "json":
            servers += list(json.loads(block.text).get("mcpServers", {}).values())
    return servers


def test_mcp_client_configs_run_real_commands() -> None:
    servers = _mcp_servers()
    ours = [s for s in servers if Path(s["command"]).name == "billing-agent"]
    assert ours, "the README shows how to point an MCP client at `billing-agent mcp serve`"
    for server in ours:
        path, cli_command, rest = _resolve(("billing-agent", *server["args"]))
        assert path == ["mcp", "serve"]
        cli_command.make_context("billing-agent mcp serve", rest)
        assert set(server.get("env", {})) <= _documented_variables()
    for server in servers:
        assert Path(server["command"]).name in {"billing-agent", "docker"}, server


def _python_blocks() -> list[str]:
    return [block.text for block in BLOCKS if block.language == "python"]


def test_python_snippets_compile_and_their_imports_exist() -> None:
    assert _python_blocks()
    for source in _python_blocks():
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = importlib.import_module(node.module)
                for alias in node.names:
                    assert hasattr(module, alias.name) or importlib.util.find_spec(f"{node.module}.{alias.name}"), (
                        f"{node.module}.{alias.name} does not exist"
                    )
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    importlib.import_module(alias.name)


def _settings_variables() -> dict[str, Any]:
    """Every environment variable `Settings` reads → its field's default (None when computed)."""
    variables: dict[str, Any] = {}
    for field in Settings.model_fields.values():
        alias = field.validation_alias
        choices = getattr(alias, "choices", [alias])
        for name in choices:
            variables[str(name)] = None if field.default_factory is not None else field.default
    return variables


def _variables_read_directly(folder: str) -> set[str]:
    found: set[str] = set()
    for path in (REPO_ROOT / folder).rglob("*.py"):
        found |= set(_ENV_READ.findall(path.read_text(encoding="utf-8")))
    return found


def test_the_config_tables_list_every_environment_variable() -> None:
    read = _variables_read_directly("src") | _variables_read_directly("tests")
    expected = set(_settings_variables()) | (read - SYSTEM_VARIABLES)
    documented = _documented_variables()
    assert sorted(expected - documented) == [], "add these to the README's configuration tables"
    assert sorted(documented - expected) == [], "the README documents variables nothing reads"


def _cell_value(cell: str) -> str | None:
    match = re.match(r"`([^`]*)`", cell)
    return match.group(1) if match else None


def test_the_config_table_shows_each_default() -> None:
    rows = config_rows(README_TEXT)
    for name, default in _settings_variables().items():
        cell = rows[name][0]
        if default is None:
            assert cell.startswith(("unset", "`~/")) or "data dir" in cell, f"{name}: {cell!r}"
        elif isinstance(default, int | float):
            value = _cell_value(cell)
            assert value is not None and float(value) == float(default), f"{name}: README {cell!r}, code {default}"
        else:
            assert _cell_value(cell) == str(default), f"{name}: README {cell!r}, code {default!r}"
