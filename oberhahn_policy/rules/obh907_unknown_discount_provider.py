"""OBH907 unknown-discount-provider."""

from __future__ import annotations

from typing import Iterable

from ..catalog import load_catalog
from ..findings import Finding, Severity
from ..policy.load import LoadedPolicy
from ..wording import did_you_mean
from ._base import Rule
from ._examples import Example, yaml


class UnknownDiscountProvider(Rule):
    """Every discount names a provider that bills calls."""

    code = "OBH907"
    name = "unknown-discount-provider"
    default_severity = Severity.ERROR
    phase = "policy"
    summary = "A discount names no known provider."
    what = "Checks the keys of `models.discounts` against the provider ids calls and catalog entries use."
    why = "A misspelt provider makes a negotiated discount apply to nothing, so every projection overstates spend."
    fix = "Use a provider id (`openai`, `anthropic`, `aws-bedrock`, `google`, ...)."
    valid = (Example("", policy=yaml("""
        version: 1
        models:
          discounts: {openai: 0.15}
    """)),)
    invalid = (Example("", policy=yaml("""
        version: 1
        models:
          discounts: {opnai: 0.15}
    """), lines=(3,), message="no provider is called 'opnai', so this discount applies to nothing; did you mean 'openai'?"),)

    def check_policy(self, loaded: LoadedPolicy) -> Iterable[Finding]:
        discounts = loaded.policy.models.discounts
        providers = load_catalog().providers if discounts else frozenset()
        for provider in sorted(discounts):
            if provider not in providers:
                yield self.at_policy(loaded, ("models", "discounts", provider),
                                     f"no provider is called {provider!r}, so this discount applies to nothing"
                                     f"{did_you_mean(provider, sorted(providers))}")
