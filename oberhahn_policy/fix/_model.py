"""OBH201 (only with `--unsafe-fixes`): replace a literal model with the use case's one approved model.

Unsafe because a different model answers differently: the fix changes what the program does, not
just how it is attributed or bounded. It applies only when the use case approves exactly one model
given as an id (no glob) that the price catalog knows as sold by the call's provider for the same
kind of work as the model it replaces (chat for chat, audio for audio), the call writes its
model as a plain string literal spelled as a bare id (not `provider/model`, a Bedrock id or a
LangChain `provider:model`), and the model is not an Azure deployment name.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from ..callsite import CallSite
from ..catalog import load_catalog
from ..modelids import spellings
from ..policy.model import Policy
from ._edits import Refusal, Style, code, edit_path, lookup, string_value
from ._shapes import CallShape
from ._values import use_case_of

_GLOB = set("*?[")


@dataclass(frozen=True, slots=True)
class ModelEdit:
    """Replace the model literal at `path`."""

    path: str
    old: str
    new: str
    use_case: str

    @property
    def description(self) -> str:
        return f"replace {self.path} {self.old!r} with {self.new!r} (the one model the use case approves)"


def plan_model(site: CallSite, shape: CallShape, policy: Policy, call: cst.Call) -> ModelEdit | Refusal:
    use_case = use_case_of(site, policy)
    declared = policy.use_cases.get(use_case.name) if use_case is not None else None
    if use_case is None or declared is None:
        return Refusal("the call's use case is not known or not declared, so no approved model is known")
    approved = declared.models.approved
    if len(approved) != 1 or _GLOB & set(approved[0]):
        return Refusal(f"use case {use_case.name!r} approves {len(approved)} model patterns "
                       f"({', '.join(approved) or 'none'}); the fix needs exactly one model id to choose")
    if site.site.model_is_deployment:
        return Refusal("the model argument names an Azure deployment, not a model id")
    for path in shape.model:
        found = lookup(call, path.split("."))
        if isinstance(found, Refusal):
            return found
        if found is None:
            continue
        text = string_value(found)
        if text is None:
            return Refusal(f"the model is `{code(found)}`, not a string literal at the call; change it where it is defined")
        if spellings(text) != (text,):
            return Refusal(f"the model {text!r} is spelt with a provider or region prefix; choose the replacement by hand")
        catalog = load_catalog()
        old, new = catalog.lookup(text, site.provider), catalog.lookup(approved[0], site.provider)
        if old is None or new is None or (old.provider, old.mode) != (new.provider, new.mode):
            return Refusal(f"the price catalog does not show {approved[0]!r} as a {site.provider} model for the same "
                           f"kind of work as {text!r}, so the call may not be able to use it; choose the replacement by hand")
        return ModelEdit(path, text, approved[0], use_case.name)
    return Refusal("the call passes no model (the SDK's default applies); pass one by hand")


def apply_model(call: cst.Call, edit: ModelEdit, style: Style) -> cst.Call | Refusal:
    def leaf(present: cst.BaseExpression | None) -> cst.BaseExpression | Refusal:
        if present is None or string_value(present) != edit.old:
            return Refusal("the model literal changed")
        assert isinstance(present, cst.SimpleString)
        quote = present.quote if present.quote in ('"', "'") else style.quote
        return Style(quote=quote, equal=style.equal).string(edit.new)

    result = edit_path(call, edit.path.split("."), leaf, style)
    return result if not isinstance(result, cst.Dict) else Refusal("internal: a call edit returned a dict")
