"""Static prompts: their text (prompt files read from the repository), a token estimate, and caching facts.

Extraction records a prompt's parts as text, templates or file paths; this module, run by the
resolve step, turns them into one text per call site. It reads prompt files from the project
root (never outside it), so an edited prompt file is seen even when the module that reads it is
served from the extraction cache.

Token estimate: there is no tokenizer at run time (tokenizers download their vocabularies), so
the estimate averages two cheap measures: the number of pre-tokenizer pieces (runs of word
characters, and each punctuation character: what BPE tokenizers split on before merging) and
characters / 4 (the published rule of thumb for English). Measured against OpenAI's tokenizers
(o200k_base, cl100k_base, through the offline `bpe-openai` package) on the eight prompts in
tests/fixtures/prompts/ (counts recorded in token-counts.json there, checked by
tests/test_prompts.py), the error is -4% to +12% against o200k_base and -19% to +12% against
cl100k_base (the -19% is German text on cl100k_base). Prose is slightly overestimated, German
and JSON-heavy text slightly underestimated. Anthropic's and Google's tokenizers were not
measured (no offline vocabulary), so limits should leave a margin of about 20%.
"""

from __future__ import annotations

import math
import posixpath
import re
from pathlib import Path
from typing import Callable

from .callsite import PromptInfo, ResolvedPrompt, StaticValue
from .safeio import UnsafeFileError, read_text_file

_PIECE = re.compile(r"\w+|[^\w\s]")
#: Prompt roles that form the static prefix a provider caches: the instructions every call repeats.
PREFIX_ROLES = frozenset({"system", "developer", "instructions"})
#: Prompt files above this are not read (the same cap as source files).
MAX_PROMPT_FILE_BYTES = 2_000_000


def estimate_tokens(text: str) -> int:
    """Estimated tokens of `text`: the mean of its pre-tokenizer pieces and its characters / 4, rounded up."""
    if not text:
        return 0
    return math.ceil((len(_PIECE.findall(text)) + len(text) / 4) / 2)


def prompt_file_path(anchor: str, path: str, module_path: str) -> str | None:
    """The root-relative path of a prompt file, or None when it lies outside the project."""
    if posixpath.isabs(path) or re.match(r"^[A-Za-z]:[\\/]", path):
        return None
    if anchor == "file":
        path = path.replace("__file__", module_path, 1)
    normal = posixpath.normpath(path.replace("\\", "/"))
    if normal.startswith("../") or normal == "..":
        return None
    return normal


class PromptReader:
    """Reads prompt files under a project root, once each.

    Only regular UTF-8 files of at most 2 MB whose real location is inside the root are read; any
    other (a FIFO, a symlink to /dev/zero or /etc/shadow) counts as a file that can't be found, so
    its size and hash never reach a report or the lock file.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._texts: dict[str, str | None] = {}

    def read(self, relative: str) -> str | None:
        if relative not in self._texts:
            try:
                self._texts[relative] = read_text_file(self.root / relative, limit=MAX_PROMPT_FILE_BYTES, root=self.root,
                                                       what="prompt file", strip_bom=False)  # as the app reads it
            except UnsafeFileError:
                self._texts[relative] = None
        return self._texts[relative]


def resolve_prompt(info: PromptInfo, module_path: str, reader: PromptReader,
                   value: Callable[[StaticValue], StaticValue]) -> tuple[ResolvedPrompt | None, tuple[str, ...]]:
    """Join a call's static prompt parts (None when no part has static text), and the prompt files it names that
    can't be read."""
    texts: list[str] = []
    roles: list[str] = []
    files: list[str] = []
    missing: list[str] = []
    dynamic: list[str] = []
    for part in info.parts:
        if part.file is not None:
            relative = prompt_file_path(part.file.anchor, part.file.path, module_path)
            content = reader.read(relative) if relative is not None else None
            if content is None:
                missing.append(relative or part.file.path)
                continue
            files.append(relative or part.file.path)
            texts.append(content)
            roles.append(part.role)
            continue
        if part.text is None:
            continue
        resolved = value(part.text) if part.text.reference is not None else part.text
        if isinstance(resolved.value, str) and resolved.value:
            texts.append(resolved.value)
            roles.append(part.role)
        else:
            dynamic.append(part.text.expression)
    if not texts:
        return None, tuple(missing)
    text = "\n\n".join(texts)
    prefix = "\n\n".join(t for t, role in zip(texts, roles) if role in PREFIX_ROLES)
    return ResolvedPrompt(text, estimate_tokens(text), tuple(roles), tuple(files), tuple(dynamic), info.cache_marker,
                          estimate_tokens(prefix)), tuple(missing)
