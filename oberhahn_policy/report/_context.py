"""What a reporter may need beside the result: presentation switches and where paths are shown from."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ReportContext:
    """The policy's name, presentation switches, and the directories report paths are converted for.

    Results carry paths relative to the project root; people read them relative to the working
    directory (`display`), CI systems relative to the repository root (`repository_path`).
    """

    policy_label: str = "<default policy>"
    color: bool = False
    show_suppressed: bool = False
    #: The project root result paths are relative to.
    root: Path = field(default_factory=Path.cwd)
    #: The working directory people read paths from.
    cwd: Path = field(default_factory=Path.cwd)
    #: The repository root CI systems map paths onto.
    repository: Path | None = None

    def _relative(self, path: str, base: Path) -> str:
        absolute = self.root / path
        try:
            return absolute.relative_to(base).as_posix()
        except ValueError:
            return Path(os.path.relpath(absolute, base)).as_posix()

    def display(self, path: str) -> str:
        """A result path as shown to people: relative to the working directory."""
        return self._relative(path, self.cwd)

    def repository_path(self, path: str) -> str:
        """A result path as the repository names it, for formats that CI systems map onto the checkout."""
        return self._relative(path, self.repository or self.root)
