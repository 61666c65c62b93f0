"""Read one evaluation result file, whichever tool wrote it; a bad file becomes problems, never an exception."""

from __future__ import annotations

import json
from pathlib import Path

from ..catalog import PriceCatalog, load_catalog
from ._inspect import looks_like_inspect, read_inspect_eval, read_inspect_log
from ._promptfoo import FIX as PROMPTFOO_FIX
from ._promptfoo import (
    looks_like_promptfoo,
    read_promptfoo_jsonl,
    read_promptfoo_output,
)
from ._result import EvidenceFile, EvidenceProblem

#: File name endings the readers understand; other files matched by a use case's evidence patterns are skipped.
RESULT_SUFFIXES = (".json", ".jsonl", ".eval")


def read_evidence_file(path: Path, file: str | None = None, catalog: PriceCatalog | None = None) -> EvidenceFile:
    """Results and problems of one promptfoo output (`.json`, `.jsonl`) or Inspect log (`.json`, `.eval`).

    `file` is how results and problems name the file (default: `path` as given).
    """
    name = file if file is not None else path.as_posix()
    prices = catalog if catalog is not None else load_catalog()
    try:
        return _read(path, name, prices)
    except OSError as error:
        return EvidenceFile(name, None, problems=(EvidenceProblem(name, f"cannot be read ({error.strerror or error})"),))
    except Exception as error:  # noqa: BLE001 - one file's surprise must not end the run
        return EvidenceFile(name, None, problems=(EvidenceProblem(
            name, f"internal error while reading it ({type(error).__name__}: {error}); please report this with the file"),))


def _read(path: Path, name: str, catalog: PriceCatalog) -> EvidenceFile:
    suffix = path.suffix.lower()
    if suffix == ".eval":
        return read_inspect_eval(path, name, catalog)
    if suffix not in (".json", ".jsonl"):
        return EvidenceFile(name, None, problems=(EvidenceProblem(
            name, f"not an evaluation result file: expected {', '.join(RESULT_SUFFIXES)}"),))
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return EvidenceFile(name, None, problems=(EvidenceProblem(name, f"not UTF-8 text (byte {error.start}); "
                                                                        "result files are UTF-8 JSON"),))
    if suffix == ".jsonl":
        return read_promptfoo_jsonl(content.splitlines(), name, catalog)
    try:
        document = json.loads(content)
    except json.JSONDecodeError as error:
        return EvidenceFile(name, None, problems=(EvidenceProblem(
            name, f"not valid JSON ({error.msg}); a truncated or hand-edited file? {PROMPTFOO_FIX}, or use the "
                  "Inspect log as written", error.lineno, error.colno),))
    if isinstance(document, dict) and looks_like_inspect(document):
        return read_inspect_log(document, name, catalog)
    if isinstance(document, dict) and looks_like_promptfoo(document):
        return read_promptfoo_output(document, name, catalog)
    return EvidenceFile(name, None, problems=(EvidenceProblem(
        name, "neither a promptfoo output (no results.prompts or results.table) nor an Inspect log (no eval.model); "
              "point quality.evidence at `promptfoo eval --output` files or Inspect logs"),))
