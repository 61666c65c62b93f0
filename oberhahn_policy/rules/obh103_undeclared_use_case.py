"""OBH103 undeclared-use-case."""

from __future__ import annotations

import difflib
from typing import Iterable

from ..findings import Finding, Severity
from ._base import Example, ProjectView, Rule


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
        Example(
            "from openai import OpenAI\n\nclient = OpenAI()\nclient.chat.completions.create(model=\"gpt-6-luna\", messages=[],\n"
            "    max_completion_tokens=100, metadata={\"team\": \"support\", \"use_case\": \"ticket-triage\"})\n"
        ),
    )
    invalid = (
        Example(
            "from openai import OpenAI\n\nclient = OpenAI()\nclient.chat.completions.create(model=\"gpt-6-luna\", messages=[],\n"
            "    max_completion_tokens=100, metadata={\"team\": \"support\", \"use_case\": \"ticket-triag\"})\n",
            message="did you mean 'ticket-triage'",
        ),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        declared = view.policy.use_cases
        if not declared:
            return
        for site in view.call_sites:
            if site.use_case is None or site.use_case in declared:
                continue
            close = difflib.get_close_matches(site.use_case, list(declared), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; declare it under use_cases (declared: {', '.join(sorted(declared))})"
            yield self.at_call(site, f"use case {site.use_case!r} is not declared in the policy{hint}")
