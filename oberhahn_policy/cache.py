"""A cache of extractions by content hash, so unchanged files are not parsed again.

The key covers the file's bytes, its module name, the tool version and everything else
extraction depends on (the SDK surface, declared wrappers, project clients); the policy is
not part of it, which is why a policy edit never invalidates the cache.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from .callsite import FileExtraction
from .safeio import UnsafeFileError, create_file_once, read_regular_file, real_directory, write_private_file

_ADAPTER: TypeAdapter[FileExtraction] = TypeAdapter(FileExtraction)
#: An entry describes one source file of at most 2 MB; anything far larger was not written by this tool.
_MAX_ENTRY_BYTES = 64_000_000
#: Changes whenever the shape of an extraction does (a field added by a new release or branch), so an entry
#: written before it is never read back with the new fields silently left at their defaults.
_SHAPE = hashlib.sha256(json.dumps(_ADAPTER.json_schema(), sort_keys=True).encode()).hexdigest()


class ExtractionCache:
    """Extractions stored as JSON files under `directory`, written atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._ready = False
        #: Set after a write fails (full disk, read-only checkout): the run stops trying.
        self._failed = False

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
            # a committed FIFO or a symlink to /dev/zero at an entry's name must not hang or exhaust the run
            return _ADAPTER.validate_json(read_regular_file(file, limit=_MAX_ENTRY_BYTES))
        except (UnsafeFileError, ValidationError, ValueError):
            return None

    def put(self, key: str, extraction: FileExtraction) -> None:
        """Store an extraction; a failure (read-only checkout, full disk) only costs speed and leaves nothing behind.

        Nothing a repository commits can redirect a write: the cache directory and its folders must be real
        directories (not symlinks), entries replace whatever is at their name, and the `.gitignore` marker is
        created only where nothing (not even a dangling symlink) exists.
        """
        if self._failed:
            return
        try:
            if not self._ready:
                self.directory.mkdir(parents=True, exist_ok=True)
                if not real_directory(self.directory):
                    self._failed = True
                    return
                create_file_once(self.directory / ".gitignore", b"# written by oberhahn-policy\n*\n")
                self._ready = True
            folder = self.directory / key[:2]
            folder.mkdir(exist_ok=True)
            write_private_file(folder / f"{key}.json", _ADAPTER.dump_json(extraction))
        except (OSError, UnsafeFileError):
            self._failed = True  # a read-only checkout or a full disk still works, only slower
