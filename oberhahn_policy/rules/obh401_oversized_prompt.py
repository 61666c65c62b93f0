"""OBH401 oversized-prompt."""

from __future__ import annotations

from typing import Iterable

from ..findings import Finding, Severity
from ._base import Rule
from ._examples import Example, Option, python, text, yaml
from ._view import ProjectView


class OversizedPrompt(Rule):
    """Static prompts stay within the policy's token budget."""

    code = "OBH401"
    name = "oversized-prompt"
    default_severity = Severity.WARNING
    summary = "A static prompt is above the policy's token limit."
    what = ("Estimates the tokens of each call's static prompt: string literals, constants (also imported from other "
            "project modules), concatenations, `dedent`, the static text of f-strings and `.format` templates, and "
            "text files of the repository read with `Path(\"...\").read_text()` or `open(\"...\").read()` (paths may "
            "start from `Path(__file__).parent`). Above `instrumentation.max_static_prompt_tokens` it is a finding "
            "(a static prefix that could be cached is OBH307's; `oberhahn-policy savings` prices trimming the prompt "
            "to the limit). Tokens are estimated without a tokenizer, as the mean of the text's pre-tokenizer pieces "
            "(words and punctuation) and its characters/4: within -19%..+12% of OpenAI's tokenizers on the project's "
            "fixture prompts.")
    why = ("A static prompt is paid for on every call: 3,000 tokens of instructions in front of a 50-token ticket "
           "make input cost 60 times what the task needs. Long prompts grow by accretion, and the growth is invisible "
           "in review unless something measures it.")
    fix = ("Trim the prompt (move examples to retrieval, drop instructions the model follows anyway), or raise the "
           "limit in a reviewed policy change.")
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()
            SYSTEM = "You are a support triage assistant. Reply with one label."


            def triage(ticket: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": ticket}],
                    max_completion_tokens=20,
                )
                return response.choices[0].message.content or ""
        """), policy=yaml("""
            version: 1
            attribution:
              required: []
            instrumentation:
              max_static_prompt_tokens: 400
        """)),
    )
    invalid = (
        Example(python(r"""
            from openai import OpenAI

            client = OpenAI()
            SYSTEM = (
                "You are a support triage assistant. Rules:\n"
                "- billing: route tickets about billing to the billing queue, tag them `billing` and set urgency normal.\n"
                "- refunds: route tickets about refunds to the refunds queue, tag them `refunds` and set urgency normal.\n"
                "- invoices: route tickets about invoices to the invoices queue, tag them `invoices` and set urgency normal.\n"
                "- login: route tickets about login to the login queue, tag them `login` and set urgency normal.\n"
                "- two-factor: route tickets about two-factor to the two-factor queue, tag them `two-factor` and set urgency normal.\n"
                "- outages: route tickets about outages to the outages queue, tag them `outages` and set urgency normal.\n"
                "- integrations: route tickets about integrations to the integrations queue, tag them `integrations` and set urgency normal.\n"
                "- exports: route tickets about exports to the exports queue, tag them `exports` and set urgency normal.\n"
                "- imports: route tickets about imports to the imports queue, tag them `imports` and set urgency normal.\n"
                "- webhooks: route tickets about webhooks to the webhooks queue, tag them `webhooks` and set urgency normal.\n"
                "- permissions: route tickets about permissions to the permissions queue, tag them `permissions` and set urgency normal.\n"
                "- mobile: route tickets about mobile to the mobile queue, tag them `mobile` and set urgency normal.\n"
                "- notifications: route tickets about notifications to the notifications queue, tag them `notifications` and set urgency normal.\n"
                "- search: route tickets about search to the search queue, tag them `search` and set urgency normal.\n"
                "- reports: route tickets about reports to the reports queue, tag them `reports` and set urgency normal.\n"
                "- api-keys: route tickets about api-keys to the api-keys queue, tag them `api-keys` and set urgency normal.\n"
                "- sso: route tickets about sso to the sso queue, tag them `sso` and set urgency normal.\n"
                "- deletion: route tickets about deletion to the deletion queue, tag them `deletion` and set urgency normal.\n"
                "- gdpr: route tickets about gdpr to the gdpr queue, tag them `gdpr` and set urgency normal.\n"
                "- pricing: route tickets about pricing to the pricing queue, tag them `pricing` and set urgency normal.\n"
                "- trials: route tickets about trials to the trials queue, tag them `trials` and set urgency normal.\n"
                "- upgrades: route tickets about upgrades to the upgrades queue, tag them `upgrades` and set urgency normal.\n"
                "- downgrades: route tickets about downgrades to the downgrades queue, tag them `downgrades` and set urgency normal.\n"
                "- performance: route tickets about performance to the performance queue, tag them `performance` and set urgency normal.\n"
            )


            def triage(ticket: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": ticket}],
                    max_completion_tokens=20,
                )
                return response.choices[0].message.content or ""
        """), policy=yaml("""
            version: 1
            attribution:
              required: []
            instrumentation:
              max_static_prompt_tokens: 400
        """), lines=(34,), message="above the policy's limit of 400"),
        Example(python("""
            from pathlib import Path

            import anthropic

            claude = anthropic.Anthropic()
            SYSTEM = (Path(__file__).parent / "prompts" / "triage.md").read_text()


            def triage(ticket: str) -> str:
                reply = claude.messages.create(
                    model="claude-sonnet-5-5", max_tokens=20, system=SYSTEM,
                    messages=[{"role": "user", "content": ticket}],
                )
                return reply.content[0].text
        """), policy=yaml("""
            version: 1
            attribution:
              required: []
            instrumentation:
              max_static_prompt_tokens: 300
        """), lines=(10,), message="above the policy's limit of 300", others=(('app/prompts/triage.md', text("""
                You are a support triage assistant.
                - billing: route tickets about billing to the billing queue, tag them `billing` and set urgency normal.
                - refunds: route tickets about refunds to the refunds queue, tag them `refunds` and set urgency normal.
                - invoices: route tickets about invoices to the invoices queue, tag them `invoices` and set urgency normal.
                - login: route tickets about login to the login queue, tag them `login` and set urgency normal.
                - two-factor: route tickets about two-factor to the two-factor queue, tag them `two-factor` and set urgency normal.
                - outages: route tickets about outages to the outages queue, tag them `outages` and set urgency normal.
                - integrations: route tickets about integrations to the integrations queue, tag them `integrations` and set urgency normal.
                - exports: route tickets about exports to the exports queue, tag them `exports` and set urgency normal.
                - imports: route tickets about imports to the imports queue, tag them `imports` and set urgency normal.
                - webhooks: route tickets about webhooks to the webhooks queue, tag them `webhooks` and set urgency normal.
                - permissions: route tickets about permissions to the permissions queue, tag them `permissions` and set urgency normal.
                - mobile: route tickets about mobile to the mobile queue, tag them `mobile` and set urgency normal.
                - notifications: route tickets about notifications to the notifications queue, tag them `notifications` and set urgency normal.
                - search: route tickets about search to the search queue, tag them `search` and set urgency normal.
                - reports: route tickets about reports to the reports queue, tag them `reports` and set urgency normal.
                - api-keys: route tickets about api-keys to the api-keys queue, tag them `api-keys` and set urgency normal.
                - sso: route tickets about sso to the sso queue, tag them `sso` and set urgency normal.
                - deletion: route tickets about deletion to the deletion queue, tag them `deletion` and set urgency normal.
                - gdpr: route tickets about gdpr to the gdpr queue, tag them `gdpr` and set urgency normal.
                - pricing: route tickets about pricing to the pricing queue, tag them `pricing` and set urgency normal.
                - trials: route tickets about trials to the trials queue, tag them `trials` and set urgency normal.
                - upgrades: route tickets about upgrades to the upgrades queue, tag them `upgrades` and set urgency normal.
                - downgrades: route tickets about downgrades to the downgrades queue, tag them `downgrades` and set urgency normal.
                - performance: route tickets about performance to the performance queue, tag them `performance` and set urgency normal.
                - billing: route tickets about billing to the billing queue, tag them `billing` and set urgency normal.
                - refunds: route tickets about refunds to the refunds queue, tag them `refunds` and set urgency normal.
                - invoices: route tickets about invoices to the invoices queue, tag them `invoices` and set urgency normal.
                - login: route tickets about login to the login queue, tag them `login` and set urgency normal.
                - two-factor: route tickets about two-factor to the two-factor queue, tag them `two-factor` and set urgency normal.
                - outages: route tickets about outages to the outages queue, tag them `outages` and set urgency normal.
                - integrations: route tickets about integrations to the integrations queue, tag them `integrations` and set urgency normal.
                - exports: route tickets about exports to the exports queue, tag them `exports` and set urgency normal.
                - imports: route tickets about imports to the imports queue, tag them `imports` and set urgency normal.
                - webhooks: route tickets about webhooks to the webhooks queue, tag them `webhooks` and set urgency normal.
                - permissions: route tickets about permissions to the permissions queue, tag them `permissions` and set urgency normal.
                - mobile: route tickets about mobile to the mobile queue, tag them `mobile` and set urgency normal.
                - notifications: route tickets about notifications to the notifications queue, tag them `notifications` and set urgency normal.
                - search: route tickets about search to the search queue, tag them `search` and set urgency normal.
                - reports: route tickets about reports to the reports queue, tag them `reports` and set urgency normal.
                - api-keys: route tickets about api-keys to the api-keys queue, tag them `api-keys` and set urgency normal.
                - sso: route tickets about sso to the sso queue, tag them `sso` and set urgency normal.
                - deletion: route tickets about deletion to the deletion queue, tag them `deletion` and set urgency normal.
                - gdpr: route tickets about gdpr to the gdpr queue, tag them `gdpr` and set urgency normal.
                - pricing: route tickets about pricing to the pricing queue, tag them `pricing` and set urgency normal.
                - trials: route tickets about trials to the trials queue, tag them `trials` and set urgency normal.
                - upgrades: route tickets about upgrades to the upgrades queue, tag them `upgrades` and set urgency normal.
                - downgrades: route tickets about downgrades to the downgrades queue, tag them `downgrades` and set urgency normal.
                - performance: route tickets about performance to the performance queue, tag them `performance` and set urgency normal.
                - billing: route tickets about billing to the billing queue, tag them `billing` and set urgency normal.
                - refunds: route tickets about refunds to the refunds queue, tag them `refunds` and set urgency normal.
                - invoices: route tickets about invoices to the invoices queue, tag them `invoices` and set urgency normal.
                - login: route tickets about login to the login queue, tag them `login` and set urgency normal.
                - two-factor: route tickets about two-factor to the two-factor queue, tag them `two-factor` and set urgency normal.
                - outages: route tickets about outages to the outages queue, tag them `outages` and set urgency normal.
                - integrations: route tickets about integrations to the integrations queue, tag them `integrations` and set urgency normal.
                - exports: route tickets about exports to the exports queue, tag them `exports` and set urgency normal.
                - imports: route tickets about imports to the imports queue, tag them `imports` and set urgency normal.
                - webhooks: route tickets about webhooks to the webhooks queue, tag them `webhooks` and set urgency normal.
                - permissions: route tickets about permissions to the permissions queue, tag them `permissions` and set urgency normal.
                - mobile: route tickets about mobile to the mobile queue, tag them `mobile` and set urgency normal.
                - notifications: route tickets about notifications to the notifications queue, tag them `notifications` and set urgency normal.
                - search: route tickets about search to the search queue, tag them `search` and set urgency normal.
                - reports: route tickets about reports to the reports queue, tag them `reports` and set urgency normal.
                - api-keys: route tickets about api-keys to the api-keys queue, tag them `api-keys` and set urgency normal.
                - sso: route tickets about sso to the sso queue, tag them `sso` and set urgency normal.
                - deletion: route tickets about deletion to the deletion queue, tag them `deletion` and set urgency normal.
                - gdpr: route tickets about gdpr to the gdpr queue, tag them `gdpr` and set urgency normal.
                - pricing: route tickets about pricing to the pricing queue, tag them `pricing` and set urgency normal.
                - trials: route tickets about trials to the trials queue, tag them `trials` and set urgency normal.
                - upgrades: route tickets about upgrades to the upgrades queue, tag them `upgrades` and set urgency normal.
                - downgrades: route tickets about downgrades to the downgrades queue, tag them `downgrades` and set urgency normal.
                - performance: route tickets about performance to the performance queue, tag them `performance` and set urgency normal.
            """)),)),
    )
    options = (
        Option("instrumentation.max_static_prompt_tokens", "the token budget of a static prompt", invalid[0],
               invalid[0].policy.replace("max_static_prompt_tokens: 400", "max_static_prompt_tokens: 4000")),
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
            yield self.at_call(site, message)
