"""OBH905 budgets-over-team-budget."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..policy.load import LoadedPolicy
from ._base import Rule
from ._examples import Example, Option, yaml


class BudgetsOverTeamBudget(Rule):
    """A team's use-case budgets fit in the team's budget."""

    code = "OBH905"
    name = "budgets-over-team-budget"
    default_severity = Severity.ERROR
    phase = "policy"
    summary = "The use-case budgets of a team add up to more than the team's budget."
    what = "Adds up `use_cases.NAME.budget.monthly_usd` per team and compares the sum with `teams.TEAM.monthly_budget_usd`."
    why = "Budgets that can't all be met are not budgets: every use case can stay within its own and the team still overspends."
    fix = "Lower the use-case budgets, or raise the team's in a reviewed change."
    valid = (Example("", policy=yaml("""
        version: 1
        teams:
          support: {owner: support-eng@example.com, monthly_budget_usd: 3000}
        use_cases:
          triage: {team: support, budget: {monthly_usd: 2000}}
          summary: {team: support, budget: {monthly_usd: 1000}}
    """)),)
    invalid = (Example("", policy=yaml("""
        version: 1
        teams:
          support: {owner: support-eng@example.com, monthly_budget_usd: 2500}
        use_cases:
          triage: {team: support, budget: {monthly_usd: 2000}}
          summary: {team: support, budget: {monthly_usd: 1000}}
    """), lines=(3,), message="add up to $3,000.00 a month (summary, triage), more than the team's $2,500.00"),)
    options = (
        Option("teams.TEAM.monthly_budget_usd", "the team's budget the use-case budgets must fit in", invalid[0],
               invalid[0].policy.replace("monthly_budget_usd: 2500", "monthly_budget_usd: 4000")),
    )

    def check_policy(self, loaded: LoadedPolicy) -> Iterable[Finding]:
        policy = loaded.policy
        for team_name, team in sorted(policy.teams.items()):
            if team.monthly_budget_usd is None:
                continue
            budgets = {name: u.budget.monthly_usd for name, u in policy.use_cases.items()
                       if u.team == team_name and u.budget.monthly_usd is not None}
            total = sum(v for v in budgets.values() if v is not None)
            if total > team.monthly_budget_usd:
                yield self.at_policy(loaded, ("teams", team_name, "monthly_budget_usd"),
                                     f"the use-case budgets of team {team_name!r} add up to ${total:,.2f} a month "
                                     f"({', '.join(sorted(budgets))}), more than the team's ${team.monthly_budget_usd:,.2f}; "
                                     "lower the use-case budgets or raise the team's")
