"""Reading a parsed JSON document field by field, so a missing or mistyped field is named by its path
(`results.prompts[0].metrics.testPassCount`) rather than surfacing as a KeyError.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from typing import Any, Mapping


class ShapeError(Exception):
    """A field the reader needs is missing or has the wrong type."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path} {problem}")
        self.path = path
        self.problem = problem


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {value:g}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"string {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def need(document: Mapping[str, Any], key: str, path: str) -> Any:
    """`document[key]`, or a ShapeError naming `path.key` as missing."""
    if key not in document or document[key] is None:
        raise ShapeError(join(path, key), "is missing")
    return document[key]


def mapping(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ShapeError(path, f"should be an object, not {_describe(value)}")
    return value


def array(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ShapeError(path, f"should be a list, not {_describe(value)}")
    return value


def number(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or math.isinf(value):
        raise ShapeError(path, f"should be a number, not {_describe(value)}")
    return float(value)


def count(value: Any, path: str) -> int:
    result = number(value, path)
    if result < 0 or result != int(result):
        raise ShapeError(path, f"should be a whole number of tests, not {value:g}")
    return int(result)


def text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ShapeError(path, f"should be a non-empty string, not {_describe(value)}")
    return value


def optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


_TRAILING_Z = re.compile(r"[zZ]$")


def timestamp(value: Any, path: str) -> datetime:
    """An ISO 8601 timestamp (`2026-11-18T09:14:02.117Z`, `2026-11-18T10:02:11+00:00`); naive ones are UTC."""
    raw = text(value, path).strip()
    try:
        parsed = datetime.fromisoformat(_TRAILING_Z.sub("+00:00", raw))
    except ValueError:
        raise ShapeError(path, f"should be an ISO 8601 timestamp, not {_describe(value)}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)
