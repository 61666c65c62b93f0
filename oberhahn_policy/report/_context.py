"""What a check reporter may need beside the report."""

from __future__ import annotations

import posixpath


class ReportContext:
    """The policy's name, presentation switches, and where the working directory sits in the repository."""

    def __init__(self, policy_label: str, *, color: bool = False, show_suppressed: bool = False, root: str = ".") -> None:
        self.policy_label = policy_label
        self.color = color
        self.show_suppressed = show_suppressed
        #: The working directory relative to the repository root (reports name files relative to the former).
        self.root = root

    def repository_path(self, path: str) -> str:
        """A report path as the repository names it, for formats that CI systems map onto the checkout."""
        return posixpath.normpath(posixpath.join(self.root, path))
