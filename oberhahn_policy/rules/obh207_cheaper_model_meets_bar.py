"""OBH207 cheaper-model-meets-bar."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..savings import site_figures
from ._base import Rule
from ._examples import Example, Option, python, text, yaml
from ._view import ProjectView

_POLICY = yaml("""
    version: 1
    attribution:
      required: [team, use_case]
    teams:
      support: {owner: support-eng@example.com}
    use_cases:
      ticket-triage:
        team: support
        models:
          approved: ["gpt-6-luna", "gpt-6-sol"]
        budget:
          tasks_per_month: 300000
          avg_input_tokens: 1200
          avg_output_tokens: 150
        quality:
          metric: pass_rate
          min: 0.9
          evidence: ["evals/triage/**"]
          max_age_days: 90
""")

#: promptfoo 0.123.1 `promptfoo eval --output results.json` (results.version 3), trimmed to the fields read.
_RESULTS = text("""
    {"evalId": null, "config": {}, "metadata": {"promptfooVersion": "0.123.1"},
     "results": {"version": 3, "timestamp": "2026-11-20T10:00:00Z", "results": [], "prompts": [
       {"label": "triage", "provider": "openai:chat:gpt-6-luna",
        "metrics": {"score": 93, "testPassCount": 93, "testFailCount": 7, "testErrorCount": 0}},
       {"label": "triage", "provider": "openai:chat:gpt-6-sol",
        "metrics": {"score": 97, "testPassCount": 97, "testFailCount": 3, "testErrorCount": 0}}]}}
""")

_CALL = """
    from openai import OpenAI

    client = OpenAI()


    def triage(text: str) -> str:
        reply = client.chat.completions.create(
            model="MODEL",
            max_completion_tokens=256,
            messages=[{"role": "user", "content": text}],
            metadata={"team": "support", "use_case": "ticket-triage"},
        )
        return reply.choices[0].message.content or ""
"""


class CheaperModelMeetsBar(Rule):
    """A call uses the cheapest model whose evaluation results meet its use case's quality bar."""

    code = "OBH207"
    name = "cheaper-model-meets-bar"
    default_severity = Severity.INFO
    summary = "An evaluated model that meets the quality bar is cheaper per task (with $/month)."
    what = ("For a use case with `quality`, compares the model a call uses with every model whose evaluation "
            "results meet the bar (see OBH206). When one costs less per task, at the use case's average tokens "
            "and list (or policy) price, the call is reported with the evaluated model, its score and the result "
            "file, and what the call costs a month now and on that model (`tasks_per_month` x `calls_per_task` "
            "x the call's expected cost). `oberhahn-policy savings` lists the same figures with the arithmetic.")
    why = ("Routing each task to the cheapest model that does it well enough is the largest lever on AI spend "
           "(40-70% on mixed workloads); the evidence that a cheaper model is good enough is already in the "
           "repository, but nobody reads it at the call.")
    fix = ("Switch the call to the cheaper model, after checking that the evaluation covers what this call does; "
           "or, when it does not, evaluate the call's own task.")
    valid = (
        Example(python(_CALL.replace("MODEL", "gpt-6-luna")), policy=_POLICY,
                others=(("evals/triage/results.json", _RESULTS),)),
    )
    invalid = (
        Example(python(_CALL.replace("MODEL", "gpt-6-sol")), policy=_POLICY, lines=(7,),
                message="$1,170.00/month now, $58.50/month after ($1,111.50/month less at 300,000 tasks/month)",
                others=(("evals/triage/results.json", _RESULTS),)),
    )
    options = (
        Option("use_cases.NAME.quality.min", "the bar the cheaper model must meet", invalid[0],
               _POLICY.replace("min: 0.9", "min: 0.95")),
        Option("use_cases.NAME.budget.tasks_per_month", "the volume the saving per call is multiplied by", invalid[0],
               _POLICY.replace("tasks_per_month: 300000", "tasks_per_month: 1000")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        for lever in view.savings.of("routing"):
            for entry in lever.sites:
                yield self.at_call(entry.site, f"{lever.change} for use case {lever.use_case!r}: {lever.basis}; "
                                               f"evidence: {lever.evidence_file}; this call: {site_figures(lever, entry)}")
