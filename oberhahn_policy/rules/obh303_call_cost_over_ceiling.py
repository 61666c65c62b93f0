"""OBH303 call-cost-over-ceiling."""

from __future__ import annotations

from typing import Iterable

from ..cost import SiteCost, usd
from ..findings import Finding, Severity
from ._base import Rule
from ._examples import BUDGET_POLICY, Example, Option, python
from ._view import ProjectView


def _arithmetic(cost: SiteCost, avg_input: float | None, tokens: int | None) -> str:
    price = cost.price
    if price is None or avg_input is None or tokens is None:
        return ""
    return (f" ({avg_input:g} input tokens x ${price.input_per_mtok:g}/M + {tokens} output tokens x "
            f"${price.output_per_mtok:g}/M)")


class CallCostOverCeiling(Rule):
    """A call's worst-case cost, and its use case's cost per task, stay under the use case's ceilings."""

    code = "OBH303"
    name = "call-cost-over-ceiling"
    default_severity = Severity.ERROR
    summary = "Worst-case cost per call above the use case's ceiling."
    what = ("Prices each call at its worst case: the use case's `budget.avg_input_tokens` at the model's input price "
            "plus the call's output-token limit at the output price (after policy prices and discounts), and "
            "compares it with `limits.max_cost_per_call_usd`. The expected cost per task (every call site of the "
            "use case, `calls_per_task` times) is compared with `limits.max_cost_per_task_usd`.")
    why = ("A per-call ceiling is what makes a unit of business value affordable at all: a triage that costs more "
           "than the ticket is worth is a design error, and it is cheaper to catch in review than on the invoice.")
    fix = "Use a cheaper model, lower the output limit, or raise the ceiling in a reviewed policy change."
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str) -> str:
                reply = client.chat.completions.create(
                    model="gpt-6-luna",
                    max_completion_tokens=512,
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
                    max_completion_tokens=512,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.choices[0].message.content or ""
        """), policy=BUDGET_POLICY, lines=(7,), message='worst-case cost per call $0.00752 (1200 input tokens x $2/M + 512 output tokens x $10/M)'),
    )
    options = (
        Option("use_cases.NAME.limits.max_cost_per_call_usd", "the ceiling on a call's worst-case cost", invalid[0],
               invalid[0].policy.replace("max_cost_per_call_usd: 0.002", "max_cost_per_call_usd: 0.01")),
        Option("use_cases.NAME.limits.max_cost_per_task_usd", "the ceiling on the expected cost per task", invalid[0],
               invalid[0].policy.replace("max_cost_per_task_usd: 0.004", "max_cost_per_task_usd: 0.001")),
        Option("use_cases.NAME.budget.avg_input_tokens", "the prompt size every call is priced at", invalid[0],
               invalid[0].policy.replace("avg_input_tokens: 1200", "avg_input_tokens: 100")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        for row in view.costs.use_cases:
            assert row.name is not None
            use_case = view.policy.use_cases[row.name]
            ceiling = use_case.limits.max_cost_per_call_usd
            if ceiling is not None:
                for cost in row.sites:
                    if cost.worst_case_usd is not None and cost.worst_case_usd > ceiling:
                        tokens = cost.site.max_output_tokens
                        yield self.at_call(cost.site, f"worst-case cost per call {usd(cost.worst_case_usd)}"
                                                      f"{_arithmetic(cost, use_case.budget.avg_input_tokens, tokens)} is above "
                                                      f"use case {row.name!r}'s ceiling of {usd(ceiling)} "
                                                      "(limits.max_cost_per_call_usd); use a cheaper model or a lower limit")
            task_ceiling = use_case.limits.max_cost_per_task_usd
            if task_ceiling is not None and row.sites and row.cost_per_task_usd > task_ceiling:
                dearest = max(row.sites, key=lambda c: c.expected_usd or 0.0)
                yield self.at_call(dearest.site, f"cost per task of use case {row.name!r} is {usd(row.cost_per_task_usd)} "
                                                 f"({len(row.sites)} call site{'s' if len(row.sites) != 1 else ''} x "
                                                 f"{row.calls_per_task:g} per task), above its ceiling of {usd(task_ceiling)} "
                                                 "(limits.max_cost_per_task_usd); this is its dearest call")
