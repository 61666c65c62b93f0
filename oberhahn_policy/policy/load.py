"""Finding, reading and validating policy files, with a FILE:LINE:COL for every error.

Reading YAML with positions is `_yaml`, pyproject.toml is `pyproject`; here: `extends`, validation
against the JSON Schema generated from the pydantic model (the one published in schemas/), so that a
schema or model error points at the line the user must edit, and finding the policy of a run.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from pydantic import ValidationError

from ..packaged import packaged_text
from ..published_schema import published_schema
from ..repository import directories_up_to_repository
from ..wording import did_you_mean
from .document import Document, Mark, PolicyError, PolicyLoadError, YamlPath, dotted, relabel
from ._yaml import MAX_EXTENDS_DEPTH, MAX_POLICY_FILES, compose, read_document
from .model import Policy
from .pyproject import contained_setting, read_pyproject, repository_root_of, section_of

if TYPE_CHECKING:
    import jsonschema

POLICY_FILE_NAMES = ("oberhahn-policy.yaml", ".oberhahn-policy.yaml")
DEFAULT_POLICY_NAME = "<default policy>"


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
        return relabel(self.sources[0]) if self.sources else DEFAULT_POLICY_NAME

    def position(self, path: YamlPath) -> tuple[str, int, int]:
        """The closest known position of `path` (or of its nearest parent)."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (self.label, 1, 1))


# --- extends ---------------------------------------------------------------------------------


def _merge(base: Document, override: Document) -> Document:
    """Overlay `override` on `base`: mappings merge key by key, everything else replaces."""

    def merge_values(b: Any, o: Any, path: YamlPath) -> Any:
        if isinstance(b, dict) and isinstance(o, dict):
            merged = dict(b)
            for key, value in o.items():
                merged[key] = merge_values(b[key], value, path + (key,)) if key in b else value
            return merged
        return o

    merged = Document(data=merge_values(base.data, override.data, ()))
    merged.values = {**base.values, **override.values}
    merged.keys = {**base.keys, **override.keys}
    return merged


@dataclass
class _ExtendsWalk:
    """One `extends` resolution: every file is read and merged once, however often it is named (diamonds)."""

    #: The directory extended files must stay inside (the repository of the policy named first).
    root: Path
    loaded: dict[Path, tuple[Document, list[Path]]] = field(default_factory=dict)

    def load(self, path: Path, label: str, seen: tuple[Path, ...], named_at: PolicyError | None) -> tuple[Document, list[Path]]:
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
        document = read_document(path, label, self.root if seen else None)
        if not isinstance(document.data, dict):
            raise PolicyLoadError([PolicyError(label, 1, 1, "", "a policy file must be a mapping of sections")])
        sources = [path]
        extends = document.data.get("extends", [])
        if isinstance(extends, str):
            extends = [extends]
        combined: Document | None = None
        for index, parent in enumerate(extends if isinstance(extends, list) else []):
            if not isinstance(parent, str):
                continue  # reported by schema validation
            parent_path = path.parent / parent
            mark = document.values.get(("extends", index), Mark(label, 1, 1))
            named = PolicyError(mark.file, mark.line, mark.column, f"extends[{index}]", "")
            try:
                parent_doc, parent_sources = self.load(parent_path, relabel(parent_path), seen + (resolved,), named)
            except PolicyLoadError as exc:
                if any(e.message == "policy file not found" and e.file == relabel(parent_path) for e in exc.errors):
                    raise PolicyLoadError([PolicyError(mark.file, mark.line, mark.column, f"extends[{index}]",
                                                       f"extended policy {parent!r} not found (relative to {path.parent})")]) from None
                if len(exc.errors) == 1 and exc.errors[0].file == relabel(parent_path) and exc.errors[0].line == 1 \
                        and ("outside the project" in exc.errors[0].message or "not a regular file" in exc.errors[0].message):
                    raise PolicyLoadError([PolicyError(mark.file, mark.line, mark.column, f"extends[{index}]",
                                                       f"extended policy {parent!r}: {exc.errors[0].message}")]) from None
                raise
            parent_doc = Document({k: v for k, v in parent_doc.data.items() if k != "extends"},
                                   parent_doc.values, parent_doc.keys)
            combined = parent_doc if combined is None else _merge(combined, parent_doc)
            sources.extend(parent_sources)
        if combined is not None:
            document = _merge(combined, document)
        result = (document, list(dict.fromkeys(sources)))
        self.loaded[resolved] = result
        return result


def _load_with_extends(path: Path, label: str) -> tuple[Document, list[Path]]:
    return _ExtendsWalk(repository_root_of(path)).load(path, label, (), None)


# --- validation ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def policy_json_schema() -> dict[str, Any]:
    """The published policy schema, generated from the pydantic model."""
    return published_schema(Policy, "policy", mode="validation")


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


def _schema_errors(document: Document, label: str) -> Iterator[PolicyError]:
    root = policy_json_schema()
    import jsonschema  # only a policy file is validated against the schema: a run on defaults never loads it

    validator = jsonschema.Draft202012Validator(root)

    def mark_of(path: YamlPath, *, key: bool = False) -> Mark:
        table = document.keys if key else document.values
        probe = path
        while probe:
            if probe in table:
                return table[probe]
            if probe in document.values:
                return document.values[probe]
            probe = probe[:-1]
        return document.values.get((), Mark(label, 1, 1))

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
        else:  # `required` and the rest: jsonschema's own wording names the key
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


def _model_errors(exc: ValidationError, document: Document, label: str) -> Iterator[PolicyError]:
    for item in exc.errors():
        path: YamlPath = tuple(p for p in item["loc"] if isinstance(p, (str, int)))
        probe = path
        while probe and probe not in document.values:
            probe = probe[:-1]
        mark = document.values.get(probe, Mark(label, 1, 1))
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "finite_number":
            message = _NOT_FINITE
        yield PolicyError(mark.file, mark.line, mark.column, dotted(path), message)


def _validate(document: Document, label: str, *, schema: bool = True) -> Policy:
    """The policy the document describes; the JSON Schema pass (before the model's own) words a user's mistakes
    with their place in the file, which the packaged default, checked by the tests, can skip."""
    errors = sorted(_schema_errors(document, label), key=lambda e: (e.file, e.line, e.column, e.field)) if schema else []
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
    label = relabel(path)
    document, sources = _load_with_extends(path, label)
    policy = _validate(document, label)
    positions = {p: (m.file, m.line, m.column) for p, m in document.values.items()}
    return LoadedPolicy(policy=policy, sources=tuple(sources), positions=positions)


def load_policy_text(text: str, label: str = "<policy>", *, schema: bool = True) -> LoadedPolicy:
    """Validate a policy given as text (used by tests and rule examples)."""
    document = compose(text, label)
    if not isinstance(document.data, dict):
        raise PolicyLoadError([PolicyError(label, 1, 1, "", "a policy file must be a mapping of sections")])
    policy = _validate(document, label, schema=schema)
    positions = {p: (m.file, m.line, m.column) for p, m in document.values.items()}
    return LoadedPolicy(policy=policy, sources=(), positions=positions)


def default_policy() -> LoadedPolicy:
    """The embedded policy used where a repository has none."""
    text = packaged_text("default-policy.yaml")
    # every run without a policy file loads it: its schema pass (and jsonschema's import) is left to the tests
    return load_policy_text(text, DEFAULT_POLICY_NAME, schema=False)


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
