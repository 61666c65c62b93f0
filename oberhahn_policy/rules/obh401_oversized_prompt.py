"""OBH401 oversized-prompt."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ..prompts import cache_facts
from ._base import Example, ProjectView, Rule

_POLICY = """\
version: 1
attribution:
  required: []
instrumentation:
  max_static_prompt_tokens: 400
"""

_TOPICS = ("billing", "refunds", "invoices", "login", "two-factor", "outages", "integrations", "exports", "imports",
           "webhooks", "permissions", "mobile", "notifications", "search", "reports", "api-keys", "sso", "deletion",
           "gdpr", "pricing", "trials", "upgrades", "downgrades", "performance")
#: A long rule list, one source line per rule (as prompts grow in real code).
_RULES = "".join(f'    "- {topic}: route tickets about {topic} to the {topic} queue, tag them `{topic}` and set urgency normal.\\n"\n'
                 for topic in _TOPICS)
_LONG = "".join(f"- {topic}: route tickets about {topic} to the {topic} queue, tag them `{topic}` and set urgency normal.\n"
                for topic in _TOPICS)


class OversizedPrompt(Rule):
    """Static prompts stay within the policy's token budget, and large ones are cached."""

    code = "OBH401"
    name = "oversized-prompt"
    default_severity = Severity.WARNING
    summary = "A static prompt is above the policy's token limit."
    what = ("Estimates the tokens of each call's static prompt: string literals, constants (also imported from other "
            "project modules), concatenations, `dedent`, the static text of f-strings and `.format` templates, and "
            "text files of the repository read with `Path(\"...\").read_text()` or `open(\"...\").read()` (paths may "
            "start from `Path(__file__).parent`). Above `instrumentation.max_static_prompt_tokens` it is a finding. "
            "When the prompt is also above the provider's minimum cacheable size and the call sets no cache marker "
            "(`cache_control`, `prompt_cache_key`, `cachePoint`, `cached_content`), the message says so. Tokens are "
            "estimated without a tokenizer, as the mean of the text's pre-tokenizer pieces (words and punctuation) "
            "and its characters/4: within -19%..+12% of OpenAI's tokenizers on the project's fixture prompts.")
    why = ("A static prompt is paid for on every call: 3,000 tokens of instructions in front of a 50-token ticket "
           "make input cost 60 times what the task needs. Long prompts grow by accretion, and the growth is invisible "
           "in review unless something measures it; prompt caching cuts the price of a repeated prefix by up to 90%.")
    fix = ("Trim the prompt (move examples to retrieval, drop instructions the model follows anyway), raise the limit "
           "in a reviewed policy change, and mark long stable prefixes for caching.")
    valid = (
        Example(
            "from openai import OpenAI\n\nclient = OpenAI()\nSYSTEM = \"You are a support triage assistant. Reply with one label.\"\n\n\n"
            "def triage(ticket: str) -> str:\n    response = client.chat.completions.create(\n        model=\"gpt-6-luna\",\n"
            "        messages=[{\"role\": \"system\", \"content\": SYSTEM}, {\"role\": \"user\", \"content\": ticket}],\n"
            "        max_completion_tokens=20,\n    )\n    return response.choices[0].message.content or \"\"\n",
            policy=_POLICY,
        ),
    )
    invalid = (
        Example(
            "from openai import OpenAI\n\nclient = OpenAI()\nSYSTEM = (\n    \"You are a support triage assistant. Rules:\\n\"\n"
            + _RULES + ")\n\n\n"
            "def triage(ticket: str) -> str:\n    response = client.chat.completions.create(\n        model=\"gpt-6-luna\",\n"
            "        messages=[{\"role\": \"system\", \"content\": SYSTEM}, {\"role\": \"user\", \"content\": ticket}],\n"
            "        max_completion_tokens=20,\n    )\n    return response.choices[0].message.content or \"\"\n",
            policy=_POLICY,
            message="above the policy's limit of 400",
        ),
        Example(
            "from pathlib import Path\n\nimport anthropic\n\nclaude = anthropic.Anthropic()\n"
            "SYSTEM = (Path(__file__).parent / \"prompts\" / \"triage.md\").read_text()\n\n\n"
            "def triage(ticket: str) -> str:\n    reply = claude.messages.create(\n        model=\"claude-sonnet-5-5\", max_tokens=20, system=SYSTEM,\n"
            "        messages=[{\"role\": \"user\", \"content\": ticket}],\n    )\n    return reply.content[0].text\n",
            policy=_POLICY.replace("400", "300"),
            others=(("app/prompts/triage.md", "You are a support triage assistant.\n" + _LONG * 3),),
            message="no cache marker",
        ),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        limit = view.policy.instrumentation.max_static_prompt_tokens
        if limit is None:
            return
        for site in view.call_sites:
            prompt = site.prompt
            if prompt is None or prompt.tokens <= limit:
                continue
            source = f" (from {', '.join(prompt.files)})" if prompt.files else ""
            message = (f"static prompt{source} is about {prompt.tokens} tokens (estimated), above the policy's limit of "
                       f"{limit} (instrumentation.max_static_prompt_tokens); trim it or move examples out of the prompt")
            facts = cache_facts(site.provider, site.model)
            if facts is not None and prompt.tokens >= facts.minimum_tokens and not prompt.cache_marker:
                if facts.automatic:
                    message += (f"; it is above {site.provider}'s minimum cacheable size ({facts.minimum_tokens} tokens) and "
                                f"the call sets no cache marker: set `{facts.marker}` so repeated calls hit the cache")
                else:
                    message += (f"; it is above {site.provider}'s minimum cacheable size ({facts.minimum_tokens} tokens) and "
                                f"the call sets no cache marker: mark the static prefix with `{facts.marker}` to pay the "
                                "cached-input price on repeats")
            yield self.at_call(site, message)
