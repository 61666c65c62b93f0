"""`fix` over every fixture application and the real-code corpus: valid Python out, every byte outside the edited
argument lists unchanged, what it fixed no longer reported, and a second run changes nothing.

The policy maps every file to one use case with a team, a cap and one approved model, and counts only
attribution written in the code, so that every fixable rule fires wherever it can: the fixes run on
the whole corpus, not on a sample. `--placeholder` and `--unsafe-fixes` are on to exercise them too.
"""

from __future__ import annotations

import ast
import difflib
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
import pytest
from helpers import REPO
from libcst.metadata import MetadataWrapper, PositionProvider

from oberhahn_policy import api
from oberhahn_policy.findings import CheckResult
from oberhahn_policy.fix import FixPlan, plan_fixes
from oberhahn_policy.policy import load_policy

POLICY = """\
version: 1
attribution:
  required: [team, use_case, prompt_version]
  carriers: [body, header, client, framework]
teams:
  corpus: {owner: corpus@example.com}
use_cases:
  everything:
    team: corpus
    paths: ["**"]
    models:
      approved: ["gpt-6-luna"]
    limits:
      max_output_tokens: 256
"""

TREES = {"corpus": REPO / "tests" / "corpus", "holdout": REPO / "tests" / "holdout", "examples": REPO / "examples"}
CODES = ("OBH101", "OBH301", "OBH302")


def _copy_python(source: Path, target: Path) -> Path:
    """The tree's Python files (only they are read or fixed), as a project of its own with the corpus policy."""
    for file in source.rglob("*.py"):
        if "__pycache__" in file.parts:
            continue
        destination = target / file.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, destination)
    (target / ".git").mkdir(parents=True, exist_ok=True)
    (target / "oberhahn-policy.yaml").write_text(POLICY, encoding="utf-8")
    return target


def _options(root: Path, **more: object) -> api.CheckOptions:
    # the extraction cache lives beside the tree: later runs re-read only the files a fix changed
    return api.CheckOptions(cwd=root, root=root, cache_dir=root.parent / f"{root.name}.cache", jobs=1, **more)  # type: ignore[arg-type]


def _fix(root: Path) -> FixPlan:
    loaded = load_policy(root / "oberhahn-policy.yaml")
    return api.fix(["."], loaded, _options(root), unsafe=True, placeholder="TODO")


def _check(root: Path) -> CheckResult:
    return api.check(["."], load_policy(root / "oberhahn-policy.yaml"), _options(root))


def _argument_spans(text: str, calls: set[tuple[int, int, int, int]]) -> list[tuple[int, int]]:
    """Offsets from just after the callee to the end of each call at one of `calls` (1-based start and end)."""
    module = cst.parse_module(text)
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    spans: list[tuple[int, int]] = []
    for node, where in positions.items():
        if isinstance(node, cst.Call) and \
                (where.start.line, where.start.column + 1, where.end.line, where.end.column + 1) in calls:
            callee = positions[node.func].end
            spans.append((line_starts[callee.line - 1] + callee.column, line_starts[where.end.line - 1] + where.end.column))
    return spans


def _lines(text: str) -> list[str]:
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def _changes_outside(original: str, fixed: str, spans: list[tuple[int, int]]) -> list[str]:
    """Changed stretches of `original` that don't lie inside one of `spans` (a line diff, then the exact characters)."""
    old_lines, new_lines = _lines(original), _lines(fixed)
    offsets = [0]
    for line in old_lines:
        offsets.append(offsets[-1] + len(line))
    outside: list[str] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old, new = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        # within a changed stretch of lines, the changed characters (two calls may share a stretch)
        for inner, a1, a2, _, _ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            start, end = offsets[i1] + a1, offsets[i1] + a2
            if inner != "equal" and not any(low <= start and end <= high for low, high in spans):
                outside.append(f"line {i1 + 1}: {old!r} -> {new!r}")
                break
    return outside


@dataclass
class Outcome:
    files: int
    fixes: int
    unfixed: Counter[str]


def _check_tree(root: Path) -> Outcome:
    before = {p: p.read_bytes() for p in root.rglob("*.py")}
    plan = _fix(root)
    outcomes = api.write_fixes(plan)
    assert [o.status for o in outcomes] == ["written"] * len(plan.files)
    planned = {f.path: f for f in plan.files}
    for path, original in before.items():
        relative = path.relative_to(root).as_posix()
        now = path.read_bytes()
        if relative not in planned:
            assert now == original, f"{relative} changed without a planned fix"
            continue
        assert now == planned[relative].fixed
        text = now.decode("utf-8")
        ast.parse(text, filename=relative)  # still Python
        calls = {(f.finding.line, f.finding.column, f.finding.end_line, f.finding.end_column)
                 for f in planned[relative].fixes}
        original_text = original.decode("utf-8")
        spans = _argument_spans(original_text, calls)
        assert len(spans) == len(calls), f"{relative}: a fixed call is not at its finding's position"
        outside = _changes_outside(original_text, text, spans)
        assert outside == [], f"{relative}: changed outside the fixed calls' arguments: {outside[:3]}"
        # each fix alone (as SARIF offers it) is an edit inside its call's arguments that leaves valid Python
        for fix in planned[relative].fixes:
            (alone,) = fix.replacements
            assert any(low <= alone.start and alone.end <= high for low, high in spans), (relative, fix)
            applied = original_text[:alone.start] + alone.text + original_text[alone.end:]
            ast.parse(applied, filename=relative)
            if len(planned[relative].fixes) == 1:
                assert applied == text, relative
    # what was fixed is gone, what was left alone remains (OBH302 may appear where a declared use case's cap now
    # applies to a limit the fix can't lower, such as a shared constant)
    unfixed = Counter(u.finding.code for u in plan.unfixed)
    result = _check(root)
    after = Counter(f.code for f in result.findings)
    assert after["OBH101"] == unfixed["OBH101"]
    assert after["OBH301"] == unfixed["OBH301"]
    assert after["OBH302"] >= unfixed["OBH302"]
    # idempotent: the check of the fixed tree leaves nothing to fix
    assert result.policy is not None
    again = plan_fixes(result, result.policy, unsafe=True, placeholder="TODO")
    assert again.files == (), [f"{f.path}: {[x.description for x in f.fixes]}" for f in again.files]
    return Outcome(len(plan.files), len(plan.fixes), unfixed)


@pytest.mark.parametrize("tree", sorted(TREES))
def test_fix_preserves_bytes_and_is_idempotent(tmp_path: Path, tree: str) -> None:
    outcome = _check_tree(_copy_python(TREES[tree], tmp_path / tree))
    assert outcome.fixes > 0, "the corpus policy makes every tree fixable somewhere"


@pytest.mark.realcode
def test_fix_on_real_code(tmp_path: Path) -> None:
    from realcode.fetch import load_projects
    from test_realcode_accuracy import corpus_or_skip

    corpus = corpus_or_skip()
    total = 0
    for project in load_projects():
        outcome = _check_tree(_copy_python(corpus[project.name] / project.app_dir, tmp_path / project.name))
        total += outcome.fixes
    assert total > 0
