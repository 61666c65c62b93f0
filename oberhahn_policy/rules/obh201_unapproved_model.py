"""OBH201 unapproved-model."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..modelids import matches
from ._base import Example, ProjectView, Rule


class UnapprovedModel(Rule):
    """The model a call uses is one approved for the call's use case."""

    code = "OBH201"
    name = "unapproved-model"
    default_severity = Severity.ERROR
    summary = "Model not approved for the call's use case."
    what = ("Checks the call's statically known model against `use_cases.NAME.models.approved` (glob patterns) "
            "of its use case. Where a use case (or the call) has no approved list, `models.default: deny` "
            "makes every model unapproved and `allow` (the default) lets it pass.")
    why = ("Model choice is the biggest lever on cost per call: the same triage prompt can cost 40x more on a "
           "frontier model than on a small one. Approving models per use case keeps that choice deliberate "
           "and reviewable, and keeps models that were not assessed for a use case out of it.")
    fix = "Use one of the use case's approved models, or add the model to the use case's `models.approved` in a reviewed policy change."
    valid = (
        Example(
            "import anthropic\n\nclient = anthropic.Anthropic()\n\n\ndef label(text: str) -> str:\n"
            "    reply = client.messages.create(\n        model=\"claude-haiku-5-5\",\n        max_tokens=64,\n"
            "        messages=[{\"role\": \"user\", \"content\": text}],\n"
            "        extra_headers={\"X-Oberhahn-Team\": \"support\", \"X-Oberhahn-Use-Case\": \"ticket-triage\"},\n    )\n"
            "    return reply.content[0].text\n"
        ),
    )
    invalid = (
        Example(
            "import anthropic\n\nclient = anthropic.Anthropic()\n\n\ndef label(text: str) -> str:\n"
            "    reply = client.messages.create(\n        model=\"claude-opus-5-5\",\n        max_tokens=64,\n"
            "        messages=[{\"role\": \"user\", \"content\": text}],\n"
            "        extra_headers={\"X-Oberhahn-Team\": \"support\", \"X-Oberhahn-Use-Case\": \"ticket-triage\"},\n    )\n"
            "    return reply.content[0].text\n",
            message="'claude-opus-5-5' is not approved for use case 'ticket-triage'",
        ),
        Example(
            "from openai import OpenAI\n\nMODEL = \"gpt-6-sol\"\nclient = OpenAI()\nclient.chat.completions.create(model=MODEL, messages=[],\n"
            "    max_completion_tokens=100)\n",
            policy="version: 1\nmodels:\n  default: deny\n",
            message="no models are approved",
        ),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        policy = view.policy
        for site in view.call_sites:
            if site.model is None:
                continue
            use_case = policy.use_cases.get(site.use_case) if site.use_case else None
            approved = use_case.models.approved if use_case is not None else ()
            deployment = " (an Azure deployment name)" if site.site.model_is_deployment else ""
            if approved:
                if matches(site.model, approved) is None:
                    yield self.at_call(site, f"model {site.model!r}{deployment} is not approved for use case "
                                             f"{site.use_case!r} (approved: {', '.join(approved)}); use an approved "
                                             "model or add it to the use case's models.approved")
            elif policy.models.default == "deny":
                where = f"use case {site.use_case!r}" if site.use_case else "calls without a use case"
                yield self.at_call(site, f"model {site.model!r}{deployment}: no models are approved for {where} and "
                                         "models.default is deny; declare models.approved for the use case")
