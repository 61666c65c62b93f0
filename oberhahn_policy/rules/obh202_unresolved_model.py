"""OBH202 unresolved-model."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import Rule
from ._examples import Example, Option, python
from ._view import ProjectView


class UnresolvedModel(Rule):
    """The model a call uses can be read from the code."""

    code = "OBH202"
    name = "unresolved-model"
    default_severity = Severity.WARNING
    summary = "Model cannot be resolved statically."
    what = ("Reports call sites whose model comes from an expression the checker cannot resolve: a value read "
            "at run time, a function result, a parameter without a default. Literals, module and class "
            "constants, constants imported from the project, `os.getenv` defaults and `**` dict literals resolve.")
    why = ("A model nobody can read is a model nobody can approve or price. The checker reports it instead of "
           "guessing, so the gap in governance is visible.")
    fix = "Name the model with a literal or a project constant, or give the setting a literal default (`os.getenv(\"MODEL\", \"gpt-6-luna\")`)."
    valid = (
        Example(python("""
            import os

            from openai import OpenAI

            MODEL = os.getenv("TRIAGE_MODEL", "gpt-6-luna")
            client = OpenAI()


            def triage(text: str) -> None:
                client.chat.completions.create(model=MODEL, messages=[],
                    max_completion_tokens=100, metadata={"team": "support", "use_case": "ticket-triage"})
        """)),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str, model: str) -> None:
                client.chat.completions.create(model=model, messages=[],
                    max_completion_tokens=100, metadata={"team": "support", "use_case": "ticket-triage"})
        """), lines=(7,), message='model `model` cannot be resolved'),
    )
    options = (
        Option("use_cases.NAME.models.assume", "the models a configuration-driven call of the use case may run", invalid[0],
               invalid[0].policy.replace('      approved: ["gpt-6-luna", "claude-haiku-5-5*"]',
                                         '      approved: ["gpt-6-luna", "claude-haiku-5-5*"]\n      assume: ["gpt-6-luna"]')),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        for site in view.call_sites:
            if site.models or site.site.model is None:
                continue
            where = f"use_cases.{site.use_case}.models.assume" if site.use_case else "use_cases.NAME.models.assume"
            yield self.at_call(site, f"model `{site.model_expression}` cannot be resolved statically, so it can't be "
                                     f"approved or priced; if it comes from configuration, declare the models it may be "
                                     f"under {where} (or the wrapper's `models:`), else use a literal or a project constant")
