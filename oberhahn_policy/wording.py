"""How messages say things, in one place: counts with their noun, and the near miss a user probably meant."""

from __future__ import annotations

import difflib
from typing import Iterable


def plural(count: int | float, noun: str, plural_form: str | None = None) -> str:
    """`1 file`, `3 files`, `1,200 call sites` (a float count is a volume: `1.5 tasks`)."""
    shown = f"{count:,}" if isinstance(count, int) else f"{count:,g}"
    return f"{shown} {noun if count == 1 else (plural_form or noun + 's')}"


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate `word` is most probably a misspelling of, if any (case, `-` and `_` don't count as differences)."""
    options = list(candidates)
    found = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    if found:
        return found[0]
    normal = word.lower().replace("-", "_")
    return next((c for c in options if c.lower().replace("-", "_") == normal), None)


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """`; did you mean 'x'?` for a near miss, else an empty string (append it to a message)."""
    match = closest(word, candidates, cutoff)
    return f"; did you mean {match!r}?" if match is not None else ""
