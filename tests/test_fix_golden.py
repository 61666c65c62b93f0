"""`fix` per SDK: tests/golden/fix/SDK/before.py becomes after.py, the command prints notes.txt, and a second run changes nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from golden import GOLDEN, assert_generated
from helpers import run_cli

FIX_GOLDEN = GOLDEN / "fix"
FIXED = re.compile(r": OBH\d+ fixed: ", re.MULTILINE)
AT_CALL = re.compile(r"^\S+:\d+:\d+: OBH\d+ ")
SDKS = sorted(p.name for p in FIX_GOLDEN.iterdir() if (p / "before.py").is_file())


def _project(tmp_path: Path, sdk: str) -> Path:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / ".git").mkdir()
    shutil.copy(FIX_GOLDEN / "oberhahn-policy.yaml", root / "oberhahn-policy.yaml")
    shutil.copy(FIX_GOLDEN / sdk / "before.py", root / "app" / f"{sdk}.py")
    return root


def test_every_sdk_of_the_issue_has_a_golden() -> None:
    assert set(SDKS) >= {"openai_chat", "openai_responses", "anthropic", "bedrock_converse", "google_genai",
                         "langchain_openai", "litellm"}


@pytest.mark.parametrize("sdk", SDKS)
def test_fix_golden(tmp_path: Path, sdk: str) -> None:
    root = _project(tmp_path, sdk)
    first = run_cli("fix", "--no-cache", cwd=root)
    assert first.exit_code == 0, first.stdout + first.stderr
    fixed = (root / "app" / f"{sdk}.py").read_text(encoding="utf-8")
    assert_generated(FIX_GOLDEN / sdk / "after.py", fixed)
    assert_generated(FIX_GOLDEN / sdk / "notes.txt", first.stdout)
    assert FIXED.search(first.stdout), "each golden shows at least one fix"

    second = run_cli("fix", "--no-cache", cwd=root)
    assert second.exit_code == 0
    assert (root / "app" / f"{sdk}.py").read_text(encoding="utf-8") == fixed
    assert not FIXED.search(second.stdout)
    assert second.stdout.splitlines()[-1].startswith("Nothing to fix")

    # what was fixed is no longer reported; what was left alone still is, at the same place
    check = run_cli("check", "--no-cache", "--select", "OBH101,OBH301,OBH302", cwd=root)
    left = {line.split(" not fixed: ")[0] for line in second.stdout.splitlines() if " not fixed: " in line}
    reported = {" ".join(line.split(" ", 2)[:2]) for line in check.stdout.splitlines() if AT_CALL.match(line)}
    assert reported == left
