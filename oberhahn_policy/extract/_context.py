"""What surrounds a call site: the loops that repeat it, the prompt it sends, its callers, its endpoint.

These facts are added after a call site is recognised (`CallContext.annotate`), from the call's own
subtree, the path from its enclosing function down to it and the module's recorded calls, so the
single walk of `_bindings` stays as it is. Like all extraction this is policy-independent: loops are
classified as bounded or not (`_loops`), prompts are recorded as text, templates or file paths
(`_prompts`), tracing scopes are recorded up the chain of callers, and instrumentor candidates are
every imported function called at start-up (`module_calls`); the rules decide what matters.
"""

from __future__ import annotations

import dataclasses
import libcst as cst

from ..callsite import ExtractedCallSite, ModuleCall, ScopeCall, StaticValue
from ._bindings import END, ModuleReader, QName, RecordedCall, Scope
from ._candidates import may_instrument
from ._loops import LoopReader
from ._model import ModuleModel
from ._positions import NodePositions
from ._prompts import PromptCollector
from ._tree import CallIndex

__all__ = ["CallContext", "module_calls", "may_instrument"]

#: Operations whose inputs are prompts (an embedding's `input=` is not).
_PROMPT_OPERATIONS = frozenset({"chat", "completion", "binding"})
#: Frameworks whose call methods take the prompt as their first positional argument (`llm.invoke(messages)`).
_POSITIONAL_INPUT = frozenset({"langchain", "llamaindex", "dspy"})
#: How far up the callers of a call site's function tracing is looked for, and how many chains are kept.
_MAX_CALLER_DEPTH = 4
_MAX_CALLER_PATHS = 16


class CallContext:
    """Annotates the call sites of one module with their loops, prompt, callers' scopes and endpoint."""

    def __init__(self, reader: ModuleReader, model: ModuleModel, positions: NodePositions) -> None:
        self.reader = reader
        self.model = model
        self.index = CallIndex(reader, model)
        self.loops = LoopReader(reader, model, positions, self.index)
        self.prompts = PromptCollector(reader, model)
        self._recorded = {id(c.node): c for c in reader.calls}
        self._path_memo: dict[int, list[tuple[ScopeCall, ...]]] = {}

    def annotate(self, site: ExtractedCallSite, node: cst.Call) -> ExtractedCallSite:
        call = self._recorded.get(id(node))
        if call is None:
            return site
        endpoint = self._endpoint(call) if site.client is None else None
        if site.client is None and endpoint is None:
            endpoint = self._module_base_url(site.api.split(".")[0], "api_base")  # openai<1.0, litellm
        if site.client is not None and site.client.base_url is None and "." not in site.client.constructor:
            module_url = self._module_base_url(site.client.constructor, "base_url")
            if module_url is not None:
                site = dataclasses.replace(site, client=dataclasses.replace(site.client, base_url=module_url))
        positional_input = site.framework if site.framework in _POSITIONAL_INPUT and site.operation != "binding" else None
        prompt = self.prompts.prompt(call, positional_input) if site.operation in _PROMPT_OPERATIONS else None
        return dataclasses.replace(site, loops=tuple(self.loops.loops(call)), prompt=prompt, endpoint=endpoint,
                                   caller_scopes=self._caller_scopes(call))

    # callers ------------------------------------------------------------------------------
    def _caller_scopes(self, call: RecordedCall) -> tuple[tuple[ScopeCall, ...], ...]:
        """Scopes around the calls of the enclosing function, along each chain of callers in this module."""
        function = call.scope
        while function.kind != "function":
            if function.parent is None:
                return ()
            function = function.parent
        key = id(function)
        if key not in self._path_memo:
            self._path_memo[key] = self._paths(function, 0, frozenset())
        paths = self._path_memo[key]
        return tuple(paths) if paths != [()] else ()

    def _paths(self, function: Scope, depth: int, seen: frozenset[int]) -> list[tuple[ScopeCall, ...]]:
        definition = function.node
        candidates = self.index.named(definition.name.value) if isinstance(definition, cst.FunctionDef) else []
        callers = [c for c in candidates if self.index.calls(c, function)] if depth < _MAX_CALLER_DEPTH else []
        if not callers or id(function) in seen:
            return [()]
        paths: list[tuple[ScopeCall, ...]] = []
        for caller in callers:
            around = self.model.scope_calls(caller)
            outer = caller.scope
            while outer.kind == "class" and outer.parent is not None:
                outer = outer.parent
            above = self._paths(outer, depth + 1, seen | {id(function)}) if outer.kind == "function" else [()]
            paths.extend(around + path for path in above)
            if len(paths) >= _MAX_CALLER_PATHS:
                break
        return paths[:_MAX_CALLER_PATHS]

    # endpoints ----------------------------------------------------------------------------
    def _module_base_url(self, module: str, attribute: str) -> StaticValue | None:
        """`openai.base_url = ...` (`openai.api_base` before 1.0) at module level configures the module-level client."""
        evaluator = self.model.evaluator(self.reader.root, END)
        found: StaticValue | None = None
        for statement in self.reader.module.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if not isinstance(small, cst.Assign):
                    continue
                for target in small.targets:
                    node = target.target
                    if isinstance(node, cst.Attribute) and node.attr.value == attribute \
                            and isinstance(node.value, cst.Name):
                        owner = self.model.infer(node.value, self.reader.root, END)
                        if isinstance(owner, QName) and owner.name == module:
                            found = evaluator.value(small.value)
        return found

    def _endpoint(self, call: RecordedCall) -> StaticValue | None:
        keywords, _, _ = self.model.call_arguments(call.node, call.scope, call.seq)
        evaluator = self.model.evaluator(call.scope, call.seq)
        for name in self.model.surface.arguments.endpoint:
            if name in keywords:
                return evaluator.value(keywords[name])
        return None


def module_calls(reader: ModuleReader, model: ModuleModel) -> tuple[ModuleCall, ...]:
    """Imported functions called at module level or in module-level functions, once each, in source order."""
    found: dict[tuple[str, str | None], ModuleCall] = {}
    for call in reader.calls:
        scope = call.scope
        if scope.kind == "module":
            function = None
        elif scope.kind == "function" and scope.parent is reader.root:
            function = scope.name
        else:
            continue
        func = call.node.func
        name: str | None = None
        symbol = model.infer(func, scope, call.seq) if isinstance(func, (cst.Name, cst.Attribute)) else None
        if isinstance(symbol, QName):
            name = symbol.name
        elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call):
            # `OpenAIInstrumentor().instrument()`
            owner = model.infer(func.value.func, scope, call.seq)
            if isinstance(owner, QName):
                name = f"{owner.name}.{func.attr.value}"
        if name is not None and (name, function) not in found:
            found[(name, function)] = ModuleCall(name, function)
    return tuple(found.values())
