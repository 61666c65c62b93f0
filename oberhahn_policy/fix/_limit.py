"""OBH301 and OBH302: add an output-token limit at the use case's cap, or lower a literal limit to it.

The parameter is the SDK surface's first limit path for the call's API (`max_completion_tokens` for
OpenAI chat, `max_output_tokens` for Responses, `inferenceConfig.maxTokens` for Bedrock Converse,
`config.max_output_tokens` for google-genai...); nested paths are merged into the dict literal or
config constructor the call passes, or created as a dict.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..callsite import CallSite
from ..policy.model import Policy
from ._edits import Refusal, Style, code, edit_path, integer_value, is_none, lookup
from ._shapes import CallShape
from ._values import use_case_of


@dataclass(frozen=True, slots=True)
class LimitEdit:
    """Set the value at `path` to `cap`."""

    path: str
    cap: int
    use_case: str
    #: The literal being lowered; None when the limit is added.
    old: int | None = None

    @property
    def description(self) -> str:
        if self.old is None:
            return f"add {self.path}={self.cap} (the cap of use case {self.use_case!r})"
        return f"lower {self.path} from {self.old} to {self.cap} (the cap of use case {self.use_case!r})"


def _family_paths(shape: CallShape, model: str | None) -> tuple[str, ...] | None:
    """Limit paths for a model-family-specific API (Bedrock `invoke_model`), as extraction tries them; None if unknown."""
    if model is None:
        return None
    text = model.lower()
    for rule in shape.limit_by_model:
        prefixes = [p.lower() for p in rule.models]
        if any(text.startswith(p) or f".{p}" in text or f"/{p}" in text for p in prefixes):
            return rule.limit + shape.limit
    return shape.limit or None


def _cap(site: CallSite, policy: Policy) -> tuple[str, int] | Refusal:
    use_case = use_case_of(site, policy)
    if use_case is None:
        return Refusal("the call has no known use case, so there is no cap to apply "
                       "(attribute the call or map its file with use_cases.NAME.paths)")
    declared = policy.use_cases.get(use_case.name)
    if declared is None:
        return Refusal(f"use case {use_case.name!r} is not declared in the policy, so there is no cap to apply")
    if declared.limits.max_output_tokens is None:
        return Refusal(f"use case {use_case.name!r} sets no limits.max_output_tokens, so there is no cap to apply")
    return use_case.name, declared.limits.max_output_tokens


def plan_limit(code_: str, site: CallSite, shape: CallShape, policy: Policy, call: cst.Call) -> LimitEdit | Refusal:
    """The edit that brings the call's output limit to its use case's cap, or why the call is left alone."""
    cap = _cap(site, policy)
    if isinstance(cap, Refusal):
        return cap
    use_case, tokens = cap
    paths = _family_paths(shape, site.model) if shape.limit_by_model else shape.limit
    if paths is None:
        return Refusal(f"where {site.site.api} takes the limit depends on the model family, and the model is not known")
    if not paths:
        return Refusal(f"the SDK surface data names no output-limit parameter for {site.site.api}")
    passed_none: str | None = None
    for path in paths:
        found = lookup(call, path.split("."))
        if isinstance(found, Refusal):
            return Refusal(f"{found.reason}; it may set the limit")
        if found is None or is_none(found):
            passed_none = passed_none or (path if found is not None else None)
            continue
        if code_ == "OBH301":
            return Refusal(f"the call passes {path}=`{code(found)}`, which can't be read statically")
        old = integer_value(found)
        if old is None:
            return Refusal(f"the limit is `{code(found)}`, not a literal at the call; lower it where it is defined "
                           "(other calls may share it)")
        if old <= tokens:
            return Refusal(f"{path} is {old}, within the cap of {tokens}")
        return LimitEdit(path, tokens, use_case, old)
    if code_ == "OBH302":
        return Refusal("the call's limit is not written at the call")
    if shape.limit_by_model and not shape.limit and "." in paths[0]:
        first = paths[0].split(".")[0]
        if lookup(call, [first]) is None:
            return Refusal(f"the limit goes inside `{first}`, which the call does not pass")
    # `max_tokens=None` means no limit: the cap takes its place rather than sitting beside it
    return LimitEdit(passed_none or paths[0], tokens, use_case)


def apply_limit(call: cst.Call, edit: LimitEdit, style: Style) -> cst.Call | Refusal:
    """`call` with the limit at the edit's path set to the cap."""

    def leaf(present: cst.BaseExpression | None) -> cst.BaseExpression | Refusal:
        if present is None or is_none(present):
            return cst.Integer(str(edit.cap))
        old = integer_value(present)
        if old is None:
            return Refusal(f"the limit is `{code(present)}`, not a literal")
        return cst.Integer(str(min(old, edit.cap)))

    result = edit_path(call, edit.path.split("."), leaf, style)
    return result if not isinstance(result, cst.Dict) else Refusal("internal: a call edit returned a dict")
