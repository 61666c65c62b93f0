"""Savings levers: where a project's AI spend could be lower, in dollars a month, and why we believe it.

    find_savings(projection, policy, catalog, today, evidence) -> SavingsReport

Five levers, each re-pricing call sites of the cost projection with one change (see _levers.py):
routing to a cheaper model that meets the use case's quality bar (OBH207), the batch or flex tier
for offline use cases (OBH306), prompt caching for static prefixes (OBH307), trimming static
prompts above the policy's limit (OBH401), and output caps far above the average answer (worst
case only).
"""

from __future__ import annotations

from ._levers import OUTPUT_CAP_HEADROOM, OUTPUT_LIMIT_FACTOR, find_savings
from ._model import (
    KIND_ORDER,
    Lever,
    LeverKind,
    LeverSite,
    Measure,
    SavingsReport,
    site_figures,
)

__all__ = ["KIND_ORDER", "OUTPUT_CAP_HEADROOM", "OUTPUT_LIMIT_FACTOR", "Lever", "LeverKind", "LeverSite", "Measure",
           "SavingsReport", "find_savings", "site_figures"]
