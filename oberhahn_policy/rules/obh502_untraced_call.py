"""OBH502 untraced-call."""

from __future__ import annotations

from typing import Iterable

from ..callsite import ScopeCall
from ..findings import Finding, Severity
from ..instrumentation import covering, instrumentors, name_matches
from ._base import Example, ProjectView, Rule

_POLICY = """\
version: 1
attribution:
  required: []
instrumentation:
  tracing:
    decorators: ["langfuse.observe", "langsmith.traceable"]
    context_managers: ["*.start_as_current_span"]
    instrumentors: ["openlit.init"]
"""

_CALL = ("    response = client.chat.completions.create(\n        model=\"gpt-6-luna\",\n"
         "        messages=[{\"role\": \"user\", \"content\": ticket}],\n        max_completion_tokens=20,\n    )\n"
         "    return response.choices[0].message.content or \"\"\n")


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
        Example(
            "from langfuse import observe\nfrom openai import OpenAI\n\nclient = OpenAI()\n\n\n@observe()\n"
            "def triage(ticket: str) -> str:\n" + _CALL,
            policy=_POLICY,
        ),
        Example(
            "from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef triage(ticket: str) -> str:\n" + _CALL,
            policy=_POLICY,
            others=(("main.py", "import openlit\n\nfrom app.service import triage\n\nopenlit.init(application_name=\"helpdesk\")\n"),),
        ),
        Example(
            "from openai import OpenAI\nfrom opentelemetry import trace\n\nclient = OpenAI()\ntracer = trace.get_tracer(__name__)\n\n\n"
            "def triage(ticket: str) -> str:\n    with tracer.start_as_current_span(\"triage\"):\n"
            + "".join("    " + line + "\n" for line in _CALL.splitlines()),
            policy=_POLICY,
        ),
    )
    invalid = (
        Example(
            "from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef triage(ticket: str) -> str:\n" + _CALL,
            policy=_POLICY,
            message="outside the required tracing",
        ),
        Example(
            "import functools\n\nfrom openai import OpenAI\n\nclient = OpenAI()\n\n\n@functools.lru_cache(maxsize=128)\n"
            "def triage(ticket: str) -> str:\n" + _CALL,
            policy=_POLICY,
            message="outside the required tracing",
        ),
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
