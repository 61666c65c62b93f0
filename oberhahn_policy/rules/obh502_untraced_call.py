"""OBH502 untraced-call."""

from __future__ import annotations

from typing import Iterable

from ..callsite import ScopeCall
from ..findings import Finding, Severity
from ..instrumentation import covering, instrumentors, name_matches
from ._base import Rule
from ._examples import Example, Option, python, yaml
from ._view import ProjectView


class UntracedCall(Rule):
    """Every LLM call runs inside the tracing the organisation requires."""

    code = "OBH502"
    name = "untraced-call"
    default_severity = Severity.ERROR
    summary = "A call outside the required tracing."
    what = ("With `instrumentation.tracing` set, a call must run inside an enclosing function decorated with one of "
            "`tracing.decorators` (Langfuse `observe`, LangSmith `traceable`, Traceloop `workflow`/`task`...), inside a "
            "`with` block of one of `tracing.context_managers` (also when every call of its function in the same "
            "module is inside one), or in a project where an entry module calls one of "
            "`tracing.instrumentors` (`openlit.init()`, `OpenAIInstrumentor().instrument()`, `Traceloop.init()`) at "
            "module level or in a module-level function. Names are qualified through the imports and may be globs; "
            "a re-export of the same function (`langfuse.decorators.observe` for `langfuse.observe`) matches. Framework model "
            "bindings (`ChatOpenAI(...)`) are not checked: they make no call where they are built. An "
            "instrumentor covers the files under its module's top-level package (a module at the root covers all).")
    why = ("Traces are how a cost spike is explained: which feature, which prompt, which user journey. An untraced "
           "call is spend that shows up on the invoice and nowhere else.")
    fix = ("Decorate the function that makes the call (`@observe()`), wrap the call in the required span, or call the "
           "process-wide instrumentor in the application's entry module.")
    valid = (
        Example(python("""
            from langfuse import observe
            from openai import OpenAI

            client = OpenAI()


            @observe()
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
              tracing:
                decorators: ["langfuse.observe", "langsmith.traceable"]
                context_managers: ["*.start_as_current_span"]
                instrumentors: ["openlit.init"]
        """)),
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
              tracing:
                decorators: ["langfuse.observe", "langsmith.traceable"]
                context_managers: ["*.start_as_current_span"]
                instrumentors: ["openlit.init"]
        """), others=(('main.py', python("""
                import openlit

                from app.service import triage

                openlit.init(application_name="helpdesk")
            """)),)),
        Example(python("""
            from openai import OpenAI
            from opentelemetry import trace

            client = OpenAI()
            tracer = trace.get_tracer(__name__)


            def triage(ticket: str) -> str:
                with tracer.start_as_current_span("triage"):
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
              tracing:
                decorators: ["langfuse.observe", "langsmith.traceable"]
                context_managers: ["*.start_as_current_span"]
                instrumentors: ["openlit.init"]
        """)),
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
              tracing:
                decorators: ["langfuse.observe", "langsmith.traceable"]
                context_managers: ["*.start_as_current_span"]
                instrumentors: ["openlit.init"]
        """), lines=(7,), message='outside the required tracing'),
        Example(python("""
            import functools

            from openai import OpenAI

            client = OpenAI()


            @functools.lru_cache(maxsize=128)
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
              tracing:
                decorators: ["langfuse.observe", "langsmith.traceable"]
                context_managers: ["*.start_as_current_span"]
                instrumentors: ["openlit.init"]
        """), lines=(10,), message='outside the required tracing'),
    )
    options = (
        Option("instrumentation.tracing.decorators", "decorators that trace the calls in the function they decorate",
               invalid[1], invalid[1].policy.replace('decorators: ["langfuse.observe"', 'decorators: ["functools.lru_cache"')),
        Option("instrumentation.tracing.instrumentors", "process-wide instrumentors that trace every call in the files "
               "they cover", invalid[0], invalid[0].policy.replace('instrumentors: ["openlit.init"]', "instrumentors: []")
               .replace('decorators: ["langfuse.observe", "langsmith.traceable"]', "decorators: []")
               .replace('context_managers: ["*.start_as_current_span"]', "context_managers: []")),
    )

    @staticmethod
    def _traced(scopes: tuple[ScopeCall, ...], decorators: tuple[str, ...], context_managers: tuple[str, ...]) -> bool:
        return any(name_matches(s.name, decorators if s.kind == "decorator" else context_managers) for s in scopes)

    def check(self, view: ProjectView) -> Iterable[Finding]:
        tracing = view.policy.instrumentation.tracing
        if not (tracing.decorators or tracing.context_managers or tracing.instrumentors):
            return
        found = instrumentors(view.project_files or view.files, tracing.instrumentors)
        for site in view.call_sites:
            if site.site.operation == "binding" or covering(site.path, found) is not None:
                continue  # a framework binding makes no call where it is built; its calls run elsewhere
            if self._traced(site.site.scopes, tracing.decorators, tracing.context_managers):
                continue
            callers = site.site.caller_scopes
            if callers and all(self._traced(path, tracing.decorators, tracing.context_managers) for path in callers):
                continue  # every caller in the module runs it inside the tracing
            required = [*(f"@{d}" for d in tracing.decorators), *(f"with {c}" for c in tracing.context_managers),
                        *(f"{i}() in the entry module" for i in tracing.instrumentors)]
            where = f"in {site.site.function}" if site.site.function else "at module level"
            yield self.at_call(site, f"{site.site.api} {where} runs outside the required tracing ({', '.join(required)}); "
                                     "decorate the function, wrap the call, or call the instrumentor at start-up")
