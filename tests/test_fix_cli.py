"""`oberhahn-policy fix` on the command line and through the API: diffs, exit codes, safe writes, SARIF fixes, acceptance."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import jsonschema
import pytest
from golden import GOLDEN, assert_generated
from helpers import REPO, git, run_cli, write_project

from oberhahn_policy import api
from oberhahn_policy.policy import load_policy

POLICY = """\
version: 1
attribution:
  required: [team, use_case]
  carriers: [body, header, client]
teams:
  support: {owner: support@example.com}
use_cases:
  ticket-triage:
    team: support
    paths: ["desk/**"]
    models:
      approved: ["gpt-6-luna"]
    limits:
      max_output_tokens: 300
"""

TRIAGE = """\
from openai import OpenAI

client = OpenAI()


def triage(ticket: str) -> str:
    response = client.chat.completions.create(
        model="gpt-6-sol",
        messages=[{"role": "user", "content": ticket}],
    )
    return response.choices[0].message.content or ""
"""


def _desk(tmp_path: Path, source: str = TRIAGE, name: str = "desk/triage.py") -> Path:
    return write_project(tmp_path / "desk-service", {name: source}, POLICY)


def test_diff_prints_a_patch_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    root = _desk(tmp_path)
    before = (root / "desk" / "triage.py").read_bytes()
    result = run_cli("fix", "--diff", "--no-cache", cwd=root)
    assert result.exit_code == 1
    assert (root / "desk" / "triage.py").read_bytes() == before
    assert result.stdout.startswith("--- a/desk/triage.py\n+++ b/desk/triage.py\n")
    assert '+        metadata={"team": "support", "use_case": "ticket-triage"},\n' in result.stdout
    assert "+        max_completion_tokens=300,\n" in result.stdout
    assert "Would fix 2 findings in 1 file (--diff: nothing written)" in result.stderr
    # the patch is the change `fix` makes
    git(root, "init", "-q")
    (root / "patch.diff").write_text(result.stdout, encoding="utf-8")
    git(root, "apply", "patch.diff")
    patched = (root / "desk" / "triage.py").read_bytes()
    (root / "desk" / "triage.py").write_bytes(before)
    assert run_cli("fix", "--no-cache", cwd=root).exit_code == 0
    assert (root / "desk" / "triage.py").read_bytes() == patched


def test_fix_writes_exits_0_and_a_second_run_has_nothing_to_do(tmp_path: Path) -> None:
    root = _desk(tmp_path)
    first = run_cli("fix", "--no-cache", cwd=root)
    assert first.exit_code == 0, first.stdout + first.stderr
    assert "desk/triage.py:7:16: OBH101 fixed: add {'team': 'support', 'use_case': 'ticket-triage'} to metadata" in first.stdout
    assert first.stdout.endswith("Fixed 2 findings in 1 file.\n")
    check = run_cli("check", "--no-cache", "--select", "OBH101,OBH301,OBH302", cwd=root)
    assert check.exit_code == 0, check.stdout
    fixed = (root / "desk" / "triage.py").read_bytes()
    second = run_cli("fix", "--no-cache", cwd=root)
    assert second.exit_code == 0
    # the call now declares its use case, whose one approved model is not the one it uses
    assert second.stdout == ("desk/triage.py:7:16: OBH201 fixable with --unsafe-fixes: replace model 'gpt-6-sol' with "
                             "'gpt-6-luna' (the one model the use case approves); it changes what the program does, so it "
                             "needs --unsafe-fixes\nNothing to fix; 1 more fix with --unsafe-fixes.\n")
    assert (root / "desk" / "triage.py").read_bytes() == fixed
    assert run_cli("fix", "--diff", "--no-cache", cwd=root).exit_code == 0  # nothing left to apply


def test_unsafe_fixes_replace_the_model(tmp_path: Path) -> None:
    root = _desk(tmp_path)
    result = run_cli("fix", "--unsafe-fixes", "--no-cache", cwd=root)
    assert result.exit_code == 0
    assert 'model="gpt-6-luna",' in (root / "desk" / "triage.py").read_text(encoding="utf-8")
    assert run_cli("check", "--no-cache", cwd=root).exit_code == 0


def test_select_limits_the_fixes_to_those_rules(tmp_path: Path) -> None:
    root = _desk(tmp_path)
    result = run_cli("fix", "--select", "OBH301", "--no-cache", cwd=root)
    assert result.exit_code == 0
    text = (root / "desk" / "triage.py").read_text(encoding="utf-8")
    assert "max_completion_tokens=300" in text and "metadata" not in text


def test_unknown_values_need_a_placeholder(tmp_path: Path) -> None:
    root = _desk(tmp_path, name="jobs/digest.py")
    plain = run_cli("fix", "--no-cache", cwd=root)
    assert "jobs/digest.py:7:16: OBH101 not fixed: no value is known for team, use_case: the file is mapped to no use " \
           "case (use_cases.NAME.paths); pass --placeholder TEXT to insert a placeholder" in plain.stdout
    assert "OBH301 not fixed: the call has no known use case, so there is no cap to apply" in plain.stdout
    assert plain.exit_code == 0
    placeholder = run_cli("fix", "--no-cache", "--placeholder", "TODO-team", cwd=root)
    assert placeholder.exit_code == 0
    assert 'metadata={"team": "TODO-team", "use_case": "TODO-team"},' in (root / "jobs" / "digest.py").read_text(encoding="utf-8")
    assert run_cli("fix", "--no-cache", "--placeholder", " ", cwd=root).exit_code == 2


@pytest.mark.parametrize(("source", "reason"), [
    (TRIAGE.replace("        messages=", "        **options,\n        messages="), "the call passes `**options`"),
    (TRIAGE.replace("        messages=", "        metadata=build_metadata(),\n        messages="),
     "the keys may be in metadata=build_metadata(), which can't be read statically"),
])
def test_unknown_is_left_alone_with_the_reason(tmp_path: Path, source: str, reason: str) -> None:
    root = _desk(tmp_path, source.replace("def triage(ticket: str)", "def triage(ticket: str, **options: object)"))
    before = (root / "desk" / "triage.py").read_bytes()
    result = run_cli("fix", "--no-cache", "--select", "OBH101", cwd=root)
    assert f"desk/triage.py:7:16: OBH101 not fixed: {reason}" in result.stdout
    assert (root / "desk" / "triage.py").read_bytes() == before


def _plan(root: Path) -> api.FixPlan:
    return api.fix(["."], load_policy(root / "oberhahn-policy.yaml"), api.CheckOptions(cwd=root, root=root, use_cache=False))


def test_a_read_only_file_is_reported_not_forced(tmp_path: Path) -> None:
    root = _desk(tmp_path)
    target = root / "desk" / "triage.py"
    before = target.read_bytes()
    target.chmod(0o444)
    result = run_cli("fix", "--no-cache", cwd=root)
    assert result.exit_code == 2
    assert "desk/triage.py: the file is read-only; left alone (make it writable to fix it)" in result.stdout
    assert target.read_bytes() == before
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


def test_a_failed_write_leaves_the_original_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _desk(tmp_path)
    target = root / "desk" / "triage.py"
    before = target.read_bytes()

    def disk_full(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    outcomes = api.write_fixes(_plan(root))
    assert [(o.status, o.message) for o in outcomes] == [
        ("failed", "could not write it (No space left on device); the original is unchanged")]
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["triage.py"]  # no temporary file left behind
    monkeypatch.undo()
    result = run_cli("fix", "--no-cache", cwd=root)
    assert result.exit_code == 0


def test_a_file_changed_since_it_was_read_is_left_alone(tmp_path: Path) -> None:
    root = _desk(tmp_path)
    target = root / "desk" / "triage.py"
    plan = _plan(root)
    edited = TRIAGE.replace("ticket: str", "ticket: str, urgent: bool = False")
    target.write_text(edited, encoding="utf-8")
    outcomes = api.write_fixes(plan)
    assert [o.status for o in outcomes] == ["changed"]
    assert target.read_text(encoding="utf-8") == edited


def test_mode_and_symlinks_are_kept(tmp_path: Path) -> None:
    root = _desk(tmp_path, name="shared/triage.py")
    real = root / "shared" / "triage.py"
    real.chmod(0o750)
    (root / "desk").mkdir()
    (root / "desk" / "triage.py").symlink_to(real)
    result = run_cli("fix", "--no-cache", "desk", cwd=root)
    assert result.exit_code == 0, result.stdout
    assert (root / "desk" / "triage.py").is_symlink()
    assert "max_completion_tokens=300" in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o750


@pytest.mark.parametrize(("data", "expected"), [
    (TRIAGE.replace("\n", "\r\n").encode("utf-8"), b'        max_completion_tokens=300,\r\n    )'),
    (("# -*- coding: latin-1 -*-\n# r\xe9sum\xe9 of a ticket\n" + TRIAGE).encode("latin-1"),
     b"# r\xe9sum\xe9 of a ticket\n"),
])
def test_line_endings_and_encodings_are_kept(tmp_path: Path, data: bytes, expected: bytes) -> None:
    root = _desk(tmp_path)
    target = root / "desk" / "triage.py"
    target.write_bytes(data)
    assert run_cli("fix", "--no-cache", cwd=root).exit_code == 0
    fixed = target.read_bytes()
    assert expected in fixed
    assert fixed.count(b"\r\n") in (0, data.count(b"\r\n") + 2)


SARIF_SCHEMA = REPO / "tests" / "schemas" / "sarif-2.1.0.json"


def test_sarif_results_carry_the_fixes(tmp_path: Path) -> None:
    root = _desk(tmp_path)
    original = (root / "desk" / "triage.py").read_text(encoding="utf-8")
    result = run_cli("check", "--no-cache", "--format", "sarif", cwd=root)
    document = json.loads(result.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    assert [e.message for e in validator.iter_errors(document)] == []
    results = {r["ruleId"]: r for r in document["runs"][0]["results"]}
    assert {code for code, r in results.items() if "fixes" in r} == {"OBH101", "OBH301"}
    for code, inserted in (("OBH101", 'metadata={"team": "support", "use_case": "ticket-triage"}'),
                           ("OBH301", "max_completion_tokens=300")):
        (fix,) = results[code]["fixes"]
        (change,) = fix["artifactChanges"]
        assert change["artifactLocation"] == {"uri": "desk/triage.py", "uriBaseId": "%SRCROOT%"}
        applied = _apply(original, change["replacements"])
        assert inserted in applied and applied.replace(inserted, "") != original
        single = root / "single"
        shutil.copytree(root, single, ignore=shutil.ignore_patterns("single", ".oberhahn-cache"))
        (single / "desk" / "triage.py").write_text(applied, encoding="utf-8")
        remaining = run_cli("check", "--no-cache", "--select", code, cwd=single)
        assert remaining.exit_code == 0, remaining.stdout  # the offered fix repairs its finding
        shutil.rmtree(single)


def _apply(text: str, replacements: list[dict[str, object]]) -> str:
    """Apply SARIF replacements (1-based lines and unicode columns) to `text`."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    for replacement in sorted(replacements, key=lambda r: (r["deletedRegion"]["startLine"],  # type: ignore[index]
                                                            r["deletedRegion"]["startColumn"]), reverse=True):  # type: ignore[index]
        region = replacement["deletedRegion"]
        start = starts[region["startLine"] - 1] + region["startColumn"] - 1  # type: ignore[index]
        end = starts[region["endLine"] - 1] + region["endColumn"] - 1  # type: ignore[index]
        text = text[:start] + replacement["insertedContent"]["text"] + text[end:]  # type: ignore[index]
    return text


def test_acceptance_on_the_example_application(tmp_path: Path) -> None:
    """On a copy of examples/: `fix`, then nothing fixable remains; a second `fix` changes nothing; only arguments changed."""
    root = tmp_path / "examples"
    shutil.copytree(REPO / "examples", root, ignore=shutil.ignore_patterns("__pycache__", ".oberhahn-cache"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the example application")
    preview = run_cli("fix", "--diff", "--no-cache", cwd=root)
    assert preview.exit_code == 1
    assert_generated(GOLDEN / "fix" / "examples.diff.txt", preview.stdout)

    first = run_cli("fix", "--no-cache", cwd=root)
    assert first.exit_code == 0
    assert _changed_lines(git(root, "diff")) == _changed_lines(preview.stdout)
    assert git(root, "diff", "--stat").strip().endswith("1 file changed, 1 insertion(+), 1 deletion(-)")

    after = api.fix(["."], load_policy(root / "oberhahn-policy.yaml"), api.CheckOptions(cwd=root, root=root, use_cache=False))
    assert after.fixes == ()  # check reports no fixable OBH101, OBH301 or OBH302
    assert {u.finding.code for u in after.unfixed} <= {"OBH101", "OBH301"}
    second = run_cli("fix", "--no-cache", cwd=root)
    assert second.exit_code == 0 and "fixed:" not in second.stdout.replace("not fixed:", "")
    assert git(root, "status", "--porcelain") == " M helpdesk/summarise.py\n"


def _changed_lines(diff: str) -> list[str]:
    return [line for line in diff.splitlines() if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]


WRAPPED_POLICY = POLICY + """\
wrappers:
  - function: desk.llm.complete
    provider: openai
    model: model
    max_output_tokens: max_tokens
    attribution: {team: team, use_case: use_case}
"""


def test_a_declared_wrapper_gets_its_own_arguments(tmp_path: Path) -> None:
    root = write_project(tmp_path / "wrapped", {
        "desk/llm.py": """\
            def complete(prompt: str, model: str = "gpt-6-luna", max_tokens: int | None = None,
                         team: str | None = None, use_case: str | None = None) -> str:
                raise NotImplementedError
        """,
        "desk/triage.py": """\
            from desk.llm import complete


            def triage(ticket: str) -> str:
                return complete(ticket, model="gpt-6-luna")
        """,
    }, WRAPPED_POLICY)
    result = run_cli("fix", "--no-cache", cwd=root)
    assert result.exit_code == 0, result.stdout
    assert ("    return complete(ticket, model=\"gpt-6-luna\", team=\"support\", use_case=\"ticket-triage\", "
            "max_tokens=300)\n") in (root / "desk" / "triage.py").read_text(encoding="utf-8")
    assert run_cli("check", "--no-cache", "--select", "OBH101,OBH301", cwd=root).exit_code == 0


def test_unsafe_fixes_with_models_denied_by_default(tmp_path: Path) -> None:
    # OBH201 fires before the call declares its use case, and the attribution fix declares it: one model swap, not two
    root = write_project(tmp_path / "deny", {"desk/triage.py": TRIAGE}, POLICY + "models:\n  default: deny\n")
    result = run_cli("fix", "--unsafe-fixes", "--no-cache", cwd=root)
    assert result.exit_code == 0
    assert "not fixed" not in result.stdout, result.stdout
    assert "desk/triage.py:7:16: OBH201 fixed: replace model 'gpt-6-sol' with 'gpt-6-luna'" in result.stdout
    assert run_cli("check", "--no-cache", cwd=root).exit_code == 0


def test_an_internal_error_names_the_call_and_the_run_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from oberhahn_policy.fix import _planner

    def broken(*args: object) -> None:
        raise KeyError("surprise")

    root = _desk(tmp_path)
    monkeypatch.setattr(_planner, "_plan_edit", broken)
    monkeypatch.delenv("OBERHAHN_DEBUG", raising=False)
    result = run_cli("fix", "--no-cache", cwd=root)
    assert result.exit_code == 0
    assert "desk/triage.py:7:16: OBH101 not fixed: internal error while planning its fix (KeyError: 'surprise')" in result.stdout
