"""OBH104 dynamic-attribution."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import Example, ProjectView, Rule

_POLICY = """\
version: 1
attribution:
  required: [team, use_case]
  allow_dynamic: false
teams:
  support: {owner: support-eng@example.com}
use_cases:
  ticket-triage: {team: support}
"""


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
        Example(
            "from openai import OpenAI\n\nclient = OpenAI()\nTEAM = \"support\"\n\n\ndef triage(ticket: str) -> str:\n"
            "    response = client.chat.completions.create(\n        model=\"gpt-6-luna\",\n"
            "        messages=[{\"role\": \"user\", \"content\": ticket}],\n        max_completion_tokens=200,\n"
            "        metadata={\"team\": TEAM, \"use_case\": \"ticket-triage\"},\n    )\n"
            "    return response.choices[0].message.content or \"\"\n",
            policy=_POLICY,
        ),
        Example(
            "from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef triage(ticket: str, team: str) -> str:\n"
            "    response = client.chat.completions.create(\n        model=\"gpt-6-luna\",\n"
            "        messages=[{\"role\": \"user\", \"content\": ticket}],\n        max_completion_tokens=200,\n"
            "        metadata={\"team\": team, \"use_case\": \"ticket-triage\"},\n    )\n"
            "    return response.choices[0].message.content or \"\"\n",
            policy=_POLICY.replace("allow_dynamic: false", "allow_dynamic: true"),
        ),
    )
    invalid = (
        Example(
            "from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef triage(ticket: str, team: str) -> str:\n"
            "    response = client.chat.completions.create(\n        model=\"gpt-6-luna\",\n"
            "        messages=[{\"role\": \"user\", \"content\": ticket}],\n        max_completion_tokens=200,\n"
            "        metadata={\"team\": team, \"use_case\": \"ticket-triage\"},\n    )\n"
            "    return response.choices[0].message.content or \"\"\n",
            policy=_POLICY,
            message="team=team can't be resolved statically",
        ),
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
