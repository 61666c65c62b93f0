"""OBH202 unresolved-model."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import Example, ProjectView, Rule


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
        Example(
            "import os\n\nfrom openai import OpenAI\n\nMODEL = os.getenv(\"TRIAGE_MODEL\", \"gpt-6-luna\")\nclient = OpenAI()\n\n\n"
            "def triage(text: str) -> None:\n    client.chat.completions.create(model=MODEL, messages=[],\n"
            "        max_completion_tokens=100, metadata={\"team\": \"support\", \"use_case\": \"ticket-triage\"})\n"
        ),
    )
    invalid = (
        Example(
            "from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef triage(text: str, model: str) -> None:\n"
            "    client.chat.completions.create(model=model, messages=[],\n"
            "        max_completion_tokens=100, metadata={\"team\": \"support\", \"use_case\": \"ticket-triage\"})\n",
            message="model `model` cannot be resolved",
        ),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        for site in view.call_sites:
            if site.model is not None or site.site.model is None:
                continue
            yield self.at_call(site, f"model `{site.model_expression}` cannot be resolved statically, so it can't be "
                                     "approved or priced; use a literal or a project constant")
