"""The JSON documents oberhahn-policy writes, as pydantic models; schemas/ is generated from them."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict

from .._version import __version__
from ..callsite import CallSite
from ..findings import CheckResult, Finding, Inventory
from ..published_schema import published_schema
from ._context import ReportContext


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ToolInfo(_Document):
    name: Literal["oberhahn-policy"] = "oberhahn-policy"
    version: str = __version__


class InventoryCallSite(_Document):
    """One call site in the AI bill of materials."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    provider: str
    framework: Optional[str]
    operation: str
    api: str
    model: Optional[str]
    model_expression: str
    #: How the model is known: `code` (what runs), `assumed` (the policy's models.assume), or a default the program
    #: may not use (`parameter default`, `environment default`, `fallback`); null when unknown.
    model_source: Optional[Literal["code", "assumed", "environment default", "fallback", "parameter default"]]
    #: Every model the call may use: one, several when the code chooses between branches, none when unknown.
    models: list[str]
    max_output_tokens: Optional[int]
    #: `present`, `absent`, or `unknown` when the call passes `**kwargs` that may hold a limit.
    max_output_tokens_state: Literal["present", "absent", "unknown"]
    attribution: dict[str, Optional[str]]
    attribution_sources: dict[str, Literal["body", "header", "client", "framework", "scope", "file", "path"]]
    use_case: Optional[str]
    function: Optional[str]


class InventorySummary(_Document):
    files: int
    #: Checked files that import an LLM SDK, framework or declared wrapper.
    files_importing_llm: int
    call_sites: int


class InventoryDocument(_Document):
    """`oberhahn-policy inventory --format json`."""

    tool: ToolInfo = ToolInfo()
    call_sites: list[InventoryCallSite]
    summary: InventorySummary


class CheckFinding(_Document):
    code: str
    name: str
    severity: Literal["error", "warning", "info"]
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    use_case: Optional[str]
    fingerprint: str
    suppressed: bool = False
    suppression_reason: Optional[str] = None


class CheckSummary(_Document):
    files: int
    files_parsed: int
    #: Checked files that import an LLM SDK, framework or declared wrapper.
    files_importing_llm: int
    call_sites: int
    findings: int
    errors: int
    warnings: int
    infos: int
    suppressed: int


class CheckDocument(_Document):
    """`oberhahn-policy check --format json`."""

    tool: ToolInfo = ToolInfo()
    policy: str
    findings: list[CheckFinding]
    summary: CheckSummary


def inventory_call_site(site: CallSite, context: ReportContext) -> InventoryCallSite:
    s = site.site
    return InventoryCallSite(
        path=context.display(s.path), line=s.line, column=s.column, end_line=s.end_line, end_column=s.end_column,
        provider=s.provider, framework=s.framework, operation=s.operation, api=s.api,
        model=site.model, model_expression=site.model_expression, model_source=site.model_source,
        models=list(site.models), max_output_tokens=site.max_output_tokens, max_output_tokens_state=site.limit_state,
        attribution=site.attribution_map(), attribution_sources=site.sources_map(),
        use_case=site.use_case, function=s.function,
    )


def inventory_document(report: Inventory, context: ReportContext) -> InventoryDocument:
    return InventoryDocument(
        call_sites=[inventory_call_site(c, context) for c in report.call_sites],
        summary=InventorySummary(files=report.files_checked, files_importing_llm=report.files_importing_llm,
                                 call_sites=len(report.call_sites)),
    )


def check_finding(finding: Finding, context: ReportContext) -> CheckFinding:
    return CheckFinding(
        code=finding.code, name=finding.name, severity=finding.severity.value, message=finding.message,
        path=context.display(finding.path), line=finding.line, column=finding.column, end_line=finding.end_line,
        end_column=finding.end_column, use_case=finding.use_case, fingerprint=finding.fingerprint,
        suppressed=finding.suppressed, suppression_reason=finding.suppression_reason,
    )


def check_document(report: CheckResult, context: ReportContext) -> CheckDocument:
    findings = list(report.findings) + (list(report.suppressed) if context.show_suppressed else [])
    findings.sort(key=lambda f: f.sort_key)
    count = {s: sum(1 for f in report.findings if f.severity.value == s) for s in ("error", "warning", "info")}
    return CheckDocument(
        policy=context.policy_label,
        findings=[check_finding(f, context) for f in findings],
        summary=CheckSummary(files=report.files_checked, files_parsed=report.files_parsed,
                             files_importing_llm=report.files_importing_llm,
                             call_sites=len(report.call_sites), findings=len(report.findings),
                             errors=count["error"], warnings=count["warning"], infos=count["info"],
                             suppressed=len(report.suppressed)),
    )


def document_schemas() -> dict[str, dict[str, object]]:
    """The published output schemas, by file stem."""
    schemas: dict[str, dict[str, object]] = {}
    for stem, model in (("inventory", InventoryDocument), ("check", CheckDocument)):
        schemas[stem] = published_schema(model, stem, mode="serialization")
    return schemas
