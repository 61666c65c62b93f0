"""One file: from its bytes to its `FileExtraction` (call sites, constants, exported clients, comments)."""

from __future__ import annotations

import ast

import libcst as cst

from ..callsite import ExtractedCallSite, FileExtraction, ParseProblem
from ._bindings import ModuleReader
from ._candidates import CodeReading, file_comments, is_candidate, not_named, python_compiled, read_code, unparsed
from ._constants import exported_clients, module_constants
from ._context import CallContext, module_calls
from ._coverage import located, unfollowed
from ._guard import check_parseable
from ._inputs import MAX_FILE_BYTES, ExtractionInputs, QueriedClients
from ._model import ModuleModel
from ._parse import parse_module
from ._positions import NodePositions
from ._sites import SitePlace, call_sites


def extract_source(path: str, source: bytes, module_name: str, inputs: ExtractionInputs,
                   *, force_parse: bool = False, candidate: bool | None = None,
                   unchecked_nodes: bool = False) -> FileExtraction:
    """Every call site in one file; a file that can't be parsed yields a ParseProblem, never an exception.

    `candidate` is the pre-filter's verdict when the caller has it already (it is computed here otherwise).
    `unchecked_nodes`: parse code Python compiles without libcst's node checks (`_parse`), which only a process
    where nothing else builds nodes meanwhile may do (a worker).
    """
    if len(source) > MAX_FILE_BYTES or (
            not force_parse and not (is_candidate(source, inputs, module_name) if candidate is None else candidate)):
        return unparsed(path, source)
    # Python's compiler first: it is safe on any input, and a file whose code names no call is never parsed, so
    # the guard needn't read it
    reading = CodeReading(parse=True) if force_parse else read_code(source, path, inputs, module_name)
    if not reading.parse:
        return not_named(path, source)
    comments = file_comments(source)
    guarded = check_parseable(source, max_bytes=MAX_FILE_BYTES)
    if guarded is not None:  # what would crash or stall the native parser, or an encoding it can't read
        problem = ParseProblem(path, guarded.line, guarded.column, guarded.message)
        return FileExtraction(path=path, problem=problem, **comments)  # type: ignore[arg-type]
    compiles = reading.compiles
    if unchecked_nodes and compiles is None:
        compiles = python_compiled(source, path) is not None
    try:
        module = parse_module(source, checked=not (unchecked_nodes and compiles))
    except (cst.ParserSyntaxError, cst.CSTValidationError) as exc:
        # CSTValidationError: a tree libcst parsed but refuses to build (`'a' b'b'`, str and bytes adjacent)
        return FileExtraction(path=path, problem=_syntax_problem(path, source, exc), **comments)  # type: ignore[arg-type]
    except (UnicodeDecodeError, LookupError, ValueError) as exc:
        message = f"cannot decode the file: {exc}; save it as UTF-8 or declare its encoding"
        return FileExtraction(path=path, problem=ParseProblem(path, 1, 1, message), **comments)  # type: ignore[arg-type]
    reader = ModuleReader(module, module_name, is_package=path.rsplit("/", 1)[-1] == "__init__.py")
    # the readers refer to each other: unlinked when the file is done, its tree is freed at once by reference
    # counting, not later by the garbage collector (which would walk every node of it once more)
    try:
        clients = QueriedClients(inputs.project_clients)
        model = ModuleModel(reader.read(), inputs.surface, clients)
        try:
            return _extracted(path, source, module, reader, model, clients, inputs, comments)
        finally:
            model.release()
    finally:
        reader.release()


def _extracted(path: str, source: bytes, module: cst.Module, reader: ModuleReader, model: ModuleModel,
               clients: QueriedClients, inputs: ExtractionInputs, comments: dict[str, object]) -> FileExtraction:
    """What a parsed module reports, from its reader and model."""
    unseen = unfollowed(model, source, inputs.surface.roots())
    # positions cost a code generation of the module: computed once, only for modules that report something
    positions = NodePositions(module, also=frozenset(type(use.node) for use in unseen))
    found = list(call_sites(model, inputs, SitePlace(path, module, positions, source)))
    sites: tuple[ExtractedCallSite, ...] = ()
    if found:
        context = CallContext(reader, model, positions)
        sites = tuple(sorted((context.annotate(site, node) for node, site in found), key=lambda s: (s.line, s.column)))
    return FileExtraction(
        path=path,
        call_sites=sites,
        constants=tuple(module_constants(reader, model)),
        exports=tuple(exported_clients(path, reader, model, positions)),
        module_calls=module_calls(reader, model),
        imports=tuple(sorted(set(reader.imports))),
        unfollowed=located(unseen, {id(node) for node, _ in found}, positions),
        client_names=tuple(sorted(clients.asked)),
        **comments,  # type: ignore[arg-type]
    )


def _syntax_problem(path: str, source: bytes, error: cst.ParserSyntaxError | cst.CSTValidationError) -> ParseProblem:
    """Python's own compiler locates and words syntax errors better than libcst; ask it (it runs nothing)."""
    if isinstance(error, cst.ParserSyntaxError):
        line, column, detail = error.raw_line, error.raw_column + 1, error.message
    else:
        line, column, detail = 1, 1, str(error)
    try:
        compile(source, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        line, column, detail = exc.lineno or line, exc.offset or column, exc.msg
    except (ValueError, UnicodeDecodeError):
        pass
    return ParseProblem(path, line, column,
                        f"syntax error: {detail}; the file was skipped, fix the syntax so its calls can be checked")
