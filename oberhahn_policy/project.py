"""The project as a set of Python modules: module names for files, and constants across modules.

Imports name modules (`app.config`), files have paths; real repositories put the import root
anywhere (`src/`, `services/support/`), so a module is found by the longest dotted suffix of
its path that matches, preferring the file nearest the importer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from .callsite import StaticValue

_MAX_HOPS = 8


def module_name(path: str) -> str:
    """The dotted module name of a root-relative POSIX path (`src/app/llm.py` -> `app.llm`)."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts and parts[0] in ("src", "lib") and len(parts) > 1:
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1] or ["__init__"]
    return ".".join(p.replace("-", "_") for p in parts)


@dataclass
class ProjectIndex:
    """Which file defines which module, and the constants each module defines (loaded on demand)."""

    root: Path
    files: tuple[str, ...]
    #: Reads a module's constants; the engine supplies it so that reads go through its cache.
    load_constants: Callable[[str], dict[str, StaticValue]]
    _by_suffix: dict[str, list[str]] = field(default_factory=dict, init=False)
    _constants: dict[str, dict[str, StaticValue]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for path in self.files:
            parts = module_name(path).split(".")
            for start in range(len(parts)):
                self._by_suffix.setdefault(".".join(parts[start:]), []).append(path)

    def find_module(self, dotted: str, near: str | None = None) -> str | None:
        """The file that defines module `dotted`, preferring the one nearest `near`."""
        candidates = self._by_suffix.get(dotted)
        if not candidates:
            return None
        if len(candidates) == 1 or near is None:
            return sorted(candidates)[0]
        near_parts = PurePosixPath(near).parts

        def shared(candidate: str) -> int:
            count = 0
            for a, b in zip(PurePosixPath(candidate).parts, near_parts):
                if a != b:
                    break
                count += 1
            return count

        return sorted(candidates, key=lambda c: (-shared(c), c))[0]

    def constants(self, path: str) -> dict[str, StaticValue]:
        if path not in self._constants:
            self._constants[path] = self.load_constants(path)
        return self._constants[path]

    def resolve(self, value: StaticValue, near: str | None = None, hops: int = 0) -> StaticValue:
        """Follow references to constants in other modules (and join pieces); unknown stays unknown."""
        if value.known or hops >= _MAX_HOPS:
            return value
        if value.parts:
            resolved = [self.resolve(part, near, hops + 1) for part in value.parts]
            if all(p.known and isinstance(p.value, str) for p in resolved):
                return StaticValue(expression=value.expression, value="".join(str(p.value) for p in resolved), known=True)
            return value
        if value.reference is None:
            return value
        found = self._lookup(value.reference, near)
        if found is None:
            return value
        where, constant = found
        current = self.resolve(constant, where, hops + 1)
        if current.known:
            return StaticValue(expression=value.expression, value=current.value, known=True)
        return value

    def _lookup(self, qualified: str, near: str | None) -> tuple[str, StaticValue] | None:
        parts = qualified.split(".")
        # the longest module prefix that exists wins: `app.config.settings.model` -> app.config
        for cut in range(len(parts) - 1, 0, -1):
            path = self.find_module(".".join(parts[:cut]), near)
            if path is None:
                continue
            constant = self.constants(path).get(".".join(parts[cut:]))
            if constant is not None:
                return path, constant
        return None
