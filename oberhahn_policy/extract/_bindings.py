"""The walk: one pass over a module that records its bindings, imports and calls.

The walk records, in source order, every binding (import, assignment, parameter, `self.x = ...`,
`with ... as x`) and every call, with the scope it happens in and a sequence number. Recognition
runs afterwards over these records (see `_model`), so a client assigned in `__init__` is known in
a method defined above it, and a factory defined below its use is found. Nothing is imported or
executed: receivers are followed through the bindings only.

The walk reads only the fields of a node that hold code (`_syntax`), never whitespace, comments or
punctuation, and dispatches on the node's type itself: libcst's generic visitor, which enters every
layout node and rebuilds each node it leaves, cost about twice the parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Union

import libcst as cst

from ..callsite import ExportedClient, StaticValue
from ..surface import Family
from ._syntax import code_fields
from ._values import dotted_name

#: How deep the recursive readers (inference, evaluation, annotations) may go before giving up.
MAX_DEPTH = 12
#: A sequence number after every other one: "as the scope stands once it has run to the end".
END = 10**9

#: Where a binding or a call sits in its scope's control flow: for each enclosing branching statement
#: (`if`, loop, `try`, `match`), from the outermost, (id of the statement, which branch). Two places whose
#: paths differ only in the branch taken at the same statement never both run (sibling `elif` arms).
Branch = tuple[tuple[int, int], ...]


# --- what the walk records -------------------------------------------------------------------


@dataclass(eq=False)
class Scope:
    """A module, class or function body and the names bound in it."""

    kind: str  # "module" | "class" | "function"
    name: str
    parent: Scope | None
    node: cst.CSTNode | None = None
    #: name -> [(sequence number, bound thing)]
    names: dict[str, list[tuple[int, Binding]]] = field(default_factory=dict)
    #: For classes: attribute -> [(seq, binding)] from `self.attr = ...` in any method.
    attributes: dict[str, list[tuple[int, Binding]]] = field(default_factory=dict)
    #: For functions: the expressions it returns.
    returns: list[cst.BaseExpression] = field(default_factory=list)
    #: For methods: the name of the instance parameter and the class scope.
    self_name: str | None = None
    owner: Scope | None = None
    #: Names a function declares `global`.
    globals: set[str] = field(default_factory=set)

    def qualname(self) -> str | None:
        parts: list[str] = []
        scope: Scope | None = self
        while scope is not None and scope.kind != "module":
            parts.append(scope.name)
            scope = scope.parent
        return ".".join(reversed(parts)) or None

    def bind(self, name: str, seq: int, binding: Binding) -> None:
        self.names.setdefault(name, []).append((seq, binding))


@dataclass(frozen=True, eq=False)
class Imported:
    qualified: str


@dataclass(frozen=True, eq=False)
class Assigned:
    value: cst.BaseExpression
    scope: Scope
    seq: int
    #: `client: OpenAI = field(default_factory=OpenAI)`: the declared type, when the value says less.
    annotation: cst.BaseExpression | None = None


@dataclass(frozen=True, eq=False)
class Parameter:
    annotation: cst.BaseExpression | None
    default: cst.BaseExpression | None
    scope: Scope
    #: For a function's own parameters: the function, the name and the position (None when keyword-only).
    function: Scope | None = None
    name: str = ""
    position: int | None = None


@dataclass(frozen=True, eq=False)
class Opaque:
    """Bound by something we do not follow (a loop target, tuple unpacking)."""


@dataclass(frozen=True, eq=False)
class DefinedFunction:
    scope: Scope


@dataclass(frozen=True, eq=False)
class DefinedClass:
    scope: Scope


Binding = Union[Imported, Assigned, Parameter, Opaque, DefinedFunction, DefinedClass]


@dataclass(frozen=True, eq=False)
class RecordedCall:
    node: cst.Call
    scope: Scope
    seq: int
    context: tuple[cst.CSTNode, ...]  # enclosing decorated functions and with-items, outermost first


# --- what inference returns ------------------------------------------------------------------


@dataclass(frozen=True)
class QName:
    """Something reached through an import: a module, class or function by qualified name."""

    name: str


@dataclass(frozen=True, eq=False)
class Client:
    """An SDK client of a family, reached through a chain of attributes."""

    family: Family
    provider: str
    chain: tuple[str, ...] = ()
    constructor: str = ""
    construction: cst.Call | None = None
    construction_scope: Scope | None = None
    extra_carrier_calls: tuple[tuple[cst.Call, Scope], ...] = ()
    framework: str | None = None
    model_is_deployment: bool = False
    #: Set when the client comes from another module of the project.
    exported: ExportedClient | None = None
    #: The project function or shared object the client came from (`app.llm.make_client`).
    factory: str | None = None
    #: For clients imported from another project module: the endpoint their constructor was given there.
    base_url: StaticValue | None = None
    #: Every provider the client may bill when branches build different clients (`Anthropic()` / `AnthropicBedrock()`).
    providers: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class LocalFunction:
    scope: Scope


Symbol = Union[QName, Client, LocalFunction]


# --- facts about definitions ---------------------------------------------------------------


def built_otherwise(value: cst.BaseExpression) -> bool:
    """A value built by some other call (`MagicMock()`, `create_autospec(...)`), so a client annotation doesn't hold.

    Declarations that only name the type (`field(default_factory=OpenAI)`, `cast(OpenAI, x)`) don't count.
    """
    while isinstance(value, cst.Await):
        value = value.expression
    if not isinstance(value, cst.Call):
        return False
    name = (dotted_name(value.func) or "").rsplit(".", 1)[-1]
    return name not in ("field", "Field", "cast", "Depends", "PrivateAttr")


def is_enum(owner: Scope) -> bool:
    node = owner.node
    return isinstance(node, cst.ClassDef) and any(
        (dotted_name(b.value) or "").rsplit(".", 1)[-1] in ("Enum", "StrEnum", "IntEnum") for b in node.bases)


def is_property(function: Scope) -> bool:
    node = function.node
    return isinstance(node, cst.FunctionDef) and any(
        (dotted_name(d.decorator) or "").rsplit(".", 1)[-1] in ("property", "cached_property") for d in node.decorators)


# --- the walk --------------------------------------------------------------------------------


#: Nodes with no code below them: nothing to record, nothing to enter (strings are never entered; an f-string is).
_LEAVES = frozenset({cst.Name, cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis,
                     cst.FormattedStringText, cst.ImportStar, cst.Pass, cst.Break, cst.Continue, cst.Comment})
#: Field values that are not nodes.
_PLAIN = frozenset({str, bool, type(None), cst.MaybeSentinel})


class ModuleReader:
    """Records bindings and calls of one module in a single pass (`read`)."""

    def __init__(self, module: cst.Module, module_name: str, *, is_package: bool = False) -> None:
        self.module = module
        self.module_name = module_name
        #: An `__init__.py`: relative imports start from the package itself, not its parent.
        self.is_package = is_package
        #: Every imported qualified name (`app.config.MODEL`, `openai`), so the project stage knows which modules to read.
        self.imports: list[str] = []
        self.root = Scope("module", module_name, None, module)
        self.scopes: list[Scope] = [self.root]
        self.calls: list[RecordedCall] = []
        self.context: list[cst.CSTNode] = []
        self.seq = 0
        self._function_scopes: dict[cst.FunctionDef, Scope] = {}
        #: Assignments to attributes of other objects (`openai.api_type = ...`), in source order.
        self.settings: list[tuple[cst.Attribute, Assigned]] = []
        #: The branch of every sequence number recorded inside a branching statement (absent: none).
        self.branch_of: dict[int, Branch] = {}
        self._branch: Branch = ()
        #: Inside `if TYPE_CHECKING:`: nothing there runs, so nothing there is a call site.
        self._type_checking = 0
        #: Every class scope, in source order.
        self.classes: list[Scope] = []
        #: Every scope of the module, so that `release` reaches them all.
        self._every_scope: list[Scope] = [self.root]

    def read(self) -> ModuleReader:
        """Walk the module once; the records are then complete."""
        self._visit(self.module)
        return self

    def release(self) -> None:
        """Unlink the scopes (a scope and its parent, a parameter and its function refer to each other), so that
        the records and the syntax tree they hold are freed by reference counting the moment the file is done.
        Left in cycles, they wait for the garbage collector, which then walks every node of the tree once more:
        about a tenth of the parse's time, in a run that parses thousands of files."""
        for scope in self._every_scope:
            scope.names.clear()
            scope.attributes.clear()
            scope.parent = scope.owner = None
        self._every_scope.clear()

    def _visit(self, node: cst.CSTNode) -> None:
        """The node's handler, then (unless the handler took care of them) the code below it, in source order."""
        handler = _HANDLERS.get(type(node))
        if handler is not None and not handler(self, node):
            return
        for name in code_fields(type(node)):
            value = getattr(node, name)
            kind = type(value)
            if kind is tuple or kind is list:
                for item in value:
                    if type(item) not in _LEAVES:
                        self._visit(item)
            elif kind not in _PLAIN and kind not in _LEAVES:
                self._visit(value)

    # sequence numbers order bindings and uses within a scope; each remembers its branch
    def _next(self) -> int:
        self.seq += 1
        if self._branch:
            self.branch_of[self.seq] = self._branch
        return self.seq

    def _in_branch(self, statement: cst.CSTNode, index: int, body: cst.CSTNode) -> None:
        self._branch = (*self._branch, (id(statement), index))
        try:
            self._visit(body)
        finally:
            self._branch = self._branch[:-1]

    def _fresh_branch(self, body: cst.CSTNode) -> None:
        """A function or class body: its control flow starts anew (it runs when called, not where it is defined)."""
        saved, self._branch = self._branch, ()
        try:
            self._visit(body)
        finally:
            self._branch = saved

    # control flow
    def visit_If(self, node: cst.If) -> bool:
        self._visit(node.test)
        type_checking = dotted_name(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        self._type_checking += type_checking
        self._in_branch(node, 0, node.body)
        self._type_checking -= type_checking
        if node.orelse is not None:
            self._in_branch(node, 1, node.orelse)
        return False

    def visit_While(self, node: cst.While) -> bool:
        self._visit(node.test)
        self._in_branch(node, 0, node.body)
        if node.orelse is not None:
            self._in_branch(node, 1, node.orelse)
        return False

    def visit_Try(self, node: cst.Try) -> bool:
        self._visit(node.body)
        for index, handler in enumerate(node.handlers, start=1):
            self._in_branch(node, index, handler)
        if node.orelse is not None:
            self._in_branch(node, 0, node.orelse)
        if node.finalbody is not None:
            self._visit(node.finalbody)
        return False

    def visit_TryStar(self, node: cst.TryStar) -> bool:
        self._visit(node.body)
        for index, handler in enumerate(node.handlers, start=1):
            self._in_branch(node, index, handler)
        if node.orelse is not None:
            self._in_branch(node, 0, node.orelse)
        if node.finalbody is not None:
            self._visit(node.finalbody)
        return False

    def visit_Match(self, node: cst.Match) -> bool:
        self._visit(node.subject)
        for index, case in enumerate(node.cases):
            self._in_branch(node, index, case)
        return False

    @property
    def scope(self) -> Scope:
        return self.scopes[-1]

    # imports
    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            full = dotted_name(alias.name) or ""
            self.imports.append(full)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.scope.bind(alias.asname.name.value, self._next(), Imported(full))
            else:
                top = full.split(".")[0]
                self.scope.bind(top, self._next(), Imported(top))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        base = dotted_name(node.module) if node.module is not None else ""
        if node.relative:
            base = self._absolute(len(node.relative), base or "")
        if isinstance(node.names, cst.ImportStar):
            self.imports.append(base or "")
            return False
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            qualified = f"{base}.{name}" if base else name
            self.imports.append(qualified)
            self.scope.bind(local, self._next(), Imported(qualified))
        return False

    def _absolute(self, level: int, module: str) -> str:
        package = self.module_name.split(".")
        # a module's package is its parent; a package's __init__ is named for the package itself
        if not self.is_package:
            package = package[:-1]
        if level > 1:
            package = package[: len(package) - (level - 1)] if level - 1 <= len(package) else []
        return ".".join([*package, module] if module else package)

    # scopes
    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        scope = Scope("class", node.name.value, self.scope, node)
        self.classes.append(scope)
        self._every_scope.append(scope)
        self.scope.bind(node.name.value, self._next(), DefinedClass(scope))
        self.scopes.append(scope)
        for decorator in node.decorators:
            self._visit(decorator)
        for base in (*node.bases, *node.keywords):
            self._visit(base)
        self._fresh_branch(node.body)
        self.scopes.pop()
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        parent = self.scope
        scope = Scope("function", node.name.value, parent, node)
        self._every_scope.append(scope)
        parent.bind(node.name.value, self._next(), DefinedFunction(scope))
        for decorator in node.decorators:
            self._visit(decorator)  # decorators are evaluated in the enclosing scope
        params = node.params
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        if isinstance(params.star_arg, cst.Param):
            every.append(params.star_arg)
        if params.star_kwarg is not None:
            every.append(params.star_kwarg)
        positional_count = len(params.posonly_params) + len(params.params)
        for index, param in enumerate(every):
            annotation = param.annotation.annotation if param.annotation is not None else None
            scope.bind(param.name.value, 0, Parameter(annotation, param.default, parent, scope, param.name.value,
                                                      index if index < positional_count else None))
            if param.default is not None:
                self._visit(param.default)
        if parent.kind == "class":
            positional = [*params.posonly_params, *params.params]
            static = any(dotted_name(d.decorator) == "staticmethod" for d in node.decorators)
            if positional and not static:
                scope.self_name = positional[0].name.value
                scope.owner = parent
        elif parent.kind == "function" and parent.owner is not None:
            # a closure inside a method still sees `self`
            scope.self_name, scope.owner = parent.self_name, parent.owner
        self.scopes.append(scope)
        if node.decorators:
            self.context.append(node)
        self._fresh_branch(node.body)
        if node.decorators:
            self.context.pop()
        self.scopes.pop()
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return True

    # bindings
    def _bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression | None,
                     annotation: cst.BaseExpression | None = None) -> None:
        # the value is read as the scope stood before the binding (`c = c.with_options(...)` reads the earlier `c`):
        # a point of its own, in the statement's branch, that the binding's position comes after
        read = self._next()
        seq = self._next()
        if isinstance(target, cst.Name):
            binding: Binding = Assigned(value, self.scope, read, annotation) if value is not None else Opaque()
            # `global client` in a function: the assignment binds the module's name
            scope = self.root if target.value in self.scope.globals else self.scope
            scope.bind(target.value, seq, binding)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            scope = self.scope
            if scope.self_name is not None and target.value.value == scope.self_name and scope.owner is not None:
                binding = Assigned(value, scope, read, annotation) if value is not None else Opaque()
                scope.owner.attributes.setdefault(target.attr.value, []).append((seq, binding))
            elif value is not None:
                # `openai.api_type = "azure"`: module settings that change what later calls do
                self.settings.append((target, Assigned(value, scope, read)))
        elif isinstance(target, cst.Attribute) and value is not None:
            # `app.state.openai = AsyncOpenAI()`: objects stored on attribute paths
            self.settings.append((target, Assigned(value, self.scope, read)))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, None)

    def visit_Assign(self, node: cst.Assign) -> bool:
        self._visit(node.value)
        for target in node.targets:
            self._bind_target(target.target, node.value)
        return False

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        if node.value is not None:
            self._visit(node.value)
        target = node.target
        if node.value is not None:
            self._bind_target(target, node.value, node.annotation.annotation)
        elif isinstance(target, cst.Name) and self.scope.kind == "class":
            # dataclass / pydantic field declared with a client type
            self.scope.bind(target.value, self._next(), Parameter(node.annotation.annotation, None, self.scope))
        elif isinstance(target, cst.Attribute):
            scope = self.scope
            if scope.owner is not None and isinstance(target.value, cst.Name) and target.value.value == scope.self_name:
                scope.owner.attributes.setdefault(target.attr.value, []).append(
                    (self._next(), Parameter(node.annotation.annotation, None, scope))
                )
        return False

    def visit_Global(self, node: cst.Global) -> bool:
        self.scope.globals.update(item.name.value for item in node.names)
        return False

    def visit_NamedExpr(self, node: cst.NamedExpr) -> bool:
        self._visit(node.value)
        self._bind_target(node.target, node.value)
        return False

    def visit_For(self, node: cst.For) -> bool:
        self._visit(node.iter)
        self._bind_loop_target(node)  # bound by each iteration, which may not happen
        self._in_branch(node, 0, node.body)
        if node.orelse is not None:
            self._in_branch(node, 1, node.orelse)
        return False

    def _bind_loop_target(self, node: cst.For) -> None:
        self._branch = (*self._branch, (id(node), 0))
        try:
            self._bind_target(node.target, None)
        finally:
            self._branch = self._branch[:-1]

    def visit_With(self, node: cst.With) -> bool:
        for item in node.items:
            self._visit(item.item)
            if item.asname is not None:
                self._bind_target(item.asname.name, item.item)
        self.context.extend(item for item in node.items)
        self._visit(node.body)
        del self.context[len(self.context) - len(node.items):]
        return False

    def visit_Return(self, node: cst.Return) -> bool:
        if node.value is not None:
            self.scope.returns.append(node.value)
            self._visit(node.value)
        return False

    def visit_Call(self, node: cst.Call) -> bool:
        seq = self._next()
        if not self._type_checking:
            self.calls.append(RecordedCall(node, self.scope, seq, tuple(self.context)))
        return True


#: The handler of each node type the walk treats specially (`visit_If` for `cst.If`); a handler that returns
#: False has walked what it needed below its node.
_HANDLERS: dict[type[cst.CSTNode], Callable[[ModuleReader, cst.CSTNode], bool]] = {
    getattr(cst, name.removeprefix("visit_")): getattr(ModuleReader, name)
    for name in dir(ModuleReader) if name.startswith("visit_")
}
