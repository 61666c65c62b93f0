"""OBH304 projected-over-budget."""

from __future__ import annotations

from typing import Iterable

from ..cost import SiteCost, UseCaseCost, usd
from ..findings import Finding, Severity
from ._base import Rule
from ._examples import BUDGET_POLICY, Example, Option, python
from ._view import ProjectView


def _dearest(rows: Iterable[UseCaseCost]) -> SiteCost | None:
    sites = [s for row in rows for s in row.sites]
    return max(sites, key=lambda s: (s.expected_usd or 0.0, -s.site.site.line), default=None)


class ProjectedOverBudget(Rule):
    """Each use case's projected monthly spend, and each team's, fits its budget."""

    code = "OBH304"
    name = "projected-over-budget"
    default_severity = Severity.ERROR
    summary = "Projected monthly spend of a use case above its budget."
    what = ("Projects each use case's monthly spend as cost per task x `budget.tasks_per_month`, where cost per "
            "task sums the expected cost per call of its call sites (`avg_input_tokens` at the input price plus "
            "`avg_output_tokens`, capped by the call's limit, at the output price). Reports a use case above "
            "`budget.monthly_usd`, and a team whose use cases together exceed `teams.NAME.monthly_budget_usd`, "
            "at the call that contributes most.")
    why = ("Budgets belong to use cases: the volume is a business fact (tickets a month), the price is a catalog "
           "fact, and the product of the two is known before the code ships. Finding the overrun in review is "
           "cheaper than finding it on the invoice.")
    fix = "Use a cheaper model, shorten prompts or answers, or raise the budget in a reviewed policy change."
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str) -> str:
                reply = client.chat.completions.create(
                    model="gpt-6-luna",
                    max_completion_tokens=256,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.choices[0].message.content or ""
        """), policy=BUDGET_POLICY),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str) -> str:
                reply = client.chat.completions.create(
                    model="gpt-6-sol",
                    max_completion_tokens=256,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.choices[0].message.content or ""
        """), policy=BUDGET_POLICY, lines=(7,), message="projected monthly spend of use case 'ticket-triage' is $1,170.00"),
    )
    options = (
        Option("use_cases.NAME.budget.monthly_usd", "the use case's monthly budget", invalid[0],
               invalid[0].policy.replace("monthly_usd: 100", "monthly_usd: 5000")),
        Option("use_cases.NAME.budget.tasks_per_month", "the volume the cost per task is multiplied by", invalid[0],
               invalid[0].policy.replace("tasks_per_month: 300000", "tasks_per_month: 1000")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        costs = view.costs
        for row in costs.use_cases:
            budget = row.budget_monthly_usd
            projected = row.projected_monthly_usd
            dearest = _dearest([row])
            if budget is None or projected is None or projected <= budget or dearest is None:
                continue
            partial = "" if row.complete else " (incomplete: " + "; ".join(row.gaps) + ")"
            yield self.at_call(dearest.site, f"projected monthly spend of use case {row.name!r} is {usd(projected)}{partial} "
                                             f"({usd(row.cost_per_task_usd)} per task x {row.tasks_per_month:g} tasks), "
                                             f"above its budget of {usd(budget)} by {usd(projected - budget)}; "
                                             "this is its dearest call")
        for team in costs.teams:
            if team.budget_monthly_usd is None or team.projected_monthly_usd <= team.budget_monthly_usd:
                continue
            rows = [r for r in costs.use_cases if r.team == team.name]
            dearest = _dearest(rows)
            if dearest is None:
                continue
            yield self.at_call(dearest.site, f"projected monthly spend of team {team.name!r} is {usd(team.projected_monthly_usd)} "
                                             f"over {len(rows)} use case{'s' if len(rows) != 1 else ''}, above its budget of "
                                             f"{usd(team.budget_monthly_usd)}; this is its dearest call")
