"""What surrounds a call site: the loops that repeat it, the prompt it sends, and process-wide instrumentors.

These facts are added after a call site is recognised (`CallContext.annotate`), from the call's own
subtree and the path from its enclosing function down to it, so the single walk of `_reader`
stays as it is. Like all extraction this is policy-independent: loops are classified as bounded
or not, prompts are recorded as text, templates or file paths, and instrumentor candidates are
every imported function called at start-up; the rules decide what matters.

Prompt files are recorded by path, not read here: the extraction cache is keyed by the module's
bytes, so a prompt file read during extraction would go stale when only the prompt file changes.
The resolve step reads them (see `oberhahn_policy.prompts`).
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import textwrap
from typing import Iterator, Mapping

import libcst as cst
from libcst.metadata import CodeRange

from ..callsite import ExtractedCallSite, Loop, ModuleCall, PromptFile, PromptInfo, PromptPart, ScopeCall, StaticValue
from ._reader import DefinedFunction, ModuleReader, QName, RecordedCall, Recogniser, Scope
from ._values import Evaluator, dotted_name, string_literal

__all__ = ["CallContext", "module_calls", "may_instrument"]

#: Tracing and observability packages whose import makes a file worth parsing for instrumentors,
#: even when it imports no LLM SDK (an entry module that calls `openlit.init()` and starts the app).
TRACING_ROOTS = (
    "agentops", "arize", "braintrust", "ddtrace", "langfuse", "langsmith", "lmnr", "logfire", "mlflow",
    "openinference", "openlit", "opentelemetry", "opik", "phoenix", "traceloop", "weave",
)
_TRACING_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+(?:" + b"|".join(r.encode() for r in TRACING_ROOTS) + rb")\b|import[ \t]+[^\n#]*\b(?:"
    + b"|".join(r.encode() for r in TRACING_ROOTS) + rb")\b)", re.MULTILINE)

#: Keyword arguments that carry a prompt, and the role their text plays.
_PROMPT_KEYWORDS = (
    ("system", "system"), ("instructions", "instructions"), ("system_prompt", "system"),
    ("system_instruction", "system"), ("config.system_instruction", "system"),
    ("generation_config.system_instruction", "system"), ("messages", "messages"), ("input", "input"),
    ("prompt", "prompt"), ("contents", "contents"), ("preamble", "system"), ("message", "user"),
)
#: Operations whose inputs are prompts (an embedding's `input=` is not).
_PROMPT_OPERATIONS = frozenset({"chat", "completion", "binding"})
_CACHE_KEYS = frozenset({"cache_control", "cachePoint", "prompt_cache_key", "cached_content"})
_ENDPOINT_KEYWORDS = ("base_url", "api_base", "openai_api_base", "azure_endpoint", "base_url", "host", "endpoint")
_TIME_CALLS = frozenset({"time.time", "time.monotonic", "time.perf_counter", "datetime.datetime.now",
                         "datetime.datetime.utcnow", "loop.time"})
_SHRINK = frozenset({"pop", "popleft", "popitem", "get_nowait"})
_GROW = frozenset({"append", "appendleft", "extend", "extendleft", "insert", "add", "put", "put_nowait", "update"})
_EXITS = (cst.Break, cst.Return, cst.Raise)
#: How far up the callers of a call site's function tracing is looked for, and how many chains are kept.
_MAX_CALLER_DEPTH = 4
_MAX_CALLER_PATHS = 16
_NESTED = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def may_instrument(source: bytes) -> bool:
    """A byte scan: the file imports a tracing package, so it may start process-wide instrumentation."""
    return bool(_TRACING_IMPORT.search(source))


def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node below `node` that runs with it (nested functions, classes and lambdas are skipped)."""
    stack = list(node.children)
    while stack:
        current = stack.pop()
        if isinstance(current, _NESTED):
            continue
        yield current
        stack.extend(current.children)


def _names(node: cst.CSTNode) -> set[str]:
    """Dotted names read by an expression (`i`, `self.turns`, `len(queue)` -> `queue`)."""
    found: set[str] = set()
    for child in (node, *_walk(node)):
        if isinstance(child, (cst.Name, cst.Attribute)):
            dotted = dotted_name(child)
            if dotted is not None:
                found.add(dotted)
    return found


class CallContext:
    """Annotates the call sites of one module with their loops, prompt and endpoint."""

    def __init__(self, reader: ModuleReader, recogniser: Recogniser, positions: Mapping[cst.CSTNode, CodeRange]) -> None:
        self.reader = reader
        self.recogniser = recogniser
        self.positions = positions
        self._recorded = {id(c.node): c for c in reader.calls}
        #: Calls by the name they call (`f(...)` and `x.f(...)` both under `f`), built on first use.
        self._by_name: dict[str, list[RecordedCall]] | None = None
        self._path_memo: dict[int, list[tuple[ScopeCall, ...]]] = {}
        self._recursion_memo: dict[int, Loop | None] = {}

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
        prompt = self._prompt(call) if site.operation in _PROMPT_OPERATIONS else None
        return dataclasses.replace(site, loops=tuple(self._loops(call)), prompt=prompt, endpoint=endpoint,
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
        candidates = self._named(definition.name.value) if isinstance(definition, cst.FunctionDef) else []
        callers = [c for c in candidates if self._calls(c, function)] if depth < _MAX_CALLER_DEPTH else []
        if not callers or id(function) in seen:
            return [()]
        paths: list[tuple[ScopeCall, ...]] = []
        for caller in callers:
            around = self.recogniser.scope_calls(caller)
            outer = caller.scope
            while outer.kind == "class" and outer.parent is not None:
                outer = outer.parent
            above = self._paths(outer, depth + 1, seen | {id(function)}) if outer.kind == "function" else [()]
            paths.extend(around + path for path in above)
            if len(paths) >= _MAX_CALLER_PATHS:
                break
        return paths[:_MAX_CALLER_PATHS]

    def _named(self, name: str) -> list[RecordedCall]:
        """Calls of something named `name` (`name(...)`, `x.name(...)`), from an index built on first use."""
        if self._by_name is None:
            self._by_name = {}
            for recorded in self.reader.calls:
                func = recorded.node.func
                called = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else None
                if called is not None:
                    self._by_name.setdefault(called, []).append(recorded)
        return self._by_name.get(name, [])

    def _calls(self, call: RecordedCall, function: Scope) -> bool:
        """`call` calls `function`: by its name, or as `self.name(...)` / `cls.name(...)` from its own class."""
        func = call.node.func
        definition = function.node
        if not isinstance(definition, cst.FunctionDef):
            return False
        name = definition.name.value
        if isinstance(func, cst.Name) and func.value == name:
            binding = self.recogniser.lookup(name, call.scope, call.seq)
            return isinstance(binding, DefinedFunction) and binding.scope is function
        if isinstance(func, cst.Attribute) and func.attr.value == name and isinstance(func.value, cst.Name):
            scope: Scope | None = call.scope
            while scope is not None and scope.kind == "function":
                if scope.owner is not None and scope.owner is function.parent and func.value.value in (scope.self_name, "cls"):
                    return True
                scope = scope.parent
        return False

    # loops --------------------------------------------------------------------------------
    def _ancestry(self, root: cst.CSTNode, target: cst.CSTNode) -> list[cst.CSTNode]:
        """The nodes from `root` down to `target` (both included), pruned by position."""
        goal = self.positions[target]
        path = [root]
        current = root
        while current is not target:
            for child in current.children:
                where = self.positions.get(child)
                if where is not None and (where.start.line, where.start.column) <= (goal.start.line, goal.start.column) \
                        and (where.end.line, where.end.column) >= (goal.end.line, goal.end.column):
                    if child is target or not isinstance(child, (cst.Comment, cst.SimpleWhitespace)):
                        current = child
                        path.append(child)
                        break
            else:
                return []
        return path

    def _loops(self, call: RecordedCall) -> Iterator[Loop]:
        function = call.scope
        while function.kind not in ("function", "module") and function.parent is not None:
            function = function.parent
        root = function.node if function.node is not None else self.reader.module
        path = self._ancestry(root, call.node)
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
        where = self.positions[node]
        return Loop(kind, where.start.line, where.start.column + 1, bounded, reason)  # type: ignore[arg-type]

    def _for(self, node: cst.For, scope: Scope, seq: int) -> Loop:
        iterable = node.iter
        if isinstance(iterable, cst.Call):
            name = self.recogniser.qualify(iterable.func, scope, seq)
            if name in ("itertools.count", "itertools.cycle", "itertools.repeat") and not (
                    name == "itertools.repeat" and len(iterable.args) > 1):
                return self._loop("for", node, False, f"`for` over `{self.recogniser.code(iterable)}` never ends")
        return self._loop("for", node, True, f"`for` over `{self.recogniser.code(iterable)}`")

    def _while(self, node: cst.While) -> Loop:
        test = node.test
        condition = self.recogniser.code(test)
        if (isinstance(test, cst.Name) and test.value == "True") or (isinstance(test, cst.Integer) and test.value != "0"):
            counter = self._guarded_counter(node)
            if counter is not None:
                return self._loop("while-true", node, True, f"`while {condition}` exits on counter `{counter}`")
            return self._loop("while-true", node, False, f"`while {condition}` with no counter-checked exit")
        names = _names(test)
        counters = self._counters(node.body) & names
        if counters:
            return self._loop("while", node, True, f"`while {condition}` counts `{sorted(counters)[0]}`")
        if any(isinstance(n, cst.Call) and self._is_time_call(n) for n in (test, *_walk(test))):
            return self._loop("while", node, True, f"`while {condition}` has a deadline")
        drained = self._drained(node.body) & names
        if drained:
            return self._loop("while", node, True, f"`while {condition}` drains `{sorted(drained)[0]}`")
        return self._loop("while", node, False, f"`while {condition}` has no counter or bound that changes in its body")

    def _is_time_call(self, node: cst.Call) -> bool:
        name = dotted_name(node.func) or ""
        qualified = self.recogniser.qualify(node.func, self.reader.root, 10**9) or name
        return qualified in _TIME_CALLS or name.endswith((".monotonic", ".perf_counter")) or name.endswith("loop.time")

    @staticmethod
    def _counters(body: cst.CSTNode) -> set[str]:
        """Names changed by a step in the body: `i += 1`, `n -= 1`, `i = i + 1`."""
        found: set[str] = set()
        for node in _walk(body):
            if isinstance(node, cst.AugAssign) and isinstance(node.operator, (cst.AddAssign, cst.SubtractAssign)):
                target = dotted_name(node.target)
                if target is not None:
                    found.add(target)
            elif isinstance(node, cst.Assign) and isinstance(node.value, cst.BinaryOperation) \
                    and isinstance(node.value.operator, (cst.Add, cst.Subtract)):
                for assign_target in node.targets:
                    dotted = dotted_name(assign_target.target)
                    if dotted is not None and dotted in _names(node.value):
                        found.add(dotted)
        return found

    @staticmethod
    def _drained(body: cst.CSTNode) -> set[str]:
        """Collections the body only takes from (`queue.pop()`), never adds to."""
        taken: set[str] = set()
        grown: set[str] = set()
        for node in _walk(body):
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
        for child in _walk(node.body):
            if isinstance(child, cst.If) and counters & _names(child.test):
                if any(isinstance(n, _EXITS) for n in _walk(child.body)):
                    return sorted(counters & _names(child.test))[0]
        return None

    def _recursion(self, function: Scope) -> Loop | None:
        """The function calls itself; bounded when a recursive call steps a parameter the body compares."""
        definition = function.node
        assert isinstance(definition, cst.FunctionDef)
        name = definition.name.value
        recursive = [c.node for c in self._named(name) if self._calls(c, function) and _inside(c.scope, function)]
        if not recursive:
            return None
        params = definition.params
        parameters = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        compared: set[str] = set()
        for node in _walk(definition.body):
            if isinstance(node, cst.Comparison):
                compared |= _names(node)
            elif isinstance(node, cst.If):
                compared |= _names(node.test)
        for call in recursive:
            for arg in call.args:
                value = arg.value
                if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, (cst.Add, cst.Subtract)):
                    stepped = _names(value) & parameters & compared
                    if stepped:
                        return self._loop("recursion", call, True, f"`{name}` recurses on `{sorted(stepped)[0]}`, which it checks")
        return self._loop("recursion", recursive[0], False, f"`{name}` calls itself with no depth bound")

    # prompts ------------------------------------------------------------------------------
    def _prompt(self, call: RecordedCall) -> PromptInfo | None:
        recogniser = self.recogniser
        keywords, positional, _ = recogniser.call_arguments(call.node, call.scope, call.seq)
        evaluator = recogniser.evaluator(call.scope, call.seq)
        parts: list[PromptPart] = []
        seen: set[int] = set()
        for path, role in _PROMPT_KEYWORDS:
            node = recogniser.locate(keywords, positional, path, evaluator, call.scope, call.seq)
            if node is None or id(node) in seen or (isinstance(node, cst.Name) and node.value == "None"):
                continue
            seen.add(id(node))
            parts.extend(self._parts(node, role, evaluator, call))
        marker = any(k in _CACHE_KEYS for k in keywords) or any(self._has_cache_key(v, evaluator) for v in keywords.values())
        if not parts:
            return None
        return PromptInfo(tuple(parts), marker)

    def _parts(self, node: cst.BaseExpression, role: str, evaluator: Evaluator, call: RecordedCall) -> Iterator[PromptPart]:
        target = evaluator.follow(node)
        if isinstance(target, (cst.List, cst.Tuple)):
            for element in target.elements:
                if isinstance(element, cst.Element):
                    yield from self._message(element.value, "user" if role in ("messages", "input", "contents") else role,
                                             evaluator, call)
            return
        if isinstance(target, cst.Dict):
            yield from self._message(target, role, evaluator, call)
            return
        yield self._text(node, "user" if role in ("messages", "input", "contents") else role, evaluator, call)

    def _message(self, node: cst.BaseExpression, role: str, evaluator: Evaluator, call: RecordedCall) -> Iterator[PromptPart]:
        """A message dict (`{"role": ..., "content": ...}`), a content block (`{"text": ...}`) or a string."""
        target = evaluator.follow(node)
        entries = self.recogniser._dict_entries(target, evaluator) if isinstance(target, (cst.Dict, cst.Call)) else None
        if entries is None:
            yield self._text(node, role, evaluator, call)
            return
        if "role" in entries:
            value = evaluator.value(entries["role"])
            if value.known and isinstance(value.value, str):
                role = value.value
        for key in ("content", "text", "parts"):
            if key in entries:
                content = evaluator.follow(entries[key])
                if isinstance(content, (cst.List, cst.Tuple)):
                    for element in content.elements:
                        if isinstance(element, cst.Element):
                            yield from self._message(element.value, role, evaluator, call)
                else:
                    yield self._text(entries[key], role, evaluator, call)
                return

    def _text(self, node: cst.BaseExpression, role: str, evaluator: Evaluator, call: RecordedCall) -> PromptPart:
        value = evaluator.value(node)
        if value.known and isinstance(value.value, str):
            return PromptPart(role, value)
        if value.reference is not None:
            return PromptPart(role, value)
        target = evaluator.follow(node)
        file = self._file(target, evaluator, call)
        if file is not None:
            return PromptPart(role, StaticValue.unknown(value.expression), file)
        template = self._template(target, evaluator, 0)
        if template is not None and template.strip("{}") and _static_share(template) > 0:
            return PromptPart(role, StaticValue(expression=value.expression, value=template))
        return PromptPart(role, StaticValue.unknown(value.expression))

    def _template(self, node: cst.BaseExpression, evaluator: Evaluator, depth: int) -> str | None:
        """Static text with unresolved fields kept as `{expression}`: what a prompt's author edits."""
        if depth > 8:
            return None
        static = evaluator.value(node)
        if static.known and isinstance(static.value, str):
            return static.value
        node = evaluator.follow(node)
        if isinstance(node, cst.FormattedString):
            pieces = []
            for part in node.parts:
                if isinstance(part, cst.FormattedStringText):
                    pieces.append(part.value)
                elif isinstance(part, cst.FormattedStringExpression):
                    inner = evaluator.value(part.expression)
                    pieces.append(str(inner.value) if inner.known and not part.format_spec and not part.conversion
                                  else "{" + self.recogniser.code(part.expression) + "}")
            return "".join(pieces)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left = self._template(node.left, evaluator, depth + 1)
            right = self._template(node.right, evaluator, depth + 1)
            left = left if left is not None else "{" + self.recogniser.code(node.left) + "}"
            right = right if right is not None else "{" + self.recogniser.code(node.right) + "}"
            return left + right
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
            return self._template(node.func.value, evaluator, depth + 1)
        if isinstance(node, cst.Call) and node.args:
            name = self.recogniser.qualify(node.func, self.reader.root, 10**9)
            if name in ("textwrap.dedent", "inspect.cleandoc"):
                body = self._template(node.args[0].value, evaluator, depth + 1)
                if body is None:
                    return None
                return textwrap.dedent(body) if name == "textwrap.dedent" else inspect.cleandoc(body)
        return None

    def _file(self, node: cst.BaseExpression, evaluator: Evaluator, call: RecordedCall) -> PromptFile | None:
        """`Path("x").read_text()`, `(HERE / "x").read_text()`, `open("x").read()`, `f.read()` of `with open("x") as f`."""
        if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)):
            return None
        method = node.func.attr.value
        receiver = evaluator.follow(node.func.value)
        if method == "read_text":
            return self._path(receiver, evaluator, call)
        if method == "read" and isinstance(receiver, cst.Call) and receiver.args:
            name = self.recogniser.qualify(receiver.func, call.scope, call.seq)
            if name in ("open", "io.open", "codecs.open"):
                return self._path(evaluator.follow(receiver.args[0].value), evaluator, call, plain=True)
            if isinstance(receiver.func, cst.Attribute) and receiver.func.attr.value == "open":
                return self._path(evaluator.follow(receiver.func.value), evaluator, call)
        return None

    def _path(self, node: cst.BaseExpression, evaluator: Evaluator, call: RecordedCall, plain: bool = False,
              depth: int = 0) -> PromptFile | None:
        if depth > 8:
            return None
        node = evaluator.follow(node)
        literal = evaluator.value(node)
        if literal.known and isinstance(literal.value, str):
            return PromptFile(literal.value, "cwd")
        if plain and not isinstance(node, (cst.Call, cst.BinaryOperation)):
            return None
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
            base = self._path(node.left, evaluator, call, depth=depth + 1)
            tail = evaluator.value(node.right)
            if base is not None and tail.known and isinstance(tail.value, str):
                return PromptFile(_join(base.path, tail.value), base.anchor)
            return None
        if isinstance(node, cst.Attribute) and node.attr.value == "parent":
            base = self._path(node.value, evaluator, call, depth=depth + 1)
            return PromptFile(_join(base.path, ".."), base.anchor) if base is not None else None
        if isinstance(node, cst.Call):
            func = node.func
            name = self.recogniser.qualify(func, call.scope, call.seq) or ""
            if name in ("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "os.path.join"):
                pieces = [a.value for a in node.args]
                if not pieces:
                    return None
                base = self._anchor(pieces[0], evaluator, call) or self._path(pieces[0], evaluator, call, depth=depth + 1)
                if base is None:
                    return None
                path = base.path
                for piece in pieces[1:]:
                    tail = evaluator.value(piece)
                    if not (tail.known and isinstance(tail.value, str)):
                        return None
                    path = _join(path, tail.value)
                return PromptFile(path, base.anchor)
            if name in ("os.path.dirname", "os.path.abspath", "os.path.realpath") and node.args:
                inner = self._anchor(node.args[0].value, evaluator, call) or self._path(node.args[0].value, evaluator, call,
                                                                                       depth=depth + 1)
                if inner is None:
                    return None
                return PromptFile(_join(inner.path, "..") if name == "os.path.dirname" else inner.path, inner.anchor)
            if isinstance(func, cst.Attribute) and func.attr.value in ("resolve", "absolute", "expanduser"):
                return self._path(func.value, evaluator, call, depth=depth + 1)
            if isinstance(func, cst.Attribute) and func.attr.value in ("with_name", "joinpath") and node.args:
                base = self._path(func.value, evaluator, call, depth=depth + 1)
                tail = evaluator.value(node.args[0].value)
                if base is None or not (tail.known and isinstance(tail.value, str)):
                    return None
                start = _join(base.path, "..") if func.attr.value == "with_name" else base.path
                return PromptFile(_join(start, tail.value), base.anchor)
        return None

    @staticmethod
    def _anchor(node: cst.BaseExpression, evaluator: Evaluator, call: RecordedCall) -> PromptFile | None:
        """`__file__` is the module itself: a path relative to the module's directory starts from it."""
        if isinstance(node, cst.Name) and node.value == "__file__":
            return PromptFile("__file__", "file")
        return None

    def _has_cache_key(self, node: cst.BaseExpression, evaluator: Evaluator, depth: int = 0) -> bool:
        """A cache marker as a dict key or keyword argument in the expression, or in names its lists hold."""
        if depth > 3:
            return False
        target = evaluator.follow(node)
        if "cache" in self.recogniser.code(target):  # cheap test before the walk
            for child in (target, *_walk(target)):
                if isinstance(child, cst.SimpleString) and string_literal(child) in _CACHE_KEYS:
                    return True
                if isinstance(child, cst.Arg) and child.keyword is not None and child.keyword.value in _CACHE_KEYS:
                    return True
        if isinstance(target, (cst.List, cst.Tuple)):
            return any(isinstance(e, cst.Element) and isinstance(e.value, cst.Name) and self._has_cache_key(e.value, evaluator, depth + 1)
                       for e in target.elements)
        return False

    # endpoints ----------------------------------------------------------------------------
    def _module_base_url(self, module: str, attribute: str) -> StaticValue | None:
        """`openai.base_url = ...` (`openai.api_base` before 1.0) at module level configures the module-level client."""
        evaluator = self.recogniser.evaluator(self.reader.root, 10**9)
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
                        owner = self.recogniser.infer(node.value, self.reader.root, 10**9)
                        if isinstance(owner, QName) and owner.name == module:
                            found = evaluator.value(small.value)
        return found

    def _endpoint(self, call: RecordedCall) -> StaticValue | None:
        keywords, _, _ = self.recogniser.call_arguments(call.node, call.scope, call.seq)
        evaluator = self.recogniser.evaluator(call.scope, call.seq)
        for name in _ENDPOINT_KEYWORDS:
            if name in keywords:
                return evaluator.value(keywords[name])
        return None


def _inside(scope: Scope | None, function: Scope) -> bool:
    while scope is not None:
        if scope is function:
            return True
        scope = scope.parent
    return False


def _static_share(template: str) -> int:
    """Characters of a template outside its `{field}` placeholders."""
    return len(re.sub(r"\{[^{}]*\}", "", template).strip())


def _join(base: str, tail: str) -> str:
    """POSIX join that keeps `__file__` as the anchor's first part (`__file__/../prompts/x.md`)."""
    return f"{base}/{tail}" if base else tail


def module_calls(reader: ModuleReader, recogniser: Recogniser) -> tuple[ModuleCall, ...]:
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
        symbol = recogniser.infer(func, scope, call.seq) if isinstance(func, (cst.Name, cst.Attribute)) else None
        if isinstance(symbol, QName):
            name = symbol.name
        elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call):
            # `OpenAIInstrumentor().instrument()`
            owner = recogniser.infer(func.value.func, scope, call.seq)
            if isinstance(owner, QName):
                name = f"{owner.name}.{func.attr.value}"
        if name is not None and (name, function) not in found:
            found[(name, function)] = ModuleCall(name, function)
    return tuple(found.values())
