"""Rule examples: code blocks a rule must pass or flag, and the policies they run under. The examples are the tests."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass


def python(text: str) -> str:
    """A code block as written inside a rule class: dedented, without the newline after the opening quotes."""
    return textwrap.dedent(text).lstrip("\n")


def yaml(text: str) -> str:
    """A policy written inside a rule class (dedented like `python`)."""
    return textwrap.dedent(text).lstrip("\n")


def text(content: str) -> str:
    """Another file of an example's project, neither Python nor a policy (a prompt file, a lock file)."""
    return textwrap.dedent(content).lstrip("\n")


#: The policy rule examples run under unless they give their own.
EXAMPLE_POLICY = """\
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
models:
  denied: ["*-preview"]
"""


@dataclass(frozen=True)
class Example:
    """A file (and optionally a policy) a rule must pass or flag; the examples are the rule's tests.

    A passing example must produce no finding of the rule. A failing one must produce exactly one
    finding per entry of `lines`, at those lines (of `source`; of `policy` for policy and usage
    rules, unless `located` names another file: the call site usage records name).
    """

    source: str
    policy: str = EXAMPLE_POLICY
    path: str = "app/service.py"
    #: For failing examples: the 1-based line of each finding, in order.
    lines: tuple[int, ...] = ()
    #: For failing examples: a fragment every finding's message of this rule must contain.
    message: str | None = None
    #: Other files of the project (path -> source), for cross-module examples.
    others: tuple[tuple[str, str], ...] = ()
    #: Files (path -> source) committed at the `--base` ref; the example's files are the change on top.
    base: tuple[tuple[str, str], ...] = ()
    #: For usage rules: usage files (path -> content, in a source's documented shape) judged with the project.
    usage: tuple[tuple[str, str], ...] = ()
    #: The file `lines` are in when it is not the phase's own (`source` for project rules, the policy otherwise).
    located: str | None = None


def with_policy(policy: str, extra: str) -> str:
    """A policy with more YAML appended (a section the base policy doesn't have)."""
    return policy + yaml(extra)


@dataclass(frozen=True)
class Option:
    """A policy key a rule reads, what it changes, and the proof that it arrives: `example` judged under
    `changed` (the same policy with the key set otherwise) gives different findings."""

    #: Dotted policy path; `NAME` stands for any use case or team (`use_cases.NAME.limits.max_output_tokens`).
    key: str
    effect: str
    example: Example
    changed: str


#: A policy with budgets, for the examples of the budget rules.
BUDGET_POLICY = """\
version: 1
attribution:
  required: [team, use_case]
teams:
  support: {owner: support-eng@example.com, monthly_budget_usd: 6000}
use_cases:
  ticket-triage:
    team: support
    models:
      approved: ["gpt-6-luna", "gpt-6-sol", "gpt-4o-mini", "claude-haiku-5-5*", "claude-sonnet-4-5*"]
    limits:
      max_output_tokens: 512
      max_cost_per_call_usd: 0.002
      max_cost_per_task_usd: 0.004
    budget:
      monthly_usd: 100
      tasks_per_month: 300000
      avg_input_tokens: 1200
      avg_output_tokens: 150
      max_increase_pct: 20
models:
  retirement_notice_days: 60
"""


def triage_source(model: str, limit: int | None = 256) -> str:
    """A realistic OpenAI call for the budget rules' examples, attributed to `ticket-triage`."""
    limit_line = f"        max_completion_tokens={limit},\n" if limit is not None else ""
    return (
        "from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef triage(text: str) -> str:\n"
        "    reply = client.chat.completions.create(\n"
        f"        model=\"{model}\",\n{limit_line}"
        "        messages=[{\"role\": \"user\", \"content\": text}],\n"
        "        metadata={\"team\": \"support\", \"use_case\": \"ticket-triage\"},\n    )\n"
        "    return reply.choices[0].message.content or \"\"\n"
    )


_TOPICS = ("billing", "refunds", "invoices", "login", "two-factor", "outages", "integrations", "exports", "imports",
           "webhooks", "permissions", "mobile", "notifications", "search", "reports", "api-keys", "sso", "deletion",
           "gdpr", "pricing", "trials", "upgrades", "downgrades", "performance")

#: A prompt file of about 2,000 tokens (estimated): above every provider's minimum cacheable prefix (data/providers.yaml).
LONG_PROMPT = "You are a support triage assistant.\n" + "".join(
    f"- {topic}: route tickets about {topic} to the {topic} queue, tag them `{topic}` and set urgency normal.\n"
    for _ in range(3) for topic in _TOPICS)
#: A policy with the thresholds the observed-usage rules (OBH6xx) read, for their examples.
USAGE_POLICY = """\
version: 1
attribution:
  required: [team, use_case]
  max_unattributed_pct: 5
teams:
  support: {owner: support-eng@example.com}
use_cases:
  ticket-triage:
    team: support
    models:
      approved: ["gpt-6-luna", "claude-haiku-5-5*"]
    limits:
      max_cost_per_task_usd: 0.0005
    budget:
      tasks_per_month: 300000
      avg_input_tokens: 1200
      avg_output_tokens: 150
      max_drift_pct: 25
"""

