"""OBH501 and OBH502 on a realistic application: findings where they belong and nowhere else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from golden import assert_golden, golden_name
from helpers import REPO, check_project, run_cli, write_project

FIXTURE = REPO / "tests" / "fixtures" / "instrumented_app"
POLICY = REPO / "policies" / "gateway-and-tracing.yaml"


@pytest.fixture()
def app(tmp_path: Path) -> Path:
    root = tmp_path / "instrumented_app"
    shutil.copytree(FIXTURE, root)
    shutil.copy(POLICY, root / "oberhahn-policy.yaml")
    (root / ".git").mkdir()
    return root


def test_gateway_and_tracing_findings_are_exactly_where_they_belong(app: Path) -> None:
    report = check_project(app)
    found = sorted((f.path, f.line, f.code) for f in report.findings)
    assert found == [
        ("app/experimental/rewrite.py", 8, "OBH501"),  # the direct client, at its construction
        ("app/experimental/rewrite.py", 22, "OBH502"),  # translate() has no @observe
        ("scripts/backfill_topics.py", 16, "OBH502"),  # scripts/ is outside the worker's instrumented package
    ]
    assert len(report.call_sites) == 6


def test_checking_one_file_still_sees_the_entry_modules_instrumentor(app: Path) -> None:
    """A pre-commit hook passes only the changed files; the worker's entry module is not among them."""
    result = run_cli("check", "--no-cache", "worker/jobs.py", "app/experimental/rewrite.py", cwd=app)
    codes = sorted(line.split()[1] for line in result.stdout.splitlines() if ": OBH" in line and line.split()[1].startswith("OBH"))
    assert codes == ["OBH501", "OBH502"], result.stdout


def test_ungoverned_client_names_the_calls_that_use_it(app: Path) -> None:
    [finding] = [f for f in check_project(app).findings if f.code == "OBH501"]
    assert "openai.chat.completions.create at line 13" in finding.message
    assert "openai.responses.create at line 22" in finding.message
    assert "sets no base_url" in finding.message


def test_text_output_matches_golden(app: Path) -> None:
    result = run_cli("check", "--no-cache", cwd=app)
    assert result.exit_code == 1, result.stderr
    assert_golden(golden_name("check", "instrumented-app", "text"), result.stdout)


def test_moving_the_direct_client_behind_the_gateway_clears_obh501(app: Path) -> None:
    rewrite = app / "app" / "experimental" / "rewrite.py"
    rewrite.write_text(rewrite.read_text().replace(
        "direct = OpenAI(", "direct = OpenAI(base_url=\"https://llm-gateway.example.com/openai/v1\", "))
    assert [f.code for f in check_project(app).findings if f.code == "OBH501"] == []


def test_an_instrumentor_at_the_root_covers_every_package(app: Path) -> None:
    (app / "main.py").write_text("import openlit\n\nopenlit.init(application_name=\"support-desk\")\n")
    assert [f for f in check_project(app).findings if f.code == "OBH502"] == []


# --- false positives: each of these must not fire ------------------------------------------------

_GATEWAY_POLICY = """\
version: 1
attribution:
  required: []
instrumentation:
  gateways:
    base_urls: ["https://llm-gateway.example.com/*"]
    factories: ["acme_llm.*"]
"""

_CALL = "client.chat.completions.create(model=\"gpt-6-luna\", messages=[], max_completion_tokens=5)\n"

NOT_UNGOVERNED = {
    "env-default-is-the-gateway": (
        "import os\nfrom openai import OpenAI\n\nclient = OpenAI(base_url=os.getenv(\"LLM_URL\", \"https://llm-gateway.example.com/v1\"))\n"
        + _CALL),
    "gateway-url-without-trailing-path": (
        "from openai import OpenAI\n\nclient = OpenAI(base_url=\"https://llm-gateway.example.com\")\n" + _CALL),
    "constant-from-another-module": (
        "from openai import OpenAI\n\nfrom app.settings import GATEWAY\n\nclient = OpenAI(base_url=GATEWAY)\n" + _CALL),
    "derived-client-keeps-its-gateway": (
        "from openai import OpenAI\n\nbase = OpenAI(base_url=\"https://llm-gateway.example.com/v1\")\n"
        + _CALL.replace("client.", "base.with_options(timeout=10).")),
    "factory-by-glob": (
        "from app.acme import make\n\n\ndef run() -> None:\n    client = make()\n    " + _CALL),
    "module-level-client-configured": (
        "import openai\n\nopenai.base_url = \"https://llm-gateway.example.com/openai/v1\"\n"
        + _CALL.replace("client.", "openai.")),
    "legacy-module-api-base": (
        "import openai\n\nopenai.api_base = \"https://llm-gateway.example.com/openai/v1\"\n"
        "openai.ChatCompletion.create(model=\"gpt-4o\", messages=[], max_tokens=5)\n"),
    "client-from-local-factory-with-gateway": (
        "from openai import OpenAI\n\n\ndef build() -> OpenAI:\n    return OpenAI(base_url=\"https://llm-gateway.example.com/v1\")\n\n\n"
        "def run() -> None:\n    client = build()\n    " + _CALL),
}


UNGOVERNED = {
    "no-base-url": ("from openai import OpenAI\n\nclient = OpenAI()\n" + _CALL, "sets no base_url"),
    "provider-url": ("from openai import OpenAI\n\nclient = OpenAI(base_url=\"https://api.openai.com/v1\")\n" + _CALL,
                     "'https://api.openai.com/v1' does not match"),
    "unresolvable-url": ("import os\nfrom openai import OpenAI\n\nclient = OpenAI(base_url=os.environ[\"URL\"])\n" + _CALL,
                         "can't be resolved statically"),
    "look-alike-host": ("from openai import OpenAI\n\nclient = OpenAI(base_url=\"https://llm-gateway.example.com.evil.io/v1\")\n"
                        + _CALL, "does not match"),
    "module-level-client": ("import openai\n\n" + _CALL.replace("client.", "openai."), "the module-level openai client"),
    "factory-not-approved": ("from app.other import make\n\n\ndef run() -> None:\n    client = make()\n    " + _CALL,
                             "client from app.other.make (an openai.OpenAI)"),
}


@pytest.mark.parametrize("name", UNGOVERNED)
def test_ungoverned_clients_fire(tmp_path: Path, name: str) -> None:
    source, fragment = UNGOVERNED[name]
    others = {"app/other.py": "from openai import OpenAI\n\n\ndef make() -> OpenAI:\n    return OpenAI()\n"}
    root = write_project(tmp_path / "p", {"app/service.py": source, **others}, _GATEWAY_POLICY)
    messages = [f.message for f in check_project(root).findings if f.code == "OBH501"]
    assert len(messages) == 1 and fragment in messages[0], messages


@pytest.mark.parametrize("source", NOT_UNGOVERNED.values(), ids=NOT_UNGOVERNED.keys())
def test_governed_clients_do_not_fire(tmp_path: Path, source: str) -> None:
    others = {
        "app/settings.py": "GATEWAY = \"https://llm-gateway.example.com/openai/v1\"\n",
        "app/acme.py": "from openai import OpenAI\n\n\ndef make() -> OpenAI:\n    return OpenAI()\n",
    }
    policy = _GATEWAY_POLICY.replace("acme_llm.*", "app.acme.*")
    root = write_project(tmp_path / "p", {"app/service.py": source, **others}, policy)
    report = check_project(root)
    assert report.call_sites, "the call must be recognised for the test to mean anything"
    assert [f.message for f in report.findings if f.code == "OBH501"] == []


_TRACING_POLICY = """\
version: 1
attribution:
  required: []
instrumentation:
  tracing:
    decorators: ["langfuse.observe", "langsmith.traceable", "traceloop.sdk.decorators.workflow"]
    context_managers: ["*.start_as_current_span", "langfuse.*.start_as_current_observation"]
    instrumentors: ["openlit.init", "traceloop.sdk.Traceloop.init"]
"""

NOT_UNTRACED = {
    "re-exported-decorator": "from langfuse.decorators import observe\n\n\n@observe\ndef run() -> None:\n    " + _CALL,
    "traceable-with-arguments": "from langsmith import traceable\n\n\n@traceable(run_type=\"llm\", name=\"x\")\ndef run() -> None:\n    " + _CALL,
    "traceloop-workflow": "from traceloop.sdk.decorators import workflow\n\n\n@workflow(name=\"triage\")\ndef run() -> None:\n    " + _CALL,
    "outer-decorated-function": ("from langfuse import observe\n\n\n@observe()\ndef run() -> None:\n    def inner() -> None:\n"
                                 "        " + _CALL + "    inner()\n"),
    "method-of-decorated-method": ("from langfuse import observe\n\n\nclass Service:\n    @observe()\n    def run(self) -> None:\n"
                                   "        " + _CALL),
    "span-around-the-call": ("from opentelemetry import trace\n\ntracer = trace.get_tracer(__name__)\n\n\ndef run() -> None:\n"
                             "    with tracer.start_as_current_span(\"x\"):\n        " + _CALL),
    "traceloop-init-in-entry-module": "def run() -> None:\n    " + _CALL,
    "helper-called-from-a-traced-function": ("from langfuse import observe\n\n\ndef _ask() -> None:\n    " + _CALL
                                             + "\n\n@observe()\ndef run() -> None:\n    _ask()\n"),
    "two-levels-of-helpers": ("from langfuse import observe\n\n\ndef _ask() -> None:\n    " + _CALL
                              + "\n\ndef _step() -> None:\n    _ask()\n\n\n@observe()\ndef run() -> None:\n    _step()\n    _step()\n"),
    "method-called-through-self": ("from langfuse import observe\n\n\nclass Service:\n    def _ask(self) -> None:\n        "
                                   + _CALL + "\n    @observe()\n    def run(self) -> None:\n        self._ask()\n"),
}

#: Calls that MUST fire even though some tracing is near.
UNTRACED = {
    "helper-with-one-untraced-caller": ("from langfuse import observe\n\n\ndef _ask() -> None:\n    " + _CALL
                                        + "\n\n@observe()\ndef run() -> None:\n    _ask()\n\n\ndef batch() -> None:\n    _ask()\n"),
    "unrelated-decorator": "import functools\n\n\n@functools.cache\ndef run() -> None:\n    " + _CALL,
    "span-after-the-call": ("from opentelemetry import trace\n\ntracer = trace.get_tracer(__name__)\n\n\ndef run() -> None:\n"
                            "    " + _CALL + "    with tracer.start_as_current_span(\"x\"):\n        pass\n"),
    "recursion-is-not-a-tracing-caller": "def run() -> None:\n    " + _CALL + "    run()\n",
}


@pytest.mark.parametrize("name", UNTRACED.keys())
def test_untraced_calls_fire(tmp_path: Path, name: str) -> None:
    source = "from openai import OpenAI\n\nclient = OpenAI()\n" + UNTRACED[name]
    root = write_project(tmp_path / "p", {"app/service.py": source}, _TRACING_POLICY)
    assert [f.code for f in check_project(root).findings if f.code == "OBH502"] == ["OBH502"]


@pytest.mark.parametrize("name", NOT_UNTRACED.keys())
def test_traced_calls_do_not_fire(tmp_path: Path, name: str) -> None:
    source = "from openai import OpenAI\n\nclient = OpenAI()\n" + NOT_UNTRACED[name]
    others = {}
    if name == "traceloop-init-in-entry-module":
        others["app/main.py"] = "from traceloop.sdk import Traceloop\n\nTraceloop.init(app_name=\"support\")\n"
    root = write_project(tmp_path / "p", {"app/service.py": source, **others}, _TRACING_POLICY)
    report = check_project(root)
    assert report.call_sites
    assert [f.message for f in report.findings if f.code == "OBH502"] == []


def test_instrumentor_in_another_package_does_not_cover(tmp_path: Path) -> None:
    source = "from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef run() -> None:\n    " + _CALL
    root = write_project(tmp_path / "p", {"billing/service.py": source,
                                          "support/main.py": "import openlit\n\nopenlit.init()\n"}, _TRACING_POLICY)
    assert [f.code for f in check_project(root).findings] == ["OBH502"]


def test_framework_bindings_are_not_untraced_calls() -> None:
    """`ChatOpenAI(...)` builds a model; its calls (and their tracing) happen where it is invoked."""
    from oberhahn_policy.callsite import CallSite, ExtractedCallSite, StaticValue
    from oberhahn_policy.policy import load_policy_text
    from oberhahn_policy.rules import ProjectView
    from oberhahn_policy.rules.obh502_untraced_call import UntracedCall

    def site(operation: str) -> CallSite:
        extracted = ExtractedCallSite(path="app/chain.py", line=3, column=7, end_line=3, end_column=40, provider="openai",
                                      framework="langchain", operation=operation, api="langchain_openai.ChatOpenAI",
                                      model=StaticValue.literal("gpt-6-luna"), default_model=None, max_output_tokens=None)
        return CallSite(site=extracted, model="gpt-6-luna", model_expression="'gpt-6-luna'", max_output_tokens=None,
                        limit_expression=None, attribution=(), attribution_sources=(), use_case=None, opaque_carriers=())

    loaded = load_policy_text(_TRACING_POLICY, "oberhahn-policy.yaml")
    rule = UntracedCall()
    assert list(rule.check(ProjectView(loaded=loaded, call_sites=(site("binding"),), files=()))) == []
    assert len(list(rule.check(ProjectView(loaded=loaded, call_sites=(site("chat"),), files=())))) == 1
