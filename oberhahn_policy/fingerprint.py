"""Fingerprints: a finding's identity for baselines and code-review tools, stable across moved lines.

A fingerprint hashes what identifies a finding without its position: the rule, the file, the
enclosing function, the call's source text with whitespace and comments removed, and the
occurrence index among identical calls in the same function. Moving a call, or editing code
around it, keeps its fingerprint; changing the call itself (another model, a new argument) or
renaming the file gives it a new one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import tokenize
from collections import defaultdict
from typing import TYPE_CHECKING, Iterable

from .findings import Finding

if TYPE_CHECKING:
    from .callsite import CallSite

_SKIPPED_TOKENS = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                             tokenize.ENDMARKER})
_WHITESPACE = re.compile(r"\s+")
#: Numbers standing alone (line numbers, counts), not those inside names such as OBH201 or gpt-6.
_DIGITS = re.compile(r"(?<![A-Za-z0-9_.-])\d+")


def normalised_source(code: str) -> str:
    """The call's tokens without whitespace or comments: formatting and comments never change identity."""
    try:
        tokens = [t.string for t in tokenize.generate_tokens(io.StringIO(code.strip()).readline)
                  if t.type not in _SKIPPED_TOKENS]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return _WHITESPACE.sub("", code)
    # a trailing comma is formatting too (formatters add and remove it)
    return "".join(t for i, t in enumerate(tokens) if not (t == "," and i + 1 < len(tokens) and tokens[i + 1] in ")]}"))


def call_digest(code: str) -> str:
    """A short hash of a call expression's normalised source, recorded at extraction."""
    return hashlib.sha256(normalised_source(code).encode("utf-8")).hexdigest()[:16]


def _hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def identity_fingerprint(*identity: str) -> str:
    """The fingerprint of a finding identified by `identity` (rule, place, subject) rather than by a call or message."""
    return _hash(*identity, "0")


def fingerprint_findings(findings: Iterable[Finding], call_sites: Iterable[CallSite]) -> list[Finding]:
    """Give every finding its fingerprint; findings at a call site are identified by the call, others by their message.

    Paths are relative to the project root (the identity of a file), so a baseline written at the root
    still matches a run from a subdirectory.
    """
    sites = {(c.path, c.site.line, c.site.column): c.site for c in call_sites}
    seen: dict[tuple[str, ...], int] = defaultdict(int)
    result: list[Finding] = []
    for finding in sorted(findings, key=lambda f: f.sort_key):
        site = sites.get((finding.path, finding.line, finding.column))
        if site is not None:
            identity: tuple[str, ...] = (finding.code, finding.path, site.function or "<module>", site.api,
                                         site.source_hash or f"{site.line}:{site.column}")
        else:
            # not at a call (a parse error, a suppression comment): the message without numbers, which are
            # usually line numbers or counts that shift with unrelated edits
            identity = (finding.code, finding.path, _DIGITS.sub("#", finding.message))
        occurrence = seen[identity]
        seen[identity] += 1
        result.append(dataclasses.replace(finding, fingerprint=_hash(*identity, str(occurrence))))
    return result
