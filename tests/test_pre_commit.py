"""The pre-commit hooks, end to end: pre-commit installs this package from a git copy of the repository
into its own environment (from the package index), and a commit with a violating call is refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO

GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
                "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com"}

POLICY = """\
version: 1
attribution:
  required: [team, use_case]
teams:
  support: {owner: support-eng@example.com}
use_cases:
  ticket-triage:
    team: support
    models:
      approved: ["gpt-6-luna"]
"""

SETTINGS = 'TRIAGE_MODEL = "gpt-6-luna"\n'

TRIAGE = """\
from openai import OpenAI

from desk.settings import TRIAGE_MODEL

client = OpenAI()


def triage(ticket: str) -> str:
    response = client.chat.completions.create(
        model=TRIAGE_MODEL,
        messages=[{{"role": "user", "content": ticket}}],
        max_completion_tokens=20,{metadata}
    )
    return response.choices[0].message.content or ""
"""
METADATA = '\n        metadata={"team": "support", "use_case": "ticket-triage"},'


def _run(arguments: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(arguments, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def _git(cwd: Path, env: dict[str, str], *arguments: str) -> None:
    completed = _run(["git", *arguments], cwd, env)
    assert completed.returncode == 0, completed.stderr


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "PYTHONPATH"))}
    return {**env, **GIT_IDENTITY, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, environment: dict[str, str]) -> Path:
    """This working tree as pre-commit sees a hook repository: committed, with its current files."""
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], REPO, environment)
    if listed.returncode != 0:
        pytest.skip(f"{REPO} is not a git checkout")
    target = tmp_path_factory.mktemp("hook-repo")
    for name in filter(None, listed.stdout.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    _git(target, environment, "init", "-q", "-b", "main")
    _git(target, environment, "add", "-A")
    _git(target, environment, "commit", "-q", "-m", "hook repository under test")
    return target


def _project(root: Path, env: dict[str, str]) -> Path:
    root.mkdir()
    _git(root, env, "init", "-q", "-b", "main")
    (root / "oberhahn-policy.yaml").write_text(POLICY, encoding="utf-8")
    (root / "desk").mkdir()
    (root / "desk" / "__init__.py").write_text("", encoding="utf-8")
    (root / "desk" / "settings.py").write_text(SETTINGS, encoding="utf-8")
    _git(root, env, "add", "-A")
    _git(root, env, "commit", "-q", "-m", "policy and settings")
    return root


def _use_hooks(project: Path, hook_repo: Path, env: dict[str, str], *hook_ids: str) -> None:
    """A `.pre-commit-config.yaml` naming the hook repository at its commit. (Not `try-repo`: it installs a fresh
    environment on every run, where a configured repository's environment is installed once per PRE_COMMIT_HOME.)"""
    revision = _run(["git", "rev-parse", "HEAD"], hook_repo, env).stdout.strip()
    config = {"repos": [{"repo": str(hook_repo), "rev": revision, "hooks": [{"id": h} for h in hook_ids]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")


def test_hook_definitions_are_what_pre_commit_expects() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {h["id"]: h for h in hooks}
    assert by_id["oberhahn-policy"]["entry"] == "oberhahn-policy check --force-exclude"
    assert by_id["oberhahn-policy"]["types"] == ["python"]
    assert by_id["oberhahn-policy-validate"]["entry"] == "oberhahn-policy validate"
    assert by_id["oberhahn-policy-fix"]["entry"] == "oberhahn-policy fix --force-exclude"
    assert by_id["oberhahn-policy-fix"]["types"] == ["python"]
    assert all(h["language"] == "python" for h in hooks)


@pytest.mark.slow
def test_the_hook_refuses_a_violating_change_and_accepts_the_fix(tmp_path: Path, hook_repo: Path,
                                                                 environment: dict[str, str]) -> None:
    project = _project(tmp_path / "desk-service", environment)
    _use_hooks(project, hook_repo, environment, "oberhahn-policy")
    triage = project / "desk" / "triage.py"
    triage.write_text(TRIAGE.format(metadata=""), encoding="utf-8")
    _git(project, environment, "add", "desk/triage.py")
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "oberhahn-policy"]

    refused = _run(pre_commit, project, environment)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "desk/triage.py:9:16: OBH101 missing attribution: team, use_case" in refused.stdout
    assert "OBH202" not in refused.stdout  # TRIAGE_MODEL resolved from the unstaged settings module

    triage.write_text(TRIAGE.format(metadata=METADATA), encoding="utf-8")
    _git(project, environment, "add", "desk/triage.py")
    accepted = _run(pre_commit, project, environment)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Passed" in accepted.stdout


@pytest.mark.slow
def test_installed_hooks_gate_git_commit(tmp_path: Path, hook_repo: Path, environment: dict[str, str]) -> None:
    project = _project(tmp_path / "desk-service", environment)
    _use_hooks(project, hook_repo, environment, "oberhahn-policy", "oberhahn-policy-validate")
    installed = _run([sys.executable, "-m", "pre_commit", "install"], project, environment)
    assert installed.returncode == 0, installed.stderr

    (project / "desk" / "triage.py").write_text(TRIAGE.format(metadata=""), encoding="utf-8")
    _git(project, environment, "add", "-A")
    refused = _run(["git", "commit", "-m", "triage without attribution"], project, environment)
    assert refused.returncode != 0
    assert "OBH101" in refused.stdout + refused.stderr

    (project / "desk" / "triage.py").write_text(TRIAGE.format(metadata=METADATA), encoding="utf-8")
    (project / "oberhahn-policy.yaml").write_text(POLICY.replace("team: support", "team: suport"), encoding="utf-8")
    _git(project, environment, "add", "-A")
    bad_policy = _run(["git", "commit", "-m", "a typo in the policy"], project, environment)
    assert bad_policy.returncode != 0
    assert "team 'suport' is not declared under teams" in bad_policy.stdout + bad_policy.stderr

    (project / "oberhahn-policy.yaml").write_text(POLICY, encoding="utf-8")
    _git(project, environment, "add", "-A")
    accepted = _run(["git", "commit", "-m", "triage with attribution"], project, environment)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


@pytest.mark.slow
def test_the_opt_in_fix_hook_fixes_the_staged_file_and_stops_the_commit(tmp_path: Path, hook_repo: Path,
                                                                         environment: dict[str, str]) -> None:
    project = _project(tmp_path / "desk-service", environment)
    # attribution must be in the code; the path mapping gives the fix its values
    policy = POLICY.replace("attribution:\n", "attribution:\n  carriers: [body, header, client]\n").replace(
        "    team: support\n", "    team: support\n    paths: [\"desk/**\"]\n")
    (project / "oberhahn-policy.yaml").write_text(policy, encoding="utf-8")
    _use_hooks(project, hook_repo, environment, "oberhahn-policy-fix")
    triage = project / "desk" / "triage.py"
    triage.write_text(TRIAGE.format(metadata=""), encoding="utf-8")
    _git(project, environment, "add", "-A")
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "oberhahn-policy-fix"]

    fixed = _run(pre_commit, project, environment)
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "files were modified by this hook" in fixed.stdout
    assert "desk/triage.py:9:16: OBH101 fixed:" in fixed.stdout
    assert METADATA.strip() in triage.read_text(encoding="utf-8")

    _git(project, environment, "add", "desk/triage.py")
    again = _run(pre_commit, project, environment)
    assert again.returncode == 0, again.stdout + again.stderr
