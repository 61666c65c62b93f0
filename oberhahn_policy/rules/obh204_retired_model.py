"""OBH204 retired-model."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import Rule
from ._examples import BUDGET_POLICY, Example, Option, python
from ._view import ProjectView


class RetiredModel(Rule):
    """Calls use models their provider still serves, and move off them before the retirement date."""

    code = "OBH204"
    name = "retired-model"
    default_severity = Severity.ERROR
    summary = "Model is past (or near) its provider's retirement date."
    what = ("Looks the call's model up in the price catalog and reports it when the provider has retired it, or "
            "retires it within `models.retirement_notice_days` (default 60) of today (`--today` fixes the day). "
            "The message names the successor the provider recommends.")
    why = ("A retired model id fails at run time: the feature breaks in production on the provider's schedule, "
           "not yours. OpenAI retired some thirty ids on 2026-10-23 that real code still names. A notice period "
           "turns the outage into a planned migration, and the successor usually costs less.")
    fix = "Move to the successor (check its price and approval for the use case), well before the retirement date."
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
                    model="gpt-3.5-turbo",
                    max_completion_tokens=256,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.choices[0].message.content or ""
        """), policy=BUDGET_POLICY, lines=(7,), message='was retired on 2026-10-23'),
        Example(python("""
            from anthropic import Anthropic

            client = Anthropic()


            def triage(text: str) -> str:
                reply = client.messages.create(
                    model="claude-sonnet-4-5-20250929",
                    max_tokens=256,
                    messages=[{"role": "user", "content": text}],
                    metadata={"team": "support", "use_case": "ticket-triage"},
                )
                return reply.content[0].text
        """), policy=BUDGET_POLICY, lines=(7,), message="successor 'claude-sonnet-5-5'"),
    )
    options = (
        Option("models.retirement_notice_days", "how long before a retirement date calls are reported", invalid[-1],
               invalid[-1].policy.replace("retirement_notice_days: 60", "retirement_notice_days: 7")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        notice = view.policy.models.retirement_notice_days
        for site in view.call_sites:
            for model in site.models:
                entry = view.catalog.lookup(model, site.provider)
                if entry is None or entry.retires is None:
                    continue
                days = (entry.retires - view.today).days
                if days > notice:
                    continue
                successor = (f"; move to its successor {entry.successor!r}" if entry.successor
                             else "; the provider names no successor, choose a current model")
                if days <= 0:
                    message = f"was retired on {entry.retires.isoformat()}: calls to it fail{successor}"
                else:
                    message = (f"retires on {entry.retires.isoformat()}, in {days} day{'s' if days != 1 else ''} "
                               f"(notice period {notice} days){successor}")
                yield self.at_model(site, model, message)
