"""The rules: one module per rule, registered here in code order."""

from __future__ import annotations

from ._base import EXAMPLE_POLICY, Example, ProjectView, Rule
from .obh001_parse_error import ParseError
from .obh101_missing_attribution import MissingAttribution
from .obh103_undeclared_use_case import UndeclaredUseCase
from .obh201_unapproved_model import UnapprovedModel
from .obh202_unresolved_model import UnresolvedModel
from .obh203_denied_model import DeniedModel
from .obh204_retired_model import RetiredModel
from .obh205_unpriced_model import UnpricedModel
from .obh301_missing_output_limit import MissingOutputLimit
from .obh302_output_limit_over_cap import OutputLimitOverCap
from .obh303_call_cost_over_ceiling import CallCostOverCeiling
from .obh304_projected_over_budget import ProjectedOverBudget
from .obh305_spend_increase import SpendIncrease

ALL_RULES: tuple[type[Rule], ...] = (
    ParseError,
    MissingAttribution,
    UndeclaredUseCase,
    UnapprovedModel,
    UnresolvedModel,
    DeniedModel,
    RetiredModel,
    UnpricedModel,
    MissingOutputLimit,
    OutputLimitOverCap,
    CallCostOverCeiling,
    ProjectedOverBudget,
    SpendIncrease,
)


def rule_by_code(code: str) -> type[Rule] | None:
    code = code.upper()
    for rule in ALL_RULES:
        if rule.code == code or rule.name == code.lower():
            return rule
    return None


__all__ = ["ALL_RULES", "EXAMPLE_POLICY", "Example", "ProjectView", "Rule", "rule_by_code"]
