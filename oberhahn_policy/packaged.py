"""The data files shipped in `oberhahn_policy/data`: the one way they are read.

They are read with libyaml's C loader where PyYAML has it: the SDK surface alone is thousands of
nodes, and the pure-Python loader spends most of a small project's run on it.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

#: The safe loader, in C when PyYAML was built with libyaml (same documents, same types).
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def packaged_text(name: str) -> str:
    """The text of `oberhahn_policy/data/NAME`."""
    return resources.files("oberhahn_policy").joinpath(f"data/{name}").read_text(encoding="utf-8")


def packaged_yaml(name: str) -> Any:
    """`oberhahn_policy/data/NAME` parsed as YAML with the safe loader."""
    return yaml.load(packaged_text(name), Loader=SAFE_LOADER)
