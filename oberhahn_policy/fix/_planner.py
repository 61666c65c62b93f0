"""Planning: from a check result to edits, each on the call node found at the finding's position in a fresh parse.

A node is taken only when a call starts and ends exactly where the call site was recorded and its
source still hashes to what extraction recorded; anything else means the file changed since it was
checked, and its findings are left alone. Edits for one call are applied in one pass over the module
(libcst reproduces every other byte), and each fix is also rendered alone, as the replacement a
code-scanning UI can offer for its finding.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import libcst as cst

from ..callsite import CallSite
from ..extract import NodePositions
from ..findings import CheckResult, Finding
from ..fingerprint import call_digest
from ..modelids import matches
from ..policy.model import Policy
from ._attribution import AttributionEdit, apply_attribution, plan_attribution
from ._edits import Refusal, Style, code
from ._limit import LimitEdit, apply_limit, plan_limit
from ._model import ModelEdit, apply_model, plan_model
from ._shapes import CallShape, call_shape
from ._types import (
    SAFE_CODES,
    UNSAFE_CODES,
    FileFix,
    Fix,
    FixPlan,
    Replacement,
    Unfixed,
)
from ._values import use_case_of

Position = tuple[int, int, int, int]


@dataclass
class _CallEdit:
    """One finding's edit of one call node."""

    finding: Finding
    node: cst.Call
    description: str
    apply: Callable[[cst.Call], cst.Call | Refusal]
    unsafe: bool = False


class _Rewriter(cst.CSTTransformer):
    """Applies the planned edits to their call nodes (nested call sites included) in one pass."""

    def __init__(self, edits: Mapping[cst.Call, Sequence[_CallEdit]]) -> None:
        super().__init__()
        self.edits = edits
        self.failed: list[tuple[_CallEdit, str]] = []

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        for edit in self.edits.get(original_node, ()):
            result = edit.apply(updated_node)
            if isinstance(result, Refusal):
                self.failed.append((edit, result.reason))
            else:
                updated_node = result
        return updated_node


class _Lines:
    """Offsets of line starts, to turn text offsets into 1-based lines and columns (newlines as Python counts them)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def _common_prefix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:  # binary search on slice equality: C-speed comparisons, log n of them
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def replacement(old: str, new: str, lines: _Lines, base: int = 0) -> Replacement:
    """The one span of `old` (found at offset `base` of the file) that differs from `new`, and what replaces it."""
    start = _common_prefix(old, new)
    suffix = _common_prefix(old[start:][::-1], new[start:][::-1])
    end_old, end_new = len(old) - suffix, len(new) - suffix
    line, column = lines.position(base + start)
    end_line, end_column = lines.position(base + end_old)
    return Replacement(line, column, end_line, end_column, base + start, base + end_old, new[start:end_new])


def _calls_by_position(positions: NodePositions) -> dict[Position, cst.Call]:
    return {(where.start.line, where.start.column + 1, where.end.line, where.end.column + 1): node
            for node, where in positions.calls().items()}


@dataclass(frozen=True)
class _Statement:
    """A top-level statement, where its code starts in the file, and its code (what a lone fix is diffed in)."""

    node: cst.BaseStatement
    start: int
    code: str
    last_line: int


def _statements(module: cst.Module, text: str, lines: _Lines) -> list[_Statement] | None:
    """The module's top-level statements with their offsets; None when their code doesn't add up to the file's.
    A statement's last line is the line of its last character (its newline): the statements partition the text."""
    offset = sum(len(module.code_for_node(line)) for line in module.header)
    found: list[_Statement] = []
    for statement in module.body:
        code = module.code_for_node(statement)
        if text[offset:offset + len(code)] != code:
            return None
        found.append(_Statement(statement, offset, code, lines.position(offset + max(len(code) - 1, 0))[0]))
        offset += len(code)
    return found


def _plan_edit(finding: Finding, site: CallSite, node: cst.Call, policy: Policy, placeholder: str | None,
               unsafe: bool, codes: frozenset[str]) -> _CallEdit | Refusal:
    """The edit for one finding; `codes` are the codes of all findings on the same call (their own edits come apart)."""
    stars = [arg for arg in node.args if arg.star]
    if stars:
        star = stars[0]
        return Refusal(f"the call passes `{star.star}{code(star.value)}`, which may set what the fix would add "
                       "(and a keyword passed twice is an error)")
    shape = call_shape(site.site.api, policy.wrappers)
    if shape is None:
        return Refusal(f"the SDK surface data has no single parameter layout for {site.site.api}")
    style = Style.of(node)
    if finding.code == "OBH101":
        attribution = plan_attribution(site, shape, policy, node, placeholder)
        if isinstance(attribution, Refusal):
            return attribution
        steps: list[Callable[[cst.Call], cst.Call | Refusal]] = [lambda call: apply_attribution(call, attribution, style)]
        description = attribution.description
        for follow_up in _follow_ups(attribution, site, shape, policy, node, unsafe and "OBH201" not in codes):
            steps.append(_applier(follow_up, style))
            description += f"; and, as the call now declares use case {follow_up.use_case!r}, {_consequence(follow_up)}"
        return _CallEdit(finding, node, description, _chain(steps))
    if finding.code in ("OBH301", "OBH302"):
        limit = plan_limit(finding.code, site, shape, policy, node)
        if isinstance(limit, Refusal):
            return limit
        return _CallEdit(finding, node, limit.description, lambda call: apply_limit(call, limit, style))
    model = plan_model(site, shape, policy, node)
    if isinstance(model, Refusal):
        return model
    return _CallEdit(finding, node, model.description, lambda call: apply_model(call, model, style), unsafe=True)


def _follow_ups(attribution: AttributionEdit, site: CallSite, shape: CallShape, policy: Policy, node: cst.Call,
                unsafe: bool) -> list[LimitEdit | ModelEdit]:
    """What the rules will ask once the call declares the use case the fix gives it, so that one run suffices:
    OBH302's lowering of a literal limit over its cap, and (with `unsafe`) OBH201's model swap."""
    if site.use_case is not None or "use_case" not in attribution.keys or "use_case" in attribution.placeholders:
        return []
    use_case = use_case_of(site, policy)
    declared = policy.use_cases.get(use_case.name) if use_case is not None else None
    if declared is None:
        return []
    found: list[LimitEdit | ModelEdit] = []
    if site.max_output_tokens is not None:
        limit = plan_limit("OBH302", site, shape, policy, node)
        if isinstance(limit, LimitEdit) and limit.old is not None:
            found.append(limit)
    if unsafe and site.model is not None and declared.models.approved and matches(site.model, declared.models.approved) is None:
        model = plan_model(site, shape, policy, node)
        if isinstance(model, ModelEdit):
            found.append(model)
    return found


def _consequence(edit: LimitEdit | ModelEdit) -> str:
    if isinstance(edit, LimitEdit):
        return f"lower {edit.path} from {edit.old} to its cap of {edit.cap}"
    return f"replace {edit.path} {edit.old!r} with {edit.new!r}, the one model it approves"


def _applier(edit: LimitEdit | ModelEdit, style: Style) -> Callable[[cst.Call], cst.Call | Refusal]:
    if isinstance(edit, LimitEdit):
        return lambda call: apply_limit(call, edit, style)
    return lambda call: apply_model(call, edit, style)


def _chain(steps: Sequence[Callable[[cst.Call], cst.Call | Refusal]]) -> Callable[[cst.Call], cst.Call | Refusal]:
    def apply(call: cst.Call) -> cst.Call | Refusal:
        for step in steps:
            result = step(call)
            if isinstance(result, Refusal):
                return result
            call = result
        return call

    return apply


def _alone(module: cst.Module, text: str, lines: _Lines, statements: list[_Statement] | None, line: int,
           edit: _CallEdit) -> Replacement:
    """One edit alone as a replacement in the file: diffed within its top-level statement (a whole-module code
    generation per fix would cost more than the rest of planning)."""
    if statements is not None:
        index = bisect.bisect_left([s.last_line for s in statements], line)
        if index < len(statements):
            statement = statements[index]
            edited = statement.node.visit(_Rewriter({edit.node: [edit]}))
            if isinstance(edited, cst.CSTNode):
                return replacement(statement.code, module.code_for_node(edited), lines, base=statement.start)
    return replacement(text, _rewrite(module, [edit])[0].code, lines)


def _rewrite(module: cst.Module, edits: Iterable[_CallEdit]) -> tuple[cst.Module, list[tuple[_CallEdit, str]]]:
    by_node: dict[cst.Call, list[_CallEdit]] = {}
    for edit in edits:
        by_node.setdefault(edit.node, []).append(edit)
    rewriter = _Rewriter(by_node)
    return module.visit(rewriter), rewriter.failed


@dataclass
class _FilePlanner:
    """Plans the fixes of one file's findings."""

    root: Path
    path: str
    policy: Policy
    unsafe: bool
    placeholder: str | None
    unfixed: list[Unfixed] = field(default_factory=list)

    def leave_all(self, findings: Iterable[Finding], reason: str) -> None:
        self.unfixed.extend(Unfixed(f, reason) for f in findings)

    def plan(self, findings: Sequence[Finding], sites: Mapping[tuple[str, int, int, int, int], CallSite]) -> FileFix | None:
        file = self.root / self.path
        try:
            original = file.read_bytes()
        except OSError as exc:
            self.leave_all(findings, f"the file can't be read: {exc.strerror or exc}")
            return None
        try:
            module = cst.parse_module(original)
        except (cst.ParserSyntaxError, UnicodeDecodeError, LookupError, ValueError, RecursionError) as exc:
            self.leave_all(findings, f"the file no longer parses ({type(exc).__name__}); fix it and check again")
            return None
        try:
            text = original.decode(module.encoding)
        except (UnicodeDecodeError, LookupError):
            text = ""
        # code generation costs as much as parsing: the round trip is checked once there is something to fix
        roundtrip: bool | None = None
        lines = _Lines(text)
        positions = NodePositions(module)
        calls = _calls_by_position(positions)
        statements: list[_Statement] | None = None
        edits: list[_CallEdit] = []
        alone: dict[int, Replacement] = {}
        codes: dict[Position, set[str]] = {}
        for finding in findings:
            codes.setdefault((finding.line, finding.column, finding.end_line, finding.end_column), set()).add(finding.code)
        for finding in findings:
            key = (finding.line, finding.column, finding.end_line, finding.end_column)
            site = sites.get((finding.path, *key))
            node = calls.get(key)
            if site is None:
                self.unfixed.append(Unfixed(finding, "no call site was recorded at this position"))
                continue
            if node is None or call_digest(module.code_for_node(node)) != site.site.source_hash:
                self.unfixed.append(Unfixed(finding, "the file changed since it was checked; run fix again"))
                continue
            edit = _plan_edit(finding, site, node, self.policy, self.placeholder, self.unsafe, frozenset(codes[key]))
            if isinstance(edit, Refusal):
                if self.unsafe or finding.code not in UNSAFE_CODES:  # unasked unsafe rules stay quiet
                    self.unfixed.append(Unfixed(finding, edit.reason))
                continue
            if edit.unsafe and not self.unsafe:
                self.unfixed.append(Unfixed(finding, f"{edit.description}; it changes what the program does, "
                                                     "so it needs --unsafe-fixes", needs_unsafe=True))
                continue
            edited = edit.apply(node)
            if isinstance(edited, Refusal):
                self.unfixed.append(Unfixed(finding, edited.reason))
                continue
            if roundtrip is None:
                roundtrip = module.code == text
                statements = _statements(module, text, lines) if roundtrip else None
            if not roundtrip:
                self.unfixed = [u for u in self.unfixed if u.finding not in findings]
                self.leave_all(findings, "the file's bytes can't be reproduced exactly after parsing (its encoding)")
                return None
            alone[id(edit)] = _alone(module, text, lines, statements, positions[node].start.line, edit)
            edits.append(edit)
        if not edits:
            return None
        fixed, failed = _rewrite(module, edits)
        while failed:  # an edit that no longer applies after another one on the same call: leave it out
            for edit, reason in failed:
                self.unfixed.append(Unfixed(edit.finding, reason))
                edits.remove(edit)
            fixed, failed = _rewrite(module, edits)
        fixed_text = fixed.code
        if not edits or fixed_text == text:
            return None
        fixes = tuple(Fix(edit.finding, edit.description, (alone[id(edit)],), unsafe=edit.unsafe) for edit in edits)
        return FileFix(self.path, file, original, fixed_text.encode(module.encoding), text, fixed_text, fixes)

def plan_fixes(result: CheckResult, policy: Policy, *, unsafe: bool = False, placeholder: str | None = None) -> FixPlan:
    """The edits that repair the result's fixable findings, and the fixable rules' findings left alone, with why."""
    codes = SAFE_CODES + UNSAFE_CODES
    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.code in codes:
            by_file.setdefault(finding.path, []).append(finding)
    sites = {(c.path, c.site.line, c.site.column, c.site.end_line, c.site.end_column): c for c in result.call_sites}
    files: list[FileFix] = []
    unfixed: list[Unfixed] = []
    for path in sorted(by_file):
        planner = _FilePlanner(result.root, path, policy, unsafe, placeholder)
        try:
            planned = planner.plan(by_file[path], sites)
        except Exception as exc:  # noqa: BLE001 - one file's internal error must not end the run
            if os.environ.get("OBERHAHN_DEBUG"):
                raise
            planner.unfixed = [Unfixed(f, f"internal error while planning its fix ({type(exc).__name__}: {exc}); "
                                          "set OBERHAHN_DEBUG=1 for a traceback, and please report it")
                               for f in by_file[path]]
            planned = None
        if planned is not None:
            files.append(planned)
        unfixed.extend(planner.unfixed)
    return FixPlan(result.root, tuple(files), tuple(sorted(unfixed, key=lambda u: u.finding.sort_key)))
