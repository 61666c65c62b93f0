"""oberhahn-policy: policy-as-code for AI spend.

Reads Python code without running it, finds every LLM call site, and checks attribution,
approved models and budgets against a YAML policy. The public API is `check`, `inventory` and
`cost` (see `oberhahn_policy.api`); the command line is a thin layer over it.
"""

from ._version import __version__
from .api import CheckOptions, check, cost, inventory
from .callsite import CallSite, ExtractedCallSite, StaticValue
from .cost import CostReport
from .findings import CheckResult, Finding, Inventory, Severity
from .policy import LoadedPolicy, Policy, PolicyLoadError, load_policy

__all__ = [
    "CallSite",
    "CheckOptions",
    "CheckResult",
    "CostReport",
    "ExtractedCallSite",
    "Finding",
    "Inventory",
    "LoadedPolicy",
    "Policy",
    "PolicyLoadError",
    "Severity",
    "StaticValue",
    "__version__",
    "check",
    "cost",
    "inventory",
    "load_policy",
]
