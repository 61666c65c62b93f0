"""Where the nodes a file reports are: calls (call sites, client constructions) and loops, from one code generation.

libcst knows positions only by generating the module's code again. Its `PositionProvider` records a
range for every node of the module (about twice the parse's time); a file reports a few calls and
the loops around them, so the code generation here only tracks line and column and records the kinds
of node that are reported. The ranges are libcst's own (`PositionProvider`'s syntactic positions);
a node of another kind, or a statement whose end libcst takes from its last child, falls back to the
full table. Nothing is computed for a file that reports nothing.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

#: The kinds of node a file reports: calls, and the loops around them (whose start alone is reported).
_RECORDED: frozenset[type[cst.CSTNode]] = frozenset({cst.Call, cst.For, cst.While, cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp})
_NEWLINE = re.compile(r"\r\n?|\n")


class _RecordingState(CodegenState):
    """Code generation that keeps the line and column instead of the text, and records the reported kinds of node."""

    def __init__(self, module: cst.Module, kinds: frozenset[type[cst.CSTNode]] = _RECORDED) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        #: The kinds of node whose positions are recorded.
        self.kinds = kinds
        self.line = 1
        self.column = 0
        #: Syntactic start of every recorded node, and its range unless libcst takes it from a child.
        self.starts: dict[cst.CSTNode, CodePosition] = {}
        self.ranges: dict[cst.CSTNode, CodeRange] = {}
        self._stack: list[CodePosition] = []

    def add_token(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            segments = _NEWLINE.split(value)
            self.line += len(segments) - 1
            self.column = len(segments[-1])
        else:
            self.column += len(value)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def pop_trailing_newline(self) -> None:
        pass  # only the text loses its last newline; positions are already past it, as in libcst

    def before_codegen(self, node: cst.CSTNode) -> None:
        if type(node) in self.kinds:
            self._stack.append(CodePosition(self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        if type(node) in self.kinds:
            start = self._stack.pop()
            if node not in self.starts:  # a node libcst gives no syntactic position: its whole extent
                self.starts[node] = start
                self.ranges[node] = CodeRange(start, CodePosition(self.line, self.column))

    @contextmanager
    def record_syntactic_position(self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None,
                                  end_node: cst.CSTNode | None = None) -> Iterator[None]:
        if type(node) not in self.kinds:
            yield
            return
        start = CodePosition(self.line, self.column)
        yield
        if start_node is None:
            self.starts[node] = start
        if start_node is None and end_node is None:
            self.ranges[node] = CodeRange(start, CodePosition(self.line, self.column))


class NodePositions:
    """Positions of a module's reported nodes, computed on the first question and then shared."""

    def __init__(self, module: cst.Module, also: frozenset[type[cst.CSTNode]] = frozenset()) -> None:
        """`also`: other kinds of node the caller will ask about (OBH003's names), recorded in the same generation."""
        self._module = module
        self._kinds = _RECORDED | also
        self._state: _RecordingState | None = None
        #: Other kinds of node asked about (a name OBH003 reports), one code generation per kind.
        self._other: dict[type[cst.CSTNode], _RecordingState] = {}
        self._full: dict[cst.CSTNode, CodeRange] | None = None

    def _recorded(self) -> _RecordingState:
        if self._state is None:
            self._state = _RecordingState(self._module, self._kinds)
            self._module._codegen(self._state)
        return self._state

    def _everything(self) -> dict[cst.CSTNode, CodeRange]:
        if self._full is None:
            self._full = dict(MetadataWrapper(self._module, unsafe_skip_copy=True).resolve(PositionProvider))
        return self._full

    def get(self, node: cst.CSTNode) -> CodeRange | None:
        """The node's range; None for a node that is not in the module (a call rebuilt by recognition)."""
        state = self._recorded()
        found = state.ranges.get(node)
        if found is not None:
            return found
        kind = type(node)
        if kind in self._kinds:
            return None if node not in state.starts else self._everything().get(node)
        other = self._other.get(kind)
        if other is None:
            other = self._other[kind] = _RecordingState(self._module, frozenset({kind}))
            self._module._codegen(other)
        found = other.ranges.get(node)
        if found is not None:
            return found
        return None if node not in other.starts else self._everything().get(node)

    def calls(self) -> dict[cst.Call, CodeRange]:
        """Every call of the module with its range (what `fix` finds a finding's call by)."""
        return {node: self[node] for node in self._recorded().starts if isinstance(node, cst.Call)}

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        found = self.get(node)
        if found is None:
            raise KeyError(node)
        return found

    def start(self, node: cst.CSTNode) -> CodePosition:
        """Where the node starts (line 1-based, column 0-based, as libcst counts)."""
        found = self._recorded().starts.get(node)
        return found if found is not None else self[node].start
