"""OBH904 empty-value-registry."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..policy.load import LoadedPolicy
from ._base import Rule
from ._examples import Example, yaml


class EmptyValueRegistry(Rule):
    """An attribution key whose values must come from `teams` or `use_cases` has something to come from."""

    code = "OBH904"
    name = "empty-value-registry"
    default_severity = Severity.ERROR
    phase = "policy"
    summary = "Attribution values must come from a registry the policy leaves empty."
    what = "Reports `attribution.values.KEY: {from: teams}` (or `use_cases`) when the policy declares no teams (use cases)."
    why = "Every call would then carry a disallowed value: the gate would fail on all of them for a policy mistake."
    fix = "Declare the teams (use cases), or drop the `from:` constraint."
    valid = (Example("", policy=yaml("""
        version: 1
        attribution:
          values:
            team: {from: teams}
        teams:
          support: {owner: support-eng@example.com}
    """)),)
    invalid = (Example("", policy=yaml("""
        version: 1
        attribution:
          values:
            team: {from: teams}
            use_case: {from: use_cases}
    """), lines=(4, 5), message="but the policy declares no"),)

    def check_policy(self, loaded: LoadedPolicy) -> Iterable[Finding]:
        policy = loaded.policy
        for key, allowed in policy.attribution.values.items():
            if allowed.from_ == "teams" and not policy.teams:
                yield self.at_policy(loaded, ("attribution", "values", key),
                                     f"values of {key!r} must come from teams, but the policy declares no teams")
            if allowed.from_ == "use_cases" and not policy.use_cases:
                yield self.at_policy(loaded, ("attribution", "values", key),
                                     f"values of {key!r} must come from use_cases, but the policy declares no use cases")
