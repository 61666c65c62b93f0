"""The JSON Schemas the project publishes (`schemas/*.schema.json`): one way to stamp them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def published_schema(model: type[BaseModel], name: str, *, mode: Literal["validation", "serialization"],
                     by_alias: bool = True) -> dict[str, Any]:
    """`model`'s schema with the dialect and the `$id` it is published under (`schemas/NAME.schema.json`):
    `validation` for files people write (policies, data files), `serialization` for documents the tool writes."""
    schema = model.model_json_schema(by_alias=by_alias, mode=mode)
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["$id"] = f"https://oberhahn-policy.dev/schemas/{name}.schema.json"
    return schema
