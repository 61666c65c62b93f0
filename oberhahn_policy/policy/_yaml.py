"""Reading policy YAML with a position for every value, refusing what could exhaust the reader.

YAML is loaded with PyYAML's safe loader (libyaml's when available); alias bombs, recursive anchors,
deep nesting and tags are refused before anything is expanded.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..safeio import UnsafeFileError, read_text_file
from .document import Document, Mark, PolicyError, PolicyLoadError, YamlPath, dotted


#: A policy is a page or two of YAML; a file far larger is a mistake or an attack, and is not read.
MAX_POLICY_BYTES = 1_000_000
#: Values a policy may expand to once YAML aliases are followed. A real policy (hundreds of use cases)
#: has a few thousand; a "billion laughs" document of 333 bytes expands to 9**7.
MAX_POLICY_VALUES = 100_000
#: Nesting of mappings and lists; the deepest real policy section is 5 levels.
MAX_POLICY_DEPTH = 64
#: `extends` chains: how deep, and how many files in all (each file is read once, however often it is named).
MAX_EXTENDS_DEPTH = 32
MAX_POLICY_FILES = 64

#: Scalar tags a policy may carry (implicitly resolved ones, and `<<` merge keys, which stay within the budget).
_PLAIN_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}"
                               for name in ("str", "int", "float", "bool", "null", "timestamp", "merge"))
_MAP_TAG, _SEQ_TAG = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


def _error(file: str, node: yaml.Node | None, message: str, path: YamlPath = ()) -> PolicyLoadError:
    line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
    return PolicyLoadError([PolicyError(file, line, column, dotted(path), message)])


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _check_graph(root: yaml.Node, file: str) -> None:
    """Refuse alias bombs, recursive anchors, deep nesting and tags before anything is expanded.

    The composer shares an aliased node instead of copying it, so this walk is linear in the file;
    the sizes it adds up are what expanding the aliases would build.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in on_path:
            raise _error(file, node, "a YAML alias refers to a node that contains it (a recursive anchor); "
                                     "a policy must be a tree: copy the values instead")
        if depth > MAX_POLICY_DEPTH:
            raise _error(file, node, f"nested more than {MAX_POLICY_DEPTH} levels deep; a policy is a few levels deep: "
                                     "flatten it")
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                raise _error(file, node, f"the YAML tag {_short_tag(node.tag)} is not allowed in a policy; "
                                         "remove it (sections are plain mappings)")
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise _error(file, node, f"the YAML tag {_short_tag(node.tag)} is not allowed in a policy; "
                                         "remove it (lists are plain sequences)")
            children = list(node.value)
        else:
            if node.tag not in _PLAIN_SCALAR_TAGS:
                raise _error(file, node, f"the YAML tag {_short_tag(node.tag)} is not allowed in a policy; "
                                         "remove it (values are strings, numbers, booleans or null)")
            children = []
        on_path.add(key)
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > MAX_POLICY_VALUES:
                raise _error(file, node, f"the policy expands to more than {MAX_POLICY_VALUES:,} values once its YAML "
                                         "aliases are followed (an alias bomb?); use fewer aliases")
        on_path.discard(key)
        sizes[key] = total
        return total

    size(root, 0)


#: Quoted scalars (skipped: brackets inside them are text) and flow brackets.
_FLOW_TOKEN = re.compile(r"""(?:(?<=[\s\[\]{},:])|^)(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')|[\[\]{}]""", re.MULTILINE)


def _check_flow_depth(text: str, file: str) -> None:
    """Refuse deeply nested `[[[...` before PyYAML sees it: its scanner is quadratic in flow depth (3,000: 2.5 s)."""
    depth = 0
    for match in _FLOW_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_POLICY_DEPTH:
                before = text[:match.start()]
                line, column = before.count("\n") + 1, match.start() - (before.rfind("\n") + 1) + 1
                raise PolicyLoadError([PolicyError(file, line, column, "", f"nested more than {MAX_POLICY_DEPTH} levels "
                                                                           "deep; a policy is a few levels deep: flatten it")])
        elif token in "]}":
            depth = max(0, depth - 1)


#: libyaml's safe loader when PyYAML has it: 5x faster (a 1 MB policy: 1.3 s against 6 s), with a nesting limit of its own.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str, file: str) -> Document:
    loader: yaml.SafeLoader | None = None
    _check_flow_depth(text, file)
    try:
        loader = _SafeLoader(text)  # its reader rejects NUL and other unprintable characters
        root = loader.get_single_node()
        if root is None:
            return Document(data={})
        _check_graph(root, file)
        document = Document(data=None)
        document.data = _construct(loader, root, (), file, document)
        return document
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"invalid YAML: {exc.problem or exc.context}"
        raise PolicyLoadError([PolicyError(file, line, column, "", message)]) from None
    except yaml.reader.ReaderError as exc:
        before = text[:exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        character = "a NUL character" if exc.character in (0, "\x00") else f"the character #x{_code(exc.character):04x}"
        raise PolicyLoadError([PolicyError(file, line, column, "", f"{character} is not allowed in YAML; remove it")]) from None
    except yaml.YAMLError as exc:
        raise PolicyLoadError([PolicyError(file, 1, 1, "", f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise PolicyLoadError([PolicyError(file, 1, 1, "", "nested too deeply to read; a policy is a few levels deep: "
                                                           "flatten it")]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _code(character: object) -> int:
    return ord(character) if isinstance(character, str) else int(character)  # type: ignore[call-overload]


def _construct(loader: yaml.SafeLoader, node: yaml.Node, path: YamlPath, file: str, doc: Document) -> Any:
    doc.values[path] = Mark(file, node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        if id(node) not in doc.merged:  # an aliased mapping is flattened once and met again
            own = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
            loader.flatten_mapping(node)  # `<<: *base` pairs come first; the mapping's own keys override them
            doc.merged[id(node)] = len(node.value) - own
        merged = doc.merged[id(node)]
        result: dict[Any, Any] = {}
        own_keys: set[str] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            key = loader.construct_object(key_node, deep=True)
            key_mark = Mark(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key, str):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
                raise PolicyLoadError([PolicyError(file, key_mark.line, key_mark.column, dotted(path),
                                                   f"keys must be strings, got {shown!s} ({type(key).__name__}); "
                                                   f"quote it: \"{shown!s}\"")])
            if key in own_keys:
                raise PolicyLoadError(
                    [PolicyError(file, key_mark.line, key_mark.column, dotted(path + (key,)),
                                 f"duplicate key {key!r}; remove one of the two")]
                )
            if index >= merged:
                own_keys.add(key)
            doc.keys[path + (key,)] = key_mark
            result[key] = _construct(loader, value_node, path + (key,), file, doc)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, path + (i,), file, doc) for i, item in enumerate(node.value)]
    value = loader.construct_object(node, deep=True)
    if not isinstance(value, (str, int, float, bool, type(None))):
        value = str(value)  # dates are validated as strings
    return value


def read_document(path: Path, label: str, root: Path | None = None) -> Document:
    """A policy file as a document; only a regular UTF-8 file (inside `root`, when given) of a sane size is read."""
    try:
        text = read_text_file(path, limit=MAX_POLICY_BYTES, root=root, label=label, what="policy file")
    except UnsafeFileError as exc:
        message = "policy file not found" if exc.reason == "missing" else exc.problem
        raise PolicyLoadError([PolicyError(label, exc.line or 1, exc.column or 1, "", message)]) from None
    return compose(text, label)
