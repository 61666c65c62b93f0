"""What policy loading reports and works on: errors with a FILE:LINE:COL, and documents that remember positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class PolicyError:
    """One problem in a policy file, printed as `FILE:LINE:COL: dotted.path: message`."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}:{self.column}: {where}{self.message}"


class PolicyLoadError(Exception):
    """A policy that can't be used; carries every error found, not just the first."""

    def __init__(self, errors: list[PolicyError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Mark:
    file: str
    line: int
    column: int


@dataclass
class Document:
    """A policy document as plain data plus the position of every value and key."""

    data: Any
    values: dict[YamlPath, Mark] = field(default_factory=dict)
    keys: dict[YamlPath, Mark] = field(default_factory=dict)
    #: Mapping node id -> how many of its pairs came from `<<` merge keys (while composing only).
    merged: dict[int, int] = field(default_factory=dict)


def dotted(path: YamlPath) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")


def relabel(path: Path) -> str:
    """A file as messages name it: relative to the working directory when below it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
