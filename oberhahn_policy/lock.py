"""`oberhahn.lock`: a hash of each static prompt, per use case and prompt version (for OBH403).

The lock file is JSON, written with sorted keys so that it diffs cleanly in review. A prompt is
identified by the root-relative path of its file, the enclosing function and its position among
that function's prompted calls (`app/triage.py::Triage.classify#0`), so moving code around does
not read as a change; only the prompt's text does. Prompt files are hashed by their content, so
editing `prompts/triage.md` counts too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from .callsite import CallSite
from .safeio import UnsafeFileError, read_text_file

LOCK_FILE = "oberhahn.lock"
LOCK_VERSION = 1
#: The attribution key that carries a prompt's version.
VERSION_KEY = "prompt_version"
#: The use-case bucket for calls whose use case is unknown.
NO_USE_CASE = "(none)"
#: A lock of 100,000 prompts is about 20 MB; a larger file was not written by this tool.
MAX_LOCK_BYTES = 64_000_000


class LockError(Exception):
    """The lock file exists but can't be used; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class LockedPrompt:
    """A static prompt as the lock sees it."""

    use_case: str
    prompt_version: str
    key: str
    sha256: str
    tokens: int
    #: The call site it came from (not written to the file).
    site: CallSite


def prompt_hash(text: str) -> str:
    """Hash of a prompt's text with line endings and trailing blanks normalised (an editor's save is no change)."""
    normal = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip("\n")
    return "sha256:" + hashlib.sha256(normal.encode("utf-8")).hexdigest()


def locked_prompts(call_sites: Iterable[CallSite]) -> list[LockedPrompt]:
    """Every call site with a static prompt and a statically known prompt version."""
    counters: dict[tuple[str, str], int] = {}
    found: list[LockedPrompt] = []
    ordered = sorted(call_sites, key=lambda c: (c.path, c.site.line, c.site.column))
    for site in ordered:
        if site.prompt is None:
            continue
        path = site.path
        function = site.site.function or "<module>"
        index = counters.get((path, function), 0)
        counters[(path, function)] = index + 1
        version = site.attribution_map().get(VERSION_KEY)
        if version is None:
            continue
        found.append(LockedPrompt(site.use_case or NO_USE_CASE, version, f"{path}::{function}#{index}",
                                  prompt_hash(site.prompt.text), site.prompt.tokens, site))
    return found


def build_lock(call_sites: Iterable[CallSite]) -> dict[str, Any]:
    prompts: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for locked in locked_prompts(call_sites):
        prompts.setdefault(locked.use_case, {}).setdefault(locked.prompt_version, {})[locked.key] = {
            "sha256": locked.sha256, "tokens": locked.tokens}
    return {"version": LOCK_VERSION, "prompts": prompts}


def render_lock(lock: Mapping[str, Any]) -> str:
    return json.dumps(lock, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_lock_text(root: Path) -> str | None:
    """The text of the lock file under `root`, or None when there is none; LockError when it can't be read.

    Only a regular UTF-8 file inside `root` of a sane size is read (a committed FIFO or symlink to
    /dev/zero named `oberhahn.lock` must not hang the run).
    """
    try:
        return read_text_file(root / LOCK_FILE, limit=MAX_LOCK_BYTES, root=root, label=LOCK_FILE, what="lock file")
    except UnsafeFileError as exc:
        if exc.reason == "missing":
            return None
        where = f"line {exc.line}, column {exc.column}: " if exc.line is not None else ""
        raise LockError(f"{where}{exc.problem}; run `oberhahn-policy lock` to write it again") from None


def read_lock(root: Path) -> dict[str, Any] | None:
    """The lock file under `root`, or None when there is none; LockError when it is unreadable."""
    text = read_lock_text(root)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise LockError(f"not valid JSON ({exc}); run `oberhahn-policy lock` to write it again") from exc
    except RecursionError:
        raise LockError("not valid JSON (nested too deeply); run `oberhahn-policy lock` to write it again") from None
    if not isinstance(data, dict) or data.get("version") != LOCK_VERSION or not isinstance(data.get("prompts"), dict):
        raise LockError(f"not an oberhahn.lock of version {LOCK_VERSION}; run `oberhahn-policy lock` to write it again")
    return data


def locked_hash(lock: Mapping[str, Any], prompt: LockedPrompt) -> str | None:
    """The hash the lock records for this prompt at this use case and version, or None."""
    entry = lock.get("prompts", {}).get(prompt.use_case, {}).get(prompt.prompt_version, {}).get(prompt.key)
    return entry.get("sha256") if isinstance(entry, dict) else None


def recorded_elsewhere(lock: Mapping[str, Any], prompt: LockedPrompt) -> bool:
    """The prompt's current text is recorded for another call of the same function, use case and version.

    Deleting or reordering calls in a function shifts their positions (`#0`, `#1`); a text that the lock
    already knows under this version has not drifted, it has moved.
    """
    entries = lock.get("prompts", {}).get(prompt.use_case, {}).get(prompt.prompt_version, {})
    function = prompt.key.rsplit("#", 1)[0]
    return any(isinstance(entry, dict) and entry.get("sha256") == prompt.sha256 and key.rsplit("#", 1)[0] == function
               for key, entry in entries.items())
