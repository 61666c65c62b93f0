"""What a rule is: a code, a name, its documentation, its examples, and a check over the project."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Iterable

from ..findings import Finding, Severity

if TYPE_CHECKING:
    from ..callsite import FileExtraction
    from ..policy.load import LoadedPolicy
    from ..policy.model import Policy
    from ..resolve import CallSite

#: The policy rule examples run under unless they give their own.
EXAMPLE_POLICY = """\
version: 1
attribution:
  required: [team, use_case]
teams:
  support: {owner: support-eng@example.com}
use_cases:
  ticket-triage:
    team: support
    models:
      approved: ["gpt-6-luna", "claude-haiku-5-5*"]
models:
  denied: ["*-preview"]
"""


@dataclass(frozen=True)
class Example:
    """A file (and optionally a policy) a rule must pass or flag; the examples are the rule's tests."""

    source: str
    policy: str = EXAMPLE_POLICY
    path: str = "app/service.py"
    #: For failing examples: a fragment every finding's message of this rule must contain.
    message: str | None = None
    #: Other files of the project (path -> source), for cross-module examples.
    others: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ProjectView:
    """What rules see: the policy, the resolved call sites and the per-file extractions."""

    loaded: LoadedPolicy
    call_sites: tuple[CallSite, ...]
    files: tuple[FileExtraction, ...]
    today: date = field(default_factory=date.today)
    #: The project root (where `oberhahn.lock` lives); None when rules run without a file system.
    root: Path | None = None
    #: Extractions of every file of the project, also those not being checked (its entry modules, say).
    project_files: tuple[FileExtraction, ...] = ()

    @property
    def policy(self) -> Policy:
        return self.loaded.policy


class Rule:
    """Base of every rule; subclasses set the metadata and implement `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    default_severity: ClassVar[Severity]
    summary: ClassVar[str]
    #: *What it does* and *Why is this bad?*, in prose.
    what: ClassVar[str]
    why: ClassVar[str]
    #: *Use instead*: how to fix it.
    fix: ClassVar[str]
    valid: ClassVar[tuple[Example, ...]]
    invalid: ClassVar[tuple[Example, ...]]

    def check(self, view: ProjectView) -> Iterable[Finding]:
        raise NotImplementedError

    def at_call(self, site: CallSite, message: str) -> Finding:
        s = site.site
        return Finding(code=self.code, name=self.name, severity=self.default_severity, message=message,
                       path=s.path, line=s.line, column=s.column, end_line=s.end_line, end_column=s.end_column,
                       use_case=site.use_case)

    def at(self, path: str, line: int, column: int, message: str, use_case: str | None = None) -> Finding:
        return Finding(code=self.code, name=self.name, severity=self.default_severity, message=message,
                       path=path, line=line, column=column, end_line=line, end_column=column, use_case=use_case)

    @classmethod
    def documentation(cls) -> str:
        """The rule's documentation, in the same sections everywhere (CLI, docs, SARIF)."""
        return (
            f"# {cls.code} {cls.name}\n\n{cls.summary}\n\nDefault severity: {cls.default_severity.value}\n\n"
            f"## What it does\n\n{cls.what}\n\n## Why is this bad?\n\n{cls.why}\n\n"
            f"## Example\n\n```python\n{cls.invalid[0].source.rstrip()}\n```\n\n"
            f"## Use instead\n\n{cls.fix}\n\n```python\n{cls.valid[0].source.rstrip()}\n```\n"
        )
