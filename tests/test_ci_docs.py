"""The CI jobs the documentation offers parse as YAML, wire reports to the right places, and their commands run."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml
from helpers import REPO, copy_example_app, run_cli

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_FENCE = re.compile(r"^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _section(text: str, title: re.Pattern[str]) -> str | None:
    """The text under the first heading matching `title`, up to the next heading of the same or higher level."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        match = _HEADING.match(line.rstrip("\n"))
        if match and title.search(match.group(2)):
            level = len(match.group(1))
            body = []
            for following in lines[index + 1:]:
                heading = _HEADING.match(following.rstrip("\n"))
                if heading and len(heading.group(1)) <= level:
                    break
                body.append(following)
            return "".join(body)
    return None


def ci_yaml_blocks() -> list[Any]:
    """The YAML blocks of the CI section of README.md, or of docs/ci.md when the README has none."""
    readme = (REPO / "README.md").read_text(encoding="utf-8") if (REPO / "README.md").is_file() else ""
    section = _section(readme, re.compile(r"\bCI\b|continuous integration", re.IGNORECASE))
    if not section or not _FENCE.search(section):
        section = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in _FENCE.findall(section)]


def _github_job() -> dict[str, Any]:
    workflows = [b for b in ci_yaml_blocks() if isinstance(b, dict) and "jobs" in b]
    assert workflows, "no GitHub Actions workflow in the CI documentation"
    jobs = list(workflows[0]["jobs"].values())
    return next(j for j in jobs if any("oberhahn-policy check" in s.get("run", "") for s in j["steps"]))


def _gitlab_job() -> dict[str, Any]:
    for block in ci_yaml_blocks():
        if isinstance(block, dict) and "jobs" not in block:
            for job in block.values():
                if isinstance(job, dict) and "script" in job:
                    return job
    raise AssertionError("no GitLab CI job in the CI documentation")


def _output_of(command: str, fmt: str) -> str:
    words = shlex.split(command.split("||")[0])
    assert words[words.index("--format") + 1] == fmt
    return words[words.index("--output") + 1]


def test_github_job_uploads_sarif_and_blocks() -> None:
    job = _github_job()
    assert job["permissions"]["security-events"] == "write"
    runs = [s["run"] for s in job["steps"] if "oberhahn-policy check" in s.get("run", "")]
    sarif_command = next(r for r in runs if "--format sarif" in r)
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == _output_of(sarif_command, "sarif")
    assert upload["if"] == "always()"
    assert sarif_command.endswith("|| [ $? -eq 1 ]"), "the report step must not hide a policy error (exit 2)"
    gate = runs[-1]
    assert "||" not in gate and job["steps"][-1]["run"] == gate, "the last step is the blocking gate"


def test_gitlab_job_reports_code_quality_and_blocks() -> None:
    job = _gitlab_job()
    script = [line for line in job["script"] if line.startswith("oberhahn-policy check")]
    reports = job["artifacts"]["reports"]
    assert reports["codequality"] == _output_of(next(s for s in script if "--format gitlab" in s), "gitlab")
    assert reports["junit"] == _output_of(next(s for s in script if "--format junit" in s), "junit")
    assert job["artifacts"]["when"] == "always"
    assert "||" not in script[-1] and job["script"][-1] == script[-1]


def test_the_documented_commands_run_on_the_example_application(tmp_path: Path) -> None:
    app = copy_example_app(tmp_path / "app")
    commands = [s["run"] for s in _github_job()["steps"] if "oberhahn-policy check" in s.get("run", "")]
    commands += [line for line in _gitlab_job()["script"] if line.startswith("oberhahn-policy check")]
    for command in commands:
        words = shlex.split(command.split("||")[0])
        result = run_cli(*words[1:], "--no-cache", cwd=app)
        assert result.exit_code == 1, (command, result.stderr)
        if "--output" in words:
            assert (app / words[words.index("--output") + 1]).stat().st_size > 0
