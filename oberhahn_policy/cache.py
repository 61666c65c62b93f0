"""A cache of extractions by content hash, so unchanged files are not parsed again, and an index
of unchanged files, so a run without changes does not even read them.

The key covers the file's bytes, its module name, the tool version and everything else
extraction depends on (the SDK surface, declared wrappers, project clients); the policy is
not part of it, which is why a policy edit never invalidates the cache.

The index maps each file to what its last reading found (its import lines and imports when the
pre-filter skipped it, else its extraction's key), under the file's identity (device, inode, size,
modification and change times). A file whose identity is unchanged has the same bytes, as
git's index assumes; a file changed in the two seconds before a run started is not indexed,
so an edit within one timestamp tick of the reading can't go unnoticed.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from pydantic import TypeAdapter, ValidationError

from .callsite import FileExtraction
from .safeio import FileIdentity, UnsafeFileError, create_file_once, read_regular_file, real_directory, write_private_file

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

    def writable(self) -> bool:
        """The cache directory exists, is a real directory and is marked ignored; False when it can't be written."""
        if self._failed:
            return False
        if not self._ready:
            self.directory.mkdir(parents=True, exist_ok=True)
            if not real_directory(self.directory):
                self._failed = True
                return False
            create_file_once(self.directory / ".gitignore", b"# written by oberhahn-policy\n*\n")
            self._ready = True
        return True

    def put(self, key: str, extraction: FileExtraction) -> None:
        """Store an extraction; a failure (read-only checkout, full disk) only costs speed and leaves nothing behind.

        Nothing a repository commits can redirect a write: the cache directory and its folders must be real
        directories (not symlinks), entries replace whatever is at their name, and the `.gitignore` marker is
        created only where nothing (not even a dangling symlink) exists.
        """
        try:
            if not self.writable():
                return
            folder = self.directory / key[:2]
            folder.mkdir(exist_ok=True)
            write_private_file(folder / f"{key}.json", _ADAPTER.dump_json(extraction))
        except (OSError, UnsafeFileError):
            self._failed = True  # a read-only checkout or a full disk still works, only slower


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file the pre-filter skipped, as the index keeps it: its import lines and the modules they import."""

    lines: bytes
    imports: tuple[str, ...]


#: What the index knows of a file: what the pre-filter saw of a skipped file, or the cache key of its extraction.
Known = Union[Skipped, str]
#: A file changed this recently before the run started may change again within the same timestamp tick.
_RACY_NS = 2_000_000_000
#: An index far larger than any project's file list was not written by this tool.
_MAX_INDEX_BYTES = 256_000_000


class FileIndex:
    """What the runs with one set of extraction inputs learned about each file, by the file's identity."""

    def __init__(self, cache: ExtractionCache, inputs_digest: str) -> None:
        self._cache = cache
        self._file = cache.directory / "index" / f"{hashlib.sha256((_SHAPE + inputs_digest).encode()).hexdigest()}.json"
        #: Files changed at or after this moment are not indexed (see `_RACY_NS`).
        self._settled_before = time.time_ns() - _RACY_NS
        self._entries: dict[str, list[object]] | None = None
        self._changed = False

    def _load(self) -> dict[str, list[object]]:
        if self._entries is None:
            try:
                loaded = json.loads(read_regular_file(self._file, limit=_MAX_INDEX_BYTES))
            except (UnsafeFileError, ValueError):
                loaded = None
            self._entries = loaded if isinstance(loaded, dict) else {}
        return self._entries

    def get(self, path: str, identity: FileIdentity) -> Known | None:
        entry = self._load().get(path)
        if not isinstance(entry, list) or len(entry) != 6 or entry[:5] != list(identity):
            return None
        known = entry[5]
        if isinstance(known, str):
            return known
        if (isinstance(known, list) and len(known) == 2 and isinstance(known[0], str) and isinstance(known[1], list)
                and all(isinstance(name, str) for name in known[1])):
            # Latin-1 maps every byte to one character and back
            return Skipped(known[0].encode("latin-1", errors="replace"), tuple(known[1]))
        return None

    def put(self, path: str, identity: FileIdentity | None, known: Known) -> None:
        if identity is None or max(identity[3], identity[4]) >= self._settled_before:
            return
        entries = self._load()
        stored = known if isinstance(known, str) else [known.lines.decode("latin-1"), list(known.imports)]
        entry: list[object] = [*identity, stored]
        if entries.get(path) != entry:
            entries[path] = entry
            self._changed = True

    def save(self) -> None:
        """Write the index if this run learned something; a failure only costs the next run's speed."""
        if not self._changed or self._entries is None:
            return
        try:
            if not self._cache.writable():
                return
            self._file.parent.mkdir(exist_ok=True)
            write_private_file(self._file, json.dumps(self._entries, separators=(",", ":")).encode())
        except (OSError, UnsafeFileError):
            pass
        self._changed = False
