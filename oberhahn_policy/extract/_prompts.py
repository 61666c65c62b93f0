"""The prompt a call sends, as far as it is static: text, templates and prompt files by path (OBH401, OBH403).

Prompt files are recorded by path, not read here: the extraction cache is keyed by the module's
bytes, so a prompt file read during extraction would go stale when only the prompt file changes.
The resolve step reads them (see `oberhahn_policy.prompts`).
"""

from __future__ import annotations

import inspect
import re
import textwrap
from typing import Iterator

import libcst as cst

from ..callsite import PromptFile, PromptInfo, PromptPart, StaticValue
from ._bindings import END, ModuleReader, RecordedCall
from ._model import ModuleModel
from ._tree import walk
from ._values import Evaluator, string_literal

#: Framework message classes (LangChain, LlamaIndex) and the role they carry.
_MESSAGE_CLASSES = {"SystemMessage": "system", "HumanMessage": "user", "AIMessage": "assistant",
                    "ChatMessage": "user", "UserMessage": "user", "AssistantMessage": "assistant"}
_ROLES = frozenset({"system", "developer", "user", "human", "assistant", "ai"})


class PromptCollector:
    """Collects the prompt parts of recognised calls."""

    def __init__(self, reader: ModuleReader, model: ModuleModel) -> None:
        self.reader = reader
        self.model = model

    def prompt(self, call: RecordedCall, framework: str | None = None) -> PromptInfo | None:
        """The call's prompt; a framework call's first positional argument is its input (`llm.invoke(messages)`)."""
        model = self.model
        keywords, positional, _ = model.call_arguments(call.node, call.scope, call.seq)
        evaluator = model.evaluator(call.scope, call.seq)
        parts: list[PromptPart] = []
        seen: set[int] = set()
        arguments = model.surface.arguments
        paths = tuple((a.path, a.role) for a in arguments.prompt) + ((("#0", "input"),) if framework is not None else ())
        for path, role in paths:
            node = model.locate(keywords, positional, path, evaluator, call.scope, call.seq)
            if node is None or id(node) in seen or (isinstance(node, cst.Name) and node.value == "None"):
                continue
            seen.add(id(node))
            parts.extend(self._parts(node, role, evaluator, call))
        markers = frozenset(arguments.cache_markers)
        marker = any(k in markers for k in keywords) or any(self._has_cache_key(v, evaluator, markers) for v in keywords.values())
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
        """A message dict (`{"role": ..., "content": ...}`), a content block (`{"text": ...}`), a framework message
        (`SystemMessage(content=...)`, `("system", "...")`) or a string."""
        target = evaluator.follow(node)
        if isinstance(target, cst.Call):
            name = (self.model.qualify(target.func, call.scope, call.seq) or "").rsplit(".", 1)[-1]
            if name in _MESSAGE_CLASSES:
                content = next((a.value for a in target.args if a.keyword is not None and a.keyword.value == "content"),
                               next((a.value for a in target.args if a.keyword is None and not a.star), None))
                if content is not None:
                    yield from self._message(content, _MESSAGE_CLASSES[name], evaluator, call)
                return
        if isinstance(target, cst.Tuple) and len(target.elements) == 2:
            first = evaluator.value(target.elements[0].value)
            if first.known and first.value in _ROLES:
                role = {"human": "user", "ai": "assistant"}.get(str(first.value), str(first.value))
                yield self._text(target.elements[1].value, role, evaluator, call)
                return
        entries = self.model.arguments.dict_entries(target, evaluator) if isinstance(target, (cst.Dict, cst.Call)) else None
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
                                  else "{" + self.model.code(part.expression) + "}")
            return "".join(pieces)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left = self._template(node.left, evaluator, depth + 1)
            right = self._template(node.right, evaluator, depth + 1)
            left = left if left is not None else "{" + self.model.code(node.left) + "}"
            right = right if right is not None else "{" + self.model.code(node.right) + "}"
            return left + right
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
            return self._template(node.func.value, evaluator, depth + 1)
        if isinstance(node, cst.Call) and node.args:
            name = self.model.qualify(node.func, self.reader.root, END)
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
            name = self.model.qualify(receiver.func, call.scope, call.seq)
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
            name = self.model.qualify(func, call.scope, call.seq) or ""
            if name in ("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "os.path.join"):
                pieces = [a.value for a in node.args]
                if not pieces:
                    return None
                base = _anchor(pieces[0]) or self._path(pieces[0], evaluator, call, depth=depth + 1)
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
                inner = _anchor(node.args[0].value) or self._path(node.args[0].value, evaluator, call,
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


    def _has_cache_key(self, node: cst.BaseExpression, evaluator: Evaluator, markers: frozenset[str], depth: int = 0) -> bool:
        """A cache marker as a dict key or keyword argument in the expression, or in names its lists hold."""
        if depth > 3:
            return False
        target = evaluator.follow(node)
        if "cache" in self.model.code(target):  # cheap test before the walk
            for child in (target, *walk(target)):
                if isinstance(child, cst.SimpleString) and string_literal(child) in markers:
                    return True
                if isinstance(child, cst.Arg) and child.keyword is not None and child.keyword.value in markers:
                    return True
        if isinstance(target, (cst.List, cst.Tuple)):
            return any(isinstance(e, cst.Element) and isinstance(e.value, cst.Name) and self._has_cache_key(e.value, evaluator, markers, depth + 1)
                       for e in target.elements)
        return False


def _static_share(template: str) -> int:
    """Characters of a template outside its `{field}` placeholders."""
    return len(re.sub(r"\{[^{}]*\}", "", template).strip())


def _join(base: str, tail: str) -> str:
    """POSIX join that keeps `__file__` as the anchor's first part (`__file__/../prompts/x.md`)."""
    return f"{base}/{tail}" if base else tail


def _anchor(node: cst.BaseExpression) -> PromptFile | None:
    """`__file__` is the module itself: a path relative to the module's directory starts from it."""
    if isinstance(node, cst.Name) and node.value == "__file__":
        return PromptFile("__file__", "file")
    return None
