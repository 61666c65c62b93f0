"""The project as a set of Python modules: module names for files, and constants across modules.

Imports name modules (`app.config`), files have paths; real repositories put the import root
anywhere (`src/`, `services/support/`), so a module is found by the longest dotted suffix of
its path that matches, preferring the file nearest the importer. Constants come from the
extractions of the modules (extraction records them); nothing here reads or parses a file.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Iterable, Mapping

from .callsite import StaticValue, ValueSource

#: How many references (a constant naming another module's constant) are followed before giving up.
_MAX_HOPS = 8


@lru_cache(maxsize=1 << 16)
def module_name(path: str) -> str:
    """The dotted module name of a root-relative POSIX path (`src/app/llm.py` -> `app.llm`); asked several times
    per file by every stage, so remembered."""
    parts = [part for part in path.split("/") if part and part != "."]
    if parts:  # the last part without its suffix, as `PurePosixPath.with_suffix("")` (`.env` and `a.` keep theirs)
        last = parts[-1]
        dot = last.rfind(".")
        if 0 < dot < len(last) - 1:
            parts[-1] = last[:dot]
    if parts and parts[0] in ("src", "lib") and len(parts) > 1:
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1] or ["__init__"]
    return ".".join(p.replace("-", "_") for p in parts)


class ModuleMap:
    """Which file of the project defines which module, by every dotted suffix of its module name."""

    def __init__(self, paths: Iterable[str]) -> None:
        self._by_suffix: dict[str, list[str]] = {}
        for path in paths:
            parts = module_name(path).split(".")
            for start in range(len(parts)):
                self._by_suffix.setdefault(".".join(parts[start:]), []).append(path)

    def find(self, dotted: str, near: str | None = None) -> str | None:
        """The file that defines module `dotted`, preferring the one nearest `near`."""
        candidates = self._by_suffix.get(dotted)
        if not candidates:
            return None
        if len(candidates) == 1 or near is None:
            return min(candidates)
        near_parts = PurePosixPath(near).parts

        def shared(candidate: str) -> int:
            count = 0
            for a, b in zip(PurePosixPath(candidate).parts, near_parts):
                if a != b:
                    break
                count += 1
            return count

        return min(candidates, key=lambda c: (-shared(c), c))

    def defining(self, qualified: str, near: str | None = None) -> str | None:
        """The file of the longest module prefix of `qualified` (`app.config.MODEL` -> app/config.py)."""
        parts = qualified.split(".")
        for cut in range(len(parts), 0, -1):
            found = self.find(".".join(parts[:cut]), near)
            if found is not None:
                return found
        return None


class ProjectIndex:
    """Constants across the project's modules, as their extractions recorded them."""

    def __init__(self, modules: ModuleMap, constants: Mapping[str, Mapping[str, StaticValue]]) -> None:
        self.modules = modules
        #: root-relative path -> the module's constants (only modules that were extracted)
        self.constants = constants

    def resolve(self, value: StaticValue, near: str | None = None, hops: int = 0) -> StaticValue:
        """Follow references to constants in other modules (and join pieces); unknown stays unknown.

        Dicts and lists are resolved through: their values, and the pieces they are merged from
        (`{**BASE, "k": v}` with `BASE` from another module), which become one dict once all are known.
        """
        if value.known or hops >= _MAX_HOPS:
            return value
        if value.entries is not None:
            return replace(value, entries=tuple((k, self.resolve(v, near, hops + 1)) for k, v in value.entries))
        if value.items is not None:
            return replace(value, items=tuple(self.resolve(item, near, hops + 1) for item in value.items))
        if value.merged:
            return StaticValue.composed(value.expression, [self.resolve(p, near, hops + 1) for p in value.merged])
        if value.parts:
            resolved = [self.resolve(part, near, hops + 1) for part in value.parts]
            if all(p.known and isinstance(p.value, str) for p in resolved):
                source: ValueSource = next((p.source for p in resolved if p.source != "code"), "code")
                return StaticValue(expression=value.expression, value="".join(str(p.value) for p in resolved), known=True,
                                   source=source)
            return value
        if value.reference is None:
            return value
        found = self._lookup(value.reference, near)
        if found is None:
            return value
        where, constant = found
        current = self.resolve(constant, where, hops + 1)
        if current.shaped:
            return replace(current, expression=value.expression,
                           source=current.source if value.source == "code" else value.source)
        if current.known or current.options:
            # a settings default read from another module is still only a default
            return StaticValue(expression=value.expression, value=current.value, known=current.known,
                               options=current.options, source=current.source if value.source == "code" else value.source)
        return value

    def _lookup(self, qualified: str, near: str | None) -> tuple[str, StaticValue] | None:
        parts = qualified.split(".")
        # the longest module prefix that exists wins: `app.config.settings.model` -> app.config
        for cut in range(len(parts) - 1, 0, -1):
            path = self.modules.find(".".join(parts[:cut]), near)
            if path is None:
                continue
            constant = self.constants.get(path, {}).get(".".join(parts[cut:]))
            if constant is not None:
                return path, constant
        return None
