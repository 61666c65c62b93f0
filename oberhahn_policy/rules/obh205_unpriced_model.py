"""OBH205 unpriced-model."""

from __future__ import annotations

from typing import Iterable

from ..cost import is_unit_priced, unit_price
from ..findings import Finding, Severity
from ._base import BUDGET_POLICY, Example, ProjectView, Rule, triage_source


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
        Example(triage_source("gpt-6-luna"), policy=BUDGET_POLICY),
        Example(triage_source("acme-finetune-7"),
                policy=BUDGET_POLICY + "  prices:\n    acme-finetune-7: {input_per_mtok: 0.3, output_per_mtok: 1.2}\n"),
    )
    invalid = (Example(triage_source("gpt-6-lunar"), policy=BUDGET_POLICY, message="is not in the price catalog"),)

    def check(self, view: ProjectView) -> Iterable[Finding]:
        policy = view.policy
        for site in view.call_sites:
            if site.model is None or is_unit_priced(site.site.operation):
                continue
            if unit_price(site.model, site.provider, policy, view.catalog, view.today) is not None:
                continue
            use_case = f"use case {site.use_case!r}" if site.use_case else "the unattributed call sites"
            deployment = " (an Azure deployment name: price it under models.prices)" if site.site.model_is_deployment else ""
            yield self.at_call(site, f"model {site.model!r}{deployment} is not in the price catalog (as of "
                                     f"{view.catalog.as_of.isoformat()}), so the spend of {use_case} can't be projected; "
                                     f"use a catalogued model or add it to models.prices")
