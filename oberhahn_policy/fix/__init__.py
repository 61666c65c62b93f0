"""`fix`: codemods that add attribution and output limits (and, when asked, swap a model), changing nothing else.

    plan_fixes(check result, policy) -> FixPlan -> apply_plan(plan) | unified_diff(file)

A fix applies only where the property is known to be absent; where it is unknown (`**kwargs`,
a carrier built elsewhere, a limit held in a name) the finding is left alone with the reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._diff import unified_diff
from ._types import (
    SAFE_CODES,
    UNSAFE_CODES,
    FileFix,
    Fix,
    FixPlan,
    Replacement,
    Unfixed,
    WriteOutcome,
)
from ._write import FileChanged, ReadOnlyFile, apply_plan, write_file

if TYPE_CHECKING:
    from ..findings import CheckResult
    from ..policy.model import Policy


def plan_fixes(result: CheckResult, policy: Policy, *, unsafe: bool = False, placeholder: str | None = None) -> FixPlan:
    """The edits that repair the result's fixable findings (see `_planner.plan_fixes`); the codemods, and libcst with
    them, are imported on first use, which a check that reports nothing fixable never makes."""
    from ._planner import plan_fixes as plan

    return plan(result, policy, unsafe=unsafe, placeholder=placeholder)

__all__ = [
    "SAFE_CODES", "UNSAFE_CODES", "FileChanged", "FileFix", "Fix", "FixPlan", "ReadOnlyFile", "Replacement", "Unfixed",
    "WriteOutcome", "apply_plan", "plan_fixes", "unified_diff", "write_file",
]
