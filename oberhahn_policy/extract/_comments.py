"""`# oberhahn:` comments: file-level attribution and suppressions."""

from __future__ import annotations

import io
import re
import tokenize

_DIRECTIVE = re.compile(r"#\s*oberhahn:\s*(?P<body>.*)$")
#: In a comment, a directive starts the comment or follows another one (`# noqa  # oberhahn: ...`);
#: a comment that merely quotes the syntax (`` `# oberhahn: ignore` ``) is no directive.
_IN_COMMENT = re.compile(r"(?:^|\s)#\s*oberhahn:\s*(?P<body>.*)$")
_IGNORE = re.compile(r"ignore(?:\[(?P<codes>[^\]]*)\])?\s*(?::|-{1,2}|—)?\s*(?P<reason>.*)$")
_PAIR = re.compile(r"(?P<key>[A-Za-z][\w-]*)=(?P<value>\S+)")


def _comment_lines(text: str) -> dict[int, tuple[str, str]] | None:
    """Real comments (never text inside a string) by line, with their line; None when the file doesn't tokenize."""
    comments: dict[int, tuple[str, str]] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and "oberhahn:" in token.string:
                comments[token.start[0]] = (token.string, token.line)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    return comments


def _directives(text: str) -> list[tuple[int, str, bool]]:
    """(line, directive body, whether the comment stands on a line of its own)."""
    if "oberhahn:" not in text:
        return []
    comments = _comment_lines(text)
    found = []
    if comments is not None:
        for number, (comment, line) in sorted(comments.items()):
            match = _IN_COMMENT.search(comment)
            if match:
                found.append((number, match.group("body").strip(), line.lstrip().startswith("#")))
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        if "oberhahn:" not in line:
            continue
        match = _DIRECTIVE.search(line)
        if match:
            own_line = line.lstrip().startswith("#")
            found.append((number, match.group("body").strip(), own_line))
    return found


def file_attribution(text: str) -> tuple[tuple[str, str], ...]:
    """Pairs of a `# oberhahn: use-case=NAME team=NAME` comment, keys normalised to `use_case`."""
    pairs: dict[str, str] = {}
    for _, body, own_line in _directives(text):
        if not own_line or body.startswith("ignore"):
            continue
        for match in _PAIR.finditer(body):
            pairs.setdefault(match.group("key").lower().replace("-", "_"), match.group("value"))
    return tuple(sorted(pairs.items()))


def suppressions(text: str) -> tuple[tuple[int, tuple[str, ...], str], ...]:
    """`# oberhahn: ignore[OBH101,OBH201]: reason` comments as (line, codes, reason); no codes means all."""
    found = []
    for number, body, _ in _directives(text):
        match = _IGNORE.match(body)
        if match is None:
            continue
        codes = tuple(sorted({c.strip().upper() for c in (match.group("codes") or "").split(",") if c.strip()}))
        found.append((number, codes, match.group("reason").strip()))
    return tuple(found)
