"""OBH205 unpriced-model."""

from __future__ import annotations

from typing import Iterable

from ..cost import is_unit_priced, unit_price
from ..findings import Finding, Severity
from ._base import Rule
from ._examples import BUDGET_POLICY, Example, Option, python, yaml
from ._view import ProjectView


class UnpricedModel(Rule):
    """Every model a call uses has a price, so its use case's spend can be projected."""

    code = "OBH205"
    name = "unpriced-model"
    default_severity = Severity.ERROR
    summary = "Model is not in the price catalog, so spend can't be projected."
    what = ("Reports a call whose statically known model is neither in the bundled price catalog (in any "
            "spelling: `openai/...`, Bedrock and Vertex ids, dated snapshots) nor priced by the policy's "
            "`models.prices`. Its use case's projection is then marked incomplete.")
    why = ("Pricing an unknown model at zero is how budget tools fail silently: the projection looks fine while "
           "the bill grows. An unknown id is also often a typo or an Azure deployment name that hides the model.")
    fix = ("Use a catalogued model id, or price the model in the policy: "
           "`models.prices: {my-model: {input_per_mtok: 1.0, output_per_mtok: 4.0}}`.")
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str) -> str:
                reply = client.chat.completions.create(
                    model="gpt-6-luna",
                    max_completion_tokens=256,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.choices[0].message.content or ""
        """), policy=BUDGET_POLICY),
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str) -> str:
                reply = client.chat.completions.create(
                    model="acme-finetune-7",
                    max_completion_tokens=256,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.choices[0].message.content or ""
        """), policy=yaml("""
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
              prices:
                acme-finetune-7: {input_per_mtok: 0.3, output_per_mtok: 1.2}
        """)),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str) -> str:
                reply = client.chat.completions.create(
                    model="gpt-6-lunar",
                    max_completion_tokens=256,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.choices[0].message.content or ""
        """), policy=BUDGET_POLICY, lines=(7,), message='is not in the price catalog'),
    )
    options = (
        Option("models.prices", "prices for models the catalog lacks (or negotiated ones), per million tokens",
               invalid[0], invalid[0].policy + "  prices:\n    gpt-6-lunar: {input_per_mtok: 1, output_per_mtok: 2}\n"),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        policy = view.policy
        for site in view.call_sites:
            if is_unit_priced(site.site.operation):
                continue
            for model in site.models:
                if unit_price(model, site.provider, policy, view.catalog, view.today) is not None:
                    continue
                use_case = f"use case {site.use_case!r}" if site.use_case else "the unattributed call sites"
                deployment = "(an Azure deployment name: price it under models.prices) " if site.site.model_is_deployment else ""
                yield self.at_model(site, model, f"{deployment}is not in the price catalog (as of "
                                                 f"{view.catalog.as_of.isoformat()}), so the spend of {use_case} can't be "
                                                 "projected; use a catalogued model or add it to models.prices")
