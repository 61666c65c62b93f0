"""One walk over a module: bindings, imports and calls; then call sites are recognised from them.

The walk records, in source order, every binding (import, assignment, parameter, `self.x = ...`,
`with ... as x`) and every call. Recognition runs afterwards, so a client assigned in
`__init__` is known in a method defined above it, and a factory defined below its use is found.
Nothing is imported or executed: receivers are followed through the bindings only.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator, Union

import libcst as cst

from ..callsite import (
    AttributionEntry,
    ExportedClient as ProjectClient,
    ClientInfo,
    OpaqueCarrier,
    ScopeCall,
    StaticValue,
)
from ..surface import Carrier, ClientClass, Condition, Family, Surface
from ._values import Evaluator, dotted_name, string_literal

_MAX_DEPTH = 12


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
    exported: ProjectClient | None = None
    #: The project function or shared object the client came from (`app.llm.make_client`).
    factory: str | None = None
    #: For clients imported from another project module: the endpoint their constructor was given there.
    base_url: StaticValue | None = None


@dataclass(frozen=True, eq=False)
class LocalFunction:
    scope: Scope


Symbol = Union[QName, Client, LocalFunction]



@dataclass(frozen=True, slots=True)
class Recognised:
    """A call recognised as a call site, before positions are known."""

    node: cst.Call
    provider: str
    framework: str | None
    operation: str
    api: str
    model: StaticValue | None
    default_model: str | None
    max_output_tokens: StaticValue | None
    attribution: tuple[AttributionEntry, ...]
    opaque: tuple[OpaqueCarrier, ...]
    scopes: tuple[ScopeCall, ...]
    function: str | None
    client: tuple[str, cst.Call | None, StaticValue | None] | None
    model_is_deployment: bool


def _built_otherwise(value: cst.BaseExpression) -> bool:
    """A value built by some other call (`MagicMock()`, `create_autospec(...)`), so a client annotation doesn't hold.

    Declarations that only name the type (`field(default_factory=OpenAI)`, `cast(OpenAI, x)`) don't count.
    """
    while isinstance(value, cst.Await):
        value = value.expression
    if not isinstance(value, cst.Call):
        return False
    name = (dotted_name(value.func) or "").rsplit(".", 1)[-1]
    return name not in ("field", "Field", "cast", "Depends", "PrivateAttr")


def _is_enum(owner: Scope) -> bool:
    node = owner.node
    return isinstance(node, cst.ClassDef) and any(
        (dotted_name(b.value) or "").rsplit(".", 1)[-1] in ("Enum", "StrEnum", "IntEnum") for b in node.bases)


def _is_property(function: Scope) -> bool:
    node = function.node
    return isinstance(node, cst.FunctionDef) and any(
        (dotted_name(d.decorator) or "").rsplit(".", 1)[-1] in ("property", "cached_property") for d in node.decorators)


# --- the walk --------------------------------------------------------------------------------


class ModuleReader(cst.CSTVisitor):
    """Records bindings and calls of one module in a single pass."""

    def __init__(self, module: cst.Module, module_name: str) -> None:
        super().__init__()
        self.module = module
        self.module_name = module_name
        self.root = Scope("module", module_name, None, module)
        self.scopes: list[Scope] = [self.root]
        self.calls: list[RecordedCall] = []
        self.context: list[cst.CSTNode] = []
        self.seq = 0
        self._function_scopes: dict[cst.FunctionDef, Scope] = {}
        #: Assignments to attributes of other objects (`openai.api_type = ...`), in source order.
        self.settings: list[tuple[cst.Attribute, Assigned]] = []

    # sequence numbers order bindings and uses within a scope
    def _next(self) -> int:
        self.seq += 1
        return self.seq

    @property
    def scope(self) -> Scope:
        return self.scopes[-1]

    # imports
    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            full = dotted_name(alias.name) or ""
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
            return False
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            self.scope.bind(local, self._next(), Imported(f"{base}.{name}" if base else name))
        return False

    def _absolute(self, level: int, module: str) -> str:
        package = self.module_name.split(".")
        # a module's package is its parent; a package's __init__ is named for the package itself
        if not self.module_name.endswith(".__init__"):
            package = package[:-1]
        else:
            package = package[:-1]
        if level > 1:
            package = package[: len(package) - (level - 1)] if level - 1 <= len(package) else []
        return ".".join([*package, module] if module else package)

    # scopes
    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        scope = Scope("class", node.name.value, self.scope, node)
        self.scope.bind(node.name.value, self._next(), DefinedClass(scope))
        self.scopes.append(scope)
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        parent = self.scope
        scope = Scope("function", node.name.value, parent, node)
        parent.bind(node.name.value, self._next(), DefinedFunction(scope))
        for decorator in node.decorators:
            decorator.visit(self)  # decorators are evaluated in the enclosing scope
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
                param.default.visit(self)
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
        node.body.visit(self)
        if node.decorators:
            self.context.pop()
        self.scopes.pop()
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return True

    # bindings
    def _bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression | None,
                     annotation: cst.BaseExpression | None = None) -> None:
        seq = self._next()
        if isinstance(target, cst.Name):
            binding: Binding = Assigned(value, self.scope, seq, annotation) if value is not None else Opaque()
            # `global client` in a function: the assignment binds the module's name
            scope = self.root if target.value in self.scope.globals else self.scope
            scope.bind(target.value, seq, binding)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            scope = self.scope
            if scope.self_name is not None and target.value.value == scope.self_name and scope.owner is not None:
                binding = Assigned(value, scope, seq, annotation) if value is not None else Opaque()
                scope.owner.attributes.setdefault(target.attr.value, []).append((seq, binding))
            elif value is not None:
                # `openai.api_type = "azure"`: module settings that change what later calls do
                self.settings.append((target, Assigned(value, scope, seq)))
        elif isinstance(target, cst.Attribute) and value is not None:
            # `app.state.openai = AsyncOpenAI()`: objects stored on attribute paths
            self.settings.append((target, Assigned(value, self.scope, seq)))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, None)

    def visit_Assign(self, node: cst.Assign) -> bool:
        node.value.visit(self)
        for target in node.targets:
            self._bind_target(target.target, node.value)
        return False

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        if node.value is not None:
            node.value.visit(self)
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
        node.value.visit(self)
        self._bind_target(node.target, node.value)
        return False

    def visit_For(self, node: cst.For) -> bool:
        node.iter.visit(self)
        self._bind_target(node.target, None)
        node.body.visit(self)
        if node.orelse is not None:
            node.orelse.visit(self)
        return False

    def visit_With(self, node: cst.With) -> bool:
        for item in node.items:
            item.item.visit(self)
            if item.asname is not None:
                self._bind_target(item.asname.name, item.item)
        self.context.extend(item for item in node.items)
        node.body.visit(self)
        del self.context[len(self.context) - len(node.items):]
        return False

    def visit_Return(self, node: cst.Return) -> bool:
        if node.value is not None:
            self.scope.returns.append(node.value)
            node.value.visit(self)
        return False

    def visit_Call(self, node: cst.Call) -> bool:
        self.calls.append(RecordedCall(node, self.scope, self._next(), tuple(self.context)))
        return True

    # cheap skips: nothing below these can be a call
    def visit_SimpleString(self, node: cst.SimpleString) -> bool:
        return False

    def visit_Comment(self, node: cst.Comment) -> bool:
        return False


# --- recognition -----------------------------------------------------------------------------


class Recogniser:
    """Turns recorded calls into call sites, by following receivers to SDK imports."""

    def __init__(
        self,
        reader: ModuleReader,
        surface: Surface,
        project_clients: dict[str, ProjectClient],
    ) -> None:
        self.reader = reader
        self.surface = surface
        self.project_clients = project_clients
        self.code_cache: dict[int, str] = {}
        self._constructors: dict[str, tuple[Family, ClientClass]] = {}
        self._functions = {f.name: f for f in surface.functions}
        self._module_clients: dict[str, Family] = {}
        for family in surface.families:
            for client in family.clients:
                self._constructors[client.name] = (family, client)
            for module in family.module_clients:
                self._module_clients[module] = family
        self._current: tuple[Scope, int] = (reader.root, 0)
        #: Bound expressions written in another scope than the one reading them: where to evaluate them.
        self._origins: dict[int, tuple[Scope, int]] = {}
        #: Calls of the module's own functions, by id of the function's scope (built on first use).
        self._callers: dict[int, list[RecordedCall]] | None = None
        #: Clients passed to untyped parameters, by id of the parameter binding (None while being worked out).
        self._passed: dict[int, Client | None] = {}
        #: Local functions whose returned client is being worked out (a recursive function returns nothing new).
        self._returning: set[int] = set()
        self._instancing: set[int] = set()

    # source text
    def code(self, node: cst.CSTNode) -> str:
        key = id(node)
        if key not in self.code_cache:
            self.code_cache[key] = self.reader.module.code_for_node(node).strip()
        return self.code_cache[key]

    # name lookup ------------------------------------------------------------------------
    def lookup(self, name: str, scope: Scope, seq: int) -> Binding | None:
        """The binding of `name` as seen from `scope` at sequence `seq` (Python's LEGB, classes skipped)."""
        current: Scope | None = scope
        first = True
        while current is not None:
            if current.kind == "class" and not first:
                current = current.parent
                continue
            bindings = current.names.get(name)
            if bindings:
                before = [b for s, b in bindings if s <= seq] if first else []
                return before[-1] if before else bindings[-1][1]
            first = False
            current = current.parent
        return None

    def attribute_binding(self, owner: Scope, attr: str, depth: int = 0) -> Binding | None:
        found = owner.attributes.get(attr)
        if found:
            # prefer a binding we can follow; `self.client = None` placeholders come first in __init__
            for _, binding in reversed(found):
                if isinstance(binding, Assigned) and not (isinstance(binding.value, cst.Name) and binding.value.value == "None"):
                    return binding
                if isinstance(binding, Parameter):
                    return binding
            return found[-1][1]
        class_level = owner.names.get(attr)
        if class_level:
            return class_level[-1][1]
        # inherited from a base class defined in the same module (`self.client` set in `BaseAgent.__init__`)
        for base in self.base_classes(owner):
            inherited = self.attribute_binding(base, attr, depth + 1) if depth < _MAX_DEPTH else None
            if inherited is not None:
                return inherited
        return None

    def base_classes(self, owner: Scope) -> Iterator[Scope]:
        node = owner.node
        if not isinstance(node, cst.ClassDef) or owner.parent is None:
            return
        for base in node.bases:
            if isinstance(base.value, cst.Name):
                binding = self.lookup(base.value.value, owner.parent, 10**9)
                if isinstance(binding, DefinedClass) and binding.scope is not owner:
                    yield binding.scope

    # qualified names ---------------------------------------------------------------------
    def qualify(self, node: cst.BaseExpression, scope: Scope, seq: int) -> str | None:
        symbol = self.infer(node, scope, seq)
        if isinstance(symbol, QName):
            return symbol.name
        if symbol is None:
            return dotted_name(node)  # builtins such as `str`, `dict`
        return None

    # inference ---------------------------------------------------------------------------
    def infer(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> Symbol | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, cst.Await):
            return self.infer(node.expression, scope, seq, depth + 1)
        if isinstance(node, cst.Name):
            return self._infer_binding(self.lookup(node.value, scope, seq), depth)
        if isinstance(node, cst.Attribute):
            return self._infer_attribute(node, scope, seq, depth)
        if isinstance(node, cst.Call):
            return self._infer_call(node, scope, seq, depth)
        if isinstance(node, cst.BooleanOperation):
            # `client or OpenAI()`: either side may be the client
            return self.infer(node.right, scope, seq, depth + 1) or self.infer(node.left, scope, seq, depth + 1)
        if isinstance(node, cst.IfExp):
            return self.infer(node.body, scope, seq, depth + 1) or self.infer(node.orelse, scope, seq, depth + 1)
        if isinstance(node, cst.Subscript):
            return self._infer_item(node, scope, seq, depth)
        return None

    def _infer_item(self, node: cst.Subscript, scope: Scope, seq: int, depth: int) -> Symbol | None:
        """`CLIENTS["groq"]`: an entry of a dict literal of clients, by literal key."""
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return None
        evaluator = self.evaluator(scope, seq)
        key = evaluator.value(node.slice[0].slice.value, depth + 1)
        container = evaluator.follow(node.value, depth + 1)
        if not isinstance(container, cst.Dict):
            return None
        if key.known:
            for element in container.elements:
                if isinstance(element, cst.DictElement) and evaluator.value(element.key, depth + 1).value == key.value:
                    return self.infer(element.value, scope, seq, depth + 1)
            return None
        # `CLIENTS[name]`: any entry will do when they are all the same kind of client at the same endpoint
        found: list[Client] = []
        for element in container.elements:
            symbol = self.infer(element.value, scope, seq, depth + 1) if isinstance(element, cst.DictElement) else None
            if not isinstance(symbol, Client):
                return None
            found.append(symbol)
        kinds = {(c.family.name, c.provider, c.constructor, self._endpoint_text(c)) for c in found}
        return found[0] if len(kinds) == 1 else None

    def _endpoint_text(self, client: Client) -> str | None:
        if client.construction is None:
            return None
        for path in client.family.base_url:
            argument = self._argument(client.construction, path)
            if argument is not None:
                return self.code(argument)
        return None

    def _infer_binding(self, binding: Binding | None, depth: int) -> Symbol | None:
        if binding is None or isinstance(binding, Opaque):
            return None
        if isinstance(binding, Imported):
            return self._project_symbol(binding.qualified) or QName(binding.qualified)
        if isinstance(binding, Assigned):
            symbol = self.infer(binding.value, binding.scope, binding.seq, depth + 1)
            if symbol is None and binding.annotation is not None and not _built_otherwise(binding.value):
                return self._annotated(binding.annotation, binding.scope, depth)
            return symbol
        if isinstance(binding, Parameter):
            if binding.annotation is not None:
                symbol = self._annotated(binding.annotation, binding.scope, depth)
                if symbol is not None:
                    return symbol
            if binding.default is not None:
                return self.infer(binding.default, binding.scope, 10**9, depth + 1)
            return self._passed_in(binding, depth)
        if isinstance(binding, DefinedFunction):
            return LocalFunction(binding.scope)
        return None

    def _passed_in(self, parameter: Parameter, depth: int) -> Client | None:
        """An untyped parameter that every call of its function in this module passes the same client family."""
        function = parameter.function
        key = id(parameter)
        if function is None or depth > _MAX_DEPTH // 2:
            return None
        if key in self._passed:
            return self._passed[key]  # known, or being worked out further up (recursion): None
        self._passed[key] = None
        found: Client | None = None
        for call in self._calls_of(function):
            argument = self._passed_argument(call, function, parameter)
            symbol = self.infer(argument, call.scope, call.seq, depth + 1) if argument is not None else None
            if not isinstance(symbol, Client) or symbol.chain or (
                    found is not None and (found.family is not symbol.family or found.provider != symbol.provider)):
                found = None
                break
            found = found or symbol
        self._passed[key] = found
        return found

    def _calls_of(self, function: Scope) -> list[RecordedCall]:
        """Calls of a module function (`summarise(...)`) or of a method through `self` (`self.summarise(...)`)."""
        if self._callers is None:
            self._callers = {}
            for call in self.reader.calls:
                func = call.node.func
                binding: Binding | None = None
                if isinstance(func, cst.Name):
                    binding = self.lookup(func.value, call.scope, call.seq)
                elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
                    owner = self._self_owner(func.value.value, call.scope, call.seq)
                    binding = self.attribute_binding(owner, func.attr.value) if owner is not None else None
                if isinstance(binding, DefinedFunction):
                    self._callers.setdefault(id(binding.scope), []).append(call)
        return self._callers.get(id(function), [])

    def _passed_argument(self, call: RecordedCall, function: Scope, parameter: Parameter) -> cst.BaseExpression | None:
        for arg in call.node.args:
            if arg.keyword is not None and arg.keyword.value == parameter.name:
                return arg.value
        if parameter.position is None:
            return None
        # `self.method(x)`: the instance fills the first position
        shift = 1 if function.self_name is not None and isinstance(call.node.func, cst.Attribute) else 0
        positional = [a for a in call.node.args if a.keyword is None and not a.star]
        index = parameter.position - shift
        return positional[index].value if 0 <= index < len(positional) else None

    def _project_symbol(self, qualified: str) -> Symbol | None:
        exported = self.project_clients.get(qualified)
        if exported is None or exported.kind != "client":
            return None
        return self._imported_client(exported, qualified)

    def _imported_client(self, exported: ProjectClient, factory: str) -> Client:
        family = self.surface.family(exported.family)
        known = self._constructors.get(exported.constructor)
        framework = (known[1].framework or family.framework) if known is not None else family.framework
        return Client(family, exported.provider, constructor=exported.constructor, framework=framework,
                      model_is_deployment=exported.model_is_deployment, base_url=exported.base_url,
                      exported=exported, factory=factory)

    def returned_client(self, function: Scope) -> Client | None:
        """The client a module function returns (for exports)."""
        return self._returned(function, 0)

    def _annotated(self, annotation: cst.BaseExpression, scope: Scope, depth: int) -> Symbol | None:
        """A client from a parameter's type annotation (`client: OpenAI | None`)."""
        if isinstance(annotation, cst.SimpleString):
            text = string_literal(annotation)
            if text is None:
                return None
            try:
                annotation = cst.parse_expression(text)
            except cst.ParserSyntaxError:
                return None
        if depth > _MAX_DEPTH:
            return None
        if isinstance(annotation, cst.Name):
            # a type alias (`OpenAIDep = Annotated[AsyncOpenAI, Depends(get_openai)]`, FastAPI's style)
            alias = self.lookup(annotation.value, scope, 10**9)
            if isinstance(alias, Assigned) and isinstance(alias.value, (cst.Subscript, cst.BinaryOperation, cst.SimpleString)):
                return self._annotated(alias.value, alias.scope, depth + 1)
        if isinstance(annotation, cst.BinaryOperation):
            return self._annotated(annotation.left, scope, depth + 1) or self._annotated(annotation.right, scope, depth + 1)
        if isinstance(annotation, cst.Subscript):
            for element in annotation.slice:
                if isinstance(element.slice, cst.Index):
                    found = self._annotated(element.slice.value, scope, depth + 1)
                    if found is not None:
                        return found
            return None
        symbol = self.infer(annotation, scope, 10**9, depth + 1)
        if isinstance(symbol, QName) and symbol.name in self._constructors:
            family, client = self._constructors[symbol.name]
            if client.wraps is None and client.when is None:
                return Client(family, client.provider or family.provider, constructor=symbol.name,
                              framework=client.framework or family.framework,
                              model_is_deployment=client.model_is_deployment)
        return None

    def _annotation_class(self, annotation: cst.BaseExpression, scope: Scope, depth: int) -> str | None:
        """The imported class a parameter annotation names, through `Annotated[...]`, `X | None` and strings."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(annotation, cst.SimpleString):
            text = string_literal(annotation)
            try:
                annotation = cst.parse_expression(text) if text else annotation
            except cst.ParserSyntaxError:
                return None
        if isinstance(annotation, cst.BinaryOperation):
            return self._annotation_class(annotation.left, scope, depth + 1) or \
                self._annotation_class(annotation.right, scope, depth + 1)
        if isinstance(annotation, cst.Subscript):
            first = annotation.slice[0].slice if annotation.slice else None
            if isinstance(first, cst.Index) and dotted_name(annotation.value) in (
                    "Annotated", "typing.Annotated", "Optional", "typing.Optional"):
                return self._annotation_class(first.value, scope, depth + 1)
            return None
        if isinstance(annotation, cst.Name):
            alias = self.lookup(annotation.value, scope, 10**9)
            if isinstance(alias, Assigned) and isinstance(alias.value, cst.Subscript):
                return self._annotation_class(alias.value, alias.scope, depth + 1)
        symbol = self.infer(annotation, scope, 10**9, depth + 1) if isinstance(annotation, (cst.Name, cst.Attribute)) else None
        if isinstance(symbol, QName) and symbol.name.split(".")[0] not in self.surface.roots():
            return symbol.name
        return None

    def _infer_attribute(self, node: cst.Attribute, scope: Scope, seq: int, depth: int) -> Symbol | None:
        attr = node.attr.value
        value = node.value
        if isinstance(value, cst.Name):
            owner = self._self_owner(value.value, scope, seq)
            if owner is not None:
                binding = self.attribute_binding(owner, attr)
                if isinstance(binding, DefinedFunction) and _is_property(binding.scope):
                    return self._returned(binding.scope, depth)
                if binding is None:
                    return self._inherited_from_project(owner, attr, depth)
                return self._infer_binding(binding, depth)
        base = self.infer(value, scope, seq, depth + 1)
        if isinstance(base, QName):
            return self._project_symbol(f"{base.name}.{attr}") or QName(f"{base.name}.{attr}")
        if isinstance(base, Client):
            if attr in base.family.transparent:
                return base
            return replace(base, chain=base.chain + (attr,))
        if base is None:
            # `deps.claude` with `deps: Deps`, `Service().client`: an attribute of a project class's instance
            owner = self.instance_class(value, scope, seq, depth + 1)
            if owner is not None:
                binding = self.attribute_binding(owner, attr)
                if isinstance(binding, DefinedFunction) and _is_property(binding.scope):
                    return self._returned(binding.scope, depth)
                found = self._infer_binding(binding, depth)
                if found is not None:
                    return found
            return self._stored(node, depth)
        return None

    def _inherited_from_project(self, owner: Scope, attr: str, depth: int) -> Symbol | None:
        """`self.client` set in `__init__` of a base class that another project module exports."""
        node = owner.node
        if not isinstance(node, cst.ClassDef) or owner.parent is None or depth > _MAX_DEPTH:
            return None
        for base in node.bases:
            symbol = self.infer(base.value, owner.parent, 10**9, depth + 1)
            if isinstance(symbol, QName):
                found = self._project_symbol(f"{symbol.name}.{attr}")
                if found is not None:
                    return found
        for local in self.base_classes(owner):
            found = self._inherited_from_project(local, attr, depth + 1)
            if found is not None:
                return found
        return None

    def _stored(self, node: cst.Attribute, depth: int) -> Symbol | None:
        """`request.app.state.openai` read where the module stored `app.state.openai = AsyncOpenAI()`."""
        dotted = dotted_name(node)
        if dotted is None or dotted.count(".") < 2:
            return None
        suffix = dotted.split(".")[-2:]
        for target, assigned in reversed(self.reader.settings):
            written = dotted_name(target)
            if written is not None and written.count(".") >= 2 and written.split(".")[-2:] == suffix:
                symbol = self.infer(assigned.value, assigned.scope, assigned.seq, depth + 1)
                if isinstance(symbol, Client):
                    return symbol
        return None

    def _self_owner(self, name: str, scope: Scope, seq: int) -> Scope | None:
        current: Scope | None = scope
        while current is not None and current.kind == "function":
            if current.self_name == name and current.owner is not None:
                if self.lookup(name, scope, seq) is not None:
                    return current.owner
            current = current.parent
        # `cls.client` in a classmethod and `ClassName.client` also read class attributes
        binding = self.lookup(name, scope, seq)
        if isinstance(binding, DefinedClass):
            return binding.scope
        return None

    def _infer_call(self, node: cst.Call, scope: Scope, seq: int, depth: int) -> Symbol | None:
        if isinstance(node.func, cst.Name):
            defined = self.lookup(node.func.value, scope, seq)
            if isinstance(defined, DefinedClass):
                return self._subclass_client(defined.scope, node, scope, depth)
        func = self.infer(node.func, scope, seq, depth + 1)
        if isinstance(func, QName):
            constructor = self._constructors.get(func.name)
            if constructor is not None:
                family, client = constructor
                if client.when is not None and not self._condition_holds(client.when, node, scope, seq, depth):
                    return None
                if client.wraps is not None:
                    wrapped_node = self._argument(node, client.wraps)
                    wrapped = self.infer(wrapped_node, scope, seq, depth + 1) if wrapped_node is not None else None
                    if isinstance(wrapped, Client):
                        return replace(wrapped, framework=client.framework or wrapped.framework)
                    return None
                return Client(family, client.provider or family.provider, (), func.name, node, scope, (),
                              client.framework or family.framework, client.model_is_deployment)
            exported = self.project_clients.get(func.name)
            if exported is not None and exported.kind == "factory":
                return self._imported_client(exported, func.name)
            return None
        if isinstance(func, Client) and func.chain:
            *prefix, method = func.chain
            if method in func.family.derive:
                return replace(func, chain=tuple(prefix), extra_carrier_calls=func.extra_carrier_calls + ((node, scope),))
            chain = ".".join(func.chain)
            for factory in func.family.factories:
                if factory.chain == chain:
                    if factory.when is not None and not self._condition_holds(factory.when, node, scope, seq, depth):
                        return None
                    target = self.surface.family(factory.family)
                    return Client(target, factory.provider or target.provider, (), f"{func.constructor}.{chain}",
                                  node, scope, (), target.framework)
            return None
        if isinstance(func, LocalFunction):
            returned = self._returned(func.scope, depth)
            if returned is not None:
                return replace(returned, factory=returned.factory or f"{self.reader.module_name}.{func.scope.qualname()}")
            return None
        return None

    def _subclass_client(self, owner: Scope, node: cst.Call, scope: Scope, depth: int) -> Client | None:
        """`class Client(OpenAI): ...` then `Client()`: a project subclass of an SDK client is that client."""
        if depth > _MAX_DEPTH or not isinstance(owner.node, cst.ClassDef) or owner.parent is None:
            return None
        for base in owner.node.bases:
            symbol = self.infer(base.value, owner.parent, 10**9, depth + 1)
            if isinstance(symbol, QName) and symbol.name in self._constructors:
                family, client = self._constructors[symbol.name]
                if client.wraps is None and client.when is None:
                    return Client(family, client.provider or family.provider, (), symbol.name, node, scope, (),
                                  client.framework or family.framework, client.model_is_deployment)
        for parent in self.base_classes(owner):
            found = self._subclass_client(parent, node, scope, depth + 1)
            if found is not None:
                return found
        return None

    def _returned(self, function: Scope, depth: int) -> Client | None:
        """The client a local function returns: from its return statements, else its return annotation."""
        if id(function) in self._returning:
            return None
        self._returning.add(id(function))
        try:
            for returned in function.returns:
                symbol = self.infer(returned, function, 10**9, depth + 1)
                if isinstance(symbol, Client):
                    return symbol
        finally:
            self._returning.discard(id(function))
        node = function.node
        if any(_built_otherwise(returned) for returned in function.returns):
            return None  # `-> OpenAI` on a function that returns `MagicMock()`: the annotation isn't the truth
        if isinstance(node, cst.FunctionDef) and node.returns is not None and function.parent is not None:
            found = self._annotated(node.returns.annotation, function.parent, depth)
            return found if isinstance(found, Client) else None
        return None

    def instance_class(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> Scope | None:
        """The project class `node` is an instance of (`settings = Settings()`, `settings: Settings`, `get_settings()`)."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
            # `self.config = config or Config()`
            return self.instance_class(node.left, scope, seq, depth + 1) or \
                self.instance_class(node.right, scope, seq, depth + 1)
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Name):
                called = self.lookup(func.value, scope, seq)
                if isinstance(called, DefinedClass):
                    return called.scope
                if isinstance(called, DefinedFunction) and id(called.scope) not in self._instancing:
                    self._instancing.add(id(called.scope))
                    try:
                        for returned in called.scope.returns:
                            found = self.instance_class(returned, called.scope, 10**9, depth + 1)
                            if found is not None:
                                return found
                    finally:
                        self._instancing.discard(id(called.scope))
            if (dotted_name(func) or "").rsplit(".", 1)[-1] in ("Field", "field"):
                # `llm: LLMSettings = Field(default_factory=LLMSettings)`
                for arg in node.args:
                    if arg.keyword is not None and arg.keyword.value == "default_factory":
                        return self._class_named(arg.value, scope, seq)
            return None
        binding: Binding | None = None
        if isinstance(node, cst.Name):
            binding = self.lookup(node.value, scope, seq)
        elif isinstance(node, cst.Attribute):
            owner = self._self_owner(node.value.value, scope, seq) if isinstance(node.value, cst.Name) else None
            if owner is None:
                # `settings.llm.model`: a field of a settings object that is itself a settings object
                owner = self.instance_class(node.value, scope, seq, depth + 1)
            if owner is not None:
                binding = self.attribute_binding(owner, node.attr.value)
        if isinstance(binding, Assigned):
            found = self.instance_class(binding.value, binding.scope, binding.seq, depth + 1)
            if found is None and binding.annotation is not None:
                found = self._class_named(binding.annotation, binding.scope, 10**9)
            return found
        if isinstance(binding, Parameter) and binding.annotation is not None:
            return self._class_named(binding.annotation, binding.scope, 10**9)
        return None

    def class_name(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> str | None:
        """Qualified name of the class `node` is an instance of (`LLMClient()`, `llm: LLMClient`), for wrappers."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, cst.Call):
            return self._named_class(node.func, scope, seq)
        binding: Binding | None = None
        if isinstance(node, cst.Name):
            binding = self.lookup(node.value, scope, seq)
        elif isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
            owner = self._self_owner(node.value.value, scope, seq)
            binding = self.attribute_binding(owner, node.attr.value) if owner is not None else None
        if isinstance(binding, Assigned):
            return self.class_name(binding.value, binding.scope, binding.seq, depth + 1) or (
                self._named_class(binding.annotation, binding.scope, 10**9) if binding.annotation is not None else None)
        if isinstance(binding, Parameter) and binding.annotation is not None:
            return self._named_class(binding.annotation, binding.scope, 10**9)
        return None

    def _named_class(self, node: cst.BaseExpression, scope: Scope, seq: int) -> str | None:
        if isinstance(node, cst.Name):
            local = self.lookup(node.value, scope, seq)
            if isinstance(local, DefinedClass):
                return f"{self.reader.module_name}.{local.scope.qualname()}"
        symbol = self.infer(node, scope, seq) if isinstance(node, (cst.Name, cst.Attribute)) else None
        return symbol.name if isinstance(symbol, QName) else None

    def _construction(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int
                      ) -> tuple[cst.Call, Scope, int] | None:
        """The call that built a project-class instance (`request = QueuedChat(**payload)`), when it is in sight."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
            return (node, scope, seq) if isinstance(self.lookup(node.func.value, scope, seq), DefinedClass) else None
        if isinstance(node, cst.Name):
            binding = self.lookup(node.value, scope, seq)
            if isinstance(binding, Assigned):
                return self._construction(binding.value, binding.scope, binding.seq, depth + 1)
        return None

    def _class_named(self, node: cst.BaseExpression, scope: Scope, seq: int) -> Scope | None:
        if isinstance(node, cst.Name):
            target = self.lookup(node.value, scope, seq)
            if isinstance(target, DefinedClass):
                return target.scope
        return None

    def setting(self, qualified: str) -> StaticValue | None:
        """The value last assigned to a module attribute (`openai.api_type`) anywhere in the file."""
        found: StaticValue | None = None
        for target, assigned in self.reader.settings:
            if self.qualify(target, assigned.scope, assigned.seq) == qualified:
                found = self.evaluator(assigned.scope, assigned.seq).value(assigned.value)
        return found

    def unpartial(self, call: RecordedCall) -> RecordedCall:
        """A call made through another callable, as the call of the SDK method it runs.

        `ask(...)` with `ask = functools.partial(f, **fixed)`, `asyncio.to_thread(f, ...)`,
        `executor.submit(f, ...)` and `loop.run_in_executor(None, f, ...)` all call `f`; the
        arguments they fix or forward are merged in. The site stays at the outer call.
        """
        func = call.node.func
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return call
        target: cst.BaseExpression | None = None
        arguments: list[cst.Arg] = []
        positional = [a for a in call.node.args if a.keyword is None and not a.star]
        name = self.qualify(func, call.scope, call.seq)
        attr = func.attr.value if isinstance(func, cst.Attribute) else None
        if (name == "asyncio.to_thread" or attr == "submit") and positional and call.node.args[0] is positional[0]:
            target, arguments = positional[0].value, list(call.node.args[1:])
        elif attr == "run_in_executor" and len(positional) >= 2 and call.node.args[1] is positional[1]:
            target, arguments = positional[1].value, list(call.node.args[2:])
        else:
            bound = self._bound_expression(func, call.scope, call.seq, 0)
            if isinstance(bound, cst.Call):
                target, arguments = bound, list(call.node.args)
        if isinstance(target, cst.Call):
            # `partial(client.chat.completions.create, model=...)`, bound to a name or inline
            if self.qualify(target.func, call.scope, call.seq) != "functools.partial" or not target.args \
                    or target.args[0].star:
                return call
            arguments = [*target.args[1:], *arguments]
            target = target.args[0].value
        if not isinstance(target, (cst.Name, cst.Attribute)):
            return call
        ordered = [a for a in arguments if a.keyword is None and not a.star] + \
            [a for a in arguments if a.keyword is not None or a.star]
        try:
            merged = cst.Call(func=target, args=ordered)
        except cst.CSTValidationError:
            return call
        return RecordedCall(merged, call.scope, call.seq, call.context)

    def _condition_holds(self, condition: Condition, node: cst.Call, scope: Scope, seq: int, depth: int = 0) -> bool:
        for path in condition.path:
            argument = self._argument(node, path)
            if argument is not None:
                value = self.evaluator(scope, seq).value(argument, depth + 1)
                return value.known and value.value in condition.equals
        return False

    # arguments ---------------------------------------------------------------------------
    def _argument(self, node: cst.Call, name: str) -> cst.BaseExpression | None:
        """A call's argument by keyword, or by position with `#N`."""
        if name.startswith("#"):
            index = int(name[1:])
            positional = [a for a in node.args if a.keyword is None and not a.star]
            return positional[index].value if index < len(positional) else None
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == name:
                return arg.value
        return None

    def evaluator(self, scope: Scope, seq: int) -> Evaluator:
        recogniser = self

        class _Env:
            def binding_of(self, node: cst.Name | cst.Attribute, depth: int) -> cst.BaseExpression | str | None:
                return recogniser._bound_expression(node, scope, seq, depth)

            def code(self, node: cst.CSTNode) -> str:
                return recogniser.code(node)

            def evaluator_for(self, node: cst.BaseExpression) -> Evaluator | None:
                origin = recogniser._origins.get(id(node))
                if origin is None or origin[0] is scope:
                    return None
                return recogniser.evaluator(*origin)

        return Evaluator(_Env(), lambda expr: self.qualify(expr, scope, seq))

    def _bound_expression(self, node: cst.Name | cst.Attribute, scope: Scope, seq: int, depth: int) -> cst.BaseExpression | str | None:
        binding: Binding | None
        if isinstance(node, cst.Name):
            binding = self.lookup(node.value, scope, seq)
        else:
            binding = None
            if isinstance(node.value, cst.Name):
                owner = self._self_owner(node.value.value, scope, seq)
                if owner is not None:
                    binding = self.attribute_binding(owner, node.attr.value)
            if binding is None and node.attr.value == "value" and isinstance(node.value, cst.Attribute) \
                    and isinstance(node.value.value, cst.Name):
                # `Model.FAST.value` on an Enum defined in the module
                enum = self.lookup(node.value.value.value, scope, seq)
                if isinstance(enum, DefinedClass) and _is_enum(enum.scope):
                    member = enum.scope.names.get(node.value.attr.value)
                    if member and isinstance(member[-1][1], Assigned):
                        return member[-1][1].value
            if binding is None:
                owner = self.instance_class(node.value, scope, seq, depth + 1)
                if owner is not None:
                    built = self._construction(node.value, scope, seq, depth + 1)
                    if built is not None:
                        # `QueuedChat(**payload).model`: the class default holds only if the call can't set it
                        call, call_scope, call_seq = built
                        if any(a.star or a.keyword is None for a in call.args):
                            return None
                        for arg in call.args:
                            if arg.keyword is not None and arg.keyword.value == node.attr.value:
                                if call_scope is not scope:
                                    self._origins[id(arg.value)] = (call_scope, call_seq)
                                return arg.value
                    binding = self.attribute_binding(owner, node.attr.value)
            if binding is None:
                base = self.infer(node.value, scope, seq, depth + 1)
                if isinstance(base, QName):
                    return f"{base.name}.{node.attr.value}"
                holder: cst.BaseExpression = node.value
                if isinstance(holder, cst.Name):
                    bound = self.lookup(holder.value, scope, seq)
                    if isinstance(bound, Assigned):
                        holder = bound.value
                    elif isinstance(bound, Parameter) and bound.annotation is not None:
                        # `settings: Annotated[Settings, Depends(get_settings)]` with Settings from a project module
                        imported = self._annotation_class(bound.annotation, bound.scope, depth + 1)
                        if imported is not None:
                            return f"{imported}.{node.attr.value}"
                if isinstance(holder, cst.Call) and not holder.args:
                    # `get_settings().MODEL` with get_settings imported from a project module
                    called = self.infer(holder.func, scope, seq, depth + 1)
                    if isinstance(called, QName):
                        return f"{called.name}.{node.attr.value}"
                return None
        if isinstance(binding, Imported):
            return binding.qualified
        if isinstance(binding, Assigned):
            if isinstance(binding.value, (cst.Name, cst.Attribute)) and binding.scope is not scope and depth < _MAX_DEPTH:
                # `self.model = model` in __init__: the name means what it means there
                return self._bound_expression(binding.value, binding.scope, binding.seq, depth + 1)
            if binding.scope is not scope:
                self._origins[id(binding.value)] = (binding.scope, binding.seq)
            return binding.value
        if isinstance(binding, Parameter):
            default = binding.default
            if isinstance(default, (cst.Name, cst.Attribute)) and dotted_name(default) not in ("None", "True", "False") \
                    and depth < _MAX_DEPTH:
                return self._bound_expression(default, binding.scope, 10**9, depth + 1)
            return default
        if isinstance(binding, DefinedFunction) and _is_property(binding.scope) and len(binding.scope.returns) == 1:
            return binding.scope.returns[0]
        return None

    def call_arguments(self, node: cst.Call, scope: Scope, seq: int) -> tuple[dict[str, cst.BaseExpression], list[cst.BaseExpression], list[cst.BaseExpression]]:
        """Keyword arguments (with `**dict` literals merged in), positional ones, and opaque `**` splats."""
        keywords: dict[str, cst.BaseExpression] = {}
        positional: list[cst.BaseExpression] = []
        opaque: list[cst.BaseExpression] = []
        evaluator = self.evaluator(scope, seq)
        for arg in node.args:
            if arg.star == "**":
                target = evaluator.follow(arg.value)
                entries = self._dict_entries(target, evaluator)
                if entries is None:
                    opaque.append(arg.value)
                else:
                    keywords.update(entries)
            elif arg.star == "*":
                opaque.append(arg.value)
            elif arg.keyword is not None:
                keywords[arg.keyword.value] = arg.value
            else:
                positional.append(arg.value)
        return keywords, positional, opaque

    def _dict_entries(self, node: cst.BaseExpression, evaluator: Evaluator, depth: int = 0) -> dict[str, cst.BaseExpression] | None:
        """The string-keyed entries of a dict literal or `dict(...)` call, `**` merges included."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, cst.Dict):
            entries: dict[str, cst.BaseExpression] = {}
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    key = evaluator.value(element.key)
                    if not key.known or not isinstance(key.value, str):
                        return None
                    entries[key.value] = element.value
                else:
                    inner = self._dict_entries(evaluator.follow(element.value), evaluator, depth + 1)
                    if inner is None:
                        return None
                    entries.update(inner)
            return entries
        if isinstance(node, cst.Call) and dotted_name(node.func) == "dict":
            entries = {}
            for arg in node.args:
                if arg.keyword is not None:
                    entries[arg.keyword.value] = arg.value
                elif arg.star == "**" or not arg.star:
                    inner = self._dict_entries(evaluator.follow(arg.value), evaluator, depth + 1)
                    if inner is None:
                        return None
                    entries.update(inner)
            return entries
        return None

    def locate(self, keywords: dict[str, cst.BaseExpression], positional: list[cst.BaseExpression], path: str,
               evaluator: Evaluator, scope: Scope, seq: int) -> cst.BaseExpression | None:
        """The expression at a value path (`inferenceConfig.maxTokens`, `#0`, `config.max_output_tokens`)."""
        first, *rest = path.split(".")
        if first.startswith("#"):
            index = int(first[1:])
            current: cst.BaseExpression | None = positional[index] if index < len(positional) else None
        else:
            current = keywords.get(first)
        for part in rest:
            if current is None:
                return None
            current = self._step(evaluator.follow(current), part, evaluator, scope, seq)
        return current

    def _step(self, node: cst.BaseExpression, part: str, evaluator: Evaluator, scope: Scope, seq: int) -> cst.BaseExpression | None:
        if isinstance(node, cst.Call):
            name = self.qualify(node.func, scope, seq)
            if name == "json.dumps" and node.args:
                return self._step(evaluator.follow(node.args[0].value), part, evaluator, scope, seq)
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "encode":
                return self._step(evaluator.follow(node.func.value), part, evaluator, scope, seq)
            entries = self._dict_entries(node, evaluator) if name == "dict" else None
            if entries is None:
                keywords, _, _ = self.call_arguments(node, scope, seq)
                return keywords.get(part)
            return entries.get(part)
        entries = self._dict_entries(node, evaluator)
        return entries.get(part) if entries is not None else None

    # carriers ----------------------------------------------------------------------------
    def carriers(self, carriers: Iterable[Carrier], keywords: dict[str, cst.BaseExpression],
                 positional: list[cst.BaseExpression], scope: Scope, seq: int
                 ) -> Iterator[AttributionEntry | OpaqueCarrier]:
        evaluator = self.evaluator(scope, seq)
        for carrier in carriers:
            node = self.locate(keywords, positional, carrier.path, evaluator, scope, seq)
            if node is None:
                continue
            if carrier.kind == "scalar":
                yield AttributionEntry(carrier.key or carrier.path, evaluator.value(node), carrier.path, carrier.layer)
                continue
            if carrier.kind == "tags":
                yield from self._tags(carrier, evaluator.follow(node), evaluator)
                continue
            entries = self._dict_entries(evaluator.follow(node), evaluator)
            if entries is None:
                if not (isinstance(node, cst.Name) and node.value == "None"):
                    yield OpaqueCarrier(carrier.path, carrier.layer, self.code(node))
                continue
            for key, value in entries.items():
                yield AttributionEntry(key, evaluator.value(value), carrier.path, carrier.layer,
                                       is_header=carrier.kind == "headers")

    def _tags(self, carrier: Carrier, node: cst.BaseExpression, evaluator: Evaluator) -> Iterator[AttributionEntry | OpaqueCarrier]:
        """`tags=["team:support", "use_case=triage"]`: each `key:value` / `key=value` string is an entry."""
        if not isinstance(node, (cst.List, cst.Tuple)):
            if not (isinstance(node, cst.Name) and node.value == "None"):
                yield OpaqueCarrier(carrier.path, carrier.layer, self.code(node))
            return
        for element in node.elements:
            value = evaluator.value(element.value)
            if not value.known or not isinstance(value.value, str):
                continue
            for separator in (":", "="):
                key, found, text = value.value.partition(separator)
                if found and key.strip() and text.strip():
                    yield AttributionEntry(key.strip(), StaticValue.literal(text.strip(), value.expression),
                                           carrier.path, carrier.layer)
                    break

    # scopes (decorators and with-items around a call) ------------------------------------
    def scope_calls(self, call: RecordedCall) -> tuple[ScopeCall, ...]:
        found: list[ScopeCall] = []
        for holder in call.context:
            if isinstance(holder, cst.FunctionDef):
                owner_scope = call.scope
                while owner_scope.node is not holder and owner_scope.parent is not None:
                    owner_scope = owner_scope.parent
                outer = owner_scope.parent or self.reader.root
                for decorator in holder.decorators:
                    found.extend(self._scope_call(decorator.decorator, "decorator", outer, call.seq))
            elif isinstance(holder, cst.WithItem):
                found.extend(self._scope_call(holder.item, "with", call.scope, call.seq))
        return tuple(found)

    def _scope_call(self, node: cst.BaseExpression, kind: str, scope: Scope, seq: int) -> Iterator[ScopeCall]:
        target = node.func if isinstance(node, cst.Call) else node
        name = self.qualify(target, scope, seq)
        if name is None:
            symbol = self.infer(target, scope, seq)
            if isinstance(symbol, LocalFunction):
                name = f"{self.reader.module_name}.{symbol.scope.qualname()}"
        if name is None:
            return
        arguments: tuple[tuple[str, StaticValue], ...] = ()
        if isinstance(node, cst.Call):
            evaluator = self.evaluator(scope, seq)
            arguments = tuple((a.keyword.value, evaluator.value(a.value)) for a in node.args if a.keyword is not None)
        yield ScopeCall(name, "decorator" if kind == "decorator" else "with", arguments)
