"""OBH204 retired-model."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import BUDGET_POLICY, Example, ProjectView, Rule, triage_source


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
    valid = (Example(triage_source("gpt-6-luna"), policy=BUDGET_POLICY),)
    invalid = (
        Example(triage_source("gpt-3.5-turbo"), policy=BUDGET_POLICY, message="was retired on 2026-10-23"),
        Example(triage_source("claude-sonnet-4-5-20250929").replace("from openai import OpenAI", "from anthropic import Anthropic")
                .replace("OpenAI()", "Anthropic()").replace("chat.completions.create", "messages.create")
                .replace("max_completion_tokens", "max_tokens").replace("reply.choices[0].message.content or \"\"", "reply.content[0].text"),
                policy=BUDGET_POLICY, message="successor 'claude-sonnet-5-5'"),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        notice = view.policy.models.retirement_notice_days
        for site in view.call_sites:
            if site.model is None:
                continue
            entry = view.catalog.lookup(site.model, site.provider)
            if entry is None or entry.retires is None:
                continue
            days = (entry.retires - view.today).days
            if days > notice:
                continue
            successor = (f"; move to its successor {entry.successor!r}" if entry.successor
                         else "; the provider names no successor, choose a current model")
            if days <= 0:
                message = f"model {site.model!r} was retired on {entry.retires.isoformat()}: calls to it fail{successor}"
            else:
                message = (f"model {site.model!r} retires on {entry.retires.isoformat()}, in {days} day{'s' if days != 1 else ''} "
                           f"(notice period {notice} days){successor}")
            yield self.at_call(site, message)
