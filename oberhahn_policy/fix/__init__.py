"""`fix`: codemods that add attribution and output limits (and, when asked, swap a model), changing nothing else.

    plan_fixes(check result, policy) -> FixPlan -> apply_plan(plan) | unified_diff(file)

A fix applies only where the property is known to be absent; where it is unknown (`**kwargs`,
a carrier built elsewhere, a limit held in a name) the finding is left alone with the reason.
"""

from ._diff import unified_diff
from ._planner import plan_fixes
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

__all__ = [
    "SAFE_CODES", "UNSAFE_CODES", "FileChanged", "FileFix", "Fix", "FixPlan", "ReadOnlyFile", "Replacement", "Unfixed",
    "WriteOutcome", "apply_plan", "plan_fixes", "unified_diff", "write_file",
]
