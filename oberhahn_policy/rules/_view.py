"""What project-phase rules see: the policy, the resolved call sites, the per-file extractions, the projections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalog import PriceCatalog, load_catalog

if TYPE_CHECKING:
    from ..callsite import CallSite, FileExtraction
    from ..cost import CostProjection
    from ..evidence import EvidenceReport
    from ..policy.load import LoadedPolicy
    from ..policy.model import Policy
    from ..savings import SavingsReport


@dataclass(frozen=True)
class ProjectView:
    """What rules see: the policy, the resolved call sites and the per-file extractions."""

    loaded: LoadedPolicy
    call_sites: tuple[CallSite, ...]
    files: tuple[FileExtraction, ...]
    today: date = field(default_factory=date.today)
    #: The price catalog models are looked up in.
    catalog: PriceCatalog = field(default_factory=load_catalog)
    #: The call sites of the code at `--base REF`, when the run compares against one.
    base_call_sites: tuple[CallSite, ...] | None = None
    #: The project root (where `oberhahn.lock` lives); None when rules run without a file system.
    root: Path | None = None
    #: Extractions of every file of the project, also those not being checked (its entry modules, say).
    project_files: tuple[FileExtraction, ...] = ()

    @property
    def policy(self) -> Policy:
        return self.loaded.policy

    @cached_property
    def costs(self) -> CostProjection:
        """Projected spend of the code under check (computed once, shared by the budget rules)."""
        from ..cost import project

        return project(self.call_sites, self.policy, self.catalog, self.today)

    @cached_property
    def base_costs(self) -> CostProjection | None:
        """Projected spend of the code at `--base`, under the same policy, catalog and day."""
        from ..cost import project

        if self.base_call_sites is None:
            return None
        return project(self.base_call_sites, self.policy, self.catalog, self.today)

    @cached_property
    def evidence(self) -> EvidenceReport | None:
        """Evaluation evidence per use case with a quality bar (OBH206, OBH207); None without a file system to read."""
        from ..evidence import project_evidence

        if self.root is None:
            return None
        return project_evidence(self.root, self.policy, self.call_sites, self.today, self.catalog)

    @cached_property
    def savings(self) -> SavingsReport:
        """Every savings lever of the code under check (OBH207, OBH306, OBH307), computed once."""
        from ..savings import find_savings

        return find_savings(self.costs, self.policy, self.catalog, self.today, self.evidence)
