"""OBH903 use-case-without-team."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..policy.load import LoadedPolicy
from ._base import Rule
from ._examples import Example, yaml


class UseCaseWithoutTeam(Rule):
    """Every use case has an owning team, once the policy declares teams."""

    code = "OBH903"
    name = "use-case-without-team"
    default_severity = Severity.ERROR
    phase = "policy"
    summary = "A use case has no team."
    what = "When the policy declares teams, reports each use case without `team:`."
    why = "Spend without an owner is spend nobody acts on: budgets, alerts and reviews all go to a team."
    fix = "Give the use case a `team:` from the declared teams."
    valid = (Example("", policy=yaml("""
        version: 1
        teams:
          support: {owner: support-eng@example.com}
        use_cases:
          triage: {team: support}
    """)),)
    invalid = (Example("", policy=yaml("""
        version: 1
        teams:
          support: {owner: support-eng@example.com}
        use_cases:
          orphan: {description: Nobody owns this}
    """), lines=(5,), message="use case 'orphan' has no team"),)

    def check_policy(self, loaded: LoadedPolicy) -> Iterable[Finding]:
        teams = list(loaded.policy.teams)
        for name, use_case in loaded.policy.use_cases.items():
            if teams and use_case.team is None:
                yield self.at_policy(loaded, ("use_cases", name),
                                     f"use case {name!r} has no team; every use case needs an owner (teams: {', '.join(teams)})")
