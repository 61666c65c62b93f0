"""Evaluation evidence: promptfoo and Inspect AI result files, read and judged against each use case's quality bar.

    read_evidence_file(path)            one file -> EvidenceFile (results + problems; never raises)
    collect_evidence(root, policy, today, cost_per_task=..., used_models=...)
                                        -> EvidenceReport (per use case, per model: score, verdict, cost)
    project_evidence(root, policy, call_sites, today, catalog)
                                        -> the same, with the project's used models and cost per task
    unevaluated_models(report)          OBH206 facts;  cheaper_models(report)  OBH207 facts
"""

from __future__ import annotations

from ._collect import (
    CostPerTask,
    EvidenceReport,
    ModelEvidence,
    UseCaseEvidence,
    Verdict,
    canonical_model,
    collect_evidence,
    result_files,
)
from ._facts import (
    CheaperModel,
    UnevaluatedModel,
    cheaper_model,
    cheaper_models,
    describe_result,
    unevaluated_model,
    unevaluated_models,
)
from ._modelref import ModelRef, Tool, load_tool_prefixes, model_ref
from ._project import project_evidence, used_models
from ._read import RESULT_SUFFIXES, read_evidence_file
from ._result import EvalResult, EvidenceFile, EvidenceProblem, PassCounts

__all__ = [
    "RESULT_SUFFIXES",
    "CheaperModel",
    "CostPerTask",
    "EvalResult",
    "EvidenceFile",
    "EvidenceProblem",
    "EvidenceReport",
    "ModelEvidence",
    "ModelRef",
    "PassCounts",
    "Tool",
    "UnevaluatedModel",
    "UseCaseEvidence",
    "Verdict",
    "canonical_model",
    "cheaper_model",
    "cheaper_models",
    "collect_evidence",
    "describe_result",
    "load_tool_prefixes",
    "model_ref",
    "project_evidence",
    "read_evidence_file",
    "result_files",
    "unevaluated_model",
    "unevaluated_models",
    "used_models",
]
