"""Where a file's LLM SDK objects go where reading can't follow them (OBH003).

A gate that finds no call site must be able to say why not. Three shapes hide calls from a
static reader, and each is seen here in a file that imports an LLM SDK or framework:

- a lazy import: the SDK is imported inside a `__getattr__` (a module or a proxy class that loads
  it on first use) or through `importlib.import_module("litellm")`, so no name in the code is
  bound to it;
- an attribute taken by name: `getattr(client, name)` on an SDK module or client;
- an SDK callable handed to a function the tool doesn't know (`retry(client.chat.completions.create)`),
  which calls it out of sight. Callables handed to the call forwarders of the SDK data
  (`asyncio.to_thread`, `functools.partial`...) are followed, and are not reported.

The byte checks keep the cost at nothing for files without these shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import libcst as cst

from ..callsite import UnfollowedUse
from ._bindings import Assigned, Client, Imported, Parameter, QName, RecordedCall
from ._model import ModuleModel
from ._positions import NodePositions
from ._values import dotted_name, string_literal

_IMPORT_MODULE = frozenset({"importlib.import_module", "importlib.__import__", "__import__"})
#: How much of an expression a message quotes.
_QUOTE = 60


def sdk_roots_imported(imports: tuple[str, ...] | list[str], roots: frozenset[str]) -> tuple[str, ...]:
    """The LLM SDKs and frameworks (their import roots) among a module's imports."""
    return tuple(sorted({name.split(".")[0] for name in imports if name.split(".")[0] in roots}))


@dataclass(frozen=True, slots=True)
class Unfollowed:
    """A place where SDK objects leave what reading follows, before it is located (`located`)."""

    node: cst.CSTNode
    #: "lazy-import", "dynamic-attribute" or "handed-off" (`UnfollowedUse.kind`).
    kind: str
    sdk: str
    code: str
    #: For a callable handed off: the id of the call it is handed to (nothing is reported if that is a call site).
    receiver: int | None = None


def unfollowed(model: ModuleModel, source: bytes, roots: frozenset[str]) -> list[Unfollowed]:
    """The places in one module where SDK objects may leave what reading follows. Found before the call sites, so
    that the kinds of node they are at are located in the same code generation as the call sites."""
    imported = sdk_roots_imported(model.reader.imports, roots)
    found: list[Unfollowed] = []
    if b"__getattr__" in source or b"import_module" in source or b"__import__" in source:
        found.extend(_lazy_imports(model, roots))
    if not imported and not found:
        return []
    if b"getattr" in source:
        found.extend(_dynamic_attributes(model, roots))
    found.extend(_handed_off(model, roots))
    return found


def located(found: list[Unfollowed], sites: set[int], positions: NodePositions) -> tuple[UnfollowedUse, ...]:
    """The unfollowed uses at their positions; `sites` are the ids of the call nodes that are call sites (a callable
    handed to a call that became a site is followed)."""
    uses = []
    for use in found:
        where = positions.get(use.node) if use.receiver not in sites else None
        if where is not None:
            uses.append(UnfollowedUse(where.start.line, where.start.column + 1, use.kind, use.sdk, use.code))  # type: ignore[arg-type]
    return tuple(sorted(set(uses), key=lambda u: (u.line, u.column)))


def _quote(model: ModuleModel, node: cst.CSTNode) -> str:
    code = " ".join(model.code(node).split())
    return code if len(code) <= _QUOTE else code[:_QUOTE - 3] + "..."


def _lazy_imports(model: ModuleModel, roots: frozenset[str]) -> Iterator[Unfollowed]:
    """A `__getattr__` that imports an SDK (once, at its name), and `importlib.import_module("sdk")` elsewhere.

    Only statements outside functions are walked for `__getattr__` (a module's or a class's), and calls come from
    the reader's record: a walk of every node cost more than parsing the module.
    """
    inside_proxies: set[int] = set()
    for proxy in _proxies(model.reader.module):
        body = list(_all_nodes(proxy))
        sdk = next((r for inner in body if (r := _imported_root(inner, roots)) is not None), None)
        if sdk is not None:
            inside_proxies.update(id(inner) for inner in body)
            yield Unfollowed(proxy.name, "lazy-import", sdk, f"`__getattr__` imports {sdk} on first use")
    calls = [(call.node, sdk) for call in model.reader.calls
             if id(call.node) not in inside_proxies and (sdk := _imported_root(call.node, roots)) is not None]
    if calls:
        # `importlib.import_module("cohere")` as a statement only checks that the package is installed
        discarded = {id(node.value) for node in _all_nodes(model.reader.module)
                     if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call)}
        for node, sdk in calls:
            if id(node) not in discarded:
                yield Unfollowed(node, "lazy-import", sdk, _quote(model, node))


def _proxies(module: cst.Module) -> Iterator[cst.FunctionDef]:
    """Every `def __getattr__` of the module or of a class, outside function bodies and expressions."""
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.FunctionDef):
            if node.name.value == "__getattr__":
                yield node
            continue
        stack.extend(child for child in node.children if isinstance(child, (cst.BaseStatement, cst.BaseSuite,
                                                                            cst.BaseCompoundStatement, cst.Module,
                                                                            cst.ExceptHandler, cst.Else, cst.Finally)))




def _imported_root(node: cst.CSTNode, roots: frozenset[str]) -> str | None:
    if isinstance(node, cst.Import):
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is not None and name.split(".")[0] in roots:
                return name.split(".")[0]
    elif isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
        name = dotted_name(node.module)
        if name is not None and name.split(".")[0] in roots:
            return name.split(".")[0]
    elif isinstance(node, cst.Call) and dotted_name(node.func) in _IMPORT_MODULE and node.args:
        module = string_literal(node.args[0].value)
        if isinstance(module, str) and module.split(".")[0] in roots:
            return module.split(".")[0]
    return None


def _all_nodes(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _sdk_of(model: ModuleModel, node: cst.BaseExpression, call: RecordedCall, roots: frozenset[str]) -> str | None:
    """The SDK an expression is an object of (a module, client or callable of it), or None."""
    symbol = model.infer(node, call.scope, call.seq)
    if isinstance(symbol, QName) and symbol.name.split(".")[0] in roots:
        return symbol.name.split(".")[0]
    if isinstance(symbol, Client):
        return symbol.family.name
    return None


def _dynamic_attributes(model: ModuleModel, roots: frozenset[str]) -> Iterator[Unfollowed]:
    """`getattr(sdk_object, name)` with a name that isn't a literal: whatever it returns is out of sight."""
    for call in model.reader.calls:
        func = call.node.func
        if not (isinstance(func, cst.Name) and func.value == "getattr" and model.lookup("getattr", call.scope, call.seq) is None):
            continue
        args = call.node.args
        if len(args) < 2 or args[0].star or args[1].star or isinstance(string_literal(args[1].value), str):
            continue
        sdk = _sdk_of(model, args[0].value, call, roots)
        if sdk is not None:
            yield Unfollowed(call.node, "dynamic-attribute", sdk, _quote(model, call.node))


def _is_sdk_callable(model: ModuleModel, node: cst.BaseExpression, call: RecordedCall) -> str | None:
    """The SDK whose billable function or client method `node` is, or None."""
    symbol = model.infer(node, call.scope, call.seq)
    if isinstance(symbol, QName):
        functions = model.surface.function_index()
        root, _, rest = symbol.name.partition(".")
        if symbol.name in functions or (rest and f"{root}.*.{rest.rsplit('.', 1)[-1]}" in functions):
            return root
        return None
    if isinstance(symbol, Client):
        chain = ".".join(symbol.chain)
        if chain and any(m.chain == chain for m in symbol.family.methods):
            return symbol.family.name
    return None


def _handed_off(model: ModuleModel, roots: frozenset[str]) -> Iterator[Unfollowed]:
    """SDK callables passed to a function that is neither a call forwarder nor (`located` sees to it) a call site.

    Cheapest question first: an argument can be an SDK callable only if it is a name, or an attribute named like
    a billable method or function (`create`, `completion`); inference runs on those alone, and whether the
    receiving function forwards calls is asked only once an SDK callable was found.
    """
    call_names = model.surface.call_names()
    for call in model.reader.calls:
        found: list[tuple[cst.BaseExpression, str]] = []
        for arg in call.node.args:
            value = arg.value
            if arg.star or not ((isinstance(value, cst.Name) and _may_name_a_callable(model, value.value, call))
                                or (isinstance(value, cst.Attribute) and value.attr.value in call_names)):
                continue
            sdk = _is_sdk_callable(model, value, call)
            if sdk is not None:
                found.append((value, sdk))
        if not found or _forwards(model, call):
            continue
        for value, sdk in found:
            yield Unfollowed(value, "handed-off", sdk, f"{_quote(model, value)} passed to {_quote(model, call.node.func)}",
                             receiver=id(call.node))


def _may_name_a_callable(model: ModuleModel, name: str, call: RecordedCall) -> bool:
    """Whether a name passed at `call` can be bound to an SDK callable: by an import, an assignment or a parameter's
    default. A parameter without a default is at most a client (from its annotation or its callers), never one of
    its methods, and a local function or class is the project's own: such names are not worth an inference."""
    return any(isinstance(binding, (Imported, Assigned)) or (isinstance(binding, Parameter) and binding.default is not None)
               for binding in model.names.reaching(name, call.scope, call.seq))


def _forwards(model: ModuleModel, call: RecordedCall) -> bool:
    func = call.node.func
    indirect = model.indirect
    return any(indirect.forwarder(func, call, returns=returns) is not None for returns in (False, True))
