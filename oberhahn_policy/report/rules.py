"""The rule catalogue as people read it: a terminal listing, JSON, and the README's markdown table."""

from __future__ import annotations

import json
from typing import Callable, Sequence

from ..rules import Rule
from ._tables import markdown_table


def rules_text(rules: Sequence[type[Rule]]) -> str:
    width = max((len(r.name) for r in rules), default=0)
    return "".join(f"{r.code}  {r.name:<{width}} {r.default_severity.value:<8} {r.summary}\n" for r in rules)


def rules_json(rules: Sequence[type[Rule]]) -> str:
    return json.dumps([{"code": r.code, "name": r.name, "severity": r.default_severity.value, "phase": r.phase,
                        "summary": r.summary, "options": [o.key for o in r.options]} for r in rules], indent=2) + "\n"


def rules_markdown(rules: Sequence[type[Rule]]) -> str:
    """The README's rule table (a test fails when the README's copy is stale)."""
    commands = {"policy": " (`validate`)", "usage": " (`usage`)"}
    rows = [(f"`{r.code}`", r.name, r.default_severity.value, r.summary + commands.get(r.phase, "")) for r in rules]
    return "\n".join(markdown_table(("code", "name", "default", "what it reports"), rows)) + "\n"


RULES_FORMATS: dict[str, Callable[[Sequence[type[Rule]]], str]] = {
    "text": rules_text,
    "json": rules_json,
    "markdown": rules_markdown,
}
