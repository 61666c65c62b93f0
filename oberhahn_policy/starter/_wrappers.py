"""Project functions that wrap an SDK call and that callers pass the model to: candidates for `wrappers:` (SPEC §5).

When a project function makes the LLM call with the model taken from its own parameters, the SDK
call site shows only a parameter name, and every caller of the function holds the real model (and
often the output limit, when that is a parameter too). Declaring the function as a wrapper moves the call sites to those callers.
Extraction records the function a call site is in and the model's source text; this module reads
the function's signature and counts its callers with the standard library's `ast` (a parse, never
an import), because `init` runs once and needs nothing more. What it counts is stated as what it
is: calls that name the function through an import of its module, or, for a method, calls of a
method by that name in modules that can see its class.
"""

from __future__ import annotations

import ast
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator, Mapping

from ..callsite import CallSite
from ..project import module_name

#: Fewer callers than this and a wrapper is not worth declaring: the one caller may as well name its model.
MINIMUM_CALLERS = 2

_Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True, slots=True)
class WrapperCandidate:
    """A project function proposed as a `wrappers:` entry."""

    #: Qualified name as `wrappers[].function` takes it (`app.llm.complete`, `app.llm.Client.complete`).
    function: str
    #: Root-relative file and line of its `def`.
    path: str
    line: int
    #: The provider of the SDK calls inside (`other` when they call several), and their operation.
    provider: str
    operation: str
    #: The parameter the model comes from, and the one the output limit comes from (None when not a parameter).
    model: str
    max_output_tokens: str | None
    #: Providers of the SDK calls inside, when they are several.
    providers: tuple[str, ...]
    #: LLM call sites inside the function (each becomes its callers' call sites once declared).
    sdk_calls: int
    #: Calls of the function elsewhere in the project, and the files they are in.
    callers: int
    caller_files: int
    #: True for a method: its callers are calls of a method of that name in modules that can see its class.
    method: bool


@dataclass(frozen=True, slots=True)
class _Definition:
    node: _Function
    #: The class the function is a method of, else None.
    owner: str | None


def _definitions(tree: ast.Module) -> dict[str, _Definition]:
    """Module-level functions and methods of module-level classes, by qualified name (nested ones can't be imported)."""
    found: dict[str, _Definition] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[node.name] = _Definition(node, None)
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found[f"{node.name}.{member.name}"] = _Definition(member, node.name)
    return found


def _parameters(definition: _Definition) -> tuple[str, ...]:
    arguments = definition.node.args
    names = [a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]
    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in definition.node.decorator_list)
    if definition.owner is not None and not static and names:
        names = names[1:]  # self or cls: the caller does not pass it
    return tuple(names)


class _Sources:
    """Project files parsed on demand, each at most once; a file that can't be read or parsed counts as empty."""

    def __init__(self, files: Mapping[str, Path]) -> None:
        self.files = files
        self._text: dict[str, bytes] = {}
        self._trees: dict[str, ast.Module | None] = {}

    def text(self, path: str) -> bytes:
        if path not in self._text:
            try:
                self._text[path] = self.files[path].read_bytes()
            except OSError:
                self._text[path] = b""
        return self._text[path]

    def tree(self, path: str) -> ast.Module | None:
        if path not in self._trees:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # `invalid escape sequence` and the like are the code's business
                    self._trees[path] = ast.parse(self.text(path), filename=path)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self._trees[path] = None
        return self._trees[path]


def _imported_module(node: ast.ImportFrom, importer: str) -> str:
    """The absolute module an `from X import ...` in `importer` names (relative imports resolved from its package)."""
    if not node.level:
        return node.module or ""
    package = module_name(importer).split(".")
    if PurePosixPath(importer).name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
    return ".".join([*base, *([node.module] if node.module else [])])


def _same_module(named: str, module: str) -> bool:
    """Whether an import's module text names `module` (import roots differ: `src.app.llm`, `app.llm`, `llm`)."""
    return bool(named) and (named == module or module.endswith("." + named) or named.endswith("." + module))


def _bindings(tree: ast.Module, importer: str, module: str, name: str) -> tuple[set[str], set[str]]:
    """Local names a file binds to `module.name`, and to `module` itself."""
    functions: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _imported_module(node, importer)
            for alias in node.names:
                if _same_module(source, module) and alias.name == name:
                    functions.add(alias.asname or alias.name)
                elif _same_module(f"{source}.{alias.name}", module):
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and _same_module(alias.name, module):
                    modules.add(alias.asname)
                elif not alias.asname and alias.name == module:
                    modules.add(module)
    return functions, modules


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base is not None else None
    return None


def _calls(tree: ast.AST, skip: ast.AST) -> Iterator[ast.Call]:
    """Every call in `tree` outside `skip` (the wrapper's own body: recursion is not a caller)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if node is skip:
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _count_callers(sources: _Sources, paths: Iterable[str], defined_in: str, definition: _Definition) -> tuple[int, int]:
    """(calls, files) of the function across the project."""
    module = module_name(defined_in)
    name = definition.node.name
    owner = definition.owner
    needle = name.encode()
    calls, files = 0, 0
    for path in paths:
        if needle not in sources.text(path):
            continue
        tree = sources.tree(path)
        if tree is None:
            continue
        here = path == defined_in
        if owner is None:
            functions, modules = _bindings(tree, path, module, name)
            if here:
                functions.add(name)
            found = sum(1 for call in _calls(tree, definition.node)
                        if (isinstance(call.func, ast.Name) and call.func.id in functions)
                        or (isinstance(call.func, ast.Attribute) and call.func.attr == name
                            and _dotted(call.func.value) in modules))
        else:
            classes, modules = _bindings(tree, path, module, owner)
            if not (here or classes or modules):
                continue  # a module that can't see the class calls some other method of that name
            found = sum(1 for call in _calls(tree, definition.node)
                        if isinstance(call.func, ast.Attribute) and call.func.attr == name)
        calls += found
        files += 1 if found else 0
    return calls, files


def find_wrappers(call_sites: Iterable[CallSite], files: Mapping[str, Path],
                  minimum_callers: int = MINIMUM_CALLERS) -> tuple[WrapperCandidate, ...]:
    """Functions of `files` (root-relative path -> file) whose LLM call takes its model from their parameters.

    Only functions with at least `minimum_callers` calls elsewhere are proposed, in path order.
    """
    sources = _Sources(files)
    grouped: dict[tuple[str, str], list[CallSite]] = {}
    for site in call_sites:
        if site.site.function is not None and site.path in files:
            grouped.setdefault((site.path, site.site.function), []).append(site)
    candidates: list[WrapperCandidate] = []
    for (path, function), sites in sorted(grouped.items()):
        tree = sources.tree(path)
        definition = _definitions(tree).get(function) if tree is not None else None
        if definition is None:
            continue
        parameters = set(_parameters(definition))
        model = next((s.model_expression for s in sites if s.model_expression in parameters), None)
        if model is None:
            continue  # a declared wrapper's model can only come from an argument: one written inside would be lost
        limit = next((s.limit_expression for s in sites if s.limit_expression in parameters), None)
        qualified = f"{module_name(path)}.{function}"
        callers, caller_files = _count_callers(sources, sorted(files), path, definition)
        if callers < minimum_callers:
            continue
        providers = tuple(sorted({s.provider for s in sites}))
        operations = Counter(s.site.operation for s in sites)
        candidates.append(WrapperCandidate(
            function=qualified, path=path, line=definition.node.lineno,
            provider=providers[0] if len(providers) == 1 else "other",
            operation=operations.most_common(1)[0][0], model=model, max_output_tokens=limit,
            providers=providers if len(providers) > 1 else (), sdk_calls=len(sites), callers=callers,
            caller_files=caller_files, method=definition.owner is not None,
        ))
    return tuple(candidates)
