"""Helpers shared by the tests: build a project on disk, run the API or the command line on it."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

from click.testing import CliRunner

from oberhahn_policy import api
from oberhahn_policy.cli import main
from oberhahn_policy.findings import CheckResult
from oberhahn_policy.policy import default_policy, load_policy

REPO = Path(__file__).resolve().parent.parent


def write_project(root: Path, files: Mapping[str, str], policy: str | None = None) -> Path:
    """Write `files` (path -> source, dedented) and optionally `oberhahn-policy.yaml` under `root`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / ".git").mkdir(exist_ok=True)  # marks the project root like a real checkout
    for path, source in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(source), encoding="utf-8")
    if policy is not None:
        (root / "oberhahn-policy.yaml").write_text(textwrap.dedent(policy), encoding="utf-8")
    return root


def git(root: Path, *args: str) -> str:
    """Run git in `root` with a fixed identity and dates, so commits are reproducible."""
    environment = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
                   "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
                   "GIT_AUTHOR_DATE": "2026-11-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-11-01T00:00:00Z"}
    completed = subprocess.run(["git", *args], cwd=root, env=environment, capture_output=True, text=True, check=True)
    return completed.stdout


def commit_project(root: Path, files: Mapping[str, str], policy: str | None = None, message: str = "commit") -> str:
    """Write `files` under `root` (a git repository, created if needed), commit everything, return the commit id."""
    root.mkdir(parents=True, exist_ok=True)
    if not (root / ".git" / "HEAD").exists():
        if (root / ".git").is_dir():
            (root / ".git").rmdir()
        git(root, "init", "-q", "-b", "main")
    write_project(root, files, policy)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def check_project(root: Path, **options: object) -> CheckResult:
    """Run `check` on `root` with its policy (or the default), without the cache."""
    policy_file = root / "oberhahn-policy.yaml"
    loaded = load_policy(policy_file) if policy_file.exists() else default_policy()
    options.setdefault("use_cache", False)
    return api.check(["."], loaded, api.CheckOptions(cwd=root, root=root, **options))  # type: ignore[arg-type]


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _working_directory(path: Path | None) -> Iterator[None]:
    previous = Path.cwd()
    if path is not None:
        os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def run_cli(*args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> CliResult:
    """Run the command line in this process (click's runner), in `cwd`, as a user's shell would see it."""
    runner = CliRunner()
    with _working_directory(cwd):
        result = runner.invoke(main, list(args), env={"NO_COLOR": "1", **(env or {})}, catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


def entry_point() -> list[str]:
    """The installed `oberhahn-policy` console script beside this interpreter, else `python -m oberhahn_policy`."""
    script = Path(sys.executable).parent / "oberhahn-policy"
    return [str(script)] if script.exists() else [sys.executable, "-m", "oberhahn_policy"]


def run_entry_point(*args: str, cwd: Path | None = None, command: list[str] | None = None,
                    env: Mapping[str, str] | None = None) -> CliResult:
    """Run the real entry point in a subprocess: for the few smoke tests of the wiring itself."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", **(env or {})}
    completed = subprocess.run([*(command or entry_point()), *args], cwd=cwd, env=environment,
                               capture_output=True, text=True, timeout=300)
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


EXAMPLE_APP = Path(__file__).resolve().parent / "fixtures" / "example_app"


def copy_example_app(target: Path) -> Path:
    """A fresh copy of the example help-desk application (its own checkout root), to run commands in."""
    shutil.copytree(EXAMPLE_APP, target, ignore=shutil.ignore_patterns("__pycache__", ".oberhahn-cache"))
    (target / ".git").mkdir(exist_ok=True)
    return target
