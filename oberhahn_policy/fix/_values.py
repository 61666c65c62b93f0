"""What a fix may write for a call: its use case and that use case's team — known values only.

The use case is the call's own (from any carrier the policy counts) when its value is known, else
the one the policy maps the call's file to (`use_cases.NAME.paths`), even when the policy does not
count the path mapping as attribution: that mapping is the policy's statement of what the file is for.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..callsite import CallSite
from ..policy.model import Policy
from ..resolve import path_matches


@dataclass(frozen=True, slots=True)
class UseCaseValue:
    """A call's use case and where the fix learnt it."""

    name: str
    #: `call` when the call (or its client, scope or file) names it, `path` when the policy maps the file to it.
    source: str


def mapped_use_case(path: str, policy: Policy) -> str | None:
    """The use case whose `paths` match the file (the first, as resolve takes it)."""
    for name, use_case in policy.use_cases.items():
        if path_matches(path, use_case.paths):
            return name
    return None


def use_case_of(site: CallSite, policy: Policy) -> UseCaseValue | None:
    """The call's use case when it is known: its own, else the path mapping's."""
    if site.use_case is not None:
        return UseCaseValue(site.use_case, "call")
    if "use_case" in site.attribution_map():
        return None  # present, but its value is not known statically: a path mapping would be a guess
    mapped = mapped_use_case(site.path, policy)
    return UseCaseValue(mapped, "path") if mapped is not None else None


def known_value(key: str, site: CallSite, policy: Policy) -> str | None:
    """The value an attribution key must have for this call, when the policy says it: the use case and its team."""
    use_case = use_case_of(site, policy)
    if use_case is None:
        return None
    if key == "use_case":
        return use_case.name
    declared = policy.use_cases.get(use_case.name)
    if key == "team" and declared is not None:
        return declared.team
    return None

