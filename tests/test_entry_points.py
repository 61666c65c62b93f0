"""Smoke tests of the real entry points, in subprocesses: the wiring that in-process tests can't see.

Everything else runs the command line in-process (tests/helpers.py `run_cli`); these few prove that
the console script and `python -m oberhahn_policy` start, print and exit as a shell sees them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import REPO, run_entry_point, write_project

pytestmark = pytest.mark.slow

MODULE = [sys.executable, "-m", "oberhahn_policy"]


def test_python_dash_m_prints_the_version() -> None:
    result = run_entry_point("--version", command=MODULE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("oberhahn-policy, version ")


def test_console_script_checks_the_example_application_and_exits_1() -> None:
    result = run_entry_point("check", "examples", "--no-cache", "--today", "2026-11-28", cwd=REPO)
    assert result.exit_code == 1, result.stderr
    assert result.stdout.rstrip().endswith("Checked 9 files (5 import an LLM SDK), 7 LLM call sites.")
    assert result.stderr == ""


def test_a_clean_project_exits_0_and_a_broken_policy_exits_2(tmp_path: Path) -> None:
    clean = write_project(tmp_path / "clean", {"app.py": "print('no LLM here')\n"})
    assert run_entry_point("check", "--no-cache", cwd=clean, command=MODULE).exit_code == 0
    broken = write_project(tmp_path / "broken", {"app.py": "x = 1\n"}, policy="version: 1\nusecases: {}\n")
    result = run_entry_point("check", "--no-cache", cwd=broken, command=MODULE)
    assert result.exit_code == 2
    assert "oberhahn-policy.yaml:2:1: usecases: unknown key 'usecases'; did you mean 'use_cases'?" in result.stderr
    assert "Traceback" not in result.stderr
