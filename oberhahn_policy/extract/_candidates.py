"""Which files extraction parses, and what a file it does not parse yields.

Two stages: a byte scan of every file (`is_candidate`: an import that can lead to an LLM SDK and a
call name that import brings), then, for the files that pass, Python's own compiler (`read_code`:
the same names among the identifiers of the code, not in its comments and docstrings), which costs a
tenth of building libcst's tree. Kept apart from the parser's modules (and libcst): a run whose files
are all known from the index, or that parses nothing, never imports them.
"""

from __future__ import annotations

import re
import types
import warnings
from dataclasses import dataclass

from ..callsite import FileExtraction, ParseProblem
from ..project import module_name
from ._bytescan import byte_scan
from ._comments import file_attribution, suppressions
from ._inputs import MAX_FILE_BYTES, ExtractionInputs

#: A whole import line, as `scanned_imports` and the search for modules that export clients read them (matched where
#: a line starts: see `import_lines`).
_WHOLE_IMPORT_LINE = re.compile(rb"[ \t]*(?:from|import)[ \t][^\n]*\n?")
_IMPORT_LINE = re.compile(rb"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import\b|import[ \t]+([\w. \t,]+))", re.MULTILINE)
#: String constants that read as code count (an annotation under `from __future__ import annotations`,
#: `"openai.OpenAI | None"`; a name, `"create"`); prose (docstrings: words separated by spaces) names nothing.
_SHORT_STRING = 200
_PROSE = re.compile(r"\w\s+\w")
_WORDS = re.compile(r"\w+")

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
    roots = inputs.prefilter.imported_roots(source, module)
    return bool(roots) and inputs.prefilter.names_a_call(source, roots) or _besides_names(source, inputs, roots)


def _besides_names(source: bytes, inputs: ExtractionInputs, roots: frozenset[str]) -> bool:
    """What makes a file a candidate other than a call name: `getattr` beside an SDK import, a tracing import, an
    SDK imported by `import_module`."""
    return (bool(roots) and b"getattr" in source) or may_instrument(source) or may_import_lazily(source, inputs.surface.roots())


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


@dataclass(frozen=True, slots=True)
class CodeReading:
    """The second stage's verdict on a file the byte scan passed."""

    #: Whether the file goes on to be parsed: its code names a call one of its imports brings, something besides a
    #: name made it a candidate, or Python can't compile it (libcst decides, and words the error).
    parse: bool
    #: Whether Python's compiler took the file; None when the verdict didn't need asking it.
    compiles: bool | None = None


def read_code(source: bytes, path: str, inputs: ExtractionInputs, module: str) -> CodeReading:
    """The second stage, for a file the byte scan passed: whether its code, as Python compiles it, names a call
    one of its imports brings. A name in a comment, a docstring or a long string is not code. Anything that made
    the file a candidate besides a name (`getattr`, a tracing import, a lazy import), or that Python can't compile
    (newer syntax, an error libcst words better), leaves the decision to parsing."""
    prefilter = inputs.prefilter
    roots = prefilter.imported_roots(source, module)
    if not roots or _besides_names(source, inputs, roots):
        return CodeReading(parse=True)
    compiled = python_compiled(source, path)
    if compiled is None:
        return CodeReading(parse=True, compiles=False)
    names: set[str] = set()
    _code_names(compiled, names)
    return CodeReading(parse=any(not names.isdisjoint(prefilter.names_of(root)) for root in roots), compiles=True)


def python_compiled(source: bytes, path: str) -> types.CodeType | None:
    """The file compiled by Python (it runs nothing; its own limits raise errors, so it is safe on any input), or
    None when Python refuses it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # `"\d"` and the like: Python's own warnings, not the user's problem here
            return compile(source, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _code_names(code: types.CodeType, into: set[str]) -> None:
    """Every identifier the code object and those nested in it use (attributes, globals, locals, closures, imports)
    and the names in string constants that read as code (annotations under `from __future__ import annotations`)."""
    pending = [code]  # a stack, not recursion: functions may nest deeper than the recursion limit
    while pending:
        current = pending.pop()
        into.update(current.co_names, current.co_varnames, current.co_cellvars, current.co_freevars)
        for constant in current.co_consts:
            if isinstance(constant, types.CodeType):
                pending.append(constant)
            elif isinstance(constant, str):
                _string_names(constant, into)
            elif isinstance(constant, tuple):  # keyword names of a call, folded tuples of strings
                for item in constant:
                    if isinstance(item, str):
                        _string_names(item, into)


def _string_names(text: str, into: set[str]) -> None:
    if len(text) <= _SHORT_STRING and not _PROSE.search(text):
        into.update(_WORDS.findall(text))


def scanned_imports(source: bytes, path: str) -> tuple[str, ...]:
    """Modules a file imports, from a byte scan of its import lines (for files that are not parsed)."""
    package = package_of(path)
    names: list[str] = []
    for match in _IMPORT_LINE.finditer(source):
        dots, imported, plain = match.group(1), match.group(2), match.group(3)
        if plain is not None:
            names.extend(n.split()[0] for n in plain.decode("ascii", "replace").split(",") if n.strip())
        elif dots:
            base = package[: len(package) - (len(dots) - 1)] if len(dots) > 1 else package
            names.append(".".join([*base, imported.decode("ascii", "replace")] if imported else base))
        else:
            names.append(imported.decode("ascii", "replace"))
    return tuple(n for n in names if n)


def package_of(path: str) -> list[str]:
    """The package a file's relative imports start from: its module's, or the module itself for an `__init__.py`."""
    package = module_name(path).split(".")
    return package if path.rsplit("/", 1)[-1] == "__init__.py" else package[:-1]


def not_named(path: str, source: bytes) -> FileExtraction:
    """What a file whose code names no call yields (`read_code`): its comments, imports and import lines, as
    a file the byte scan skipped (the project stage follows its imports, and looks in them for exported clients)."""
    lines, imports = imports_of(source, path)
    return FileExtraction(path=path, parsed=False, imports=imports, import_lines=lines.decode("latin-1"),
                          **file_comments(source))  # type: ignore[arg-type]


def imports_of(source: bytes, path: str) -> tuple[bytes, tuple[str, ...]]:
    """A file's import lines, and the modules they import (sorted, once each), for a file that is not parsed."""
    lines = import_lines(source)
    return lines, tuple(sorted(set(scanned_imports(lines, path))))


def import_lines(source: bytes) -> bytes:
    """Every line of the file that starts with `from` or `import` (after blanks), newline included, in order.

    Every file a run skips goes through here, so the scan jumps with `bytes.find` to the lines holding either word
    (an import line holds one, a few others do), and asks `_WHOLE_IMPORT_LINE` of those lines only: a multi-line pattern
    is tried at every position of the file, and a findall builds a match object per line it returns.
    """
    find, rfind = source.find, source.rfind
    starts: set[int] = set()
    for word in (b"import", b"from"):
        at = find(word)
        while at >= 0:
            starts.add(rfind(b"\n", 0, at) + 1)
            end = find(b"\n", at)
            at = find(word, end) if end >= 0 else -1
    match = _WHOLE_IMPORT_LINE.match
    return b"".join(found.group() for start in sorted(starts) if (found := match(source, start)) is not None)


def unparsed(path: str, source: bytes, imports: tuple[str, ...] = ()) -> FileExtraction:
    """What a file yields without being parsed: its `# oberhahn:` comments (and `imports`, from its import lines),
    or that it is too large to read."""
    comments = file_comments(source)
    if len(source) > MAX_FILE_BYTES:
        problem = ParseProblem(path, 1, 1, f"file is {len(source) // 1000} kB, above the {MAX_FILE_BYTES // 1_000_000} MB limit; it was skipped")
        return FileExtraction(path=path, problem=problem, imports=imports, **comments)  # type: ignore[arg-type]
    return FileExtraction(path=path, parsed=False, imports=imports, **comments)  # type: ignore[arg-type]


def file_comments(source: bytes) -> dict[str, object]:
    """The file's `# oberhahn:` comments (decoded only when the bytes hold one: UTF-8 keeps ASCII as it is)."""
    if b"oberhahn:" not in source:
        return {"file_attribution": (), "suppressions": ()}
    text = source.decode("utf-8", errors="replace")
    return {"file_attribution": file_attribution(text), "suppressions": suppressions(text)}
