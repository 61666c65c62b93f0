"""OBH103 undeclared-use-case."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..wording import did_you_mean
from ._base import Rule
from ._examples import Example, Option, python
from ._view import ProjectView


class UndeclaredUseCase(Rule):
    """The use case a call names is one the policy declares."""

    code = "OBH103"
    name = "undeclared-use-case"
    default_severity = Severity.ERROR
    summary = "The call's use case is not declared in the policy."
    what = ("Checks that a call's statically known `use_case` is a key of the policy's `use_cases` section. "
            "The rule applies once the policy declares any use case.")
    why = ("Budgets, approved models and cost ceilings hang off declared use cases. A call naming an "
           "undeclared (often misspelt) use case escapes all of them, and its spend lands in a bucket no one owns.")
    fix = "Use a declared use case's name, or declare the new use case (with its team, models and budget) in the policy."
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()
            client.chat.completions.create(model="gpt-6-luna", messages=[],
                max_completion_tokens=100, metadata={"team": "support", "use_case": "ticket-triage"})
        """)),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()
            client.chat.completions.create(model="gpt-6-luna", messages=[],
                max_completion_tokens=100, metadata={"team": "support", "use_case": "ticket-triag"})
        """), lines=(4,), message="did you mean 'ticket-triage'"),
    )
    options = (
        Option("use_cases", "the use cases a call may name", invalid[0],
               invalid[0].policy.replace("use_cases:\n", "use_cases:\n  ticket-triag:\n    team: support\n")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        declared = view.policy.use_cases
        if not declared:
            return
        for site in view.call_sites:
            if site.use_case is None or site.use_case in declared:
                continue
            hint = (did_you_mean(site.use_case, declared)
                    or f"; declare it under use_cases (declared: {', '.join(sorted(declared))})")
            yield self.at_call(site, f"use case {site.use_case!r} is not declared in the policy{hint}")
