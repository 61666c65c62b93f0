"""Every check format on the example application: golden files, and what each consumer requires of it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from golden import assert_golden, golden_name
from helpers import REPO, copy_example_app, run_cli

from oberhahn_policy import __version__
from oberhahn_policy.rules import ALL_RULES

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "markdown")
#: The OASIS SARIF 2.1.0 schema (errata 01), vendored so that validity is always checked.
SARIF_SCHEMA = REPO / "tests" / "schemas" / "sarif-2.1.0.json"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example_app(tmp_path_factory.mktemp("formats") / "helpdesk-app")


def _check(app: Path, fmt: str, *extra: str, cwd: Path | None = None) -> str:
    result = run_cli("check", "--no-cache", "--format", fmt, *extra, cwd=cwd or app)
    assert result.exit_code == 1, result.stderr
    assert result.stderr == ""
    # the JSON report names the policy by the path it was found at, which is absolute when discovered
    return result.stdout.replace(__version__, "<version>").replace(str(app.resolve()) + "/", "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(app: Path, fmt: str) -> None:
    assert_golden(golden_name("check", "example-app", fmt), _check(app, fmt, "--show-suppressed"))


def test_sarif_validates_against_the_official_schema(app: Path) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    for extra in ((), ("--show-suppressed",)):
        document = json.loads(_check(app, "sarif", *extra))
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
        assert errors == []


def test_sarif_carries_rule_help_fingerprints_and_levels(app: Path) -> None:
    run = json.loads(_check(app, "sarif", "--show-suppressed"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in ALL_RULES]
    assert all("## Why is this bad?" in r["help"]["markdown"] for r in rules)
    levels = {(r["ruleId"], r["level"]) for r in run["results"]}
    assert ("OBH101", "error") in levels and ("OBH202", "warning") in levels
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert len(result["partialFingerprints"]["oberhahnFingerprint/v1"]) == 32
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["region"]["startColumn"] >= 1
    suppressed = [r for r in run["results"] if "suppressions" in r]
    assert [s["suppressions"][0]["justification"] for s in suppressed] == [
        "nightly batch, attributed by the scheduler's headers until the migration"]


def test_paths_are_repository_relative_from_a_subdirectory(app: Path) -> None:
    sarif = json.loads(_check(app, "sarif", ".", cwd=app / "helpdesk"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert "helpdesk/triage/classify.py" in uris
    gitlab = json.loads(_check(app, "gitlab", ".", cwd=app / "helpdesk"))
    assert {i["location"]["path"] for i in gitlab} >= {"helpdesk/billing/summarise.py"}
    text = _check(app, "text", ".", cwd=app / "helpdesk")
    assert text.startswith("billing/summarise.py:11:15: OBH101")


def test_github_annotations_escape_what_the_runner_parses(app: Path) -> None:
    (app / "helpdesk" / "odd, name%.py").write_text(
        "from openai import OpenAI\n\nclient = OpenAI()\nreply = client.responses.create(model='gpt-6-luna', input='hi', max_output_tokens=5)\n",
        encoding="utf-8")
    try:
        lines = _check(app, "github").splitlines()
    finally:
        (app / "helpdesk" / "odd, name%.py").unlink()
    odd = [line for line in lines if "odd" in line]
    assert odd and all(line.startswith("::error file=helpdesk/odd%2C name%25.py,line=4,col=9,") for line in odd)
    assert lines[-1].startswith("oberhahn-policy: ")


def _finding_count(app: Path) -> int:
    count = json.loads(_check(app, "json"))["summary"]["findings"]
    assert count >= 7
    return int(count)


def test_gitlab_fingerprints_are_unique_and_severities_known(app: Path) -> None:
    issues = json.loads(_check(app, "gitlab"))
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints) == _finding_count(app)
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}


def test_junit_is_well_formed_and_counts_failures(app: Path) -> None:
    root = ET.fromstring(_check(app, "junit"))
    count = _finding_count(app)
    assert root.tag == "testsuites" and root.attrib["failures"] == str(count)
    assert sum(len(suite.findall("testcase/failure")) for suite in root) == count


def test_clean_run_in_every_format(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "app.py").write_text("print('no model calls here')\n", encoding="utf-8")
    for fmt in FORMATS:
        result = run_cli("check", "--no-cache", "--format", fmt, cwd=tmp_path)
        assert result.exit_code == 0, (fmt, result.stderr)
    assert json.loads(run_cli("check", "--format", "gitlab", cwd=tmp_path).stdout) == []
    junit = ET.fromstring(run_cli("check", "--format", "junit", cwd=tmp_path).stdout)
    assert junit.attrib["failures"] == "0" and junit.find("testsuite/testcase") is not None
    assert "No findings" in run_cli("check", "--format", "markdown", cwd=tmp_path).stdout
