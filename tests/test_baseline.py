"""Fingerprints and the baseline: a legacy repository adopts the gate for new code only."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import check_project, copy_example_app, run_cli, write_project

from oberhahn_policy.fingerprint import normalised_source
from oberhahn_policy.rules import EXAMPLE_POLICY

SERVICE = '''\
from openai import OpenAI

client = OpenAI()


def triage(ticket: str) -> str:
    response = client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": ticket}],
        max_completion_tokens=200,
    )
    return response.choices[0].message.content or ""


def again(ticket: str) -> None:
    client.chat.completions.create(model="gpt-6-luna", messages=[], max_completion_tokens=5)
    client.chat.completions.create(model="gpt-6-luna", messages=[], max_completion_tokens=5)
'''


def _fingerprints(tmp_path: Path, source: str) -> dict[tuple[str, str], list[str]]:
    root = write_project(tmp_path, {"app/service.py": source}, EXAMPLE_POLICY)
    found: dict[tuple[str, str], list[str]] = {}
    for finding in check_project(root).findings:
        found.setdefault((finding.code, finding.message), []).append(finding.fingerprint)
    return found


def test_normalised_source_ignores_formatting_and_comments() -> None:
    one = 'client.create(\n    model="gpt-6",  # the cheap one\n    messages=[],\n)'
    two = 'client.create(model="gpt-6", messages=[])'
    assert normalised_source(one) == normalised_source(two) == 'client.create(model="gpt-6",messages=[])'
    assert normalised_source('f(model="a b")') != normalised_source('f(model="ab")')


def test_fingerprints_survive_moved_lines_and_edits_around_the_call(tmp_path: Path) -> None:
    before = _fingerprints(tmp_path / "before", SERVICE)
    moved = SERVICE.replace("client = OpenAI()\n", "import logging\n\nclient = OpenAI()\nlog = logging.getLogger(__name__)\n")
    moved = moved.replace('    return response.choices[0].message.content or ""',
                          '    log.info("triaged %s", ticket[:20])\n    return (response.choices[0].message.content or "").strip()')
    moved = moved.replace('        model="gpt-4o",\n        messages', '        model="gpt-4o", messages')  # reformatted
    after = _fingerprints(tmp_path / "after", moved)
    assert after == before
    assert len(before[next(k for k in before if k[0] == "OBH101")]) == 3


def test_identical_calls_get_distinct_fingerprints(tmp_path: Path) -> None:
    fingerprints = [f for prints in _fingerprints(tmp_path, SERVICE).values() for f in prints]
    assert len(fingerprints) == len(set(fingerprints))


def test_fingerprints_change_when_the_call_changes(tmp_path: Path) -> None:
    before = _fingerprints(tmp_path / "before", SERVICE)
    changed = _fingerprints(tmp_path / "after", SERVICE.replace('model="gpt-4o"', 'model="gpt-4o-mini"'))
    old = set(before[next(k for k in before if k[0] == "OBH101")])
    new = set(changed[next(k for k in changed if k[0] == "OBH101")])
    assert len(old - new) == 1 and len(new - old) == 1


def test_with_a_baseline_only_a_new_violating_call_is_reported(tmp_path: Path) -> None:
    app = copy_example_app(tmp_path / "app")
    existing = json.loads(run_cli("check", "--no-cache", "--format", "json", cwd=app).stdout)["summary"]["findings"]
    assert existing >= 7
    written = run_cli("baseline", "--no-cache", cwd=app)
    assert written.exit_code == 0, written.stderr
    assert f"wrote {existing} findings to .oberhahn-baseline.json" in written.stderr
    document = json.loads((app / ".oberhahn-baseline.json").read_text(encoding="utf-8"))
    assert len(document["findings"]) == existing and {"fingerprint", "code", "path", "message"} <= set(document["findings"][0])

    clean = run_cli("check", "--no-cache", "--baseline", cwd=app)
    assert clean.exit_code == 0, clean.stdout + clean.stderr
    assert clean.stdout.startswith("No findings.")

    # a new call at the top of the file moves every existing call down
    billing = app / "helpdesk" / "billing" / "summarise.py"
    source = billing.read_text(encoding="utf-8")
    billing.write_text(source.replace("claude = anthropic.Anthropic()\n", '''claude = anthropic.Anthropic()


def translate_invoice(invoice_text: str) -> str:
    message = claude.messages.create(
        model="claude-haiku-5-5",
        max_tokens=800,
        messages=[{"role": "user", "content": "Translate to German:\\n" + invoice_text}],
    )
    return message.content[0].text
'''), encoding="utf-8")
    result = run_cli("check", "--no-cache", "--baseline=.oberhahn-baseline.json", cwd=app)
    assert result.exit_code == 1
    findings = [line for line in result.stdout.splitlines() if line.startswith("helpdesk/")]
    assert len(findings) == 1 and findings[0].startswith("helpdesk/billing/summarise.py:11:15: OBH101 ")
    assert f"{existing} in the baseline" in result.stdout
    sarif = json.loads(run_cli("check", "--no-cache", "--baseline", ".oberhahn-baseline.json", "--format", "sarif",
                               cwd=app).stdout)
    assert len(sarif["runs"][0]["results"]) == 1


def test_a_baseline_written_at_the_root_applies_in_a_subdirectory(tmp_path: Path) -> None:
    app = copy_example_app(tmp_path / "app")
    assert run_cli("baseline", "--no-cache", cwd=app).exit_code == 0
    result = run_cli("check", "--no-cache", "--baseline", "../.oberhahn-baseline.json", ".", cwd=app / "helpdesk")
    assert result.exit_code == 0, result.stdout


def test_a_broken_baseline_is_a_usage_error(tmp_path: Path) -> None:
    app = copy_example_app(tmp_path / "app")
    (app / "old.json").write_text("{not json", encoding="utf-8")
    broken = run_cli("check", "--baseline", "old.json", cwd=app)
    assert broken.exit_code == 2 and "old.json:1:2: not a baseline file" in broken.stderr and "Traceback" not in broken.stderr
    missing = run_cli("check", "--baseline", cwd=app)
    assert missing.exit_code == 2 and "oberhahn-policy baseline" in missing.stderr


def test_findings_at_comments_keep_their_fingerprint_when_lines_move(tmp_path: Path) -> None:
    stale = SERVICE.replace("def again(", "# oberhahn: ignore[OBH203]: old\n# oberhahn: ignore[OBH201]: old\ndef again(")
    before = _fingerprints(tmp_path / "before", stale)
    after = _fingerprints(tmp_path / "after", "import logging\n\n" + stale)
    unused = {k: v for k, v in before.items() if k[0] == "OBH002"}
    assert len(unused) == 2 and len({v[0] for v in unused.values()}) == 2
    assert {k: v for k, v in after.items() if k[0] == "OBH002"} == unused
