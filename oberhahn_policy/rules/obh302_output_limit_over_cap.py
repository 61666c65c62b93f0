"""OBH302 output-limit-over-cap."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import DEFAULTS, Rule
from ._examples import BUDGET_POLICY, Example, Option, python
from ._view import ProjectView


class OutputLimitOverCap(Rule):
    """A call's output-token limit stays within its use case's cap."""

    code = "OBH302"
    name = "output-limit-over-cap"
    default_severity = Severity.ERROR
    summary = "Output-token limit above the use case's cap."
    what = "Compares the call's statically known output-token limit with its use case's `limits.max_output_tokens`."
    why = ("The cap is the use case's statement of how long an answer may be; a larger limit raises the worst-case "
           "cost per call that the budget was sized for, usually without anyone deciding to.")
    fix = "Lower the call's limit to the cap, or raise the cap in a reviewed policy change."
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str) -> str:
                reply = client.chat.completions.create(
                    model="gpt-6-luna",
                    max_completion_tokens=512,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.choices[0].message.content or ""
        """), policy=BUDGET_POLICY),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str) -> str:
                reply = client.chat.completions.create(
                    model="gpt-6-luna",
                    max_completion_tokens=4096,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.choices[0].message.content or ""
        """), policy=BUDGET_POLICY, lines=(7,), message="output-token limit 4096 is above the cap of 512 for use case 'ticket-triage'"),
    )
    options = (
        Option("use_cases.NAME.limits.max_output_tokens", "the largest output limit a call may pass", invalid[0],
               invalid[0].policy.replace("max_output_tokens: 512", "max_output_tokens: 8192")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        for site in view.call_sites:
            if site.max_output_tokens is None or site.use_case not in view.policy.use_cases:
                continue
            cap = view.policy.use_cases[site.use_case].limits.max_output_tokens
            if cap is not None and site.max_output_tokens > cap:
                default = site.limit_source in DEFAULTS
                known = (f"by default (`{site.limit_expression}` may be set otherwise) " if default else "")
                yield self.at_call(site, f"output-token limit {site.max_output_tokens} is {known}above the cap of {cap} for "
                                         f"use case {site.use_case!r} (limits.max_output_tokens); lower the limit",
                                   by_default=default)
