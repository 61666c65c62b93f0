"""`oberhahn-policy lock` and OBH403: a prompt's text can't change without its version."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import run_cli, write_project

from oberhahn_policy.lock import prompt_hash

POLICY = """\
version: 1
attribution:
  required: [team, use_case]
  optional: [prompt_version]
teams:
  support: {owner: support-eng@example.com}
use_cases:
  ticket-triage: {team: support}
  reply-drafts: {team: support}
"""

TRIAGE = '''\
from pathlib import Path

from openai import OpenAI

client = OpenAI()
PROMPT_VERSION = "v1"
SYSTEM = "You route support tickets. Answer with one queue name."


def triage(ticket: str) -> str:
    response = client.chat.completions.create(
        model="gpt-6-luna",
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": ticket}],
        max_completion_tokens=20,
        metadata={"team": "support", "use_case": "ticket-triage", "prompt_version": PROMPT_VERSION},
    )
    return response.choices[0].message.content or ""
'''

DRAFTS = '''\
from pathlib import Path

import anthropic

claude = anthropic.Anthropic()
DRAFT_PROMPT = (Path(__file__).parent / "prompts" / "draft.md").read_text()


def draft(ticket: str) -> str:
    reply = claude.messages.create(
        model="claude-haiku-5-5",
        max_tokens=400,
        system=DRAFT_PROMPT,
        messages=[{"role": "user", "content": ticket}],
        extra_headers={"X-Oberhahn-Team": "support", "X-Oberhahn-Use-Case": "reply-drafts",
                       "X-Oberhahn-Prompt-Version": "v7"},
    )
    return reply.content[0].text
'''


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "repo", {"app/triage.py": TRIAGE, "app/drafts.py": DRAFTS,
                                             "app/prompts/draft.md": "Draft a friendly reply.\nSign as the support team.\n"},
                         POLICY)
    result = run_cli("lock", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "wrote oberhahn.lock (2 prompts)\n"
    return root


def _check(root: Path) -> tuple[int, list[str]]:
    result = run_cli("check", "--no-cache", "--select", "OBH403", cwd=root)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, [line for line in result.stdout.splitlines() if re.match(r"^\S+:\d+:\d+: OBH403 ", line)]


def test_lock_records_each_prompt_per_use_case_and_version(repo: Path) -> None:
    lock = json.loads((repo / "oberhahn.lock").read_text())
    assert lock["version"] == 1
    assert sorted(lock["prompts"]) == ["reply-drafts", "ticket-triage"]
    triage = lock["prompts"]["ticket-triage"]["v1"]["app/triage.py::triage#0"]
    assert triage["sha256"] == prompt_hash("You route support tickets. Answer with one queue name.")
    assert triage["tokens"] > 0
    assert list(lock["prompts"]["reply-drafts"]["v7"]) == ["app/drafts.py::draft#0"]


def test_lock_is_deterministic(repo: Path) -> None:
    first = (repo / "oberhahn.lock").read_text()
    assert run_cli("lock", cwd=repo).exit_code == 0
    assert (repo / "oberhahn.lock").read_text() == first
    assert run_cli("lock", "--check", cwd=repo).exit_code == 0


def test_lock_from_a_subdirectory_covers_the_whole_project(repo: Path) -> None:
    first = (repo / "oberhahn.lock").read_text()
    result = run_cli("lock", cwd=repo / "app")
    assert result.exit_code == 0 and result.stdout == "wrote ../oberhahn.lock (2 prompts)\n"
    assert (repo / "oberhahn.lock").read_text() == first


def test_unchanged_prompts_pass(repo: Path) -> None:
    assert _check(repo) == (0, [])


def test_editing_a_prompt_without_bumping_its_version_fails_then_bump_and_lock_passes(repo: Path) -> None:
    source = repo / "app" / "triage.py"
    source.write_text(source.read_text().replace("one queue name.", "one queue name, in lowercase."))
    code, lines = _check(repo)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith("app/triage.py:11:16: OBH403")
    assert "prompt_version is still 'v1'" in lines[0]
    assert run_cli("lock", "--check", cwd=repo).exit_code == 1

    source.write_text(source.read_text().replace('PROMPT_VERSION = "v1"', 'PROMPT_VERSION = "v2"'))
    assert _check(repo) == (0, [])  # bumped: no longer drift, even before the lock is rewritten
    assert run_cli("lock", cwd=repo).exit_code == 0
    assert _check(repo) == (0, [])
    lock = json.loads((repo / "oberhahn.lock").read_text())
    assert list(lock["prompts"]["ticket-triage"]) == ["v2"]


def test_editing_a_prompt_file_is_drift_too(repo: Path) -> None:
    prompt = repo / "app" / "prompts" / "draft.md"
    prompt.write_text(prompt.read_text() + "Never promise refunds.\n")
    code, lines = _check(repo)
    assert code == 1 and len(lines) == 1 and lines[0].startswith("app/drafts.py:10:13: OBH403")


def test_moving_code_and_whitespace_only_edits_are_not_drift(repo: Path) -> None:
    source = repo / "app" / "triage.py"
    text = source.read_text().replace("client = OpenAI()\n", "client = OpenAI()\n\n\ndef helper() -> None:\n    pass\n")
    source.write_text(text.replace("\n", "\r\n"))
    assert _check(repo) == (0, [])


def test_without_a_lock_file_the_rule_is_silent(repo: Path) -> None:
    (repo / "oberhahn.lock").unlink()
    source = repo / "app" / "triage.py"
    source.write_text(source.read_text().replace("one queue name.", "a queue."))
    assert _check(repo) == (0, [])


def test_a_broken_lock_file_is_reported(repo: Path) -> None:
    (repo / "oberhahn.lock").write_text("{not json")
    code, lines = _check(repo)
    assert code == 1
    assert lines[0].startswith("oberhahn.lock:1:1: OBH403 oberhahn.lock: not valid JSON")


def test_prompt_file_edits_are_seen_through_the_extraction_cache(repo: Path) -> None:
    """Prompt files are read in the resolve step, so a cached extraction of the module never hides an edit."""
    first = run_cli("check", "--select", "OBH403", cwd=repo)
    assert first.exit_code == 0 and (repo / ".oberhahn-cache").is_dir()
    prompt = repo / "app" / "prompts" / "draft.md"
    prompt.write_text(prompt.read_text() + "Never promise refunds.\n")
    cached = run_cli("check", "--select", "OBH403", cwd=repo)
    assert cached.exit_code == 1 and "app/drafts.py:10:13: OBH403" in cached.stdout
    assert cached.stdout == run_cli("check", "--no-cache", "--select", "OBH403", cwd=repo).stdout


SECOND_CALL = '''\
    second = client.chat.completions.create(
        model="gpt-6-luna",
        messages=[{"role": "system", "content": "Now pick an urgency."}, {"role": "user", "content": ticket}],
        max_completion_tokens=5,
        metadata={"team": "support", "use_case": "ticket-triage", "prompt_version": PROMPT_VERSION},
    )
'''


def test_deleting_one_of_two_prompted_calls_in_a_function_is_not_drift(tmp_path: Path) -> None:
    two = TRIAGE.replace("    return response", SECOND_CALL + "    return response")
    root = write_project(tmp_path / "repo", {"app/triage.py": two}, POLICY)
    assert run_cli("lock", cwd=root).stdout == "wrote oberhahn.lock (2 prompts)\n"
    source = root / "app" / "triage.py"
    text = source.read_text()
    start, end = text.index("    response = client"), text.index("    second = client")
    source.write_text(text[:start] + "    response = second = None\n" + text[end:])
    assert _check(root) == (0, [])
    # editing the remaining prompt is still drift
    source.write_text(source.read_text().replace("Now pick an urgency.", "Now pick an urgency, low or high."))
    assert _check(root)[0] == 1
