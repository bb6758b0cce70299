"""The notebooks: stored without outputs, and each runs top to bottom offline, as a newcomer would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from .readme import REPO_ROOT

NOTEBOOK_DIR = REPO_ROOT / "notebooks"
EXPECTED = ["01_quickstart.ipynb", "02_embedding.ipynb", "03_batch_and_safety.ipynb"]
NEEDS_POSTGRES = {"02_embedding.ipynb"}
CELL_TIMEOUT_S = 60
UNREACHABLE_PROXY = "http://127.0.0.1:9"  # discard port: any HTTP call that is not to localhost fails fast


def test_the_three_notebooks_are_there() -> None:
    assert sorted(p.name for p in NOTEBOOK_DIR.glob("*.ipynb")) == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_is_stored_without_outputs(name: str) -> None:
    notebook = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: clear the outputs of {cell.id}"


def test_notebook_code_passes_the_project_linters() -> None:
    for check in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *check, str(NOTEBOOK_DIR)], capture_output=True, text=True, cwd=REPO_ROOT
        )
        assert result.returncode == 0, result.stdout + result.stderr


def _kernel_for_this_interpreter(folder: Path) -> None:
    """A `python3` kernelspec that runs this interpreter (so a user's own python3 kernel cannot be picked)."""
    spec_dir = folder / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (billing-agent tests)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.postgres) if n in NEEDS_POSTGRES else n for n in EXPECTED]
)
def test_notebook_runs_top_to_bottom_offline(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    if name in NEEDS_POSTGRES:
        monkeypatch.setenv("BILLING_AGENT_DATABASE_URL", request.getfixturevalue("postgres_url"))
    _kernel_for_this_interpreter(tmp_path / "jupyter")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(variable, UNREACHABLE_PROXY)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    notebook = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
    client = NotebookClient(
        notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError with the failing cell and its traceback
    errors = [o for cell in notebook.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
