"""Suppression comments: where they apply, several codes at once, required reasons, and OBH002 for stale ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import check_project, run_cli, write_project

from oberhahn_policy.rules import EXAMPLE_POLICY

CALL = '''\
from openai import OpenAI

client = OpenAI()


def triage(ticket: str) -> str:
{above}    response = client.chat.completions.create({first}
        model={model},
        messages=[{{"role": "user", "content": ticket}}],
        max_completion_tokens=200,
    )
    return response.choices[0].message.content or ""
'''


def _codes(tmp_path: Path, source: str, policy: str = EXAMPLE_POLICY, **options: object) -> tuple[list[str], list[str]]:
    root = write_project(tmp_path / "project", {"app/triage.py": source}, policy)
    report = check_project(root, **options)
    return sorted(f.code for f in report.findings), sorted(f.code for f in report.suppressed)


@pytest.mark.parametrize(("above", "first"), [
    ("    # oberhahn: ignore[OBH101]: batch job, attributed by the scheduler\n", ""),
    ("", "  # oberhahn: ignore[OBH101]: batch job, attributed by the scheduler"),
    ("", "  # oberhahn: ignore[OBH101] batch job"),
])
def test_a_suppression_on_the_first_line_or_the_line_above(tmp_path: Path, above: str, first: str) -> None:
    active, suppressed = _codes(tmp_path, CALL.format(above=above, first=first, model='"gpt-6-luna"'))
    assert (active, suppressed) == ([], ["OBH101"])


def test_a_suppression_two_lines_above_does_not_apply(tmp_path: Path) -> None:
    above = "    # oberhahn: ignore[OBH101]: too far away\n    ticket = ticket.strip()\n"
    active, suppressed = _codes(tmp_path, CALL.format(above=above, first="", model='"gpt-6-luna"'))
    assert active == ["OBH002", "OBH101"] and suppressed == []


def test_several_codes_at_once(tmp_path: Path) -> None:
    first = "  # oberhahn: ignore[OBH101, OBH202]: model chosen by the caller, attributed upstream"
    active, suppressed = _codes(tmp_path, CALL.format(above="", first=first, model="ticket_model()"))
    assert (active, suppressed) == ([], ["OBH101", "OBH202"])


def test_a_code_that_suppresses_nothing_is_reported(tmp_path: Path) -> None:
    first = "  # oberhahn: ignore[OBH101, OBH203]: legacy"
    root = write_project(tmp_path / "project", {"app/triage.py": CALL.format(above="", first=first, model='"gpt-6-luna"')},
                         EXAMPLE_POLICY)
    report = check_project(root)
    assert [(f.code, f.line, f.column) for f in report.findings] == [("OBH002", 7, 1)]
    assert "OBH203 suppresses nothing" in report.findings[0].message
    assert [f.code for f in report.suppressed] == ["OBH101"]


def test_a_suppression_for_a_rule_that_did_not_run_is_not_reported(tmp_path: Path) -> None:
    first = "  # oberhahn: ignore[OBH101, OBH203]: legacy"
    active, _ = _codes(tmp_path, CALL.format(above="", first=first, model='"gpt-6-luna"'), select=("OBH1", "OBH002"))
    assert active == []


def test_a_required_reason_makes_a_bare_suppression_ineffective(tmp_path: Path) -> None:
    policy = EXAMPLE_POLICY + "suppressions:\n  require_reason: true\n"
    bare = CALL.format(above="", first="  # oberhahn: ignore[OBH101]", model='"gpt-6-luna"')
    active, suppressed = _codes(tmp_path, bare, policy)
    assert (active, suppressed) == (["OBH002", "OBH101"], [])
    reasoned = CALL.format(above="", first="  # oberhahn: ignore[OBH101]: attributed by the gateway", model='"gpt-6-luna"')
    active, suppressed = _codes(tmp_path / "again", reasoned, policy)
    assert (active, suppressed) == ([], ["OBH101"])


def test_obh002_can_be_switched_off_in_the_policy(tmp_path: Path) -> None:
    policy = EXAMPLE_POLICY + "rules:\n  unused-suppression:\n    enabled: false\n"
    source = CALL.format(above="    # oberhahn: ignore[OBH201]: stale\n", first="", model='"gpt-6-luna"')
    active, _ = _codes(tmp_path, source, policy)
    assert active == ["OBH101"]


def test_show_suppressed_lists_them_with_their_reason(tmp_path: Path) -> None:
    source = CALL.format(above="    # oberhahn: ignore[OBH101]: batch job, attributed by the scheduler\n", first="",
                         model='"gpt-6-luna"')
    root = write_project(tmp_path / "project", {"app/triage.py": source}, EXAMPLE_POLICY)
    hidden = run_cli("check", "--no-cache", cwd=root)
    assert hidden.exit_code == 0 and "OBH101" not in hidden.stdout and "1 suppressed" in hidden.stdout
    shown = run_cli("check", "--no-cache", "--show-suppressed", cwd=root)
    assert shown.exit_code == 0
    assert "app/triage.py:8:16: OBH101 missing attribution" in shown.stdout
    assert "[suppressed: batch job, attributed by the scheduler]" in shown.stdout


def test_directive_text_inside_a_string_is_no_suppression(tmp_path: Path) -> None:
    source = CALL.format(above="", first="", model='"gpt-6-luna"') + (
        '\n\nHELP = """Suppress with\n# oberhahn: ignore[OBH101]: reason\non the line above the call."""\n'
        'EXAMPLE = "x = 1  # oberhahn: ignore[OBH201]: not a comment"\n'
        '#: a comment that quotes the syntax, `# oberhahn: ignore[OBH101]: why`, is no directive either\n')
    active, suppressed = _codes(tmp_path, source)
    assert (active, suppressed) == (["OBH101"], [])


def test_naming_obh002_keeps_a_suppression_that_is_not_needed_today(tmp_path: Path) -> None:
    first = "  # oberhahn: ignore[OBH201, OBH002]: the model is swapped in by the nightly experiment"
    active, suppressed = _codes(tmp_path, CALL.format(above="", first=first, model='"gpt-6-luna"'))
    assert (active, suppressed) == (["OBH101"], [])
