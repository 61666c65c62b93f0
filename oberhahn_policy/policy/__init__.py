"""The policy: its model, and how policy files are found, read and validated."""

from .document import PolicyError, PolicyLoadError
from .load import (
    LoadedPolicy,
    default_policy,
    find_policy,
    load_policy,
    load_policy_text,
    policy_json_schema,
    resolve_policy,
)
from .model import Policy, UseCase, Wrapper

__all__ = [
    "LoadedPolicy",
    "Policy",
    "PolicyError",
    "PolicyLoadError",
    "UseCase",
    "Wrapper",
    "default_policy",
    "find_policy",
    "load_policy",
    "load_policy_text",
    "policy_json_schema",
    "resolve_policy",
]
