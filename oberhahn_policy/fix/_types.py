"""What `fix` plans and does: edits per finding, the findings it leaves alone and why, and what writing did."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..findings import Finding

#: The rules whose findings `fix` repairs; OBH201 only with `--unsafe-fixes`.
SAFE_CODES: tuple[str, ...] = ("OBH101", "OBH301", "OBH302")
UNSAFE_CODES: tuple[str, ...] = ("OBH201",)


@dataclass(frozen=True, slots=True)
class Replacement:
    """A span of a file as it was read and the text that replaces it (SARIF 2.1.0 §3.57); an empty span inserts."""

    #: 1-based line and column (unicode code points) of the first replaced character.
    line: int
    column: int
    #: 1-based line and column just after the last replaced character (equal to the start for an insertion).
    end_line: int
    end_column: int
    #: Offsets into the file's text (code points), end exclusive.
    start: int
    end: int
    #: The text put in the span's place.
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """The edit that repairs one finding, applicable on its own to the file as it was read."""

    finding: Finding
    #: What the edit does, in words (`add max_completion_tokens=512`).
    description: str
    replacements: tuple[Replacement, ...]
    #: True for edits that change what the program does beyond the finding's property (OBH201's model swap).
    unsafe: bool = False


@dataclass(frozen=True, slots=True)
class Unfixed:
    """A finding of a fixable rule that `fix` leaves alone, and why."""

    finding: Finding
    reason: str
    #: True when the finding is fixable, but only with `--unsafe-fixes`.
    needs_unsafe: bool = False


@dataclass(frozen=True, slots=True)
class FileFix:
    """One file's planned edits: its bytes as read, and its bytes with every fix applied."""

    #: POSIX path relative to the project root.
    path: str
    file: Path
    original: bytes
    fixed: bytes
    #: The file's text as read and as fixed (decoded with the file's own encoding), for diffs.
    original_text: str
    fixed_text: str
    fixes: tuple[Fix, ...]


@dataclass(frozen=True, slots=True)
class FixPlan:
    """Every edit `fix` would make, and the fixable rules' findings it leaves alone with why."""

    #: The project root every path is relative to.
    root: Path
    files: tuple[FileFix, ...] = ()
    unfixed: tuple[Unfixed, ...] = ()

    @property
    def fixes(self) -> tuple[Fix, ...]:
        return tuple(fix for file in self.files for fix in file.fixes)


WriteStatus = Literal["written", "changed", "read-only", "failed"]


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    """What writing one file's fixes did."""

    path: str
    status: WriteStatus
    #: The fixes the file received (all of its planned ones when written, none otherwise).
    fixes: int
    #: Why the file was left alone, in words (empty when written).
    message: str = ""
