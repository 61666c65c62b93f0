"""Reporters: each output format is a function from a result (and a `ReportContext`) to text; one registry per command."""

from __future__ import annotations

from typing import Callable

from ..findings import CheckResult, Inventory
from ._context import ReportContext
from .cost import COST_FORMATS
from .documents import check_document, inventory_document
from .evidence import EVIDENCE_FORMATS
from .fix import fix_diff, fix_notes
from .github import check_github
from .gitlab import check_gitlab
from .inventory import inventory_csv, inventory_markdown
from .junit import check_junit
from .markdown import check_markdown
from .rules import RULES_FORMATS
from .sarif import check_sarif
from .savings import SAVINGS_FORMATS
from .text import check_text, inventory_text
from .usage import USAGE_FORMATS


def _check_json(report: CheckResult, context: ReportContext) -> str:
    return check_document(report, context).model_dump_json(indent=2) + "\n"


CheckReporter = Callable[[CheckResult, ReportContext], str]

CHECK_FORMATS: dict[str, CheckReporter] = {
    "text": check_text,
    "json": _check_json,
    "sarif": check_sarif,
    "github": check_github,
    "junit": check_junit,
    "gitlab": check_gitlab,
    "markdown": check_markdown,
}

INVENTORY_FORMATS: dict[str, Callable[[Inventory, ReportContext], str]] = {
    "text": inventory_text,
    "json": lambda report, context: inventory_document(report, context).model_dump_json(indent=2) + "\n",
    "csv": inventory_csv,
    "markdown": inventory_markdown,
}

__all__ = ["CHECK_FORMATS", "COST_FORMATS", "EVIDENCE_FORMATS", "INVENTORY_FORMATS", "RULES_FORMATS", "SAVINGS_FORMATS",
           "USAGE_FORMATS", "ReportContext", "fix_diff", "fix_notes"]
