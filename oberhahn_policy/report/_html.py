"""HTML pages with inline SVG charts: one self-contained file, no scripts, no external assets.

Every plotted value is written on its SVG element as `data-value` (exactly as the JSON report
writes it), with `data-label` or `data-day` saying what it is, so that a test or a scraper can read
the picture's numbers back and check them against the JSON the page was rendered from.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Callable, Sequence

Formatter = Callable[[float], str]

_STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 2rem auto;
       max-width: 1180px; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
p.meta { color: #59636e; margin-top: 0; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: .25rem; }
svg text { font: 11px system-ui, sans-serif; fill: #1f2328; }
svg .axis { stroke: #8c959f; stroke-width: 1; } svg .grid { stroke: #d1d9e0; stroke-width: 1; }
svg .bar { fill: #4c8bf5; } svg .bar.over { fill: #d1242f; } svg .bar.unattributed { fill: #bf8700; }
svg .bar.attributed { fill: #4c8bf5; }
svg .marker { stroke: #1f2328; stroke-width: 2; }
svg .series { fill: none; stroke: #4c8bf5; stroke-width: 2; } svg .point { fill: #4c8bf5; }
svg .point.over { fill: #d1242f; }
svg .projected { stroke: #1a7f37; stroke-width: 1.5; stroke-dasharray: 6 4; }
svg .limit { stroke: #d1242f; stroke-width: 1.5; stroke-dasharray: 2 3; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: 13px; }
th, td { border-bottom: 1px solid #d1d9e0; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.number { text-align: right; font-variant-numeric: tabular-nums; }
.legend span { margin-right: 1rem; } .legend .projected { color: #1a7f37; } .legend .limit { color: #d1242f; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
"""


def page(title: str, subtitle: str, body: Sequence[str]) -> str:
    """A whole HTML document: its style inline, nothing loaded from anywhere."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{escape(title)}</title>\n"
            f"<style>{_STYLE}</style>\n</head>\n<body>\n<h1>{escape(title)}</h1>\n<p class=\"meta\">{escape(subtitle)}</p>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def data_value(value: float | None) -> str:
    """A value as the JSON report writes it (so the two can be compared exactly); `null` for none."""
    return json.dumps(value)


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell; `number` right-aligns it."""

    text: str
    number: bool = False


def table(headers: Sequence[str], rows: Sequence[Sequence[Cell | str]], numbers: frozenset[int] = frozenset()) -> str:
    """An HTML table; the columns in `numbers` are right-aligned (a Cell may say so itself)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            item = cell if isinstance(cell, Cell) else Cell(cell, index in numbers)
            cells.append(f"<td class=\"number\">{escape(item.text)}</td>" if item.number else f"<td>{escape(item.text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>"


def figure(caption: str, svg: str, legend: str = "") -> str:
    return f"<figure>\n<figcaption>{escape(caption)}</figcaption>\n{svg}\n{legend}</figure>"


# --- bar charts --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its value, and optionally a marker drawn across it (a budget, a limit)."""

    label: str
    value: float
    marker: float | None = None
    #: Extra CSS class (`over` when the value passes the marker).
    kind: str = ""
    #: Said after the value (`incomplete`).
    note: str = ""


_LABEL_WIDTH, _BAR_AREA, _VALUE_WIDTH, _ROW = 170, 380, 250, 26


def bar_chart(chart: str, bars: Sequence[Bar], money: Formatter, marker_name: str = "") -> str:
    """Horizontal bars on one scale, each with its value written beside it; markers as black ticks."""
    top = max([b.value for b in bars] + [b.marker for b in bars if b.marker is not None] + [0.0])
    scale = _BAR_AREA / top if top > 0 else 0.0
    width, height = _LABEL_WIDTH + _BAR_AREA + _VALUE_WIDTH, _ROW * len(bars) + 8
    parts = [f"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{width}\" height=\"{height}\" "
             f"viewBox=\"0 0 {width} {height}\" data-chart=\"{escape(chart)}\">"]
    for index, bar in enumerate(bars):
        y = 4 + index * _ROW
        length = max(bar.value * scale, 0.0)
        kind = f"bar {bar.kind}".strip()
        text = (money(bar.value) + (f" of {money(bar.marker)} {marker_name}".rstrip() if bar.marker is not None else "")
                + (f" ({bar.note})" if bar.note else ""))
        parts.append(f"<text x=\"{_LABEL_WIDTH - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{escape(_short(bar.label))}</text>")
        parts.append(f"<rect class=\"{kind}\" x=\"{_LABEL_WIDTH}\" y=\"{y + 3}\" width=\"{length:.1f}\" height=\"{_ROW - 8}\" "
                     f"data-label=\"{escape(bar.label)}\" data-value=\"{data_value(bar.value)}\"><title>{escape(bar.label)}: "
                     f"{escape(text)}</title></rect>")
        if bar.marker is not None:
            x = _LABEL_WIDTH + bar.marker * scale
            parts.append(f"<line class=\"marker\" x1=\"{x:.1f}\" x2=\"{x:.1f}\" y1=\"{y}\" y2=\"{y + _ROW - 2}\" "
                         f"data-label=\"{escape(bar.label)}\" data-marker=\"{data_value(bar.marker)}\"/>")
        parts.append(f"<text x=\"{_LABEL_WIDTH + _BAR_AREA + 6}\" y=\"{y + 15}\">{escape(text)}</text>")
    parts.append(f"<line class=\"axis\" x1=\"{_LABEL_WIDTH}\" x2=\"{_LABEL_WIDTH}\" y1=\"0\" y2=\"{height}\"/>")
    parts.append("</svg>")
    return "\n".join(parts)


def share_bar(chart: str, pieces: Sequence[tuple[str, float, str]], money: Formatter) -> str:
    """One bar split into parts of a whole (label, value, CSS class), each part's share written on it."""
    total = sum(value for _, value, _ in pieces)
    width, height = 700, 54
    out = [f"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{width}\" height=\"{height}\" "
           f"viewBox=\"0 0 {width} {height}\" data-chart=\"{escape(chart)}\">"]
    x = 0.0
    for label, value, kind in pieces:
        share = value / total * 100 if total > 0 else None
        length = width * value / total if total > 0 else 0.0
        caption = f"{label}: {money(value)}" + (f" ({share:.1f}%)" if share is not None else "")
        out.append(f"<rect class=\"bar {kind}\" x=\"{x:.1f}\" y=\"4\" width=\"{length:.1f}\" height=\"24\" "
                   f"data-label=\"{escape(label)}\" data-value=\"{data_value(value)}\"><title>{escape(caption)}</title></rect>")
        if length > 0:
            anchor = "start" if x < width / 2 else "end"
            at = x + 4 if anchor == "start" else x + length - 4
            out.append(f"<text x=\"{at:.1f}\" y=\"44\" text-anchor=\"{anchor}\">{escape(caption)}</text>")
        x += length
    out.append("</svg>")
    return "\n".join(out)


# --- a series over days --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reference:
    """A horizontal line across a chart: a projection, a limit."""

    name: str
    value: float


def day_chart(chart: str, subject: str, points: Sequence[tuple[date, float]], references: Sequence[Reference],
              money: Formatter) -> str:
    """A value per day (a point each, joined in order) on a calendar axis, with the references as dashed lines."""
    width, height, left, right, top, bottom = 520, 200, 74, 16, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling = nice_ceiling(max([v for _, v in points] + [r.value for r in references] + [0.0]))
    first = min((d for d, _ in points), default=None)
    last = max((d for d, _ in points), default=None)
    span = max((last - first).days, 1) if first is not None and last is not None else 1

    def x_of(day: date) -> float:
        assert first is not None
        offset = (day - first).days
        return left + (plot_w / 2 if first == last else plot_w * offset / span)

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * value / ceiling

    out = [f"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{width}\" height=\"{height}\" "
           f"viewBox=\"0 0 {width} {height}\" data-chart=\"{escape(chart)}\" data-subject=\"{escape(subject)}\">",
           f"<line class=\"axis\" x1=\"{left}\" x2=\"{left}\" y1=\"{top}\" y2=\"{top + plot_h}\"/>",
           f"<line class=\"axis\" x1=\"{left}\" x2=\"{left + plot_w}\" y1=\"{top + plot_h}\" y2=\"{top + plot_h}\"/>",
           f"<text x=\"{left - 6}\" y=\"{top + 8}\" text-anchor=\"end\">{escape(money(ceiling))}</text>",
           f"<text x=\"{left - 6}\" y=\"{top + plot_h}\" text-anchor=\"end\">{escape(money(0.0))}</text>",
           f"<line class=\"grid\" x1=\"{left}\" x2=\"{left + plot_w}\" y1=\"{top + plot_h / 2:.1f}\" "
           f"y2=\"{top + plot_h / 2:.1f}\"/>",
           f"<text x=\"{left - 6}\" y=\"{top + plot_h / 2 + 4:.1f}\" text-anchor=\"end\">{escape(money(ceiling / 2))}</text>",
           f"<line class=\"grid\" x1=\"{left}\" x2=\"{left + plot_w}\" y1=\"{top}\" y2=\"{top}\"/>"]
    for reference in references:
        y = y_of(reference.value)
        out.append(f"<line class=\"{escape(reference.name)}\" x1=\"{left}\" x2=\"{left + plot_w}\" y1=\"{y:.1f}\" "
                   f"y2=\"{y:.1f}\" data-reference=\"{escape(reference.name)}\" data-value=\"{data_value(reference.value)}\">"
                   f"<title>{escape(reference.name)}: {escape(money(reference.value))}</title></line>")
    if first is not None and last is not None:
        out.append(f"<text x=\"{left}\" y=\"{height - 8}\">{first.isoformat()}</text>")
        if last != first:
            out.append(f"<text x=\"{left + plot_w}\" y=\"{height - 8}\" text-anchor=\"end\">{last.isoformat()}</text>")
    if len(points) > 1:
        path = " ".join(f"{x_of(d):.1f},{y_of(v):.1f}" for d, v in points)
        out.append(f"<polyline class=\"series\" points=\"{path}\"/>")
    limit = next((r.value for r in references if r.name == "limit"), None)
    for day, value in points:
        kind = "point over" if limit is not None and value > limit else "point"
        out.append(f"<circle class=\"{kind}\" cx=\"{x_of(day):.1f}\" cy=\"{y_of(value):.1f}\" r=\"3.5\" "
                   f"data-day=\"{day.isoformat()}\" data-value=\"{data_value(value)}\">"
                   f"<title>{day.isoformat()}: {escape(money(value))}</title></circle>")
    out.append("</svg>")
    return "\n".join(out)


def nice_ceiling(value: float) -> float:
    """The axis top for `value`: the next 1, 2, 2.5 or 5 times a power of ten above it (1 for nothing to show)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1.0, 2.0, 2.5, 5.0, 10.0) if step * power >= value)


def _short(label: str, width: int = 26) -> str:
    return label if len(label) <= width else label[:width - 1] + "…"
