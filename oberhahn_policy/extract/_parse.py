"""libcst's parse, without its node checks for code Python compiles.

Every node libcst builds checks itself as it is made (`CSTNode.__post_init__` runs `_validate`: whitespace is
whitespace, a name is an identifier, parentheses pair up...): 11-15% of a parse's time, on nodes the parser made
from source. For code Python's own compiler took, those checks hold (not one failed on the 13,220 files of the
benchmark trees that compile), so they are switched off while such a file is parsed, in a worker process, where
nothing else builds nodes meanwhile. Code Python refuses is parsed with every check, so that what libcst refuses
to build (`'a' b'b'`) is still reported as the syntax error it is.
"""

from __future__ import annotations

from typing import Any, Callable

import libcst as cst

#: libcst's own `__post_init__`, restored after each unchecked parse (None if a libcst version has none to skip).
_CHECKED: Callable[[Any], None] | None = cst.CSTNode.__dict__.get("__post_init__")


def _unchecked(self: Any) -> None:
    """A node's `__post_init__` during an unchecked parse: nothing to check."""


def parse_module(source: bytes, *, checked: bool = True) -> cst.Module:
    """The module's tree; `checked=False` for code Python compiles, in a process where nothing else builds nodes."""
    if checked or _CHECKED is None:
        return cst.parse_module(source)
    setattr(cst.CSTNode, "__post_init__", _unchecked)
    try:
        return cst.parse_module(source)
    finally:
        setattr(cst.CSTNode, "__post_init__", _CHECKED)
