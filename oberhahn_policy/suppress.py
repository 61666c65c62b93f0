"""Suppressions: `# oberhahn: ignore[CODE]: reason` on a finding's line or the line above.

Besides splitting findings into active and suppressed ones, this finds the suppressions that
suppress nothing (OBH002), so that stale comments don't pile up and silently hide the next
finding on that line.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import AbstractSet, Iterable

from .callsite import FileExtraction
from .findings import Finding


#: The rule that reports suppressions that suppress nothing; naming it in a suppression keeps that one quiet.
UNUSED_SUPPRESSION = "OBH002"


@dataclass(frozen=True, slots=True)
class Suppression:
    """One `# oberhahn: ignore[...]` comment."""

    path: str
    line: int
    #: Rule codes it names; empty for a blanket `# oberhahn: ignore`.
    codes: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class UnusedComment:
    """A suppression, or some of its codes, that suppressed nothing, and why."""

    suppression: Suppression
    #: The codes that suppressed nothing (all of them, or the blanket comment's empty tuple).
    codes: tuple[str, ...]
    #: Codes that are no rule at all (misspelt, or from another tool).
    unknown: tuple[str, ...] = ()
    #: True when it was ignored because the policy requires a reason and it gives none.
    missing_reason: bool = False


@dataclass(frozen=True)
class SuppressionResult:
    active: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    unused: list[UnusedComment] = field(default_factory=list)


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
    result = SuppressionResult()
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
            result.active.append(finding)
        else:
            result.suppressed.append(dataclasses.replace(finding, suppressed=True, suppression_reason=match.reason or None))
    if evaluated is None or known is None:
        return result
    for comment in comments:
        unknown = tuple(c for c in comment.codes if c not in known)
        if require_reason and not comment.reason:
            result.unused.append(UnusedComment(comment, comment.codes, unknown, missing_reason=True))
            continue
        if UNUSED_SUPPRESSION in comment.codes:
            continue  # `ignore[OBH201, OBH002]`: kept on purpose, e.g. for a finding that comes and goes
        if not comment.codes:
            if not used[comment] and known <= evaluated:
                result.unused.append(UnusedComment(comment, ()))
            continue
        idle = tuple(c for c in comment.codes if c not in used[comment] and (c in evaluated or c in unknown))
        if idle:
            result.unused.append(UnusedComment(comment, idle, unknown))
    return result
