"""Evidence for a checked project: the models its call sites use, priced with each use case's volumes.

The collector (`collect_evidence`) knows files and verdicts; this module tells it what the project
knows: which models each use case's resolved call sites use, and what a task of the use case
would cost on a model (`cost.model_cost_per_task`, served by the provider the use case's calls
already use for that model, else by the model's own vendor). `check` (through `ProjectView`),
`evidence` and `savings` all call it, so the three agree.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable

from ..callsite import CallSite
from ..catalog import PriceCatalog
from ..cost import model_cost_per_task
from ..policy.model import Policy
from ._collect import EvidenceReport, canonical_model, collect_evidence


def used_models(call_sites: Iterable[CallSite]) -> dict[str, list[str]]:
    """Use case -> the models its call sites name (resolved ones only), in order of appearance."""
    used: dict[str, list[str]] = {}
    for site in call_sites:
        if site.use_case is not None and site.model is not None:
            used.setdefault(site.use_case, []).append(site.model)
    return used


def project_evidence(root: Path, policy: Policy, call_sites: Iterable[CallSite], today: date,
                     catalog: PriceCatalog) -> EvidenceReport:
    """Evidence for every use case of `policy` with a quality bar, from result files under `root`."""
    sites = tuple(call_sites)
    # the provider a use case's calls use for a model (Bedrock, Azure...) prices it; the first call site decides
    serving: dict[tuple[str, str], str] = {}
    for site in sites:
        if site.use_case is not None and site.model is not None:
            serving.setdefault((site.use_case, canonical_model(site.model, catalog, site.provider)), site.provider)

    def cost_per_task(use_case: str, model: str) -> float | None:
        declared = policy.use_cases.get(use_case)
        if declared is None:
            return None
        return model_cost_per_task(model, serving.get((use_case, model)), declared.budget, policy, catalog, today)

    return collect_evidence(root, policy, today, cost_per_task=cost_per_task, used_models=used_models(sites),
                            catalog=catalog)
