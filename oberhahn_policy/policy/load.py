"""Finding, reading and validating policy files, with a FILE:LINE:COL for every error.

YAML is loaded with PyYAML's safe loader; every node keeps its position so that a schema or
model error points at the line the user must edit. Validation is against the JSON Schema
generated from the pydantic model (the same schema that is published in schemas/).
"""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import jsonschema
import yaml
from pydantic import ValidationError

from ..repository import directories_up_to_repository, repository_root
from ..safeio import UnsafeFileError, is_inside, read_text_file
from ..wording import did_you_mean
from .model import Policy

POLICY_FILE_NAMES = ("oberhahn-policy.yaml", ".oberhahn-policy.yaml")
DEFAULT_POLICY_NAME = "<default policy>"

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class PolicyError:
    """One problem in a policy file, printed as `FILE:LINE:COL: dotted.path: message`."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}:{self.column}: {where}{self.message}"


class PolicyLoadError(Exception):
    """A policy that can't be used; carries every error found, not just the first."""

    def __init__(self, errors: list[PolicyError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class _Mark:
    file: str
    line: int
    column: int


@dataclass
class _Document:
    """A policy document as plain data plus the position of every value and key."""

    data: Any
    values: dict[YamlPath, _Mark] = field(default_factory=dict)
    keys: dict[YamlPath, _Mark] = field(default_factory=dict)
    #: Mapping node id -> how many of its pairs came from `<<` merge keys (while composing only).
    merged: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LoadedPolicy:
    """A validated policy and where it came from."""

    policy: Policy
    #: The files read, the policy first, then everything it extends; empty for the default.
    sources: tuple[Path, ...]
    #: Where each value of the merged document came from, for semantic errors.
    positions: dict[YamlPath, tuple[str, int, int]]

    @property
    def label(self) -> str:
        return _relabel(self.sources[0]) if self.sources else DEFAULT_POLICY_NAME

    def position(self, path: YamlPath) -> tuple[str, int, int]:
        """The closest known position of `path` (or of its nearest parent)."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (self.label, 1, 1))


def dotted(path: YamlPath) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")


# --- reading YAML with positions -------------------------------------------------------------

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


def _compose(text: str, file: str) -> _Document:
    loader: yaml.SafeLoader | None = None
    _check_flow_depth(text, file)
    try:
        loader = _SafeLoader(text)  # its reader rejects NUL and other unprintable characters
        root = loader.get_single_node()
        if root is None:
            return _Document(data={})
        _check_graph(root, file)
        document = _Document(data=None)
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


def _construct(loader: yaml.SafeLoader, node: yaml.Node, path: YamlPath, file: str, doc: _Document) -> Any:
    doc.values[path] = _Mark(file, node.start_mark.line + 1, node.start_mark.column + 1)
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
            key_mark = _Mark(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
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


def _read_document(path: Path, label: str, root: Path | None = None) -> _Document:
    """A policy file as a document; only a regular UTF-8 file (inside `root`, when given) of a sane size is read."""
    try:
        text = read_text_file(path, limit=MAX_POLICY_BYTES, root=root, label=label, what="policy file")
    except UnsafeFileError as exc:
        message = "policy file not found" if exc.reason == "missing" else exc.problem
        raise PolicyLoadError([PolicyError(label, exc.line or 1, exc.column or 1, "", message)]) from None
    return _compose(text, label)


# --- extends ---------------------------------------------------------------------------------


def _merge(base: _Document, override: _Document) -> _Document:
    """Overlay `override` on `base`: mappings merge key by key, everything else replaces."""

    def merge_values(b: Any, o: Any, path: YamlPath) -> Any:
        if isinstance(b, dict) and isinstance(o, dict):
            merged = dict(b)
            for key, value in o.items():
                merged[key] = merge_values(b[key], value, path + (key,)) if key in b else value
            return merged
        return o

    merged = _Document(data=merge_values(base.data, override.data, ()))
    merged.values = {**base.values, **override.values}
    merged.keys = {**base.keys, **override.keys}
    return merged


@dataclass
class _ExtendsWalk:
    """One `extends` resolution: every file is read and merged once, however often it is named (diamonds)."""

    #: The directory extended files must stay inside (the repository of the policy named first).
    root: Path
    loaded: dict[Path, tuple[_Document, list[Path]]] = field(default_factory=dict)

    def load(self, path: Path, label: str, seen: tuple[Path, ...], named_at: PolicyError | None) -> tuple[_Document, list[Path]]:
        resolved = path.resolve()
        if resolved in seen:
            chain = " -> ".join(str(p) for p in seen + (resolved,))
            raise PolicyLoadError([PolicyError(label, 1, 1, "extends", f"circular extends: {chain}")])
        if resolved in self.loaded:
            return self.loaded[resolved]
        if len(seen) > MAX_EXTENDS_DEPTH or len(self.loaded) >= MAX_POLICY_FILES:
            where = named_at or PolicyError(label, 1, 1, "extends", "")
            limit = (f"more than {MAX_EXTENDS_DEPTH} levels of extends" if len(seen) > MAX_EXTENDS_DEPTH
                     else f"more than {MAX_POLICY_FILES} policy files in all")
            raise PolicyLoadError([PolicyError(where.file, where.line, where.column, where.field,
                                               f"{limit}; flatten the chain of extended policies")])
        document = _read_document(path, label, self.root if seen else None)
        if not isinstance(document.data, dict):
            raise PolicyLoadError([PolicyError(label, 1, 1, "", "a policy file must be a mapping of sections")])
        sources = [path]
        extends = document.data.get("extends", [])
        if isinstance(extends, str):
            extends = [extends]
        combined: _Document | None = None
        for index, parent in enumerate(extends if isinstance(extends, list) else []):
            if not isinstance(parent, str):
                continue  # reported by schema validation
            parent_path = path.parent / parent
            mark = document.values.get(("extends", index), _Mark(label, 1, 1))
            named = PolicyError(mark.file, mark.line, mark.column, f"extends[{index}]", "")
            try:
                parent_doc, parent_sources = self.load(parent_path, _relabel(parent_path), seen + (resolved,), named)
            except PolicyLoadError as exc:
                if any(e.message == "policy file not found" and e.file == _relabel(parent_path) for e in exc.errors):
                    raise PolicyLoadError([PolicyError(mark.file, mark.line, mark.column, f"extends[{index}]",
                                                       f"extended policy {parent!r} not found (relative to {path.parent})")]) from None
                if len(exc.errors) == 1 and exc.errors[0].file == _relabel(parent_path) and exc.errors[0].line == 1 \
                        and ("outside the project" in exc.errors[0].message or "not a regular file" in exc.errors[0].message):
                    raise PolicyLoadError([PolicyError(mark.file, mark.line, mark.column, f"extends[{index}]",
                                                       f"extended policy {parent!r}: {exc.errors[0].message}")]) from None
                raise
            parent_doc = _Document({k: v for k, v in parent_doc.data.items() if k != "extends"},
                                   parent_doc.values, parent_doc.keys)
            combined = parent_doc if combined is None else _merge(combined, parent_doc)
            sources.extend(parent_sources)
        if combined is not None:
            document = _merge(combined, document)
        result = (document, list(dict.fromkeys(sources)))
        self.loaded[resolved] = result
        return result


def _load_with_extends(path: Path, label: str) -> tuple[_Document, list[Path]]:
    return _ExtendsWalk(repository_root_of(path)).load(path, label, (), None)


def repository_root_of(path: Path) -> Path:
    """The checkout a file is in (the nearest directory with `.git`), else the file's own directory."""
    return repository_root(path.resolve().parent)


def _relabel(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --- validation ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def policy_json_schema() -> dict[str, Any]:
    """The published policy schema, generated from the pydantic model."""
    schema = Policy.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://oberhahn-policy.dev/schemas/policy.schema.json"
    return schema


def _resolve_ref(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = root["$defs"][name]
    return schema


def _type_names(schema: dict[str, Any], root: dict[str, Any]) -> list[str]:
    schema = _resolve_ref(schema, root)
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            names: list[str] = []
            for sub in schema[combinator]:
                names.extend(n for n in _type_names(sub, root) if n not in names)
            return names
    if "const" in schema:
        return [json.dumps(schema["const"])]
    if "enum" in schema:
        return [" | ".join(json.dumps(v) for v in schema["enum"])]
    kind = schema.get("type")
    if kind == "object":
        return ["a mapping"]
    if kind == "array":
        return ["a list"]
    return [str(kind)] if kind else []


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {value!r}".lower()
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {value!r}"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _descend_into_objects(errors: Iterator[Any],
                          root: dict[str, Any]) -> Iterator[Any]:
    """A mapping given for an optional section (`quality: {...}`, schema `anyOf: [object, null]`) is wrong inside:
    report the object branch's own errors at their fields, not "expected a mapping or null, got a mapping"."""
    for error in errors:
        if error.validator in ("anyOf", "oneOf") and isinstance(error.instance, dict) and error.context:
            branches = error.schema.get(error.validator, []) if isinstance(error.schema, dict) else []
            objects = [i for i, sub in enumerate(branches) if _resolve_ref(sub, root).get("type") == "object"]
            if len(objects) == 1:
                yield from _descend_into_objects(
                    iter([e for e in error.context if e.relative_schema_path and e.relative_schema_path[0] == objects[0]]),
                    root)
                continue
        yield error


def _schema_errors(document: _Document, label: str) -> Iterator[PolicyError]:
    root = policy_json_schema()
    validator = jsonschema.Draft202012Validator(root)

    def mark_of(path: YamlPath, *, key: bool = False) -> _Mark:
        table = document.keys if key else document.values
        probe = path
        while probe:
            if probe in table:
                return table[probe]
            if probe in document.values:
                return document.values[probe]
            probe = probe[:-1]
        return document.values.get((), _Mark(label, 1, 1))

    for error in _descend_into_objects(validator.iter_errors(document.data), root):
        path: YamlPath = tuple(error.absolute_path)
        schema = _resolve_ref(error.schema, root) if isinstance(error.schema, dict) else {}
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = list(schema.get("properties", {}))
            for key in sorted(k for k in error.instance if k not in known):
                mark = mark_of(path + (key,), key=True)
                allowed = ", ".join(known) if len(known) <= 12 else f"{len(known)} known keys"
                message = f"unknown key {key!r}{did_you_mean(key, known)}"
                if not did_you_mean(key, known):
                    message += f" (expected one of: {allowed})"
                yield PolicyError(mark.file, mark.line, mark.column, dotted(path + (key,)), message)
            continue
        mark = mark_of(path)
        bound = _bound_error(error)
        if isinstance(error.instance, float) and not math.isfinite(error.instance):
            message = _NOT_FINITE
        elif bound is not None:
            message = bound
        elif error.validator in ("type", "anyOf", "oneOf"):
            expected = " or ".join(_type_names(error.schema, root)) or "another type"
            message = f"expected {expected}, got {_describe(error.instance)}"
            if isinstance(error.instance, str):
                enum_values = [v.strip('"') for n in _type_names(error.schema, root) for v in n.split(" | ")]
                message += did_you_mean(error.instance, enum_values)
        elif error.validator in ("enum", "const"):
            options = [str(v) for v in schema.get("enum", [schema.get("const")])]
            message = f"{_describe(error.instance)} is not one of: {', '.join(options)}"
            if isinstance(error.instance, str):
                message += did_you_mean(error.instance, options)
        elif error.validator == "required":
            message = error.message
        else:
            message = error.message
        yield PolicyError(mark.file, mark.line, mark.column, dotted(path), message)


_NOT_FINITE = "must be a finite number (.inf and .nan can't be budgeted or projected)"


def _bound_error(error: jsonschema.ValidationError) -> str | None:
    """A number out of range inside `anyOf: [number, null]` reads as that, not as a type mismatch."""
    if error.validator == "anyOf" and isinstance(error.instance, (int, float)) and not isinstance(error.instance, bool):
        for sub in error.context or ():
            if sub.validator in ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"):
                return str(sub.message)
    return None


def _model_errors(exc: ValidationError, document: _Document, label: str) -> Iterator[PolicyError]:
    for item in exc.errors():
        path: YamlPath = tuple(p for p in item["loc"] if isinstance(p, (str, int)))
        probe = path
        while probe and probe not in document.values:
            probe = probe[:-1]
        mark = document.values.get(probe, _Mark(label, 1, 1))
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "finite_number":
            message = _NOT_FINITE
        yield PolicyError(mark.file, mark.line, mark.column, dotted(path), message)


def _validate(document: _Document, label: str) -> Policy:
    errors = sorted(_schema_errors(document, label), key=lambda e: (e.file, e.line, e.column, e.field))
    if errors:
        raise PolicyLoadError(errors)
    try:
        return Policy.model_validate(document.data)
    except ValidationError as exc:
        raise PolicyLoadError(list(_model_errors(exc, document, label))) from None


# --- public entry points ---------------------------------------------------------------------


def load_policy(path: Path | str) -> LoadedPolicy:
    """Read, merge (`extends`) and validate one policy file."""
    path = Path(path)
    label = _relabel(path)
    document, sources = _load_with_extends(path, label)
    policy = _validate(document, label)
    positions = {p: (m.file, m.line, m.column) for p, m in document.values.items()}
    return LoadedPolicy(policy=policy, sources=tuple(sources), positions=positions)


def load_policy_text(text: str, label: str = "<policy>") -> LoadedPolicy:
    """Validate a policy given as text (used by tests and rule examples)."""
    document = _compose(text, label)
    if not isinstance(document.data, dict):
        raise PolicyLoadError([PolicyError(label, 1, 1, "", "a policy file must be a mapping of sections")])
    policy = _validate(document, label)
    positions = {p: (m.file, m.line, m.column) for p, m in document.values.items()}
    return LoadedPolicy(policy=policy, sources=(), positions=positions)


def default_policy() -> LoadedPolicy:
    """The embedded policy used where a repository has none."""
    text = resources.files("oberhahn_policy").joinpath("data/default-policy.yaml").read_text(encoding="utf-8")
    loaded = load_policy_text(text, DEFAULT_POLICY_NAME)
    return loaded


#: pyproject.toml files are small; a larger one is a mistake or an attack, and is not read.
MAX_PYPROJECT_BYTES = 4_000_000
PYPROJECT_SECTION = "tool.oberhahn-policy"


class PyprojectError(PolicyLoadError):
    """A pyproject.toml that can't be read or used; one error, printed as `FILE:LINE:COL: problem`."""

    def __init__(self, file: str, line: int, column: int, message: str) -> None:
        super().__init__([PolicyError(file, line, column, "", message)])


def key_position(text: str, key: str, section: str = PYPROJECT_SECTION) -> tuple[int, int]:
    """Where `key` is written inside `[section]` of a TOML text (TOML parsers keep no positions); 1:1 if not found."""
    inside = section == ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "").strip("[]").replace('"', "") == section
            continue
        if inside and stripped.split("=", 1)[0].strip().strip('"').replace("_", "-") == key:
            return number, line.index(stripped[0]) + 1
    return 1, 1


def read_pyproject(pyproject: Path) -> tuple[str, dict[str, Any]]:
    """The text and the parsed contents of a pyproject.toml; PyprojectError when it can't be used.

    A pyproject.toml that doesn't parse is an error, not an absence: it may hold the settings
    (`fail-on`, `exclude`, `policy`, `baseline`) that make the gate strict, and skipping them
    silently would turn a failing check into a passing one.
    """
    label = _relabel(pyproject)
    try:
        text = read_text_file(pyproject, limit=MAX_PYPROJECT_BYTES, label=label, what="pyproject.toml")
    except UnsafeFileError as exc:
        raise PyprojectError(label, exc.line or 1, exc.column or 1, exc.problem) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
        detail = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(exc))
        raise PyprojectError(label, line, column, f"invalid TOML: {detail}; fix pyproject.toml (its "
                                                  f"[{PYPROJECT_SECTION}] settings can't be read while it is broken)") from None
    except RecursionError:
        raise PyprojectError(label, 1, 1, "nested too deeply to read; fix pyproject.toml") from None
    return text, data


def pyproject_section(pyproject: Path) -> dict[str, Any] | None:
    """The `[tool.oberhahn-policy]` table of a pyproject.toml; None when it has none; PyprojectError when broken."""
    return section_of(pyproject, *read_pyproject(pyproject))


def section_of(pyproject: Path, text: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """The `[tool.oberhahn-policy]` table of an already read pyproject.toml (see `pyproject_section`)."""
    label = _relabel(pyproject)
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        line, column = key_position(text, "tool", "")
        raise PyprojectError(label, line, column, "`tool` must be a table of per-tool sections ([tool.NAME]), "
                                                  f"not {type(tool).__name__}; fix pyproject.toml")
    section = tool.get("oberhahn-policy")
    if section is None:
        return None
    if not isinstance(section, dict):
        line, column = key_position(text, "oberhahn-policy", "tool")
        raise PyprojectError(label, line, column, f"[{PYPROJECT_SECTION}] must be a table of settings, "
                                                  f"not {type(section).__name__}")
    return section


def contained_setting(pyproject: Path, text: str, key: str, value: str) -> Path:
    """The path a pyproject setting names, relative to the pyproject; PyprojectError when it leaves the repository."""
    target = pyproject.parent / value
    root = repository_root_of(pyproject)
    if not is_inside(target, root):
        line, column = key_position(text, key)
        raise PyprojectError(_relabel(pyproject), line, column,
                             f"[{PYPROJECT_SECTION}] {key}: {value!r} resolves to {os.path.realpath(target)}, outside "
                             f"the repository ({root}); name a file inside it")
    return target


def find_policy(start: Path) -> Path | None:
    """The policy that governs `start`: the nearest policy file or pyproject entry, up to the repo root.

    A policy file name that exists but is not a regular file (a FIFO, a directory, a dangling
    symlink) is returned too, so that reading it reports the problem instead of the default
    policy silently taking its place.
    """
    for candidate in directories_up_to_repository(start):
        pyproject = candidate / "pyproject.toml"
        if os.path.lexists(pyproject):
            text, data = read_pyproject(pyproject)
            named = (section_of(pyproject, text, data) or {}).get("policy")
            if isinstance(named, str):
                return contained_setting(pyproject, text, "policy", named)
        for name in POLICY_FILE_NAMES:
            if os.path.lexists(candidate / name):
                return candidate / name
    return None


def resolve_policy(explicit: Path | str | None, start: Path) -> LoadedPolicy:
    """The policy for a run: `--policy`, else the discovered file, else the embedded default."""
    if explicit is not None:
        return load_policy(explicit)
    found = find_policy(start)
    return load_policy(found) if found is not None else default_policy()
