"""Where a call's model, output limit and attribution carriers go, by canonical API name: the SDK surface data, read for writing.

Extraction records each call site's `api` (`openai.chat.completions.create`, `langchain_openai.ChatOpenAI`,
a declared wrapper's name); the same data that told extraction where to read tells `fix` where to write.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..policy.model import Wrapper
from ..surface import Carrier, ModelLimit, Surface, load_surface


@dataclass(frozen=True, slots=True)
class CallShape:
    """The value paths of one API's parameters (oberhahn_policy/data/sdk-surface.yaml)."""

    #: Where the model goes, first the preferred one.
    model: tuple[str, ...]
    #: Where the output limit goes, first the preferred one.
    limit: tuple[str, ...]
    #: Model-family-specific limit paths (Bedrock `invoke_model` bodies), tried before `limit`.
    limit_by_model: tuple[ModelLimit, ...]
    #: Attribution carriers of the call itself, in the data's order.
    carriers: tuple[Carrier, ...]


def _surface_shapes(surface: Surface) -> dict[str, CallShape | None]:
    """Shapes by API name; None for a name two entries give different shapes (then nothing is written)."""
    shapes: dict[str, CallShape | None] = {}

    def add(api: str, shape: CallShape) -> None:
        if api in shapes and shapes[api] != shape:
            shapes[api] = None
        else:
            shapes[api] = shape

    for family in surface.families:
        for method in family.methods:
            add(method.api or f"{family.name}.{method.chain}",
                CallShape(method.model, method.limit, method.limit_by_model, method.carriers + family.call_carriers))
    for function in surface.functions:
        add(function.api or function.name, CallShape(function.model, function.limit, function.limit_by_model, function.carriers))
    return shapes


@lru_cache(maxsize=1)
def _shipped_shapes() -> dict[str, CallShape | None]:
    return _surface_shapes(load_surface())


def call_shape(api: str, wrappers: tuple[Wrapper, ...], surface: Surface | None = None) -> CallShape | None:
    """The shape of a call site's API: a declared wrapper's argument names, else the SDK surface's entry."""
    for wrapper in wrappers:
        if wrapper.function == api:
            carriers = tuple(Carrier(path=argument, kind="scalar", key=key, layer="body")
                             for key, argument in wrapper.attribution.items())
            return CallShape((wrapper.model,) if wrapper.model else (),
                             (wrapper.max_output_tokens,) if wrapper.max_output_tokens else (), (), carriers)
    return (_surface_shapes(surface) if surface is not None else _shipped_shapes()).get(api)
