"""What `fix` tells people: the diff of its edits, one line per fixable finding (fixed, or why not), and a summary."""

from __future__ import annotations

from typing import Sequence

from ..findings import Finding
from ..fix import FixPlan, WriteOutcome, unified_diff
from ..wording import plural
from ._context import ReportContext


def fix_diff(plan: FixPlan, context: ReportContext) -> str:
    """Every planned file change as a unified diff, paths as people read them (`git apply` from the working directory)."""
    return "".join(unified_diff(planned, context.display(planned.path)) for planned in plan.files)


def fix_notes(plan: FixPlan, context: ReportContext, outcomes: Sequence[WriteOutcome] | None = None) -> str:
    """A line per fixable finding and per file left alone, then a summary; `outcomes` None means nothing was written."""
    status = {outcome.path: outcome for outcome in outcomes or ()}
    applied = outcomes is not None
    rows: list[tuple[tuple[str, int, int, str, str], str]] = []
    for planned in plan.files:
        written = status.get(planned.path)
        verb = "fixable" if not applied else "fixed" if written is not None and written.status == "written" else "not applied"
        rows.extend((fix.finding.sort_key, _line(context, fix.finding, verb, fix.description)) for fix in planned.fixes)
    for unfixed in plan.unfixed:
        verb = "fixable with --unsafe-fixes" if unfixed.needs_unsafe else "not fixed"
        rows.append((unfixed.finding.sort_key, _line(context, unfixed.finding, verb, unfixed.reason)))
    lines = [text for _, text in sorted(rows)]
    for outcome in outcomes or ():
        if outcome.status != "written":
            lines.append(f"{context.display(outcome.path)}: {outcome.message}")
    lines.append(_summary(plan, outcomes))
    return "\n".join(lines) + "\n"


def _line(context: ReportContext, finding: Finding, verb: str, text: str) -> str:
    return f"{context.display(finding.path)}:{finding.line}:{finding.column}: {finding.code} {verb}: {text}"


def _summary(plan: FixPlan, outcomes: Sequence[WriteOutcome] | None) -> str:
    left = sum(1 for u in plan.unfixed if not u.needs_unsafe)
    unsafe = sum(1 for u in plan.unfixed if u.needs_unsafe)
    tail = f"; {plural(left, 'finding')} of fixable rules left as they are (see above)" if left else ""
    if unsafe:
        tail += f"; {plural(unsafe, 'more fix', 'more fixes')} with --unsafe-fixes"
    fixes, files = len(plan.fixes), len(plan.files)
    if outcomes is None:
        if not fixes:
            return f"Nothing to fix{tail}."
        return f"Would fix {plural(fixes, 'finding')} in {plural(files, 'file')} (--diff: nothing written){tail}."
    written = [o for o in outcomes if o.status == "written"]
    done = sum(o.fixes for o in written)
    if not fixes:
        return f"Nothing to fix{tail}."
    not_written = files - len(written)
    skipped = f"; {plural(not_written, 'file')} left alone (see above)" if not_written else ""
    return f"Fixed {plural(done, 'finding')} in {plural(len(written), 'file')}{skipped}{tail}."
