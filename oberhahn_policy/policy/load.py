"""Finding, reading and validating policy files, with a FILE:LINE:COL for every error.

YAML is loaded with PyYAML's safe loader; every node keeps its position so that a schema or
model error points at the line the user must edit. Validation is against the JSON Schema
generated from the pydantic model (the same schema that is published in schemas/).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import jsonschema
import yaml
from pydantic import ValidationError

from ..repository import directories_up_to_repository
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


def _compose(text: str, file: str) -> _Document:
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return _Document(data={})
        document = _Document(data=None)
        document.data = _construct(loader, root, (), file, document)
        return document
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"invalid YAML: {exc.problem or exc.context}"
        raise PolicyLoadError([PolicyError(file, line, column, "", message)]) from None
    except yaml.YAMLError as exc:
        raise PolicyLoadError([PolicyError(file, 1, 1, "", f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()


def _construct(loader: yaml.SafeLoader, node: yaml.Node, path: YamlPath, file: str, doc: _Document) -> Any:
    doc.values[path] = _Mark(file, node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key_mark = _Mark(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise PolicyLoadError(
                    [PolicyError(file, key_mark.line, key_mark.column, dotted(path + (key,)),
                                 f"duplicate key {key!r}; remove one of the two")]
                )
            doc.keys[path + (key,)] = key_mark
            result[key] = _construct(loader, value_node, path + (key,), file, doc)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, path + (i,), file, doc) for i, item in enumerate(node.value)]
    value = loader.construct_object(node, deep=True)
    if not isinstance(value, (str, int, float, bool, type(None))):
        value = str(value)  # dates and other tags are validated as strings
    return value


def _read_document(path: Path, label: str) -> _Document:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyLoadError([PolicyError(label, 1, 1, "", "policy file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyLoadError([PolicyError(label, 1, 1, "", f"cannot read policy file: {exc}")]) from None
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


def _load_with_extends(path: Path, label: str, seen: tuple[Path, ...]) -> tuple[_Document, list[Path]]:
    resolved = path.resolve()
    if resolved in seen:
        chain = " -> ".join(str(p) for p in seen + (resolved,))
        raise PolicyLoadError([PolicyError(label, 1, 1, "extends", f"circular extends: {chain}")])
    document = _read_document(path, label)
    if not isinstance(document.data, dict):
        raise PolicyLoadError([PolicyError(label, 1, 1, "", "a policy file must be a mapping of sections")])
    sources = [path]
    extends = document.data.get("extends", [])
    if isinstance(extends, str):
        extends = [extends]
    if not isinstance(extends, list):
        return document, sources
    combined: _Document | None = None
    for index, parent in enumerate(extends):
        if not isinstance(parent, str):
            continue  # reported by schema validation
        parent_path = (path.parent / parent)
        mark = document.values.get(("extends", index), _Mark(label, 1, 1))
        try:
            parent_doc, parent_sources = _load_with_extends(parent_path, _relabel(parent_path), seen + (resolved,))
        except PolicyLoadError as exc:
            if any(e.message == "policy file not found" and e.file == _relabel(parent_path) for e in exc.errors):
                raise PolicyLoadError([PolicyError(mark.file, mark.line, mark.column, f"extends[{index}]",
                                                   f"extended policy {parent!r} not found (relative to {path.parent})")]) from None
            raise
        parent_doc.data.pop("extends", None)
        combined = parent_doc if combined is None else _merge(combined, parent_doc)
        sources.extend(parent_sources)
    if combined is not None:
        document = _merge(combined, document)
    return document, sources


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
        if error.validator in ("type", "anyOf", "oneOf"):
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


def _model_errors(exc: ValidationError, document: _Document, label: str) -> Iterator[PolicyError]:
    for item in exc.errors():
        path: YamlPath = tuple(p for p in item["loc"] if isinstance(p, (str, int)))
        probe = path
        while probe and probe not in document.values:
            probe = probe[:-1]
        mark = document.values.get(probe, _Mark(label, 1, 1))
        message = str(item["msg"]).removeprefix("Value error, ")
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
    document, sources = _load_with_extends(path, label, ())
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


def pyproject_section(pyproject: Path) -> dict[str, Any] | None:
    """The `[tool.oberhahn-policy]` table of a pyproject.toml; None when it has none or can't be read."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    section = data.get("tool", {}).get("oberhahn-policy")
    return section if isinstance(section, dict) else None


def find_policy(start: Path) -> Path | None:
    """The policy that governs `start`: the nearest policy file or pyproject entry, up to the repo root."""
    for candidate in directories_up_to_repository(start):
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            named = (pyproject_section(pyproject) or {}).get("policy")
            if isinstance(named, str):
                return candidate / named
        for name in POLICY_FILE_NAMES:
            if (candidate / name).is_file():
                return candidate / name
    return None


def resolve_policy(explicit: Path | str | None, start: Path) -> LoadedPolicy:
    """The policy for a run: `--policy`, else the discovered file, else the embedded default."""
    if explicit is not None:
        return load_policy(explicit)
    found = find_policy(start)
    return load_policy(found) if found is not None else default_policy()
