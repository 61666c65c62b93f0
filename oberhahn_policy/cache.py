"""A cache of extractions by content hash, so unchanged files are not parsed again.

The key covers the file's bytes, its module name, the tool version and everything else
extraction depends on (the SDK surface, declared wrappers, project clients); the policy is
not part of it, which is why a policy edit never invalidates the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from .callsite import FileExtraction

_ADAPTER: TypeAdapter[FileExtraction] = TypeAdapter(FileExtraction)
#: Changes whenever the shape of an extraction does (a field added by a new release or branch), so an entry
#: written before it is never read back with the new fields silently left at their defaults.
_SHAPE = hashlib.sha256(json.dumps(_ADAPTER.json_schema(), sort_keys=True).encode()).hexdigest()


class ExtractionCache:
    """Extractions stored as JSON files under `directory`, written atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._ready = False

    @staticmethod
    def key(source: bytes, module_name: str, inputs_digest: str, path: str) -> str:
        digest = hashlib.sha256()
        for part in (_SHAPE.encode(), inputs_digest.encode(), path.encode(), module_name.encode(), source):
            digest.update(len(part).to_bytes(8, "little"))
            digest.update(part)
        return digest.hexdigest()

    def get(self, key: str) -> FileExtraction | None:
        file = self.directory / key[:2] / f"{key}.json"
        try:
            return _ADAPTER.validate_json(file.read_bytes())
        except (OSError, ValidationError, ValueError):
            return None

    def put(self, key: str, extraction: FileExtraction) -> None:
        try:
            if not self._ready:
                self.directory.mkdir(parents=True, exist_ok=True)
                marker = self.directory / ".gitignore"
                if not marker.exists():
                    marker.write_text("# written by oberhahn-policy\n*\n", encoding="utf-8")
                self._ready = True
            folder = self.directory / key[:2]
            folder.mkdir(exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(_ADAPTER.dump_json(extraction))
            os.replace(temporary, folder / f"{key}.json")
        except OSError:
            pass  # a read-only checkout still works, only slower
