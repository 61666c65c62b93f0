"""OBH201 unapproved-model."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..modelids import matches
from ._base import Rule
from ._examples import Example, Option, python, yaml
from ._view import ProjectView


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
        Example(python("""
            import anthropic

            client = anthropic.Anthropic()


            def label(text: str) -> str:
                reply = client.messages.create(
                    model="claude-haiku-5-5",
                    max_tokens=64,
                    messages=[{"role": "user", "content": text}],
                    extra_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "ticket-triage"},
                )
                return reply.content[0].text
        """)),
    )
    invalid = (
        Example(python("""
            import anthropic

            client = anthropic.Anthropic()


            def label(text: str) -> str:
                reply = client.messages.create(
                    model="claude-opus-5-5",
                    max_tokens=64,
                    messages=[{"role": "user", "content": text}],
                    extra_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "ticket-triage"},
                )
                return reply.content[0].text
        """), lines=(7,), message="'claude-opus-5-5' is not approved for use case 'ticket-triage'"),
        Example(python("""
            from openai import OpenAI

            MODEL = "gpt-6-sol"
            client = OpenAI()
            client.chat.completions.create(model=MODEL, messages=[],
                max_completion_tokens=100)
        """), policy=yaml("""
            version: 1
            models:
              default: deny
        """), lines=(5,), message='no models are approved'),
    )
    options = (
        Option("use_cases.NAME.models.approved", "glob patterns of the models the use case may call", invalid[0],
               invalid[0].policy.replace('approved: ["gpt-6-luna", ', 'approved: ["claude-opus-5-5", "gpt-6-luna", ')),
        Option("models.default", "`deny` makes every model unapproved for use cases without an approved list",
               invalid[1], invalid[1].policy.replace("default: deny", "default: allow")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        policy = view.policy
        for site in view.call_sites:
            use_case = policy.use_cases.get(site.use_case) if site.use_case else None
            approved = use_case.models.approved if use_case is not None else ()
            deployment = "(an Azure deployment name) " if site.site.model_is_deployment else ""
            for model in site.models:
                if approved:
                    if matches(model, approved) is None:
                        yield self.at_model(site, model, f"{deployment}is not approved for use case {site.use_case!r} "
                                                         f"(approved: {', '.join(approved)}); use an approved model or "
                                                         "add it to the use case's models.approved")
                elif policy.models.default == "deny":
                    where = f"use case {site.use_case!r}" if site.use_case else "calls without a use case"
                    yield self.at_model(site, model, f"{deployment}is not approved: no models are approved for {where} "
                                                     "and models.default is deny; declare models.approved for the use case")
