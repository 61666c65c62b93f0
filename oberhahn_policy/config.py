"""`[tool.oberhahn-policy]` in pyproject.toml: run settings kept with the repository.

Precedence, highest first: the command line, pyproject.toml, the policy file, the defaults.
`exclude` replaces the exclusions of the layer below it and `extend-exclude` adds to them, so a
repository can either take over or extend what its (possibly shared) policy excludes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Collection

from .policy.load import LoadedPolicy
from .policy.pyproject import (
    PYPROJECT_SECTION,
    PyprojectError,
    contained_setting,
    key_position,
    read_pyproject,
    section_of,
)
from .policy.model import gitignore_pattern_problem
from .repository import directories_up_to_repository
from .wording import did_you_mean

SECTION = PYPROJECT_SECTION
FAIL_LEVELS = ("error", "warning", "info")
_KEYS = ("policy", "format", "fail-on", "exclude", "extend-exclude", "respect-gitignore", "baseline")


class ConfigError(PyprojectError):
    """A setting in pyproject.toml that can't be used; the message is `FILE:LINE:COL: key: problem`."""


@dataclass(frozen=True)
class ProjectConfig:
    """The settings found in pyproject.toml; None where it says nothing."""

    #: The pyproject.toml they came from.
    source: Path | None = None
    policy: Path | None = None
    format: str | None = None
    fail_on: str | None = None
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool | None = None
    baseline: Path | None = None


def _display(path: Path) -> str:
    return Path(os.path.relpath(path, Path.cwd())).as_posix()


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml with a `[tool.oberhahn-policy]` section, up to the repository root.

    A pyproject.toml on the way that can't be parsed is an error (ConfigError), not skipped: its
    settings may be the ones that make the gate strict.
    """
    for candidate in directories_up_to_repository(start):
        pyproject = candidate / "pyproject.toml"
        if os.path.lexists(pyproject) and _section(pyproject) is not None:
            return pyproject
    return None


def _section(pyproject: Path) -> dict[str, object] | None:
    try:
        return section_of(pyproject, *read_pyproject(pyproject))
    except PyprojectError as exc:
        error = exc.errors[0]
        raise ConfigError(error.file, error.line, error.column, error.message) from None


def read_config(start: Path, formats: Collection[str]) -> ProjectConfig:
    """The `[tool.oberhahn-policy]` settings governing `start`, validated."""
    pyproject = find_pyproject(start)
    if pyproject is None:
        return ProjectConfig()
    text, data = read_pyproject(pyproject)
    section = section_of(pyproject, text, data) or {}
    label = _display(pyproject)

    def fail(key: str, message: str) -> ConfigError:
        line, column = key_position(text, key)
        return ConfigError(label, line, column, f"[{SECTION}] {key}: {message}")

    values = {k.replace("_", "-"): v for k, v in section.items()}
    for key in values:
        if key not in _KEYS:
            hint = did_you_mean(key, _KEYS, cutoff=0.5) or f" (known keys: {', '.join(_KEYS)})"
            raise fail(key, f"unknown key{hint}")

    def text_value(key: str, choices: Collection[str] | None = None) -> str | None:
        value = values.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise fail(key, f"expected a string, got {value!r}")
        if choices is not None and value not in choices:
            raise fail(key, f"{value!r} is not one of: {', '.join(sorted(choices))}")
        return value

    def patterns(key: str) -> tuple[str, ...] | None:
        value = values.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, "expected a list of gitignore-style patterns, e.g. [\"migrations/\", \"**/test_*.py\"]")
        for pattern in value:
            problem = gitignore_pattern_problem(pattern)
            if problem is not None:
                raise fail(key, f"{pattern!r}: {problem}")
        return tuple(value)

    def contained(key: str) -> Path | None:
        value = text_value(key)
        if not value:
            return None
        try:
            return contained_setting(pyproject, text, key, value)
        except PyprojectError as exc:
            error = exc.errors[0]
            raise ConfigError(error.file, error.line, error.column, error.message) from None

    respect = values.get("respect-gitignore")
    if respect is not None and not isinstance(respect, bool):
        raise fail("respect-gitignore", f"expected true or false, got {respect!r}")
    return ProjectConfig(
        source=pyproject,
        policy=contained("policy"),
        format=text_value("format", formats),
        fail_on=text_value("fail-on", FAIL_LEVELS),
        exclude=patterns("exclude"),
        extend_exclude=patterns("extend-exclude") or (),
        respect_gitignore=respect,
        baseline=contained("baseline"),
    )


class OptionError(Exception):
    """A command-line value that can't be used; the message names the option and how to fix it."""


def apply_files_settings(loaded: LoadedPolicy, config: ProjectConfig, exclude: tuple[str, ...] = (),
                         extend_exclude: tuple[str, ...] = ()) -> LoadedPolicy:
    """The policy with the file selection that pyproject.toml and the command line ask for."""
    for option, values in (("--exclude", exclude), ("--extend-exclude", extend_exclude)):
        for pattern in values:
            problem = gitignore_pattern_problem(pattern)
            if problem is not None:
                raise OptionError(f"{option} {pattern!r}: {problem}")
    files = loaded.policy.files
    patterns = files.exclude
    if config.exclude is not None:
        patterns = config.exclude
    patterns += config.extend_exclude
    if exclude:
        patterns = exclude
    patterns += extend_exclude
    respect = files.respect_gitignore if config.respect_gitignore is None else config.respect_gitignore
    if patterns == files.exclude and respect == files.respect_gitignore:
        return loaded
    updated = files.model_copy(update={"exclude": patterns, "respect_gitignore": respect})
    return replace(loaded, policy=loaded.policy.model_copy(update={"files": updated}))
