"""What a rule is: a code, a name, its documentation, its examples, and a check over the project."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Iterable, Literal, Sequence

from ..catalog import PriceCatalog, load_catalog
from ..findings import Finding, Severity, UnusedComment

if TYPE_CHECKING:
    from ..callsite import FileExtraction
    from ..cost import CostProjection
    from ..policy.load import LoadedPolicy
    from ..policy.model import Policy
    from ..callsite import CallSite

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
    #: Files (path -> source) committed at the `--base` ref; the example's files are the change on top.
    base: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ProjectView:
    """What rules see: the policy, the resolved call sites and the per-file extractions."""

    loaded: LoadedPolicy
    call_sites: tuple[CallSite, ...]
    files: tuple[FileExtraction, ...]
    today: date = field(default_factory=date.today)
    #: The price catalog models are looked up in.
    catalog: PriceCatalog = field(default_factory=load_catalog)
    #: The call sites of the code at `--base REF`, when the run compares against one.
    base_call_sites: tuple[CallSite, ...] | None = None
    #: The project root (where `oberhahn.lock` lives); None when rules run without a file system.
    root: Path | None = None
    #: Extractions of every file of the project, also those not being checked (its entry modules, say).
    project_files: tuple[FileExtraction, ...] = ()

    @property
    def policy(self) -> Policy:
        return self.loaded.policy

    @cached_property
    def costs(self) -> CostProjection:
        """Projected spend of the code under check (computed once, shared by the budget rules)."""
        from ..cost import project

        return project(self.call_sites, self.policy, self.catalog, self.today)

    @cached_property
    def base_costs(self) -> CostProjection | None:
        """Projected spend of the code at `--base`, under the same policy, catalog and day."""
        from ..cost import project

        if self.base_call_sites is None:
            return None
        return project(self.base_call_sites, self.policy, self.catalog, self.today)


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
    #: When the rule runs: `project` rules read the resolved project (`check`); `suppression` rules run after
    #: suppression comments were applied, over the comments that suppressed nothing (`check_unused`).
    phase: ClassVar[Literal["project", "suppression"]] = "project"

    def check(self, view: ProjectView) -> Iterable[Finding]:
        """Findings of a `project` rule."""
        return ()

    def check_unused(self, unused: Sequence[UnusedComment]) -> Iterable[Finding]:
        """Findings of a `suppression` rule."""
        return ()

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


#: A policy with budgets, for the examples of the budget rules.
BUDGET_POLICY = """\
version: 1
attribution:
  required: [team, use_case]
teams:
  support: {owner: support-eng@example.com, monthly_budget_usd: 6000}
use_cases:
  ticket-triage:
    team: support
    models:
      approved: ["gpt-6-luna", "gpt-6-sol", "gpt-4o-mini", "claude-haiku-5-5*", "claude-sonnet-4-5*"]
    limits:
      max_output_tokens: 512
      max_cost_per_call_usd: 0.002
      max_cost_per_task_usd: 0.004
    budget:
      monthly_usd: 100
      tasks_per_month: 300000
      avg_input_tokens: 1200
      avg_output_tokens: 150
      max_increase_pct: 20
models:
  retirement_notice_days: 60
"""


def triage_source(model: str, limit: int | None = 256) -> str:
    """A realistic OpenAI call for the budget rules' examples, attributed to `ticket-triage`."""
    limit_line = f"        max_completion_tokens={limit},\n" if limit is not None else ""
    return (
        "from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef triage(text: str) -> str:\n"
        "    reply = client.chat.completions.create(\n"
        f"        model=\"{model}\",\n{limit_line}"
        "        messages=[{\"role\": \"user\", \"content\": text}],\n"
        "        metadata={\"team\": \"support\", \"use_case\": \"ticket-triage\"},\n    )\n"
        "    return reply.choices[0].message.content or \"\"\n"
    )
