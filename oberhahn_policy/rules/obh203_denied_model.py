"""OBH203 denied-model."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..modelids import matches
from ._base import Rule
from ._examples import Example, Option, python
from ._view import ProjectView


class DeniedModel(Rule):
    """No call uses a model the organisation denies."""

    code = "OBH203"
    name = "denied-model"
    default_severity = Severity.ERROR
    summary = "Model matches a denied pattern."
    what = "Checks the call's statically known model against the organisation-wide `models.denied` glob patterns."
    why = ("Some models are off limits everywhere: previews without a price or an SLA, models a provider "
           "retired, models legal has not cleared. A deny list states that once for every use case.")
    fix = "Switch to a model the policy allows for the use case."
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()
            client.responses.create(model="gpt-6-luna", input="hello",
                max_output_tokens=100, metadata={"team": "support", "use_case": "ticket-triage"})
        """)),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()
            client.responses.create(model="gpt-6-sol-preview", input="hello",
                max_output_tokens=100, metadata={"team": "support", "use_case": "ticket-triage"})
        """), lines=(4,), message="matches the denied pattern '*-preview'"),
    )
    options = (
        Option("models.denied", "glob patterns no call may use, whatever its use case", invalid[0],
               invalid[0].policy.replace('denied: ["*-preview"]', "denied: []")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        denied = view.policy.models.denied
        if not denied:
            return
        for site in view.call_sites:
            for model in site.models:
                pattern = matches(model, denied)
                if pattern is not None:
                    yield self.at_model(site, model, f"matches the denied pattern {pattern!r} in models.denied; "
                                                     "use a model the policy allows")
