"""oberhahn-policy: policy-as-code for AI spend.

Reads Python code without running it, finds every LLM call site, and checks attribution,
approved models and budgets against a YAML policy.
"""

from __future__ import annotations

__version__ = "0.1.0"

from pathlib import Path
from typing import Sequence

from .callsite import ExtractedCallSite, StaticValue
from .cost import CostReport
from .findings import Finding, Report, Severity
from .policy import LoadedPolicy, Policy, PolicyLoadError, load_policy, resolve_policy
from .resolve import CallSite


def check(paths: Sequence[str | Path] = (".",), policy: LoadedPolicy | str | Path | None = None,
          **options: object) -> Report:
    """Check `paths` against a policy (a loaded one, a file, or the one discovered from the paths)."""
    from .engine import RunOptions, run

    start = Path(paths[0]) if paths else Path(".")
    loaded = policy if isinstance(policy, LoadedPolicy) else resolve_policy(policy, start)
    return run(paths, loaded, options=RunOptions(**options))  # type: ignore[arg-type]


def cost(paths: Sequence[str | Path] = (".",), policy: LoadedPolicy | str | Path | None = None,
         **options: object) -> CostReport:
    """Project spend per use case for `paths`; `base="REF"` adds the code at REF and the diff."""
    from .engine import RunOptions, cost_report

    start = Path(paths[0]) if paths else Path(".")
    loaded = policy if isinstance(policy, LoadedPolicy) else resolve_policy(policy, start)
    return cost_report(paths, loaded, options=RunOptions(**options))  # type: ignore[arg-type]


__all__ = [
    "CallSite",
    "CostReport",
    "ExtractedCallSite",
    "Finding",
    "LoadedPolicy",
    "Policy",
    "PolicyLoadError",
    "Report",
    "Severity",
    "StaticValue",
    "__version__",
    "check",
    "cost",
    "load_policy",
]
