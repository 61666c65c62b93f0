"""One file never ends a run: when resolution or a rule fails on a file (a bug of ours), that file gets a finding
saying so, and every other file is still checked — as extraction does for a file that kills a worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli, write_project

from oberhahn_policy.resolve import Resolver
from oberhahn_policy.rules.obh301_missing_output_limit import MissingOutputLimit

CALL = """
    from openai import OpenAI

    client = OpenAI()
    client.chat.completions.create(model="gpt-6-luna", messages=[])
"""


def _project(tmp_path: Path) -> Path:
    return write_project(tmp_path, {"ok.py": CALL, "bad.py": CALL})


def test_a_file_resolution_fails_on_is_reported_and_the_others_are_checked(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    original = Resolver.resolve_file

    def failing(self: Resolver, file: object) -> object:
        if getattr(file, "path", None) == "bad.py":
            raise OverflowError("int too large to convert to float")
        return original(self, file)  # type: ignore[arg-type]

    monkeypatch.delenv("OBERHAHN_DEBUG", raising=False)
    monkeypatch.setattr(Resolver, "resolve_file", failing)
    result = run_cli("check", ".", "--no-cache", "--select", "OBH001,OBH301", cwd=_project(tmp_path))
    assert result.exit_code == 1
    assert ("bad.py:1:1: OBH001 internal error while resolving this file's call sites (OverflowError: int too large "
            "to convert to float); they were skipped") in result.stdout
    assert "ok.py:5:1: OBH301" in result.stdout
    assert "Checked 2 files (2 import an LLM SDK), 1 LLM call site." in result.stdout


def test_a_file_a_rule_fails_on_is_reported_and_the_rule_checks_the_others(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    original = MissingOutputLimit.check

    def failing(self: MissingOutputLimit, view: object) -> object:
        if any(site.path == "bad.py" for site in view.call_sites):  # type: ignore[attr-defined]
            raise KeyError("surprise")
        return original(self, view)  # type: ignore[arg-type]

    monkeypatch.delenv("OBERHAHN_DEBUG", raising=False)
    monkeypatch.setattr(MissingOutputLimit, "check", failing)
    result = run_cli("check", ".", "--no-cache", "--select", "OBH301", "--fail-on", "warning", cwd=_project(tmp_path))
    assert result.exit_code == 1  # at the rule's own severity
    assert ("bad.py:1:1: OBH301 internal error while checking this file (KeyError: 'surprise'); it was not checked by "
            "this rule") in result.stdout
    assert "ok.py:5:1: OBH301 openai.chat.completions.create call has no output-token limit" in result.stdout
