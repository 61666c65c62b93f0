"""Values as usage exports spell them: JSON text, numbers as strings, timestamps in five forms.

`loads` is orjson's when it is installed (the optional `fast` extra) and the standard
library's otherwise; both take bytes or text and return the same values.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

try:  # pragma: no cover - depends on the environment
    import orjson

    loads: Callable[[bytes | str], Any] = orjson.loads
    DECODE_ERRORS: tuple[type[Exception], ...] = (orjson.JSONDecodeError, ValueError)
    DECODER = "orjson"
except ImportError:  # pragma: no cover - depends on the environment
    loads = json.loads
    DECODE_ERRORS = (ValueError,)
    DECODER = "json"

_FRACTION = re.compile(r"(\.\d+)")
_EPOCH_DIGITS = re.compile(r"^-?\d+(\.\d+)?$")


class ValueProblem(ValueError):
    """A value of the wrong shape; the message names what was expected."""


def parse_json_text(value: Any) -> Any:
    """A JSON object or array stored as text (CSV cells, `metadata` columns); anything else as is."""
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("{", "["):
            try:
                return loads(text)
            except DECODE_ERRORS:
                return value
    return value


def walk(row: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path, stepping into JSON text on the way; None when absent.

    Keys may themselves contain dots (`metadata.attributes.gen_ai.system`), so the longest key
    present wins at each level.
    """
    return _walk(row, path.split("."))


def _walk(node: Any, parts: list[str]) -> Any:
    if not parts:
        return node
    node = parse_json_text(node)
    if not isinstance(node, dict):
        return None
    for cut in range(len(parts), 0, -1):
        key = ".".join(parts[:cut]) if cut > 1 else parts[0]
        if key in node:
            found = _walk(node[key], parts[cut:])
            if found is not None:
                return found
    return None


def as_int(value: Any) -> int | None:
    """A token count: an integer, an integral float or a decimal string; None when absent or empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"{value!r} is not a token count")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or not value.is_integer():
            raise ValueProblem(f"{value!r} is not a whole number of tokens")
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                raise ValueProblem(f"{value!r} is not a number") from None
            if not number.is_integer():
                raise ValueProblem(f"{value!r} is not a whole number of tokens") from None
            return int(number)
    raise ValueProblem(f"expected a number, got {type(value).__name__}")


def as_float(value: Any) -> float | None:
    """A cost in USD: a number or a decimal string; None when absent or empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueProblem(f"{value!r} is not an amount")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            raise ValueProblem(f"{value!r} is not a number") from None
    raise ValueProblem(f"expected a number, got {type(value).__name__}")


def as_text(value: Any) -> str | None:
    """A label (model, provider, attribution value): strings and numbers, stripped; None when empty."""
    if isinstance(value, str):
        text = value.strip()
        return text or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    return None


def from_epoch(number: float) -> datetime:
    """Seconds, milliseconds, microseconds or nanoseconds since 1970, told apart by magnitude."""
    magnitude = abs(number)
    if magnitude >= 1e17:
        seconds = number / 1e9
    elif magnitude >= 1e14:
        seconds = number / 1e6
    elif magnitude >= 1e11:
        seconds = number / 1e3
    else:
        seconds = number
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise ValueProblem(f"{number!r} is not a time") from None


def parse_timestamp(value: Any) -> datetime:
    """A UTC datetime from epoch numbers or ISO 8601 text; text without a zone is UTC (Langfuse, Postgres)."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValueProblem("no timestamp")
    if isinstance(value, (int, float)):
        return from_epoch(float(value))
    if not isinstance(value, str):
        raise ValueProblem(f"expected a timestamp, got {type(value).__name__}")
    text = value.strip()
    if _EPOCH_DIGITS.match(text):
        return from_epoch(float(text))
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python 3.10 reads only 3 or 6 fractional digits; Postgres and JavaScript write 1 to 9
    text = _FRACTION.sub(lambda m: (m.group(1) + "000000")[:7], text, count=1)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueProblem(f"{value!r} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
