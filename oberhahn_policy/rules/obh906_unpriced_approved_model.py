"""OBH906 unpriced-approved-model."""

from __future__ import annotations

import fnmatch
from typing import Iterable

from ..catalog import load_catalog
from ..findings import Finding, Severity
from ..modelids import matches
from ..policy.load import LoadedPolicy
from ._base import Rule
from ._examples import Example, Option, yaml


class UnpricedApprovedModel(Rule):
    """Every approved model can be priced, by the catalog or by the policy."""

    code = "OBH906"
    name = "unpriced-approved-model"
    default_severity = Severity.ERROR
    phase = "policy"
    summary = "An approved model is not in the price catalog."
    what = ("Checks each pattern under `use_cases.NAME.models.approved` against the price catalog's ids and aliases "
            "and the policy's own `models.prices`.")
    why = ("A model nobody can price makes its use case's projection incomplete, and a misspelt approval approves "
           "nothing: the calls it meant to allow fail OBH201.")
    fix = "Check the spelling (`oberhahn-policy models` lists the catalog), or price the model under `models.prices`."
    valid = (Example("", policy=yaml("""
        version: 1
        use_cases:
          triage:
            models:
              approved: ["gpt-6-luna", "claude-haiku-5-5*"]
    """)),)
    invalid = (Example("", policy=yaml("""
        version: 1
        use_cases:
          triage:
            models:
              approved: ["gpt-6-luna", "gpt-6-lunar"]
    """), lines=(5,), message="approved model 'gpt-6-lunar' is not in the price catalog"),)
    options = (
        Option("models.prices", "prices the policy gives models the catalog lacks", invalid[0],
               invalid[0].policy + "models:\n  prices:\n    gpt-6-lunar: {input_per_mtok: 1, output_per_mtok: 2}\n"),
    )

    def check_policy(self, loaded: LoadedPolicy) -> Iterable[Finding]:
        catalog = load_catalog()
        priced = tuple(loaded.policy.models.prices)
        for name, use_case in loaded.policy.use_cases.items():
            for index, pattern in enumerate(use_case.models.approved):
                if (catalog.knows_pattern(pattern) or matches(pattern, priced) is not None
                        or any(fnmatch.fnmatchcase(key.lower(), pattern.lower()) for key in priced)):
                    continue
                yield self.at_policy(loaded, ("use_cases", name, "models", "approved", index),
                                     f"approved model {pattern!r} is not in the price catalog (as of "
                                     f"{catalog.as_of.isoformat()}), so its spend can't be projected; check the spelling "
                                     "(`oberhahn-policy models` lists the catalog) or price it under models.prices")
