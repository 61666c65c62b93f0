"""OBH501 ungoverned-client."""

from __future__ import annotations

from typing import Iterable

from ..callsite import CallSite
from ..findings import Finding, Severity
from ..instrumentation import name_matches, url_matches
from ._base import Rule
from ._examples import Example, Option, python, yaml
from ._view import ProjectView


class UngovernedClient(Rule):
    """Every LLM client goes through the approved gateway or is built by an approved factory."""

    code = "OBH501"
    name = "ungoverned-client"
    default_severity = Severity.ERROR
    summary = "A client that bypasses the required gateway or factory."
    what = ("With `instrumentation.gateways` set, checks each client a call uses: it must be built by one of "
            "`gateways.factories` (qualified names of project functions returning a client, or of shared client "
            "objects; globs allowed) or with a `base_url` matching one of `gateways.base_urls` (globs). The finding is "
            "reported once per client, at its construction, and names the calls that use it. Calls without a client "
            "object (module-level SDK clients, `litellm.completion`, framework models) are checked on their own "
            "endpoint argument (`base_url=`, `api_base=`).")
    why = ("The gateway is where keys are rotated, spend is metered per team, rate limits and budgets are enforced and "
           "requests are logged. A client that talks to the provider directly is spend outside all of that, with a "
           "key that had to be copied somewhere it should not be.")
    fix = ("Build clients with the approved factory, or pass the gateway's URL as `base_url`; if a new gateway or "
           "factory is legitimate, add it to `instrumentation.gateways` in a reviewed policy change.")
    valid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI(base_url="https://llm-gateway.example.com/openai/v1")


            def triage(ticket: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=20,
                )
                return response.choices[0].message.content or ""
        """), policy=yaml("""
            version: 1
            attribution:
              required: []
            instrumentation:
              gateways:
                base_urls: ["https://llm-gateway.example.com/*"]
                factories: ["app.llm.make_client"]
        """)),
        Example(python("""
            from app.llm import make_client


            def triage(ticket: str) -> str:
                client = make_client()
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=20,
                )
                return response.choices[0].message.content or ""
        """), policy=yaml("""
            version: 1
            attribution:
              required: []
            instrumentation:
              gateways:
                base_urls: ["https://llm-gateway.example.com/*"]
                factories: ["app.llm.make_client"]
        """), others=(('app/llm.py', python("""
                import os

                from openai import OpenAI


                def make_client() -> OpenAI:
                    return OpenAI(base_url=os.environ["LLM_GATEWAY_URL"])
            """)),)),
    )
    invalid = (
        Example(python("""
            from openai import OpenAI

            client = OpenAI()


            def triage(ticket: str) -> str:
                response = client.chat.completions.create(
                    model="gpt-6-luna",
                    messages=[{"role": "user", "content": ticket}],
                    max_completion_tokens=20,
                )
                return response.choices[0].message.content or ""
        """), policy=yaml("""
            version: 1
            attribution:
              required: []
            instrumentation:
              gateways:
                base_urls: ["https://llm-gateway.example.com/*"]
                factories: ["app.llm.make_client"]
        """), lines=(3,), message='client openai.OpenAI() bypasses the approved gateway'),
        Example(python("""
            import anthropic

            claude = anthropic.Anthropic(base_url="https://api.anthropic.com")


            def label(text: str) -> str:
                return claude.messages.create(
                    model="claude-haiku-5-5", max_tokens=20,
                    messages=[{"role": "user", "content": text}],
                ).content[0].text
        """), policy=yaml("""
            version: 1
            attribution:
              required: []
            instrumentation:
              gateways:
                base_urls: ["https://llm-gateway.example.com/*"]
                factories: ["app.llm.make_client"]
        """), lines=(3,), message="'https://api.anthropic.com' does not match"),
    )
    options = (
        Option("instrumentation.gateways.base_urls", "the endpoints a client may be pointed at (globs)", invalid[1],
               invalid[1].policy.replace('base_urls: ["', 'base_urls: ["https://api.anthropic.com", "')),
        Option("instrumentation.gateways.factories", "the functions that build approved clients", invalid[0],
               invalid[0].policy.replace('factories: ["app.llm.make_client"]', "factories: []")
               .replace('base_urls: ["https://llm-gateway.example.com/*"]', "base_urls: []")),
    )

    def check(self, view: ProjectView) -> Iterable[Finding]:
        gateways = view.policy.instrumentation.gateways
        if not gateways.base_urls and not gateways.factories:
            return
        groups: dict[tuple[str, int, int], list[CallSite]] = {}
        for site in view.call_sites:
            if self._governed(site, gateways.base_urls, gateways.factories):
                continue
            client = site.site.client
            where = (site.path, client.line, client.column) if client is not None else (site.path, site.site.line, site.site.column)
            groups.setdefault(where, []).append(site)
        for (path, line, column), sites in sorted(groups.items()):
            first = sites[0]
            yield self.at(path, line, column, self._message(first, sites, gateways.base_urls), first.use_case)

    @staticmethod
    def _governed(site: CallSite, base_urls: tuple[str, ...], factories: tuple[str, ...]) -> bool:
        client = site.site.client
        if client is not None and client.factory is not None and name_matches(client.factory, factories):
            return True
        return site.endpoint is not None and url_matches(site.endpoint, base_urls) is not None

    @staticmethod
    def _message(first: CallSite, sites: list[CallSite], base_urls: tuple[str, ...]) -> str:
        client = first.site.client
        if client is None:
            what = f"call {first.site.api}"
        elif client.factory is not None:
            what = f"client from {client.factory} (an {client.constructor})"
        elif "." not in client.constructor:
            what = f"the module-level {client.constructor} client"
        else:
            what = f"client {client.constructor}()"
        if first.endpoint is not None:
            why = f"its base_url {first.endpoint!r} does not match {', '.join(base_urls) or 'an approved gateway'}"
        elif first.endpoint_expression is not None:
            why = f"its base_url `{first.endpoint_expression}` can't be resolved statically, so the gateway can't be verified"
        else:
            why = "it sets no base_url, so it talks to the provider directly"
        uses = "" if client is None else "; used by " + ", ".join(
            f"{s.site.api} at line {s.site.line}" for s in sorted(sites, key=lambda s: (s.site.line, s.site.column)))
        remedy = ("pass the gateway's URL as its base_url" if client is None
                  else "build it with an approved factory or the gateway's base_url")
        return f"{what} bypasses the approved gateway: {why}{uses}; {remedy} (instrumentation.gateways)"
