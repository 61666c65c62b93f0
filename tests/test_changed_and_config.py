"""Changed-files mode and `[tool.oberhahn-policy]` settings, with their precedence."""

from __future__ import annotations

import subprocess
from pathlib import Path

from helpers import copy_example_app, run_cli


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=root, check=True,
                   capture_output=True)


def _repository(tmp_path: Path) -> Path:
    app = copy_example_app(tmp_path / "app")
    (app / ".git").rmdir()
    _git(app, "init", "-q", "-b", "main")
    _git(app, "add", "-A")
    _git(app, "commit", "-q", "-m", "the help desk")
    return app


def test_changed_since_checks_only_changed_files_and_resolves_constants_from_the_rest(tmp_path: Path) -> None:
    app = _repository(tmp_path)
    unchanged = run_cli("check", "--no-cache", "--changed-since", "HEAD", cwd=app)
    assert unchanged.exit_code == 0 and "Checked 0 files" in unchanged.stdout
    # a new module using the unchanged settings module's constant
    (app / "helpdesk" / "triage" / "followup.py").write_text('''\
from openai import OpenAI

from helpdesk.settings import TRIAGE_MODEL

client = OpenAI()


def follow_up(ticket: str) -> str:
    response = client.chat.completions.create(
        model=TRIAGE_MODEL,
        messages=[{"role": "user", "content": "Write a follow-up for: " + ticket}],
        max_completion_tokens=300,
    )
    return response.choices[0].message.content or ""
''', encoding="utf-8")
    result = run_cli("check", "--no-cache", "--changed-since", "HEAD", cwd=app)
    assert result.exit_code == 1
    findings = [line for line in result.stdout.splitlines() if line.startswith("helpdesk/")]
    assert findings == [findings[0]] and findings[0].startswith("helpdesk/triage/followup.py:9:16: OBH101 ")
    assert "OBH202" not in result.stdout  # TRIAGE_MODEL resolved from helpdesk/settings.py
    inventory = run_cli("check", "--no-cache", "--changed-since", "HEAD", "--select", "OBH201", cwd=app)
    assert inventory.exit_code == 0  # gpt-6-luna is approved: the model was resolved


def test_changed_since_an_unknown_reference_is_a_usage_error(tmp_path: Path) -> None:
    app = _repository(tmp_path)
    result = run_cli("check", "--changed-since", "origin/nowhere", cwd=app)
    assert result.exit_code == 2
    assert "--changed-since origin/nowhere: no such commit" in result.stderr and "Traceback" not in result.stderr


def test_changed_since_a_branch_point_ignores_what_the_target_gained_since(tmp_path: Path) -> None:
    app = _repository(tmp_path)
    _git(app, "checkout", "-q", "-b", "feature")
    classify = app / "helpdesk" / "triage" / "classify.py"
    classify.write_text(classify.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    _git(app, "commit", "-q", "-am", "feature work")
    _git(app, "checkout", "-q", "main")
    summarise = app / "helpdesk" / "billing" / "summarise.py"
    summarise.write_text(summarise.read_text(encoding="utf-8") + "\n# main moved on\n", encoding="utf-8")
    _git(app, "commit", "-q", "-am", "work on main")
    _git(app, "checkout", "-q", "feature")
    result = run_cli("check", "--no-cache", "--changed-since", "main", cwd=app)
    assert "Checked 1 file (1 imports an LLM SDK)," in result.stdout
    assert "classify.py" in result.stdout and "summarise.py" not in result.stdout


def test_force_exclude_applies_exclusions_to_named_files(tmp_path: Path) -> None:
    app = copy_example_app(tmp_path / "app")
    policy = app / "oberhahn-policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + "files:\n  exclude: [helpdesk/billing/]\n", encoding="utf-8")
    named = ("helpdesk/billing/summarise.py", "helpdesk/triage/classify.py")
    assert "summarise.py" in run_cli("check", "--no-cache", *named, cwd=app).stdout
    forced = run_cli("check", "--no-cache", "--force-exclude", *named, cwd=app).stdout
    assert "summarise.py" not in forced and "classify.py" in forced and "Checked 1 file (1 imports an LLM SDK)," in forced


PYPROJECT = '''\
[project]
name = "helpdesk"

[tool.oberhahn-policy]
format = "github"
fail-on = "warning"
extend-exclude = ["helpdesk/billing/"]
'''


def test_pyproject_settings_apply_and_the_command_line_wins(tmp_path: Path) -> None:
    app = copy_example_app(tmp_path / "app")
    (app / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    configured = run_cli("check", "--no-cache", cwd=app)
    assert configured.exit_code == 1
    assert "\n::warning file=helpdesk/search/embed.py,line=16,col=1," in "\n" + configured.stdout  # github format
    assert "billing" not in configured.stdout
    overridden = run_cli("check", "--no-cache", "--format", "text", "--exclude", "helpdesk/triage/",
                         "--select", "OBH101", cwd=app)
    assert overridden.stdout.startswith("helpdesk/billing/summarise.py:11:15: OBH101")
    assert "triage" not in overridden.stdout


def test_fail_on_from_pyproject_decides_the_exit_code(tmp_path: Path) -> None:
    app = copy_example_app(tmp_path / "app")
    (app / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    warnings_only = ("--select", "OBH002,OBH202")
    assert run_cli("check", "--no-cache", *warnings_only, cwd=app).exit_code == 1
    assert run_cli("check", "--no-cache", "--fail-on", "error", *warnings_only, cwd=app).exit_code == 0


def test_pyproject_exclude_replaces_the_policy_files_exclude(tmp_path: Path) -> None:
    app = copy_example_app(tmp_path / "app")
    policy = app / "oberhahn-policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + "files:\n  exclude: [helpdesk/search/]\n", encoding="utf-8")
    assert "embed.py" not in run_cli("check", "--no-cache", cwd=app).stdout
    (app / "pyproject.toml").write_text('[tool.oberhahn-policy]\nexclude = ["helpdesk/triage/"]\n', encoding="utf-8")
    result = run_cli("check", "--no-cache", cwd=app).stdout
    assert "embed.py" in result and "classify.py" not in result


def test_gitignored_files_are_not_checked(tmp_path: Path) -> None:
    app = copy_example_app(tmp_path / "app")
    (app / ".gitignore").write_text("helpdesk/billing/\n", encoding="utf-8")
    assert "billing" not in run_cli("check", "--no-cache", cwd=app).stdout
    (app / "pyproject.toml").write_text("[tool.oberhahn-policy]\nrespect-gitignore = false\n", encoding="utf-8")
    assert "billing" in run_cli("check", "--no-cache", cwd=app).stdout


def test_a_misspelt_setting_is_reported_with_its_line(tmp_path: Path) -> None:
    app = copy_example_app(tmp_path / "app")
    (app / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.oberhahn-policy]\nfail-level = "warning"\n',
                                        encoding="utf-8")
    result = run_cli("check", cwd=app)
    assert result.exit_code == 2
    assert "pyproject.toml:5:1: [tool.oberhahn-policy] fail-level: unknown key; did you mean 'fail-on'?" in result.stderr
    (app / "pyproject.toml").write_text('[tool.oberhahn-policy]\nformat = "sarif2"\n', encoding="utf-8")
    result = run_cli("check", cwd=app)
    assert result.exit_code == 2 and "format: 'sarif2' is not one of:" in result.stderr
