"""Observed usage: read what really ran (OTLP traces, LiteLLM spend logs, Langfuse observations),
re-price it, and reconcile it with the policy per use case, team and day.

    items = read_usage(paths, policy)                       # records, problems, file summaries
    report = reconcile(items, policy, CatalogPricer(policy, catalog), projected_cost_per_task)
    facts = observe(report, loaded_policy, root=Path("."))  # OBH601-OBH605
"""

from ..policy.usage_settings import UsageSettings
from .aliases import AliasTable, load_alias_table
from .observations import RULES, UsageObservation, observe
from .readers import read_usage
from .pricing import CatalogPricer, Pricer, RecordPrice
from .reconcile import (
    DayUsage,
    ModelUsage,
    TeamUsage,
    UsageReport,
    UseCaseUsage,
    approval,
    reconcile,
)
from .records import CodeLocation, FileSummary, ReadProblem, SourceFormat, UsageRecord

__all__ = [
    "AliasTable",
    "CatalogPricer",
    "CodeLocation",
    "DayUsage",
    "FileSummary",
    "ModelUsage",
    "Pricer",
    "RULES",
    "ReadProblem",
    "RecordPrice",
    "SourceFormat",
    "TeamUsage",
    "UsageObservation",
    "UsageRecord",
    "UsageReport",
    "UsageSettings",
    "UseCaseUsage",
    "approval",
    "load_alias_table",
    "observe",
    "read_usage",
    "reconcile",
]
