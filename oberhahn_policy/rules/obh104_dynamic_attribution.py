"""OBH104 dynamic-attribution."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import Rule
from ._examples import Example, Option, python, yaml
from ._view import ProjectView


class DynamicAttribution(Rule):
    """Where the policy forbids dynamic values, every required attribution key has a value known before the code runs."""

    code = "OBH104"
    name = "dynamic-attribution"
    default_severity = Severity.ERROR
    summary = "A required attribution key's value can't be resolved statically."
    what = ("With `attribution.allow_dynamic: false`, checks that each required key's value is a literal, a constant "
            "(of this or another project module), an environment lookup with a default, or another expression the "
            "tool can resolve without running the code. A value computed at run time (`team=request.team`) is a "
            "finding. With `allow_dynamic: true` (the default) such values count as present and this rule is silent.")
    why = ("A value known only at run time can't be checked against the declared teams and use cases, and can't be "
           "reviewed in a pull request: it is attribution on trust.")
    fix = ("Use a literal or a module constant for the key, or map the file to its use case with "
           "`use_cases.NAME.paths`; if run-time values are intended, set `attribution.allow_dynamic: true`.")
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()
            TEAM = "support"


            def triage(ticket: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=200,
                    metadata={"team": TEAM, "use_case": "ticket-triage"},
                )
                return response.choices[0].message.content or ""
        """), policy=yaml("""
            version: 1
            attribution:
              required: [team, use_case]
              allow_dynamic: false
            teams:
              support: {owner: support-eng@example.com}
            use_cases:
              ticket-triage: {team: support}
        """)),
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(ticket: str, team: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=200,
                    metadata={"team": team, "use_case": "ticket-triage"},
                )
                return response.choices[0].message.content or ""
        """), policy=yaml("""
            version: 1
            attribution:
              required: [team, use_case]
              allow_dynamic: true
            teams:
              support: {owner: support-eng@example.com}
            use_cases:
              ticket-triage: {team: support}
        """)),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(ticket: str, team: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=200,
                    metadata={"team": team, "use_case": "ticket-triage"},
                )
                return response.choices[0].message.content or ""
        """), policy=yaml("""
            version: 1
            attribution:
              required: [team, use_case]
              allow_dynamic: false
            teams:
              support: {owner: support-eng@example.com}
            use_cases:
              ticket-triage: {team: support}
        """), lines=(7,), message="team=team can't be resolved statically"),
    )
    options = (
        Option("attribution.allow_dynamic", "`true` lets a value the code computes count as present", invalid[0],
               invalid[0].policy.replace("allow_dynamic: false", "allow_dynamic: true")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        policy = view.policy
        if policy.attribution.allow_dynamic:
            return
        for site in view.call_sites:
            values = site.attribution_map()
            expressions = dict(site.dynamic_expressions)
            for key in policy.attribution.required:
                if key in values and values[key] is None:
                    expression = expressions.get(key, "?")
                    yield self.at_call(site, f"attribution {key}={expression} can't be resolved statically and the policy "
                                             "forbids dynamic values (attribution.allow_dynamic: false); use a literal or a "
                                             "module constant")
