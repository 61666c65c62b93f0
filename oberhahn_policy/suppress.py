"""Suppressions: `# oberhahn: ignore[CODE]: reason` on a finding's line or the line above.

Besides splitting findings into active and suppressed ones, this finds the suppressions that
suppress nothing (OBH002), so that stale comments don't pile up and silently hide the next
finding on that line.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import AbstractSet, Iterable

from .callsite import FileExtraction
from .evaluate import RuleSelection
from .findings import Finding, Suppression, UnusedComment
from .policy.model import Policy
from .rules import ALL_RULES

#: The rule that reports suppressions that suppress nothing; naming it in a suppression keeps that one quiet.
UNUSED_SUPPRESSION = "OBH002"


@dataclass(frozen=True)
class SuppressionResult:
    """Findings split by the suppression comments, and the comments (or codes in them) that suppressed nothing."""

    active: tuple[Finding, ...] = ()
    suppressed: tuple[Finding, ...] = ()
    unused: tuple[UnusedComment, ...] = ()


def suppressions_of(files: Iterable[FileExtraction]) -> list[Suppression]:
    return [Suppression(f.path, line, codes, reason) for f in files for line, codes, reason in f.suppressions]


def apply_suppressions(findings: Iterable[Finding], files: Iterable[FileExtraction], *, require_reason: bool = False,
                       evaluated: AbstractSet[str] | None = None, known: AbstractSet[str] | None = None) -> SuppressionResult:
    """Split findings into active and suppressed ones, and collect the suppressions that were not needed.

    `evaluated` are the codes of the rules that ran (a suppression for a rule that did not run is not
    unused, only untested); `known` are all rule codes. With neither given, no suppression is reported.
    """
    comments = suppressions_of(files)
    by_path: dict[str, list[Suppression]] = {}
    for comment in comments:
        by_path.setdefault(comment.path, []).append(comment)
    used: dict[Suppression, set[str]] = {c: set() for c in comments}
    active: list[Finding] = []
    suppressed: list[Finding] = []
    unused: list[UnusedComment] = []
    for finding in findings:
        match = None
        for comment in by_path.get(finding.path, ()):
            if comment.line not in (finding.line, finding.line - 1):
                continue
            if comment.codes and finding.code not in comment.codes:
                continue
            if require_reason and not comment.reason:
                continue
            match = comment
            used[comment].add(finding.code)
            break
        if match is None:
            active.append(finding)
        else:
            suppressed.append(dataclasses.replace(finding, suppressed=True, suppression_reason=match.reason or None))
    if evaluated is not None and known is not None:
        unused = _unused(comments, used, require_reason, evaluated, known)
    return SuppressionResult(tuple(active), tuple(suppressed), tuple(unused))


def _unused(comments: list[Suppression], used: dict[Suppression, set[str]], require_reason: bool,
            evaluated: AbstractSet[str], known: AbstractSet[str]) -> list[UnusedComment]:
    """The comments, or codes in them, that suppressed nothing (only codes of rules that ran can be judged)."""
    result: list[UnusedComment] = []
    for comment in comments:
        unknown = tuple(c for c in comment.codes if c not in known)
        if require_reason and not comment.reason:
            result.append(UnusedComment(comment, comment.codes, unknown, missing_reason=True))
            continue
        if UNUSED_SUPPRESSION in comment.codes:
            continue  # `ignore[OBH201, OBH002]`: kept on purpose, e.g. for a finding that comes and goes
        if not comment.codes:
            if not used[comment] and known <= evaluated:
                result.append(UnusedComment(comment, ()))
            continue
        idle = tuple(c for c in comment.codes if c not in used[comment] and (c in evaluated or c in unknown))
        if idle:
            result.append(UnusedComment(comment, idle, unknown))
    return result


def suppress(findings: Iterable[Finding], files: Iterable[FileExtraction], selection: RuleSelection, policy: Policy
             ) -> SuppressionResult:
    """The suppress stage: apply the comments, then run the suppression-phase rules (OBH002) over the unused ones."""
    checked = list(files)
    result = apply_suppressions(findings, checked, require_reason=policy.suppressions.require_reason,
                                evaluated=frozenset(selection.severities), known=frozenset(r.code for r in ALL_RULES))
    late = [f for rule in selection.rules("suppression") for f in selection.apply(rule().check_unused(result.unused))]
    return dataclasses.replace(result, active=result.active + tuple(late))
