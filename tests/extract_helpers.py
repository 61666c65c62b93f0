"""Shared by the extraction tests: run the whole pipeline on a small project and list its call sites."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from helpers import check_project, write_project

#: (provider, api, model, max_output_tokens) of one call site
Row = tuple[str, str, "str | None", "int | None"]


def call_sites(tmp_path: Path, source: str, others: Mapping[str, str] | None = None,
               policy: str | None = None, path: str = "app/main.py") -> list[Row]:
    """Every call site found in `path`, as (provider, api, model, limit), in source order."""
    root = write_project(tmp_path / "project", {path: source, **dict(others or {})}, policy)
    report = check_project(root)
    return [(c.provider, c.site.api, c.model, c.max_output_tokens) for c in report.call_sites if c.path == path]
