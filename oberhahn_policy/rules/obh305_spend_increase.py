"""OBH305 spend-increase."""

from __future__ import annotations

from typing import Iterable

from ..cost import diff, usd
from ..findings import Finding, Severity
from ._base import Rule
from ._examples import BUDGET_POLICY, Example, Option, python
from ._view import ProjectView


class SpendIncrease(Rule):
    """A change raises a use case's projected spend by no more than the policy allows."""

    code = "OBH305"
    name = "spend-increase"
    default_severity = Severity.ERROR
    summary = "A change raises projected spend above the allowed percentage."
    what = ("With `--base REF`, projects each use case's monthly spend for the code at REF (read through git, "
            "without touching the working tree) and for the code under check, under the same policy, catalog and "
            "day, and reports a use case whose spend rises by more than its `budget.max_increase_pct`, at the "
            "call site that changed most. A use case with no spend at REF has no percentage to exceed.")
    why = ("A one-line model switch can multiply a feature's cost. Infrastructure changes show their cost diff "
           "in review; AI spend should too, and a gate makes the reviewer decide rather than discover.")
    fix = "Keep the cheaper model, or raise `max_increase_pct` (or the budget) in a reviewed policy change."
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
        """), policy=BUDGET_POLICY, base=(('app/service.py', python("""
                from openai import OpenAI

                client = OpenAI()


                def triage(text: str) -> str:
                    reply = client.chat.completions.create(
                        model="gpt-6-luna",
                        max_completion_tokens=128,
                        messages=[{"role": "user", "content": text}],
                        metadata={"team": "support", "use_case": "ticket-triage"},
                    )
                    return reply.choices[0].message.content or ""
            """)),)),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(text: str) -> str:
                reply = client.chat.completions.create(
                    model="gpt-4o-mini",
                    max_completion_tokens=256,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.choices[0].message.content or ""
        """), policy=BUDGET_POLICY, lines=(7,), message='rises from $58.50 to $81.00 (+$22.50, +38.5%)', base=(('app/service.py', python("""
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
            """)),)),
    )
    options = (
        Option("use_cases.NAME.budget.max_increase_pct", "how much a change may raise the use case's projected spend",
               invalid[0], invalid[0].policy.replace("max_increase_pct: 20", "max_increase_pct: 100000")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        base = view.base_costs
        if base is None:
            return
        for delta in diff(base, view.costs, view.policy):
            if delta.name is None or not delta.over_limit:
                continue
            row = view.costs.use_case(delta.name)
            if row is None or not row.sites:
                continue
            grown = [c for c in delta.changes if c.kind != "removed"]
            grown.sort(key=lambda c: -((c.cost_after_usd or 0.0) - (c.cost_before_usd or 0.0)))
            target = row.sites[0].site
            cause = ""
            if grown:
                change = grown[0]
                target = next((s.site for s in row.sites if s.site.path == change.path and s.site.site.line == change.line), target)
                if change.kind == "added":
                    cause = f"; this call was added ({change.model_after}, {usd(change.cost_after_usd)} per call)"
                else:
                    cause = (f"; this call changed from {change.model_before} to {change.model_after} "
                             f"({usd(change.cost_before_usd)} to {usd(change.cost_after_usd)} per call)")
            assert delta.delta_pct is not None and delta.delta_usd is not None
            yield self.at_call(target, f"projected monthly spend of use case {delta.name!r} rises from {usd(delta.before_usd)} "
                                       f"to {usd(delta.after_usd)} (+{usd(delta.delta_usd)}, +{delta.delta_pct:.1f}%), above its "
                                       f"max_increase_pct of {delta.max_increase_pct:g}%{cause}")
