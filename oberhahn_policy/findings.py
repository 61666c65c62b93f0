"""Findings: what a rule reports, and what a run hands back (`CheckResult`, `Inventory`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .callsite import CallSite
    from .policy.model import Policy


class Severity(str, enum.Enum):
    """How much a finding matters; `--fail-on` picks the level that fails a run."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    def lower(self) -> Severity:
        """One level down (info stays info)."""
        return {"error": Severity.WARNING, "warning": Severity.INFO, "info": Severity.INFO}[self.value]


@dataclass(frozen=True, slots=True)
class Finding:
    """One violation of the policy at one place in the code."""

    code: str
    name: str
    severity: Severity
    message: str
    #: POSIX path relative to the project root (a policy file's path for problems in the policy).
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
    #: The finding is about a value known only as a default (see `ValueSource`): reported one severity lower
    #: unless the policy trusts defaults (`models.trust_defaults`).
    by_default: bool = False
    #: The rule can't verify the property (it may be hidden in `**kwargs` or an opaque call): reported at the rule's
    #: `unknown` severity (default one level lower), never as a certain violation.
    unverified: bool = False

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


@dataclass(frozen=True, slots=True)
class Inventory:
    """What a run found without judging it: the call sites of the checked files (the AI bill of materials)."""

    call_sites: tuple[CallSite, ...]
    #: The project root every path is relative to.
    root: Path
    files_checked: int
    files_parsed: int
    #: Checked files that import an LLM SDK, framework or declared wrapper (whether or not a call site was found).
    files_importing_llm: int = 0


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The result of `check`: findings, the call sites they came from, and what was read."""

    findings: tuple[Finding, ...]
    call_sites: tuple[CallSite, ...]
    #: The project root every path is relative to.
    root: Path
    files_checked: int
    files_parsed: int
    suppressed: tuple[Finding, ...] = field(default=())
    #: Call sites of the code at `--base REF`, when the run compared against one.
    base_call_sites: tuple[CallSite, ...] | None = None
    #: Findings left out because the baseline records them.
    baselined: tuple[Finding, ...] = field(default=())
    files_importing_llm: int = 0
    #: The policy the run checked against (reporters that offer fixes plan them from it); None when not known.
    policy: Policy | None = None

    def at_or_above(self, level: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity.rank >= level.rank)


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
