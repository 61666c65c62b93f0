"""OBH901 undeclared-team."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..policy.load import LoadedPolicy
from ..wording import did_you_mean
from ._base import Rule
from ._examples import Example, yaml


class UndeclaredTeam(Rule):
    """Every use case's team is one the policy declares."""

    code = "OBH901"
    name = "undeclared-team"
    default_severity = Severity.ERROR
    phase = "policy"
    summary = "A use case names a team the policy does not declare."
    what = "Checks `use_cases.NAME.team` against the teams under `teams:` (when the policy declares any)."
    why = ("A team is who answers for a use case's spend and owns its budget. A misspelt team silently drops the use "
           "case out of its team's budget and out of every per-team report.")
    fix = "Fix the spelling, or declare the team under `teams:` with its owner."
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
          triage: {team: suport}
    """), lines=(5,), message="team 'suport' is not declared under teams; did you mean 'support'?"),)

    def check_policy(self, loaded: LoadedPolicy) -> Iterable[Finding]:
        policy = loaded.policy
        teams = list(policy.teams)
        for name, use_case in policy.use_cases.items():
            if teams and use_case.team is not None and use_case.team not in policy.teams:
                yield self.at_policy(loaded, ("use_cases", name, "team"),
                                     f"team {use_case.team!r} is not declared under teams{did_you_mean(use_case.team, teams)}")
