"""OBH902 unknown-rule."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..policy.load import LoadedPolicy
from ..wording import did_you_mean
from ._base import Rule
from ._examples import Example, yaml


class UnknownRule(Rule):
    """Every key under `rules:` names a rule, by code or by name."""

    code = "OBH902"
    name = "unknown-rule"
    default_severity = Severity.ERROR
    phase = "policy"
    summary = "The policy configures a rule that does not exist."
    what = "Checks each key under `rules:` against the rules' codes (`OBH202`) and names (`unresolved-model`)."
    why = ("A misspelt rule key is a setting that does nothing: the rule keeps its default severity, or stays on when "
           "the policy meant to switch it off, and nobody notices.")
    fix = "Use a code or name that `oberhahn-policy rules` lists."
    valid = (Example("", policy=yaml("""
        version: 1
        rules:
          OBH202: {severity: warning}
          unbounded-llm-loop: {enabled: false}
    """)),)
    invalid = (Example("", policy=yaml("""
        version: 1
        rules:
          OBH2O2: {severity: warning}
    """), lines=(3,), message="unknown rule 'OBH2O2'; did you mean 'OBH202'?"),)

    def check_policy(self, loaded: LoadedPolicy) -> Iterable[Finding]:
        from . import ALL_RULES

        known = {r.code for r in ALL_RULES} | {r.name for r in ALL_RULES}
        for key in loaded.policy.rules:
            if key not in known and key.upper() not in known:
                yield self.at_policy(loaded, ("rules", key),
                                     f"unknown rule {key!r}{did_you_mean(key.upper(), sorted(r.code for r in ALL_RULES))}")
