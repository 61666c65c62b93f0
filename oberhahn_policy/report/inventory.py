"""The AI bill of materials as a spreadsheet (CSV) and as a markdown table (the text and JSON forms are in text.py and
documents.py)."""

from __future__ import annotations

import csv
import io

from ..callsite import CallSite
from ..findings import Inventory
from ._context import ReportContext
from ._scope import checked_scope
from ._tables import markdown_table

_COLUMNS = ("path", "line", "column", "provider", "framework", "operation", "api", "model", "model_expression",
            "max_output_tokens", "use_case", "team", "attribution", "function")


def _row(site: CallSite, context: ReportContext) -> tuple[str, ...]:
    s = site.site
    attribution = "; ".join(f"{k}={v if v is not None else '<dynamic>'} ({site.sources_map()[k]})" for k, v in site.attribution)
    return (context.display(s.path), str(s.line), str(s.column), s.provider, s.framework or "", s.operation, s.api,
            site.model or "", site.model_expression, "" if site.max_output_tokens is None else str(site.max_output_tokens),
            site.use_case or "", site.attribution_map().get("team") or "", attribution, s.function or "")


def inventory_csv(report: Inventory, context: ReportContext) -> str:
    """One row per call site, for a spreadsheet or a data warehouse (RFC 4180, a header row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_COLUMNS)
    writer.writerows(_row(site, context) for site in report.call_sites)
    return buffer.getvalue()


def inventory_markdown(report: Inventory, context: ReportContext) -> str:
    """The inventory as a table for a pull-request comment or a wiki page."""
    rows = [(f"`{context.display(s.path)}:{s.site.line}`", s.provider + (f"/{s.site.framework}" if s.site.framework else ""),
             f"`{s.site.api}`", s.model or (f"`{s.model_expression}` (unresolved)" if s.model_expression else "-"),
             str(s.max_output_tokens) if s.max_output_tokens is not None else "-", s.use_case or "-")
            for s in report.call_sites]
    lines = ["## AI inventory", "",
             f"Checked {checked_scope(report)}.", ""]
    if rows:
        lines += markdown_table(("call site", "provider", "API", "model", "output limit", "use case"), rows)
    return "\n".join(lines) + "\n"
