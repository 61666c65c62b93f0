"""The rules: one module per rule, registered here in code order."""

from __future__ import annotations

from ._base import EXAMPLE_POLICY, Example, ProjectView, Rule
from .obh001_parse_error import ParseError
from .obh002_unused_suppression import UnusedSuppression
from .obh101_missing_attribution import MissingAttribution
from .obh103_undeclared_use_case import UndeclaredUseCase
from .obh201_unapproved_model import UnapprovedModel
from .obh202_unresolved_model import UnresolvedModel
from .obh203_denied_model import DeniedModel

ALL_RULES: tuple[type[Rule], ...] = (
    ParseError,
    UnusedSuppression,
    MissingAttribution,
    UndeclaredUseCase,
    UnapprovedModel,
    UnresolvedModel,
    DeniedModel,
)


def rule_by_code(code: str) -> type[Rule] | None:
    code = code.upper()
    for rule in ALL_RULES:
        if rule.code == code or rule.name == code.lower():
            return rule
    return None


__all__ = ["ALL_RULES", "EXAMPLE_POLICY", "Example", "ProjectView", "Rule", "rule_by_code"]
