"""Changed-files mode: the files git reports as changed since a reference, for checking new work only."""

from __future__ import annotations

import subprocess
from pathlib import Path


class ChangedFilesError(Exception):
    """git is missing, the directory is no repository, or the reference is unknown."""


def _git(arguments: list[str], cwd: Path) -> str:
    try:
        completed = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True, check=False, timeout=120)
    except FileNotFoundError:
        raise ChangedFilesError("--changed-since needs git, which is not installed") from None
    if completed.returncode != 0:
        detail = completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else f"exit {completed.returncode}"
        raise ChangedFilesError(f"git {' '.join(arguments)} failed: {detail}")
    return completed.stdout


def changed_files(reference: str, cwd: Path) -> frozenset[Path]:
    """Absolute paths of files added, copied, modified or renamed since `reference`, plus untracked ones.

    Working-tree changes count, so the mode works before a commit as well as in CI.
    """
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{reference}^{{commit}}"], cwd)
    except ChangedFilesError:
        raise ChangedFilesError(f"--changed-since {reference}: no such commit, branch or tag here "
                                "(in CI, fetch it first, e.g. `git fetch origin main`, or clone with more depth)") from None
    # against the merge base, like a pull request's diff: what the branch changed, not what the target gained since
    try:
        base = _git(["merge-base", reference, "HEAD"], cwd).strip() or reference
    except ChangedFilesError:
        base = reference  # no common history (a shallow clone): compare with the reference itself
    listed = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMR", base, "--"], cwd)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], top)
    names = [n for n in (*listed.split("\0"), *untracked.split("\0")) if n]
    return frozenset((top / name).resolve() for name in names)
