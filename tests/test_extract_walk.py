"""The targeted walk and positions agree with libcst's own generic visitor and PositionProvider.

The walk (`_bindings.ModuleReader`) reads only the fields of a node that hold code (`_syntax`), in
libcst's visiting order; positions (`_positions.NodePositions`) come from a code generation that
records only calls and loops. Both are checked here against libcst itself, on every Python file of
the fixture applications (tests/corpus, tests/holdout, tests/fixtures, examples) and on a table of
shapes that are easy to get wrong.
"""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import re
import textwrap
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from oberhahn_policy.extract._bindings import ModuleReader
from oberhahn_policy.extract._positions import _RECORDED, NodePositions
from oberhahn_policy.extract._syntax import _LAYOUT_FIELDS, code_children, code_fields
from oberhahn_policy.extract._tree import path_to, walk

REPO = Path(__file__).resolve().parent.parent
FIXTURE_FILES = sorted(p for group in ("tests/corpus", "tests/holdout", "tests/fixtures", "examples")
                       for p in (REPO / group).rglob("*.py"))

SHAPES = [
    ("conditional-expression", "x = f(a) if g(b) else h(c)\n"),
    ("decorated-class", "@d(1)\nclass C(Base(2), metaclass=M(3)):\n    y = k(4)\n"),
    ("decorated-function", "@d(1)\ndef f(a=g(2), *, b: T(3) = h(4)) -> R(5):\n    return i(6)\n"),
    ("lambda-defaults", "f = lambda a=g(1), *b, c=h(2), **d: i(3)\n"),
    ("comprehensions", "[f(x) for x in g(y) if h(x)]\n{k(a): v(b) for a, b in items()}\n(z(q) for q in r())\n"),
    ("f-strings", "s = f\"{a(1)!r:>{b(2)}} and {c(3)=}\"\n"),
    ("match", "match f(1):\n    case [a, *rest] if g(a):\n        h(2)\n    case {\"k\": v}:\n        i(3)\n"),
    ("try-star", "try:\n    f(1)\nexcept* E(2) as e:\n    g(3)\nelse:\n    h(4)\nfinally:\n    i(5)\n"),
    ("walrus-and-with", "if (n := f(1)) > g(2):\n    with h(3) as x, i(4):\n        j(5)\n"),
    ("subscripts-and-slices", "a[f(1):g(2):h(3)] = b[i(4), *j(5)]\n"),
    ("parenthesised-calls", "x = (f(1)\n     (2))\ny = ((g(3)))\n"),
    ("type-checking", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    f(1)\nelse:\n    g(2)\n"),
    ("global-and-annotations", "def f():\n    global c\n    c: T = make(1)\n    self.x: U = make(2)\n"),
    ("async", "async def f():\n    async with g(1) as a:\n        async for b in h(2):\n            await i(3)\n"),
]


def _visit_order(kind: type[cst.CSTNode]) -> list[str]:
    """The fields libcst's own `_visit_and_replace_children` visits, in order, layout left out."""
    source = inspect.getsource(kind._visit_and_replace_children)
    fields = re.findall(r'visit_\w+\(\s*self,\s*"(\w+)"', source)
    return list(dict.fromkeys(f for f in fields if f not in _LAYOUT_FIELDS and not f.startswith("whitespace")))


NODE_CLASSES = sorted((c for c in vars(cst).values()
                       if inspect.isclass(c) and issubclass(c, cst.CSTNode) and dataclasses.is_dataclass(c)
                       and not inspect.isabstract(c) and "_visit_and_replace_children" in c.__dict__),
                      key=lambda c: c.__name__)


@pytest.mark.parametrize("kind", NODE_CLASSES, ids=lambda c: c.__name__)
def test_code_fields_follow_libcsts_visiting_order(kind: type[cst.CSTNode]) -> None:
    node_fields = [f for f in code_fields(kind) if f in _visit_order(kind)]
    assert node_fields == _visit_order(kind)


class _LibcstCalls(cst.CSTVisitor):
    """Every call node libcst's own visitor enters, in its order."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[cst.Call] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Call):
            self.calls.append(node)
        return super().on_visit(node)


def _calls_left_out(module: cst.Module) -> set[int]:
    """Calls the walk leaves out on purpose: under `if TYPE_CHECKING:` (never run), in a function's parameter and
    return annotations and in annotated assignments' types, and in assignment targets (bound, not read as calls)."""
    class Holders(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.found: set[int] = set()

        def _collect(self, node: cst.CSTNode) -> None:
            collector = _LibcstCalls()
            node.visit(collector)
            self.found |= {id(c) for c in collector.calls}

        def visit_If(self, node: cst.If) -> None:
            if isinstance(node.test, cst.Name) and node.test.value == "TYPE_CHECKING":
                self._collect(node.body)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            params = node.params
            for param in (*params.posonly_params, *params.params, *params.kwonly_params,
                          *(p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param))):
                if param.annotation is not None:
                    self._collect(param.annotation)
            if node.returns is not None:
                self._collect(node.returns)

        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                self._collect(target)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            self._collect(node.target)
            self._collect(node.annotation)

        def visit_For(self, node: cst.For) -> None:
            self._collect(node.target)

        def visit_WithItem(self, node: cst.WithItem) -> None:
            if node.asname is not None:
                self._collect(node.asname)

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            self._collect(node.target)

    holders = Holders()
    module.visit(holders)
    return holders.found


def _sources() -> list[tuple[str, str]]:
    rows = [(name, source) for name, source in SHAPES]
    rows += [(str(p.relative_to(REPO)), p.read_text(encoding="utf-8")) for p in FIXTURE_FILES]
    return rows


@pytest.mark.parametrize(("name", "source"), _sources(), ids=[n for n, _ in _sources()])
def test_walk_records_every_call_libcst_visits(name: str, source: str) -> None:
    module = cst.parse_module(textwrap.dedent(source))
    reader = ModuleReader(module, "app.module").read()
    collector = _LibcstCalls()
    module.visit(collector)
    left_out = _calls_left_out(module)
    expected = [c for c in collector.calls if id(c) not in left_out]
    assert sorted(id(c.node) for c in reader.calls) == sorted(id(c) for c in expected)
    # the walk's calls come in source order: sequence numbers never go back
    assert [c.seq for c in reader.calls] == sorted(c.seq for c in reader.calls)


@pytest.mark.parametrize(("name", "source"), _sources(), ids=[n for n, _ in _sources()])
def test_positions_are_libcsts(name: str, source: str) -> None:
    module = cst.parse_module(textwrap.dedent(source))
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    positions = NodePositions(module)
    for node, where in expected.items():
        if type(node) in _RECORDED:
            assert positions.start(node) == where.start
            assert positions[node] == where
    assert positions.get(cst.Call(func=cst.Name("rebuilt"))) is None
    # other kinds (the names and attributes OBH003 reports) come from a code generation of their own
    others = NodePositions(module)
    for node, where in expected.items():
        if isinstance(node, (cst.Name, cst.Attribute, cst.FunctionDef)):
            assert others[node] == where


#: Node kinds that only lay code out: libcst's `children` has them, the code fields don't.
_LAYOUT_KINDS = (cst.BaseParenthesizableWhitespace, cst.EmptyLine, cst.TrailingWhitespace, cst.Comment, cst.Newline,
                 cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace,
                 cst.RightCurlyBrace, cst.Comma, cst.Dot, cst.Colon, cst.Semicolon, cst.AssignEqual, cst.Asynchronous,
                 cst.ParamSlash, cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp,
                 cst.BitOr, cst.ImportStar)


def _children_walk(node: cst.CSTNode) -> list[cst.CSTNode]:
    """`walk` as it was written over libcst's `children` (every child, layout included)."""
    found, stack = [], list(node.children)
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        found.append(current)
        stack.extend(current.children)
    return found


@pytest.mark.parametrize(("name", "source"), SHAPES, ids=[n for n, _ in SHAPES])
def test_tree_helpers_see_the_code_children(name: str, source: str) -> None:
    module = cst.parse_module(source)
    walked = list(walk(module))
    # the same code nodes in the same order as a walk over libcst's children; what is left out is layout
    by_children = _children_walk(module)
    kept = {id(n) for n in walked}
    assert [n for n in by_children if id(n) in kept] == walked
    assert all(isinstance(n, _LAYOUT_KINDS) for n in by_children if id(n) not in kept)
    collector = _LibcstCalls()
    module.visit(collector)
    for call in collector.calls:
        path = path_to(module, call)
        assert path[0] is module and path[-1] is call
        assert all(any(child is c for c in code_children(parent)) for parent, child in itertools.pairwise(path))


def test_an_extracted_file_leaves_nothing_for_the_garbage_collector() -> None:
    """Once a file is extracted, its syntax tree and the readers' records are freed by reference counting: left in
    reference cycles, the garbage collector would walk the whole tree once more (a tenth of the parse's time)."""
    import gc

    from oberhahn_policy.extract import ExtractionInputs, extract_source
    from oberhahn_policy.surface import load_surface

    inputs = ExtractionInputs(load_surface())
    files = [p for p in FIXTURE_FILES if b"import" in p.read_bytes()][:40]
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for path in files:
            extraction = extract_source(str(path), path.read_bytes(), path.stem, inputs, force_parse=True)
            assert extraction.problem is None, extraction.problem
        gc.collect()
        left = [type(o).__qualname__ for o in gc.garbage
                if isinstance(o, cst.CSTNode) or type(o).__module__.startswith("oberhahn_policy")]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    assert left == []
