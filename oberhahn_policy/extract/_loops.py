"""Loops and recursion around a call site, and whether reading the code shows a bound (OBH402)."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from ..callsite import Loop
from ._bindings import END, ModuleReader, RecordedCall, Scope
from ._model import ModuleModel
from ._positions import NodePositions
from ._tree import CallIndex, inside, names, path_to, walk
from ._values import dotted_name

_TIME_CALLS = frozenset({"time.time", "time.monotonic", "time.perf_counter", "datetime.datetime.now",
                         "datetime.datetime.utcnow", "loop.time"})
_SHRINK = frozenset({"pop", "popleft", "popitem", "get_nowait"})
_GROW = frozenset({"append", "appendleft", "extend", "extendleft", "insert", "add", "put", "put_nowait", "update"})
_EXITS = (cst.Break, cst.Return, cst.Raise)


class LoopReader:
    """Classifies the loops between a call and its enclosing function, and the function's recursion."""

    def __init__(self, reader: ModuleReader, model: ModuleModel, positions: NodePositions,
                 index: CallIndex) -> None:
        self.reader = reader
        self.model = model
        self.positions = positions
        self.index = index
        self._recursion_memo: dict[int, Loop | None] = {}

    def loops(self, call: RecordedCall) -> Iterator[Loop]:
        function = call.scope
        while function.kind not in ("function", "module") and function.parent is not None:
            function = function.parent
        root = function.node if function.node is not None else self.reader.module
        path = path_to(root, call.node)
        loops: list[Loop] = []
        for holder, child in zip(path, path[1:]):
            if isinstance(holder, cst.While) and (child is holder.body or child is holder.test):
                loops.append(self._while(holder))
            elif isinstance(holder, cst.For) and child is holder.body:
                loops.append(self._for(holder, call.scope, call.seq))
            elif isinstance(holder, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)) and child is not holder.for_in:
                loops.append(self._loop("comprehension", holder, True, "a comprehension over a finite iterable"))
        yield from reversed(loops)
        if function.kind == "function" and isinstance(function.node, cst.FunctionDef):
            if id(function) not in self._recursion_memo:
                self._recursion_memo[id(function)] = self._recursion(function)
            recursion = self._recursion_memo[id(function)]
            if recursion is not None:
                yield recursion

    def _loop(self, kind: str, node: cst.CSTNode, bounded: bool, reason: str) -> Loop:
        start = self.positions.start(node)
        return Loop(kind, start.line, start.column + 1, bounded, reason)  # type: ignore[arg-type]

    def _for(self, node: cst.For, scope: Scope, seq: int) -> Loop:
        iterable = node.iter
        if isinstance(iterable, cst.Call):
            name = self.model.qualify(iterable.func, scope, seq)
            if name in ("itertools.count", "itertools.cycle", "itertools.repeat") and not (
                    name == "itertools.repeat" and len(iterable.args) > 1):
                return self._loop("for", node, False, f"`for` over `{self.model.code(iterable)}` never ends")
        return self._loop("for", node, True, f"`for` over `{self.model.code(iterable)}`")

    def _while(self, node: cst.While) -> Loop:
        test = node.test
        condition = self.model.code(test)
        if (isinstance(test, cst.Name) and test.value == "True") or (isinstance(test, cst.Integer) and test.value != "0"):
            counter = self._guarded_counter(node)
            if counter is not None:
                return self._loop("while-true", node, True, f"`while {condition}` exits on counter `{counter}`")
            return self._loop("while-true", node, False, f"`while {condition}` with no counter-checked exit")
        read = names(test)
        counters = self._counters(node.body) & read
        if counters:
            return self._loop("while", node, True, f"`while {condition}` counts `{sorted(counters)[0]}`")
        if any(isinstance(n, cst.Call) and self._is_time_call(n) for n in (test, *walk(test))):
            return self._loop("while", node, True, f"`while {condition}` has a deadline")
        drained = self._drained(node.body) & read
        if drained:
            return self._loop("while", node, True, f"`while {condition}` drains `{sorted(drained)[0]}`")
        counter = self._guarded_counter(node)
        if counter is not None:  # a retry loop: `attempts -= 1` then `if attempts <= 0: return`
            return self._loop("while", node, True, f"`while {condition}` exits on counter `{counter}`")
        return self._loop("while", node, False, f"`while {condition}` has no counter or bound that changes in its body")

    def _is_time_call(self, node: cst.Call) -> bool:
        name = dotted_name(node.func) or ""
        qualified = self.model.qualify(node.func, self.reader.root, END) or name
        return qualified in _TIME_CALLS or name.endswith((".monotonic", ".perf_counter")) or name.endswith("loop.time")

    @staticmethod
    def _counters(body: cst.CSTNode) -> set[str]:
        """Names changed by a step in the body: `i += 1`, `n -= 1`, `i = i + 1`."""
        found: set[str] = set()
        for node in walk(body):
            if isinstance(node, cst.AugAssign) and isinstance(node.operator, (cst.AddAssign, cst.SubtractAssign)):
                target = dotted_name(node.target)
                if target is not None:
                    found.add(target)
            elif isinstance(node, cst.Assign) and isinstance(node.value, cst.BinaryOperation) \
                    and isinstance(node.value.operator, (cst.Add, cst.Subtract)):
                for assign_target in node.targets:
                    dotted = dotted_name(assign_target.target)
                    if dotted is not None and dotted in names(node.value):
                        found.add(dotted)
        return found

    @staticmethod
    def _drained(body: cst.CSTNode) -> set[str]:
        """Collections the body only takes from (`queue.pop()`), never adds to."""
        taken: set[str] = set()
        grown: set[str] = set()
        for node in walk(body):
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
                owner = dotted_name(node.func.value)
                if owner is None:
                    continue
                if node.func.attr.value in _SHRINK:
                    taken.add(owner)
                elif node.func.attr.value in _GROW:
                    grown.add(owner)
        return taken - grown

    def _guarded_counter(self, node: cst.While) -> str | None:
        """A counter stepped in a `while True` body and compared in an `if` that leaves the loop."""
        counters = self._counters(node.body)
        if not counters:
            return None
        for child in walk(node.body):
            if isinstance(child, cst.If) and counters & names(child.test):
                if any(isinstance(n, _EXITS) for n in walk(child.body)):
                    return sorted(counters & names(child.test))[0]
        return None

    def _recursion(self, function: Scope) -> Loop | None:
        """The function calls itself; bounded when a recursive call steps a parameter the body compares."""
        definition = function.node
        assert isinstance(definition, cst.FunctionDef)
        name = definition.name.value
        recursive = [c.node for c in self.index.named(name) if self.index.calls(c, function) and inside(c.scope, function)]
        if not recursive:
            return None
        params = definition.params
        parameters = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        compared: set[str] = set()
        for node in walk(definition.body):
            if isinstance(node, cst.Comparison):
                compared |= names(node)
            elif isinstance(node, cst.If):
                compared |= names(node.test)
        for call in recursive:
            for arg in call.args:
                value = arg.value
                if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, (cst.Add, cst.Subtract)):
                    stepped = names(value) & parameters & compared
                    if stepped:
                        return self._loop("recursion", call, True, f"`{name}` recurses on `{sorted(stepped)[0]}`, which it checks")
        return self._loop("recursion", recursive[0], False, f"`{name}` calls itself with no depth bound")
