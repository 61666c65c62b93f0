"""OBH206 unevaluated-model."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..evidence import EvidenceReport, canonical_model, unevaluated_models
from ..evidence import UnevaluatedModel as UnevaluatedFact
from ..findings import Finding, Severity
from ..modelids import matches
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
          approved: ["gpt-6-luna", "claude-haiku-5-5*"]
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
       {"label": "triage", "provider": "anthropic:messages:claude-haiku-5-5",
        "metrics": {"score": 85, "testPassCount": 85, "testFailCount": 15, "testErrorCount": 0}}]}}
""")

_OLD_RESULTS = _RESULTS.replace("2026-11-20T10:00:00Z", "2026-05-01T10:00:00Z")


def _policy_path(view: ProjectView, file: str) -> str:
    """A policy file's label (relative to the working directory) as a path relative to the project root."""
    root = view.root or Path.cwd()
    target = Path(file).resolve()
    for source in view.loaded.sources:
        if source.resolve() == target:
            return Path(os.path.relpath(target, root.resolve())).as_posix()
    return file


class UnevaluatedModel(Rule):
    """Every model a use case approves or uses has evaluation results meeting its quality bar."""

    code = "OBH206"
    name = "unevaluated-model"
    default_severity = Severity.ERROR
    summary = "A model approved for or used by a use case lacks evidence meeting its quality bar."
    what = ("For each use case with `quality: {metric, min, evidence, max_age_days}`, reads the promptfoo outputs "
            "and Inspect AI logs its `evidence` patterns match and reports each model the use case uses or "
            "approves whose best result for `metric` is missing, below `min`, older than `max_age_days` or undated "
            "while an age limit applies. A used model is reported at its call sites; a model only approved, at its "
            "entry in `models.approved`. `oberhahn-policy evidence` prints the whole table, `oberhahn-policy "
            "validate` the files that could not be read.")
    why = ("The cheapest model that meets a task's quality requirement is found by evaluating models on that task; "
           "an approval no evaluation backs is a guess, and a model swap that nobody evaluated ships a quality "
           "regression as quietly as a cost one.")
    fix = ("Evaluate the model on the use case's test set (`promptfoo eval --output results.json`, an Inspect log) "
           "and commit the result where `quality.evidence` finds it, or use a model whose results meet the bar.")
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
        """), policy=_POLICY.replace('"gpt-6-luna", "claude-haiku-5-5*"', '"gpt-6-luna"'),
            others=(("evals/triage/results.json", _RESULTS),)),
    )
    invalid = (
        Example(python("""
            import anthropic

            claude = anthropic.Anthropic()


            def triage(text: str) -> str:
                reply = claude.messages.create(
                    model="claude-haiku-5-5",
                    max_tokens=256,
                    messages=[{"role": "user", "content": text}],
                    metadata={"user_id": "triage-worker"},
                    extra_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "ticket-triage"},
                )
                return reply.content[0].text
        """), policy=_POLICY, lines=(7,), message="scores 0.85 pass_rate in evals/triage/results.json",
            others=(("evals/triage/results.json", _RESULTS),)),
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
        """), policy=_POLICY.replace('"gpt-6-luna", "claude-haiku-5-5*"', '"gpt-6-luna"'), lines=(7,),
            message="is 211 days old", others=(("evals/triage/results.json", _OLD_RESULTS),)),
    )
    options = (
        Option("use_cases.NAME.quality.min", "the lowest acceptable score", invalid[0],
               _POLICY.replace("min: 0.9", "min: 0.8")),
        Option("use_cases.NAME.quality.max_age_days", "how old a result may be", invalid[1],
               invalid[1].policy.replace("max_age_days: 90", "max_age_days: 365")),
        Option("use_cases.NAME.quality.metric", "the metric the bar is about (`pass_rate`, an Inspect metric, a "
               "promptfoo named score; `scorer/metric` when several scorers report it)", invalid[0],
               _POLICY.replace("metric: pass_rate", "metric: accuracy")),
        Option("use_cases.NAME.quality.evidence", "the result files, as gitignore-style patterns from the project root",
               invalid[0], _POLICY.replace('evidence: ["evals/triage/**"]', 'evidence: ["evals/summary/**"]')),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        report = view.evidence
        if report is None:
            return
        for fact in unevaluated_models(report):
            message = fact.message + _unread(report, fact.use_case)
            sites = [s for s in view.call_sites if s.use_case == fact.use_case and s.model is not None
                     and canonical_model(s.model, view.catalog, s.provider) == fact.model]
            for site in sites:
                yield self.at_call(site, message)
            if not sites and fact.approved:
                yield self._at_approval(view, fact, message)

    def _at_approval(self, view: ProjectView, fact: UnevaluatedFact, message: str) -> Finding:
        approved = view.policy.use_cases[fact.use_case].models.approved
        index = next((i for i, p in enumerate(approved) if p == fact.model or matches(fact.model, (p,)) is not None), 0)
        field = ("use_cases", fact.use_case, "models", "approved", index)
        file, line, column = view.loaded.position(field)
        return self.at(_policy_path(view, file), line, column,
                       f"use_cases.{fact.use_case}.models.approved[{index}] ({approved[index]!r}) approves {fact.model!r}, "
                       f"but {message}", fact.use_case)


def _unread(report: EvidenceReport, use_case: str) -> str:
    """A note when some of the use case's result files could not be (fully) read: the verdict may be wrong."""
    evidence = report.get(use_case)
    files = set(evidence.files) if evidence is not None else set()
    broken = sorted({p.file for p in report.problems if p.file in files})
    if not broken:
        return ""
    return (f" ({len(broken)} of its result files could not be fully read: {', '.join(broken)}; "
            "`oberhahn-policy validate` says why)")
