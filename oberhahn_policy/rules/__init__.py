"""The rules: one module per rule, registered here in code order."""

from __future__ import annotations

from ._base import EXAMPLE_POLICY, Example, ProjectView, Rule
from .obh001_parse_error import ParseError
from .obh002_unused_suppression import UnusedSuppression
from .obh101_missing_attribution import MissingAttribution
from .obh102_disallowed_attribution import DisallowedAttribution
from .obh103_undeclared_use_case import UndeclaredUseCase
from .obh104_dynamic_attribution import DynamicAttribution
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
from .obh401_oversized_prompt import OversizedPrompt
from .obh402_unbounded_llm_loop import UnboundedLlmLoop
from .obh403_prompt_version_drift import PromptVersionDrift
from .obh501_ungoverned_client import UngovernedClient
from .obh502_untraced_call import UntracedCall

ALL_RULES: tuple[type[Rule], ...] = (
    ParseError,
    UnusedSuppression,
    MissingAttribution,
    DisallowedAttribution,
    UndeclaredUseCase,
    DynamicAttribution,
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
    OversizedPrompt,
    UnboundedLlmLoop,
    PromptVersionDrift,
    UngovernedClient,
    UntracedCall,
)


def rule_by_code(code: str) -> type[Rule] | None:
    code = code.upper()
    for rule in ALL_RULES:
        if rule.code == code or rule.name == code.lower():
            return rule
    return None


__all__ = ["ALL_RULES", "EXAMPLE_POLICY", "Example", "ProjectView", "Rule", "rule_by_code"]
