"""OBH306 offline-on-realtime-tier."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..savings import site_figures
from ._base import Rule
from ._examples import Example, Option, python, yaml
from ._view import ProjectView

_POLICY = yaml("""
    version: 1
    attribution:
      required: [team, use_case]
    teams:
      support: {owner: support-eng@example.com}
    use_cases:
      ticket-digest:
        team: support
        paths: ["app/jobs/**"]
        latency: offline
        models:
          approved: ["gpt-6.1-sol"]
        budget:
          tasks_per_month: 600
          avg_input_tokens: 40000
          avg_output_tokens: 1500
""")

_DIGEST = python("""
    from openai import OpenAI

    client = OpenAI()


    def digest(tickets: list[str]) -> str:
        reply = client.chat.completions.create(
            model="gpt-6.1-sol",
            max_completion_tokens=3000,
            messages=[{"role": "user", "content": "Digest these tickets:\\n" + "\\n".join(tickets)}],
        )
        return reply.choices[0].message.content or ""
""")


class OfflineOnRealtimeTier(Rule):
    """Work nobody waits for runs at the batch (or flex) price."""

    code = "OBH306"
    name = "offline-on-realtime-tier"
    default_severity = Severity.INFO
    summary = "An offline use case calls a synchronous endpoint where a batch tier exists (with $/month)."
    what = ("For a use case declared `latency: offline`, reports each synchronous chat, completion or embedding call "
            "whose model the catalog prices at a batch or flex tier, with what the call costs a month now and at "
            "that tier (the cheaper one when both are priced). Calls already made through a batch API are not "
            "reported, nor models priced only by the policy (a negotiated price has no known batch rate).")
    why = ("Batch APIs (OpenAI, Anthropic, Google, Bedrock) and OpenAI's flex tier cost about half of the standard "
           "price. A nightly job or a backfill that calls the synchronous endpoint pays double for speed nobody uses.")
    fix = ("Send the requests through the provider's batch API (`client.batches.create`, "
           "`client.messages.batches.create`), or pass `service_tier=\"flex\"` where the provider offers it; or, "
           "if someone does wait for the answer, declare the use case `latency: interactive`.")
    valid = (
        Example(_DIGEST, policy=_POLICY.replace("latency: offline", "latency: interactive"), path="app/jobs/digest.py"),
    )
    invalid = (
        Example(_DIGEST, policy=_POLICY, path="app/jobs/digest.py", lines=(7,),
                message="$57.00/month now, $28.50/month after ($28.50/month less at 600 tasks/month)"),
    )
    options = (
        Option("use_cases.NAME.latency", "`offline` declares that nobody waits for the use case's answers",
               invalid[0], _POLICY.replace("latency: offline", "latency: interactive")),
        Option("use_cases.NAME.budget.tasks_per_month", "the volume the saving per call is multiplied by", invalid[0],
               _POLICY.replace("tasks_per_month: 600", "tasks_per_month: 6000")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        for lever in view.savings.of("batch-tier"):
            for entry in lever.sites:
                yield self.at_call(entry.site, f"use case {lever.use_case!r} is offline (latency: offline) but this call "
                                               f"pays the synchronous price; {lever.basis}: {site_figures(lever, entry)}; "
                                               f"{lever.change}")
