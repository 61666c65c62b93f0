"""What a run looked at, in the words every summary uses: never a bare "No findings" without it."""

from __future__ import annotations

from ..findings import CheckResult, Inventory
from ..wording import plural


def checked_scope(report: CheckResult | Inventory) -> str:
    """`9 files (4 import an LLM SDK), 7 LLM call sites`: how much was read, how much of it uses an LLM, what was found.

    The middle figure is what makes `0 LLM call sites` honest: files that import an SDK but show no call site are
    where calls went out of sight (OBH003 says where).
    """
    importing = report.files_importing_llm
    verb = "imports" if importing == 1 else "import"
    return (f"{plural(report.files_checked, 'file')} ({importing:,} {verb} an LLM SDK), "
            f"{plural(len(report.call_sites), 'LLM call site')}")
