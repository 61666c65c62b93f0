"""What reading one module knows: the walk's records and the readers that interpret them.

`ModuleModel` is the composition root of recognition. The readers it holds call each other
(inference needs evaluation, evaluation needs inference...), so each keeps a reference to the
model and reaches the others through it; the delegating methods below are the ones the site
builders and the call-context readers use.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Mapping

import libcst as cst

from ..callsite import (
    AttributionEntry,
    ExportedClient,
    OpaqueCarrier,
    ScopeCall,
    StaticValue,
)
from ..surface import Carrier, ClientClass, Family, Surface
from ._annotations import AnnotationReader
from ._arguments import ArgumentReader, CallArguments
from ._bindings import Binding, Client, ModuleReader, RecordedCall, Scope, Symbol
from ._clients import ClientFinder
from ._evaluation import EvaluationGlue
from ._indirect import IndirectCalls
from ._inference import Inference
from ._instances import InstanceReader
from ._names import NameResolver
from ._values import Evaluator


class ModuleModel:
    """One module as recognition sees it: its walk, the SDK surface, the project's clients, and the readers."""

    def __init__(self, reader: ModuleReader, surface: Surface, project_clients: Mapping[str, ExportedClient]) -> None:
        self.reader = reader
        self.surface = surface
        self.project_clients = project_clients
        #: SDK client constructors by qualified name.
        self.constructors: dict[str, tuple[Family, ClientClass]] = {
            client.name: (family, client) for family in surface.families for client in family.clients}
        self.names = NameResolver(self)
        self.inference = Inference(self)
        self.clients = ClientFinder(self)
        self.annotations = AnnotationReader(self)
        self.instances = InstanceReader(self)
        self.evaluation = EvaluationGlue(self)
        self.arguments = ArgumentReader(self)
        self.indirect = IndirectCalls(self)

    def release(self) -> None:
        """Drop the readers, which refer back to this model, and with them their caches of nodes (see
        `ModuleReader.release`): the file's objects are then freed without the garbage collector."""
        self.__dict__.clear()

    def settled(self) -> bool:
        """No recursion guard holds a partial answer: what the readers answer now is complete, and may be kept."""
        return self.clients.idle() and self.instances.idle()

    # the readers' most used entry points ----------------------------------------------------
    def code(self, node: cst.CSTNode) -> str:
        return self.names.code(node)

    def lookup(self, name: str, scope: Scope, seq: int) -> Binding | None:
        return self.names.lookup(name, scope, seq)

    def qualify(self, node: cst.BaseExpression, scope: Scope, seq: int) -> str | None:
        return self.inference.qualify(node, scope, seq)

    def infer(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> Symbol | None:
        return self.inference.infer(node, scope, seq, depth)

    def evaluator(self, scope: Scope, seq: int) -> Evaluator:
        return self.evaluation.evaluator(scope, seq)

    def setting(self, qualified: str) -> StaticValue | None:
        return self.evaluation.setting(qualified)

    def call_arguments(self, node: cst.Call, scope: Scope, seq: int) -> CallArguments:
        return self.arguments.call_arguments(node, scope, seq)

    def locate(self, keywords: dict[str, cst.BaseExpression], positional: list[cst.BaseExpression], path: str,
               evaluator: Evaluator, scope: Scope, seq: int) -> cst.BaseExpression | None:
        return self.arguments.locate(keywords, positional, path, evaluator, scope, seq)

    def carriers(self, carriers: Iterable[Carrier], keywords: dict[str, cst.BaseExpression],
                 positional: list[cst.BaseExpression], scope: Scope, seq: int) -> Iterator[AttributionEntry | OpaqueCarrier]:
        return self.arguments.carriers(carriers, keywords, positional, scope, seq)

    def instance_class(self, node: cst.BaseExpression, scope: Scope, seq: int, depth: int = 0) -> Scope | None:
        return self.instances.instance_class(node, scope, seq, depth)

    def class_name(self, node: cst.BaseExpression, scope: Scope, seq: int) -> str | None:
        return self.instances.class_name(node, scope, seq)

    def returned_client(self, function: Scope) -> Client | None:
        return self.clients.returned_client(function)

    def scope_calls(self, call: RecordedCall) -> tuple[ScopeCall, ...]:
        return self.indirect.scope_calls(call)

    def unpartial(self, call: RecordedCall, *, bound: bool = True) -> RecordedCall:
        return self.indirect.unpartial(call, bound=bound)
