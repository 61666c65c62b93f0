"""Findings: what a rule reports, and the report a run produces."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .resolve import CallSite


class Severity(str, enum.Enum):
    """How much a finding matters; `--fail-on` picks the level that fails a run."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    """One violation of the policy at one place in the code."""

    code: str
    name: str
    severity: Severity
    message: str
    path: str
    line: int
    #: 1-based.
    column: int
    end_line: int
    end_column: int
    use_case: str | None = None
    #: Stable identity for baselines: survives moved lines, changes when the call changes.
    fingerprint: str = ""
    suppressed: bool = False
    suppression_reason: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


@dataclass(frozen=True, slots=True)
class Report:
    """The result of one run: findings, the call sites they came from, and what was read."""

    findings: tuple[Finding, ...]
    call_sites: tuple[CallSite, ...]
    files_checked: int
    files_parsed: int
    suppressed: tuple[Finding, ...] = field(default=())
    #: Call sites of the code at `--base REF`, when the run compared against one.
    base_call_sites: tuple[CallSite, ...] | None = None
    #: Findings left out because the baseline records them.
    baselined: tuple[Finding, ...] = field(default=())

    def at_or_above(self, level: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity.rank >= level.rank)
