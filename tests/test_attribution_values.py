"""OBH102 and OBH104: allowed values, transport limits, high-cardinality values, dynamic values."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import check_project, write_project

from oberhahn_policy.attribution_limits import high_cardinality, transport_problems
from oberhahn_policy.callsite import AttributionEntry, ExtractedCallSite, StaticValue

POLICY = """\
version: 1
attribution:
  required: [team, use_case]
  optional: [prompt_version, feature]
  allow_dynamic: {dynamic}
  values:
    team: {{from: teams}}
    use_case: {{from: use_cases}}
    prompt_version: {{pattern: "^v[0-9]+$"}}
    feature: {{values: [inbox, sidebar]}}
teams:
  support: {{owner: support-eng@example.com}}
use_cases:
  ticket-triage: {{team: support}}
"""

HEAD = "import time\nimport uuid\n\nfrom openai import OpenAI\n\nclient = OpenAI()\nPROMPT_VERSION = \"v4\"\n\n\n"


def _findings(tmp_path: Path, metadata: str, dynamic: bool = True, code: str = "OBH102") -> list[str]:
    source = (HEAD + "def run(ticket: str, request: object, team: str) -> None:\n"
              "    client.chat.completions.create(model=\"gpt-6-luna\", max_completion_tokens=5, messages=[],\n"
              f"        metadata={metadata})\n")
    root = write_project(tmp_path / "p", {"app/service.py": source}, POLICY.format(dynamic=str(dynamic).lower()))
    report = check_project(root)
    assert report.call_sites
    return [f.message for f in report.findings if f.code == code]


ALLOWED = {
    "registry-values": '{"team": "support", "use_case": "ticket-triage"}',
    "pattern-through-a-constant": '{"team": "support", "use_case": "ticket-triage", "prompt_version": PROMPT_VERSION}',
    "listed-value": '{"team": "support", "use_case": "ticket-triage", "feature": "sidebar"}',
    "dynamic-team-allowed": '{"team": team, "use_case": "ticket-triage"}',
    "user-id-in-its-own-key": '{"team": "support", "use_case": "ticket-triage", "user_id": str(uuid.uuid4())}',
    "sixteen-pairs": "{" + ", ".join(f'"k{i}": "v"' for i in range(14)) + ', "team": "support", "use_case": "ticket-triage"}',
}


@pytest.mark.parametrize("name", ALLOWED)
def test_allowed_values_do_not_fire(tmp_path: Path, name: str) -> None:
    assert _findings(tmp_path, ALLOWED[name]) == []


DISALLOWED = {
    "unknown-team": ('{"team": "supprot", "use_case": "ticket-triage"}', "did you mean 'support'?"),
    "undeclared-use-case": ('{"team": "support", "use_case": "churn-prediction"}', "is not a declared use case"),
    "pattern": ('{"team": "support", "use_case": "ticket-triage", "prompt_version": "4"}', "does not match the pattern"),
    "list": ('{"team": "support", "use_case": "ticket-triage", "feature": "inboxx"}', "did you mean 'inbox'?"),
    "seventeen-pairs": ("{" + ", ".join(f'"k{i}": "v"' for i in range(15)) + ', "team": "support", "use_case": "ticket-triage"}',
                        "at most 16 pairs; this call sends 17"),
    "long-key": ('{"team": "support", "use_case": "ticket-triage", "' + "k" * 65 + '": "v"}', "keys are at most 64 characters"),
    "long-value": ('{"team": "support", "use_case": "ticket-triage", "note": "' + "x" * 513 + '"}', "values are at most 512"),
    "non-string-value": ('{"team": "support", "use_case": "ticket-triage", "batch": 7}', "values must be strings"),
    "uuid-literal": ('{"team": "support", "use_case": "ticket-triage", "feature": "7d444840-9dc0-11d1-b245-5ffdce74fad2"}',
                     "looks like a UUID"),
    "request-id-expression": ('{"team": "support", "use_case": "ticket-triage", "feature": request.id}', "changes per request"),
    "timestamp-expression": ('{"team": "support", "use_case": "ticket-triage", "feature": str(time.time())}', "changes per request"),
}


@pytest.mark.parametrize("name", DISALLOWED)
def test_disallowed_values_fire(tmp_path: Path, name: str) -> None:
    metadata, fragment = DISALLOWED[name]
    messages = _findings(tmp_path, metadata)
    assert messages and any(fragment in m for m in messages), messages


def test_dynamic_required_value_fires_only_when_the_policy_forbids_it(tmp_path: Path) -> None:
    metadata = '{"team": team, "use_case": "ticket-triage"}'
    assert _findings(tmp_path / "a", metadata, dynamic=True, code="OBH104") == []
    [message] = _findings(tmp_path / "b", metadata, dynamic=False, code="OBH104")
    assert "team=team can't be resolved statically" in message


def test_constants_and_env_defaults_are_static_for_obh104(tmp_path: Path) -> None:
    source = (HEAD + "import os\n\nTEAM = os.getenv(\"TEAM\", \"support\")\n\n\ndef run() -> None:\n"
              "    client.chat.completions.create(model=\"gpt-6-luna\", max_completion_tokens=5, messages=[],\n"
              "        metadata={\"team\": TEAM, \"use_case\": \"ticket-triage\"})\n")
    root = write_project(tmp_path / "p", {"app/service.py": source}, POLICY.format(dynamic="false"))
    assert [f for f in check_project(root).findings if f.code in ("OBH102", "OBH104")] == []


def test_gateway_header_value_with_a_line_break_fires(tmp_path: Path) -> None:
    source = ("import anthropic\n\nclaude = anthropic.Anthropic()\nclaude.messages.create(model=\"claude-haiku-5-5\", max_tokens=5, messages=[],\n"
              "    extra_headers={\"X-Oberhahn-Team\": \"support\", \"X-Oberhahn-Use-Case\": \"ticket-triage\", "
              "\"X-Oberhahn-Feature\": \"inbox\\nsidebar\"})\n")
    root = write_project(tmp_path / "p", {"app/service.py": source}, POLICY.format(dynamic="true").replace(
        "feature: {values: [inbox, sidebar]}", "feature: {pattern: '(?s).*'}"))
    messages = [f.message for f in check_project(root).findings if f.code == "OBH102"]
    assert len(messages) == 1 and "line breaks" in messages[0]


# --- transports without an SDK in the test project: the limits on their own ----------------------


def _site(carrier: str, entries: dict[str, object], api: str = "bedrock-runtime.converse") -> ExtractedCallSite:
    return ExtractedCallSite(
        path="app/x.py", line=1, column=1, end_line=1, end_column=2, provider="aws-bedrock", framework=None,
        operation="chat", api=api, model=None, default_model=None, max_output_tokens=None,
        attribution=tuple(AttributionEntry(k, StaticValue.literal(v) if v is not None else StaticValue.unknown("x"),  # type: ignore[arg-type]
                                           carrier, "body") for k, v in entries.items()))


TRANSPORTS = {
    "bedrock-ok": ("requestMetadata", {"team": "support", "use_case": "ticket-triage", "path": "a/b:c"}, None),
    "bedrock-charset": ("requestMetadata", {"team": "support!"}, "character"),
    "bedrock-long-value": ("requestMetadata", {"team": "s" * 257}, "at most 256 characters"),
    "bedrock-seventeen": ("requestMetadata", {f"k{i}": "v" for i in range(17)}, "at most 16 entries"),
    "labels-ok": ("config.labels", {"team": "support", "use_case": "ticket-triage"}, None),
    "labels-uppercase": ("labels", {"team": "Support"}, "lowercase"),
    "labels-key-start": ("labels", {"1team": "support"}, "start with a letter"),
    "labels-long": ("labels", {"team": "s" * 64}, "at most 63"),
    "dynamic-values-are-not-judged": ("requestMetadata", {"team": None}, None),
    "portkey-ok": ("extra_headers.x-portkey-metadata", {"team": "support", "_user": "u-1"}, None),
    "portkey-long-value": ("default_headers.x-portkey-metadata", {"team": "s" * 129}, "at most 128 characters"),
    "cloudflare-five": ("extra_headers.cf-aig-metadata", {f"k{i}": "v" for i in range(5)}, None),
    "cloudflare-six": ("extra_headers.cf-aig-metadata", {f"k{i}": "v" for i in range(6)}, "at most 5 entries"),
}


@pytest.mark.parametrize("name", TRANSPORTS)
def test_transport_limits(name: str) -> None:
    carrier, entries, fragment = TRANSPORTS[name]
    problems = [p.message for p in transport_problems(_site(carrier, entries))]
    if fragment is None:
        assert problems == []
    else:
        assert problems and all(fragment in p for p in problems), problems


@pytest.mark.parametrize(("value", "expression", "expected"), [
    ("support", None, None),
    ("ticket-triage", None, None),
    ("v12", None, None),
    ("2026-11-28T10:00:00Z", None, "timestamp"),
    ("1764324000", None, "timestamp"),
    ("a3f9c2e1d4b5a6f7e8d9", None, "id"),
    (None, "settings.team", None),
    (None, "TEAM_NAME", None),
    (None, "request.headers['x-request-id']", "changes per request"),
    (None, "str(uuid.uuid4())", "changes per request"),
    (None, "datetime.now().isoformat()", "changes per request"),
])
def test_high_cardinality(value: str | None, expression: str | None, expected: str | None) -> None:
    reason = high_cardinality(value, expression)
    assert (reason is None) if expected is None else (reason is not None and expected in reason)


def test_a_user_id_in_a_billing_label_is_flagged() -> None:
    """Google labels reach the bill; no SDK with labels is needed to test the rule on an extracted call site."""
    from oberhahn_policy.callsite import CallSite
    from oberhahn_policy.policy import default_policy
    from oberhahn_policy.rules import ProjectView
    from oberhahn_policy.rules.obh102_disallowed_attribution import (
        DisallowedAttribution,
    )

    def view(entries: dict[str, object]) -> ProjectView:
        site = _site("config.labels", entries, api="google.genai.models.generate_content")
        resolved = CallSite(site=site, model=None, model_expression="", max_output_tokens=None, limit_expression=None,
                            attribution=(), attribution_sources=(), use_case=None, opaque_carriers=())
        return ProjectView(loaded=default_policy(), call_sites=(resolved,), files=())

    flagged = [f.message for f in DisallowedAttribution().check(view({"team": "support", "user_id": None}))]
    assert len(flagged) == 1 and "billing label 'user_id'" in flagged[0]
    stamped = [f.message for f in DisallowedAttribution().check(view({"team": "support", "run": "2026-11-28t10-00"}))]
    assert len(stamped) == 1 and "looks like a timestamp" in stamped[0]
    assert [f.message for f in DisallowedAttribution().check(view({"team": "support", "env": "prod"}))] == []
