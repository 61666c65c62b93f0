"""Type annotations: the SDK client or the project class a parameter or field is declared as."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from ._bindings import END, MAX_DEPTH, Assigned, Client, QName, Scope, Symbol
from ._values import dotted_name, string_literal

if TYPE_CHECKING:
    from ._model import ModuleModel



class AnnotationReader:
    """Reads annotations through strings, aliases, `X | None`, `Optional[...]` and `Annotated[...]`."""

    def __init__(self, model: ModuleModel) -> None:
        self.model = model

    def client(self, annotation: cst.BaseExpression, scope: Scope, depth: int) -> Symbol | None:
        """A client from a parameter's type annotation (`client: OpenAI | None`)."""
        if type(annotation) is cst.SimpleString:
            text = string_literal(annotation)
            if text is None:
                return None
            try:
                annotation = cst.parse_expression(text)
            except cst.ParserSyntaxError:
                return None
        if depth > MAX_DEPTH:
            return None
        if type(annotation) is cst.Name:
            # a type alias (`OpenAIDep = Annotated[AsyncOpenAI, Depends(get_openai)]`, FastAPI's style)
            alias = self.model.names.lookup(annotation.value, scope, END)
            if isinstance(alias, Assigned) and isinstance(alias.value, (cst.Subscript, cst.BinaryOperation, cst.SimpleString)):
                return self.client(alias.value, alias.scope, depth + 1)
        if type(annotation) is cst.BinaryOperation:
            return self.client(annotation.left, scope, depth + 1) or self.client(annotation.right, scope, depth + 1)
        if type(annotation) is cst.Subscript:
            for element in annotation.slice:
                if isinstance(element.slice, cst.Index):
                    found = self.client(element.slice.value, scope, depth + 1)
                    if found is not None:
                        return found
            return None
        symbol = self.model.inference.infer(annotation, scope, END, depth + 1)
        if isinstance(symbol, QName) and symbol.name in self.model.constructors:
            family, client = self.model.constructors[symbol.name]
            if client.wraps is None and client.when is None:
                return Client(family, client.provider or family.provider, constructor=symbol.name,
                              framework=client.framework or family.framework,
                              model_is_deployment=client.model_is_deployment)
        return None

    def class_name(self, annotation: cst.BaseExpression, scope: Scope, depth: int) -> str | None:
        """The imported class a parameter annotation names, through `Annotated[...]`, `X | None` and strings."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(annotation, cst.SimpleString):
            text = string_literal(annotation)
            try:
                annotation = cst.parse_expression(text) if text else annotation
            except cst.ParserSyntaxError:
                return None
        if isinstance(annotation, cst.BinaryOperation):
            return self.class_name(annotation.left, scope, depth + 1) or \
                self.class_name(annotation.right, scope, depth + 1)
        if isinstance(annotation, cst.Subscript):
            first = annotation.slice[0].slice if annotation.slice else None
            if isinstance(first, cst.Index) and dotted_name(annotation.value) in (
                    "Annotated", "typing.Annotated", "Optional", "typing.Optional"):
                return self.class_name(first.value, scope, depth + 1)
            return None
        if isinstance(annotation, cst.Name):
            alias = self.model.names.lookup(annotation.value, scope, END)
            if isinstance(alias, Assigned) and isinstance(alias.value, cst.Subscript):
                return self.class_name(alias.value, alias.scope, depth + 1)
        symbol = self.model.inference.infer(annotation, scope, END, depth + 1) if isinstance(annotation, (cst.Name, cst.Attribute)) else None
        if isinstance(symbol, QName) and symbol.name.split(".")[0] not in self.model.surface.roots():
            return symbol.name
        return None
