"""`init`: a starter policy drawn from the repository's own inventory, that validates and maps every call.

_layout.py tells non-production code apart, _mapping.py writes each use case's exact `paths:`,
_wrappers.py finds project functions worth declaring as `wrappers:`, and _policy.py writes the
commented policy text.
"""

from ._layout import EXCLUDED_KINDS, GROUPED_KINDS, Placement, ProjectLayout
from ._mapping import Claim, use_case_paths
from ._policy import NON_PRODUCTION, starter_policy
from ._wrappers import MINIMUM_CALLERS, WrapperCandidate, find_wrappers

__all__ = [
    "EXCLUDED_KINDS", "GROUPED_KINDS", "MINIMUM_CALLERS", "NON_PRODUCTION", "Claim", "Placement", "ProjectLayout",
    "WrapperCandidate", "find_wrappers", "starter_policy", "use_case_paths",
]
