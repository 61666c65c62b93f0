"""Which files extraction parses, decided from their bytes alone, and what an unparsed file yields.

Kept apart from the parser's modules (and libcst): a run whose files are all known from the index, or
that parses nothing, never imports them.
"""

from __future__ import annotations

import re

from ..callsite import FileExtraction, ParseProblem
from ._bytescan import byte_scan
from ._comments import file_attribution, suppressions
from ._inputs import MAX_FILE_BYTES, ExtractionInputs

#: Tracing and observability packages whose import makes a file worth parsing for instrumentors,
#: even when it imports no LLM SDK (an entry module that calls `openlit.init()` and starts the app).
TRACING_ROOTS = (
    "agentops", "arize", "braintrust", "ddtrace", "langfuse", "langsmith", "lmnr", "logfire", "mlflow",
    "openinference", "openlit", "opentelemetry", "opik", "phoenix", "traceloop", "weave",
)
_TRACING_IMPORT = byte_scan(
    rb"^[ \t]*(?:from[ \t]+(?:" + b"|".join(r.encode() for r in TRACING_ROOTS) + rb")\b|import[ \t]+[^\n#]*\b(?:"
    + b"|".join(r.encode() for r in TRACING_ROOTS) + rb")\b)")
_LAZY: dict[frozenset[str], re.Pattern[bytes]] = {}


def is_candidate(source: bytes, inputs: ExtractionInputs, module: str = "") -> bool:
    """Whether extraction parses a file: it may hold a call site, start process-wide instrumentation, or use an SDK
    in a way recognition can't follow (OBH003): beside an SDK import, `getattr` (a lazy `__getattr__` proxy, an
    attribute by computed name) in place of a call name, or an SDK imported by `import_module`."""
    if len(source) > MAX_FILE_BYTES:
        return False
    prefilter = inputs.prefilter
    roots = prefilter.imported_roots(source, module)
    if roots and (prefilter.names_a_call(source, roots) or b"getattr" in source):
        return True
    return may_instrument(source) or may_import_lazily(source, inputs.surface.roots())


def may_instrument(source: bytes) -> bool:
    """A byte scan: the file imports a tracing package, so it may start process-wide instrumentation."""
    return bool(_TRACING_IMPORT.search(source.removeprefix(b"\xef\xbb\xbf")))


def may_import_lazily(source: bytes, roots: frozenset[str]) -> bool:
    """A byte scan: `import_module("litellm")` or `__import__("openai")` of an SDK, which no import line shows."""
    if b"import_module" not in source and b"__import__" not in source:
        return False
    pattern = _LAZY.get(roots)
    if pattern is None:
        alternatives = b"|".join(re.escape(r.encode()) for r in sorted(roots))
        pattern = _LAZY.setdefault(roots, re.compile(rb"(?:import_module|__import__)\(\s*[\"'](?:" + alternatives + rb")\b"))
    return bool(pattern.search(source))


def unparsed(path: str, source: bytes) -> FileExtraction:
    """What a file yields without being parsed: its `# oberhahn:` comments, or that it is too large to read."""
    comments = file_comments(source)
    if len(source) > MAX_FILE_BYTES:
        problem = ParseProblem(path, 1, 1, f"file is {len(source) // 1000} kB, above the {MAX_FILE_BYTES // 1_000_000} MB limit; it was skipped")
        return FileExtraction(path=path, problem=problem, **comments)  # type: ignore[arg-type]
    return FileExtraction(path=path, parsed=False, **comments)  # type: ignore[arg-type]


def file_comments(source: bytes) -> dict[str, object]:
    """The file's `# oberhahn:` comments (decoded only when the bytes hold one: UTF-8 keeps ASCII as it is)."""
    if b"oberhahn:" not in source:
        return {"file_attribution": (), "suppressions": ()}
    text = source.decode("utf-8", errors="replace")
    return {"file_attribution": file_attribution(text), "suppressions": suppressions(text)}
