"""Extraction: from source files to call sites, independent of the policy.

`extract_source` reads one file; `extract_project` is the stage over a run's files (cache,
worker processes, the modules the checked files import). The implementation lives in the
private modules: `_bindings` (the walk), `_model` and its readers (what names and expressions
are), `_sites` (call sites from the SDK surface), `_constants` (what a module offers others),
`_context` (loops, prompts, callers around a call), `_values` (static evaluation).

What parses (and libcst with it) is imported on first use: a run that parses nothing, a warm one,
never loads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._candidates import is_candidate, scanned_imports
from ._inputs import (
    MAX_FILE_BYTES,
    ExtractionInputs,
    WrapperSpec,
    may_contain_call_sites,
)
from ._project import (
    ExtractionSettings,
    ProjectExtraction,
    extract_project,
    project_clients,
)

if TYPE_CHECKING:
    from ._file import extract_source
    from ._positions import NodePositions
    from ._values import dotted_name


def __getattr__(name: str) -> object:
    """`extract_source`, `NodePositions` and `dotted_name`, with the parser, on first use."""
    if name == "extract_source":
        from ._file import extract_source
        return extract_source
    if name == "NodePositions":
        from ._positions import NodePositions
        return NodePositions
    if name == "dotted_name":
        from ._values import dotted_name
        return dotted_name
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MAX_FILE_BYTES",
    "ExtractionInputs",
    "ExtractionSettings",
    "NodePositions",
    "ProjectExtraction",
    "WrapperSpec",
    "dotted_name",
    "extract_project",
    "extract_source",
    "is_candidate",
    "may_contain_call_sites",
    "project_clients",
    "scanned_imports",
]
