"""Reporters: each output format is a function from a Report to text; none knows any rule."""

from __future__ import annotations

from typing import Callable

from ..findings import Report
from .documents import check_document, inventory_document
from .text import check_text, inventory_text


def _check_json(report: Report, context: ReportContext) -> str:
    return check_document(report, context.policy_label, context.show_suppressed).model_dump_json(indent=2) + "\n"


class ReportContext:
    """What a check reporter may need beside the report."""

    def __init__(self, policy_label: str, *, color: bool = False, show_suppressed: bool = False, root: str = ".") -> None:
        self.policy_label = policy_label
        self.color = color
        self.show_suppressed = show_suppressed
        self.root = root


CheckReporter = Callable[[Report, ReportContext], str]

CHECK_FORMATS: dict[str, CheckReporter] = {
    "text": lambda report, context: check_text(report, color=context.color, show_suppressed=context.show_suppressed),
    "json": _check_json,
}

INVENTORY_FORMATS: dict[str, Callable[[Report], str]] = {
    "text": inventory_text,
    "json": lambda report: inventory_document(report).model_dump_json(indent=2) + "\n",
}

__all__ = ["CHECK_FORMATS", "INVENTORY_FORMATS", "ReportContext"]
