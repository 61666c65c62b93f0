"""Unified diffs of planned fixes, in the form `git apply` and `patch -p1` take."""

from __future__ import annotations

import difflib
import re

from ._types import FileFix

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> list[str]:
    """Lines with their endings, split where Python's tokenizer splits them (not at form feeds or U+2028)."""
    return _LINE.findall(text)


def unified_diff(planned: FileFix, shown_as: str) -> str:
    """The file's planned change as a unified diff, with `a/` and `b/` prefixes on `shown_as`."""
    out: list[str] = []
    for line in difflib.unified_diff(_lines(planned.original_text), _lines(planned.fixed_text),
                                     fromfile=f"a/{shown_as}", tofile=f"b/{shown_as}"):
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
