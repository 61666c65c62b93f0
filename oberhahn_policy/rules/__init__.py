"""The rules: one module per rule (`obhNNN_name.py`), found by scanning this package, in code order."""

from __future__ import annotations

import importlib
import pkgutil

from ._base import Rule
from ._examples import (
    BUDGET_POLICY,
    EXAMPLE_POLICY,
    Example,
    Option,
    python,
    text,
    yaml,
)
from ._view import ProjectView


def _discover() -> tuple[type[Rule], ...]:
    """Every `Rule` subclass defined in a rule module of this package (adding a rule is adding a module)."""
    found: list[type[Rule]] = []
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("obh"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(value for value in vars(module).values()
                     if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__)
    return tuple(sorted(found, key=lambda rule: rule.code))


ALL_RULES: tuple[type[Rule], ...] = _discover()


def rule_by_code(code: str) -> type[Rule] | None:
    """The rule with this code or name (`OBH201`, `unapproved-model`), if any."""
    code = code.upper()
    for rule in ALL_RULES:
        if rule.code == code or rule.name == code.lower():
            return rule
    return None


__all__ = ["ALL_RULES", "BUDGET_POLICY", "EXAMPLE_POLICY", "Example", "Option", "ProjectView", "Rule", "python",
           "rule_by_code", "text", "yaml"]
