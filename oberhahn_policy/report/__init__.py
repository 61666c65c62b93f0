"""Reporters: each output format is a function from a Report to text; none knows any rule."""

from __future__ import annotations

from typing import Callable

from ..findings import Report
from ._context import ReportContext
from .documents import check_document, inventory_document
from .github import check_github
from .gitlab import check_gitlab
from .junit import check_junit
from .markdown import check_markdown
from .sarif import check_sarif
from .text import check_text, inventory_text


def _check_json(report: Report, context: ReportContext) -> str:
    return check_document(report, context.policy_label, context.show_suppressed).model_dump_json(indent=2) + "\n"


CheckReporter = Callable[[Report, ReportContext], str]

CHECK_FORMATS: dict[str, CheckReporter] = {
    "text": lambda report, context: check_text(report, color=context.color, show_suppressed=context.show_suppressed),
    "json": _check_json,
    "sarif": check_sarif,
    "github": check_github,
    "junit": check_junit,
    "gitlab": check_gitlab,
    "markdown": check_markdown,
}

INVENTORY_FORMATS: dict[str, Callable[[Report], str]] = {
    "text": inventory_text,
    "json": lambda report: inventory_document(report).model_dump_json(indent=2) + "\n",
}

__all__ = ["CHECK_FORMATS", "INVENTORY_FORMATS", "ReportContext"]
