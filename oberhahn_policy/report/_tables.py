"""Tables, in one place: aligned text columns for a terminal, and markdown with one escaping rule."""

from __future__ import annotations

import re
from typing import Sequence


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: frozenset[int] = frozenset()) -> list[str]:
    """Columns padded to their widest cell; the columns in `right` are right-aligned (numbers)."""
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(row) for row in rows)]


def markdown_cell(text: str) -> str:
    """A table cell: pipes and backslashes escaped, line breaks folded (a newline would end the row)."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def markdown_code_cell(text: str) -> str:
    """`text` as a code span inside a table cell: a file name may hold a newline, a `|` or backticks."""
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: frozenset[int] = frozenset()) -> list[str]:
    """A GitHub-flavoured markdown table; the columns in `right` are right-aligned."""
    align = ["---:" if i in right else "---" for i in range(len(headers))]
    return ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |",
            *("| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows)]
