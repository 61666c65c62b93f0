"""Clients the inference can't see in one expression: passed in, returned by a factory, built by a subclass, imported."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ..callsite import ExportedClient
from ..surface import Condition
from ._bindings import (
    END,
    MAX_DEPTH,
    Binding,
    Client,
    DefinedFunction,
    Parameter,
    QName,
    RecordedCall,
    Scope,
    Symbol,
    built_otherwise,
)

if TYPE_CHECKING:
    from ._model import ModuleModel



class ClientFinder:
    """Finds the client behind parameters, factories, subclasses and other project modules."""

    def __init__(self, model: ModuleModel) -> None:
        self.model = model
        #: Calls of the module's own functions, by id of the function's scope (built on first use).
        self._callers: dict[int, list[RecordedCall]] | None = None
        #: Clients passed to untyped parameters, by id of the parameter binding (None while being worked out).
        self._passed: dict[int, Client | None] = {}
        #: Local functions whose returned client is being worked out (a recursive function returns nothing new).
        self._returning: set[int] = set()
        #: How many `passed_in` questions are being worked out (their answers stand at None meanwhile).
        self._passing = 0
        #: What `returned` answered, by (id of the function's scope, depth).
        self._returns: dict[tuple[int, int], Client | None] = {}

    def idle(self) -> bool:
        """No question is being worked out: every answer given now is complete, not cut short by recursion."""
        return not self._returning and not self._passing

    def endpoint_text(self, client: Client) -> str | None:
        if client.construction is None:
            return None
        for path in client.family.base_url:
            argument = self.model.arguments.argument(client.construction, path)
            if argument is not None:
                return self.model.names.code(argument)
        return None

    def passed_in(self, parameter: Parameter, depth: int) -> Client | None:
        """An untyped parameter that every call of its function in this module passes the same client family."""
        function = parameter.function
        key = id(parameter)
        if function is None or depth > MAX_DEPTH // 2:
            return None
        if key in self._passed:
            return self._passed[key]  # known, or being worked out further up (recursion): None
        self._passed[key] = None
        found: Client | None = None
        self._passing += 1
        try:
            for call in self._calls_of(function):
                argument = self._passed_argument(call, function, parameter)
                symbol = self.model.inference.infer(argument, call.scope, call.seq, depth + 1) if argument is not None else None
                if not isinstance(symbol, Client) or symbol.chain or (
                        found is not None and (found.family is not symbol.family or found.provider != symbol.provider)):
                    found = None
                    break
                found = found or symbol
        finally:
            self._passing -= 1
        self._passed[key] = found
        return found

    def _calls_of(self, function: Scope) -> list[RecordedCall]:
        """Calls of a module function (`summarise(...)`) or of a method through `self` (`self.summarise(...)`)."""
        if self._callers is None:
            self._callers = {}
            for call in self.model.reader.calls:
                func = call.node.func
                binding: Binding | None = None
                if isinstance(func, cst.Name):
                    binding = self.model.names.lookup(func.value, call.scope, call.seq)
                elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
                    owner = self.model.names.self_owner(func.value.value, call.scope, call.seq)
                    binding = self.model.names.attribute_binding(owner, func.attr.value) if owner is not None else None
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

    def project_symbol(self, qualified: str) -> Symbol | None:
        exported = self.model.project_clients.get(qualified)
        if exported is None or exported.kind != "client":
            return None
        return self.imported_client(exported, qualified)

    def imported_client(self, exported: ExportedClient, factory: str) -> Client:
        family = self.model.surface.family(exported.family)
        known = self.model.constructors.get(exported.constructor)
        framework = (known[1].framework or family.framework) if known is not None else family.framework
        return Client(family, exported.provider, constructor=exported.constructor, framework=framework,
                      model_is_deployment=exported.model_is_deployment, base_url=exported.base_url,
                      exported=exported, factory=factory)

    def returned_client(self, function: Scope) -> Client | None:
        """The client a module function returns (for exports)."""
        return self.returned(function, 0)

    def inherited_from_project(self, owner: Scope, attr: str, depth: int) -> Symbol | None:
        """`self.client` set in `__init__` of a base class that another project module exports."""
        node = owner.node
        if not isinstance(node, cst.ClassDef) or owner.parent is None or depth > MAX_DEPTH:
            return None
        for base in node.bases:
            symbol = self.model.inference.infer(base.value, owner.parent, END, depth + 1)
            if isinstance(symbol, QName):
                found = self.project_symbol(f"{symbol.name}.{attr}")
                if found is not None:
                    return found
        for local in self.model.names.base_classes(owner):
            found = self.inherited_from_project(local, attr, depth + 1)
            if found is not None:
                return found
        return None

    def subclass_client(self, owner: Scope, node: cst.Call, scope: Scope, depth: int) -> Client | None:
        """`class Client(OpenAI): ...` then `Client()`: a project subclass of an SDK client is that client."""
        if depth > MAX_DEPTH or not isinstance(owner.node, cst.ClassDef) or owner.parent is None:
            return None
        for base in owner.node.bases:
            symbol = self.model.inference.infer(base.value, owner.parent, END, depth + 1)
            if isinstance(symbol, QName) and symbol.name in self.model.constructors:
                family, client = self.model.constructors[symbol.name]
                if client.wraps is None and client.when is None:
                    return Client(family, client.provider or family.provider, (), symbol.name, node, scope, (),
                                  client.framework or family.framework, client.model_is_deployment)
        for parent in self.model.names.base_classes(owner):
            found = self.subclass_client(parent, node, scope, depth + 1)
            if found is not None:
                return found
        return None

    def returned(self, function: Scope, depth: int) -> Client | None:
        """The client a local function returns: from its return statements, else its return annotation.

        Every call of the function asks again; the answer is kept (by function and depth) when no recursion guard
        was holding a partial answer as the question was asked.
        """
        if id(function) in self._returning:
            return None
        if not self.model.settled():
            return self._returned(function, depth)
        key = (id(function), depth)
        if key not in self._returns:
            self._returns[key] = self._returned(function, depth)
        return self._returns[key]

    def _returned(self, function: Scope, depth: int) -> Client | None:
        self._returning.add(id(function))
        try:
            for returned in function.returns:
                symbol = self.model.inference.infer(returned, function, END, depth + 1)
                if isinstance(symbol, Client):
                    return symbol
        finally:
            self._returning.discard(id(function))
        node = function.node
        if any(built_otherwise(returned) for returned in function.returns):
            return None  # `-> OpenAI` on a function that returns `MagicMock()`: the annotation isn't the truth
        if isinstance(node, cst.FunctionDef) and node.returns is not None and function.parent is not None:
            found = self.model.annotations.client(node.returns.annotation, function.parent, depth)
            return found if isinstance(found, Client) else None
        return None

    def condition_holds(self, condition: Condition, node: cst.Call, scope: Scope, seq: int, depth: int = 0) -> bool:
        for path in condition.path:
            argument = self.model.arguments.argument(node, path)
            if argument is not None:
                value = self.model.evaluation.evaluator(scope, seq).value(argument, depth + 1)
                return value.known and value.value in condition.equals
        return False
