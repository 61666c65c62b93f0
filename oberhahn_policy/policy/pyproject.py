"""The `[tool.oberhahn-policy]` section of pyproject.toml: read strictly (a broken file is an error, not an absence)."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from ..repository import repository_root
from ..safeio import UnsafeFileError, is_inside, read_text_file
from .document import PolicyError, PolicyLoadError, relabel

#: pyproject.toml files are small; a larger one is a mistake or an attack, and is not read.
MAX_PYPROJECT_BYTES = 4_000_000
PYPROJECT_SECTION = "tool.oberhahn-policy"


class PyprojectError(PolicyLoadError):
    """A pyproject.toml that can't be read or used; one error, printed as `FILE:LINE:COL: problem`."""

    def __init__(self, file: str, line: int, column: int, message: str) -> None:
        super().__init__([PolicyError(file, line, column, "", message)])


def key_position(text: str, key: str, section: str = PYPROJECT_SECTION) -> tuple[int, int]:
    """Where `key` is written inside `[section]` of a TOML text (TOML parsers keep no positions); 1:1 if not found."""
    inside = section == ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "").strip("[]").replace('"', "") == section
            continue
        if inside and stripped.split("=", 1)[0].strip().strip('"').replace("_", "-") == key:
            return number, line.index(stripped[0]) + 1
    return 1, 1


def read_pyproject(pyproject: Path) -> tuple[str, dict[str, Any]]:
    """The text and the parsed contents of a pyproject.toml; PyprojectError when it can't be used.

    A pyproject.toml that doesn't parse is an error, not an absence: it may hold the settings
    (`fail-on`, `exclude`, `policy`, `baseline`) that make the gate strict, and skipping them
    silently would turn a failing check into a passing one.
    """
    label = relabel(pyproject)
    try:
        text = read_text_file(pyproject, limit=MAX_PYPROJECT_BYTES, label=label, what="pyproject.toml")
    except UnsafeFileError as exc:
        raise PyprojectError(label, exc.line or 1, exc.column or 1, exc.problem) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
        detail = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(exc))
        raise PyprojectError(label, line, column, f"invalid TOML: {detail}; fix pyproject.toml (its "
                                                  f"[{PYPROJECT_SECTION}] settings can't be read while it is broken)") from None
    except RecursionError:
        raise PyprojectError(label, 1, 1, "nested too deeply to read; fix pyproject.toml") from None
    return text, data


def pyproject_section(pyproject: Path) -> dict[str, Any] | None:
    """The `[tool.oberhahn-policy]` table of a pyproject.toml; None when it has none; PyprojectError when broken."""
    return section_of(pyproject, *read_pyproject(pyproject))


def section_of(pyproject: Path, text: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """The `[tool.oberhahn-policy]` table of an already read pyproject.toml (see `pyproject_section`)."""
    label = relabel(pyproject)
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        line, column = key_position(text, "tool", "")
        raise PyprojectError(label, line, column, "`tool` must be a table of per-tool sections ([tool.NAME]), "
                                                  f"not {type(tool).__name__}; fix pyproject.toml")
    section = tool.get("oberhahn-policy")
    if section is None:
        return None
    if not isinstance(section, dict):
        line, column = key_position(text, "oberhahn-policy", "tool")
        raise PyprojectError(label, line, column, f"[{PYPROJECT_SECTION}] must be a table of settings, "
                                                  f"not {type(section).__name__}")
    return section


def contained_setting(pyproject: Path, text: str, key: str, value: str) -> Path:
    """The path a pyproject setting names, relative to the pyproject; PyprojectError when it leaves the repository."""
    target = pyproject.parent / value
    root = repository_root_of(pyproject)
    if not is_inside(target, root):
        line, column = key_position(text, key)
        raise PyprojectError(relabel(pyproject), line, column,
                             f"[{PYPROJECT_SECTION}] {key}: {value!r} resolves to {os.path.realpath(target)}, outside "
                             f"the repository ({root}); name a file inside it")
    return target


def repository_root_of(path: Path) -> Path:
    """The checkout a file is in (the nearest directory with `.git`), else the file's own directory."""
    return repository_root(path.resolve().parent)
