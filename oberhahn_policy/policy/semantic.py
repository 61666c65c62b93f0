"""Checks on a policy that a schema can't express (OBH9xx): references between sections."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterator

from .load import LoadedPolicy, YamlPath, dotted


@dataclass(frozen=True, slots=True)
class PolicyProblem:
    """A semantic problem in a policy, printed as `FILE:LINE:COL: CODE dotted.path: message`."""

    code: str
    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.code} {self.field}: {self.message}"


def _hint(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def semantic_errors(loaded: LoadedPolicy) -> list[PolicyProblem]:
    return sorted(_problems(loaded), key=lambda p: (p.file, p.line, p.column, p.code))


def _problem(loaded: LoadedPolicy, code: str, path: YamlPath, message: str) -> PolicyProblem:
    file, line, column = loaded.position(path)
    return PolicyProblem(code, file, line, column, dotted(path), message)


def _problems(loaded: LoadedPolicy) -> Iterator[PolicyProblem]:
    from ..rules import ALL_RULES

    policy = loaded.policy
    teams = list(policy.teams)
    for name, use_case in policy.use_cases.items():
        if use_case.team is None:
            if teams:
                yield _problem(loaded, "OBH903", ("use_cases", name),
                               f"use case {name!r} has no team; every use case needs an owner (teams: {', '.join(teams)})")
        elif teams and use_case.team not in policy.teams:
            yield _problem(loaded, "OBH901", ("use_cases", name, "team"),
                           f"team {use_case.team!r} is not declared under teams{_hint(use_case.team, teams)}")
    known = {r.code for r in ALL_RULES} | {r.name for r in ALL_RULES}
    for key in policy.rules:
        if key not in known and key.upper() not in known:
            yield _problem(loaded, "OBH902", ("rules", key),
                           f"unknown rule {key!r}{_hint(key.upper(), sorted(r.code for r in ALL_RULES))}")
    for key, allowed in policy.attribution.values.items():
        if allowed.from_ == "teams" and not teams:
            yield _problem(loaded, "OBH904", ("attribution", "values", key),
                           f"values of {key!r} must come from teams, but the policy declares no teams")
        if allowed.from_ == "use_cases" and not policy.use_cases:
            yield _problem(loaded, "OBH904", ("attribution", "values", key),
                           f"values of {key!r} must come from use_cases, but the policy declares no use cases")
    yield from _budget_problems(loaded)


#: Provider ids of SPEC §7; discounts are keyed by these (or by a catalog entry's provider).
_PROVIDERS = frozenset({"openai", "azure-openai", "anthropic", "google", "aws-bedrock", "cohere", "mistral", "groq",
                        "together", "ollama", "litellm", "other"})


def _budget_problems(loaded: LoadedPolicy) -> Iterator[PolicyProblem]:
    """Budgets that can't all be met, and approved models nobody can price (SPEC §5)."""
    import fnmatch

    from ..catalog import load_catalog
    from ..modelids import matches

    policy = loaded.policy
    for team_name, team in sorted(policy.teams.items()):
        if team.monthly_budget_usd is None:
            continue
        budgets = {name: u.budget.monthly_usd for name, u in policy.use_cases.items()
                   if u.team == team_name and u.budget.monthly_usd is not None}
        total = sum(v for v in budgets.values() if v is not None)
        if total > team.monthly_budget_usd:
            yield _problem(loaded, "OBH905", ("teams", team_name, "monthly_budget_usd"),
                           f"the use-case budgets of team {team_name!r} add up to ${total:,.2f} a month "
                           f"({', '.join(sorted(budgets))}), more than the team's ${team.monthly_budget_usd:,.2f}; "
                           "lower the use-case budgets or raise the team's")
    catalog = load_catalog()
    providers = catalog.providers if policy.models.discounts else _PROVIDERS
    for provider in sorted(policy.models.discounts):
        if provider not in providers:
            yield _problem(loaded, "OBH907", ("models", "discounts", provider),
                           f"no provider is called {provider!r}, so this discount applies to nothing"
                           f"{_hint(provider, sorted(providers))}")
    priced = tuple(policy.models.prices)
    for name, use_case in policy.use_cases.items():
        for index, pattern in enumerate(use_case.models.approved):
            if (catalog.knows_pattern(pattern) or matches(pattern, priced) is not None
                    or any(fnmatch.fnmatchcase(key.lower(), pattern.lower()) for key in priced)):
                continue
            yield _problem(loaded, "OBH906", ("use_cases", name, "models", "approved", index),
                           f"approved model {pattern!r} is not in the price catalog (as of {catalog.as_of.isoformat()}), so "
                           "its spend can't be projected; check the spelling (`oberhahn-policy models` lists the catalog) "
                           "or price it under models.prices")
