"""Extraction: from source files to call sites, independent of the policy.

`extract_source` reads one file; `extract_project` is the stage over a run's files (cache,
worker processes, the modules the checked files import). The implementation lives in the
private modules: `_bindings` (the walk), `_model` and its readers (what names and expressions
are), `_sites` (call sites from the SDK surface), `_constants` (what a module offers others),
`_context` (loops, prompts, callers around a call), `_values` (static evaluation).
"""

from ._file import extract_source, is_candidate
from ._inputs import (
    MAX_FILE_BYTES,
    ExtractionInputs,
    WrapperSpec,
    may_contain_call_sites,
)
from ._positions import NodePositions
from ._project import (
    ExtractionSettings,
    ProjectExtraction,
    extract_project,
    project_clients,
    scanned_imports,
)
from ._values import dotted_name

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
