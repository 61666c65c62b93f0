"""A pre-parse guard: find what would crash or stall libcst's native parser before it sees a file.

libcst's parser is native code. It overflows the C stack (the whole process dies with SIGSEGV)
at about 2,000 nested brackets or calls, and its time grows with the square of an expression's
nesting and of its chain length (measured on libcst 1.9, Python 3.11, this 2-core machine;
seconds per statement, 20 statements per file):

| shape                        | 50    | 100   | 150   | 199   | 300   | 500   | 1,000 |
|------------------------------|-------|-------|-------|-------|-------|-------|-------|
| nested calls `f(f(...))`      | 0.016 | 0.069 | 0.15  | 0.35  |       |       |       |
| nested lists `[[...]]`        |       |       |       | 0.13  |       |       |       |
| `a + a + ...` (terms)         |       |       |       |       | 0.022 | 0.083 | 0.26  |
| `a()()()...` (calls)          |       |       |       |       | 0.064 | 0.16  | 0.73  |
| `a.b.b...` (attributes)       |       |       |       |       | 0.041 | 0.093 | 0.50  |

(one `a + ...` of 5,000 terms: 11.6 s; 2,000 nested brackets: SIGSEGV). Hence three limits:

- nesting: at most 199 open brackets (calls, subscripts, literals, f-string fields). This is
  CPython's own limit (its tokenizer's MAXLEVEL of 200: "too many nested parentheses"), so a
  file beyond it cannot run on CPython either, and nothing real is lost;
- chains: at most 1,000 links (binary and unary operators, attribute dots, call and subscript
  suffixes, `lambda`, `not`, conditional expressions) in one comma-separated element;
- time: the estimated parse time of a file's statements, at most 2 s: 9e-6 s x depth**2 for a
  statement nested beyond 30 levels, plus 4e-7 s x links x tokens for a chain of more than 100
  links (the worst rows above; the tokens term is what makes 800 `f'{f"{x}"!r:>{10}}' + ...`
  take 3.5 s where 800 `a + ...` take 0.2 s — found by tests/test_fuzz.py). So a file of many
  190-deep statements or of long chains of heavy terms can't stall a run either.

Not limited here because libcst handles them: indentation beyond 100 levels (its tokenizer
reports "too many indentation levels", CPython's MAXINDENT); `and`/`or` and comparison chains,
and adjacent string literals (3,000 adjacent strings parse in 0.06 s; they make a right-nested
`ConcatenatedString` 3,000 levels deep, which is what exhausts a recursive *visitor's* Python
recursion limit, not the parser).

Most files are cleared by a fast path (`plainly_safe`): comments and strings removed with one regular
expression as 3.11's tokenizer reads them (an f-string keeps its fields' code), the remaining brackets,
operators and separators reduced level by level, every count an over-estimate. A file it clears is nested
at most 30 deep with no chain above 100 links, so it is far from every limit and costs no estimated time.
Measured on the issue 14 benchmark trees and the fixtures (14,547 files): it clears all but one, about six
times faster than the token scan (0.06 s per MB). Files it can't clear go to the token scan below, which
uses the `tokenize` module (pure Python on 3.11, no recursion, linear time; 0.48-0.63 s per MB, 15-30% of
libcst's parse alone). Both read the code in an f-string's replacement fields, which 3.11 tokenizes as
one string and libcst parses (2,000 brackets there crashed libcst). The guard reports encoding problems
itself (an unknown coding cookie makes libcst raise a bare SyntaxError). Where the tokenizer gives up
(Python 3.12 syntax on a 3.11 tokenizer, an unterminated string), the rest of the file is scanned
character by character (every bracket and operator character counts, an over-estimate), so a tokenizer
error can't hide a bomb.
"""

from __future__ import annotations

import codecs
import io
import re
import tokenize
from dataclasses import dataclass

#: CPython's tokenizer rejects the 200th open bracket (MAXLEVEL); libcst would take it and crash near 2,000.
MAX_NESTING = 199
#: Links of one expression chain; 1,000 `a()` suffixes take 0.73 s to parse, 5,000 `+` terms 11.6 s.
MAX_CHAIN = 1_000
#: The estimated parse time of a file's deep or long statements, in seconds.
MAX_ESTIMATED_SECONDS = 2.0
#: Statements shallower and shorter than these cost the parser nothing worth counting.
_FREE_DEPTH, _FREE_LINKS = 30, 100
#: Seconds per statement depth**2, and per chain links x tokens in the chain (see the module docstring).
_DEPTH_COST, _CHAIN_COST = 9e-6, 4e-7

_OPEN_TEXT = frozenset("([{")
_CLOSE_TEXT = frozenset(")]}")
#: Operators that build a nested tree node per occurrence (binary, unary, attribute access).
_LINK_TEXT = frozenset({"+", "-", "*", "/", "//", "%", "@", "**", "<<", ">>", "&", "|", "^", "~", "."})
#: Keywords that nest an expression inside another.
_LINK_WORDS = frozenset({"not", "lambda", "if", "else", "await"})
#: Tokens that end one element of a chain (`a + b, c + d`: two chains). Not `:`, so that
#: `lambda: lambda: ...` (3,000 deep: 2.7 s) is one chain.
_RESET_TEXT = frozenset({",", ";", "=", ":="})
#: Operator characters the raw fallback counts as links.
_RAW_LINKS = frozenset("+-*/%@&|^~.")
#: Tokens that carry no code.
_LAYOUT = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
_STRING_PREFIX = re.compile(r"[A-Za-z]*")
#: What counts inside an f-string token: escaped braces (at field depth 0), brackets, and link operators.
_FIELD_PARTS = re.compile(r"\{\{|\}\}|[{}()\[\]]|[+\-*/%@&|^~.]")


@dataclass(frozen=True, slots=True)
class GuardProblem:
    """Why a file is not handed to the parser; reported as OBH001 at its position."""

    #: 1-based line of the construct that crossed a limit (1 for whole-file problems).
    line: int
    #: 1-based column.
    column: int
    #: What is wrong and what to do, e.g. `nesting 2,000 levels deep (limit 199); the file was skipped — ...`.
    message: str


def check_parseable(source: bytes, *, max_bytes: int = 2_000_000) -> GuardProblem | None:
    """The first reason `source` must not be parsed by libcst, or None when it is safe to parse.

    Syntax errors that libcst reports cleanly (Python 2 `print` statements, a stray NUL byte) are
    left to it: only crashes, stalls and encoding failures are reported here.
    """
    if len(source) > max_bytes:
        return GuardProblem(1, 1, f"the file is {len(source) / 1_000_000:.1f} MB, above the "
                                  f"{max_bytes / 1_000_000:.0f} MB limit; the file was skipped")
    text_or_problem = source_text(source)
    if isinstance(text_or_problem, GuardProblem):
        return text_or_problem
    if plainly_safe(text_or_problem):
        return None
    return _Scanner().scan(text_or_problem)


def source_text(source: bytes) -> str | GuardProblem:
    """The file's text in the encoding it declares (UTF-8 by default), or why it can't be read."""
    lines = iter(source.splitlines(keepends=True)[:2])
    try:
        encoding, _ = tokenize.detect_encoding(lambda: next(lines, b""))
    except SyntaxError as exc:
        detail = str(exc.msg if hasattr(exc, "msg") else exc)
        cookie = re.search(r"unknown encoding(?: for [^:]*)?: (\S+)", detail)
        if source.startswith(codecs.BOM_UTF8) and not cookie:
            message = ("the file starts with a UTF-8 byte-order mark but its coding comment declares another "
                       "encoding; the file was skipped — remove the coding comment or the byte-order mark")
        elif cookie:
            message = (f"unknown encoding {cookie.group(1)!r} declared in the coding comment; "
                       "the file was skipped — declare a known encoding (utf-8) or remove the comment")
        else:
            message = f"{detail}; the file was skipped — save it as UTF-8 without a conflicting coding comment"
        return GuardProblem(_cookie_line(source), 1, message)
    try:
        text = source.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        start = exc.start if isinstance(exc, UnicodeDecodeError) else 0
        before = source[:start]
        line = before.count(b"\n") + 1
        column = start - (before.rfind(b"\n") + 1) + 1
        return GuardProblem(line, column, f"the file is not valid {codecs.lookup(encoding).name} text; "
                                          "the file was skipped — save it in the encoding it declares (UTF-8 by default)")
    return text.removeprefix("\ufeff")


def _cookie_line(source: bytes) -> int:
    for number, line in enumerate(source.splitlines()[:2], start=1):
        if b"coding" in line:
            return number
    return 1


class _Scanner:
    """One pass over the tokens, tracking bracket depth, chain lengths and the estimated parse cost."""

    def __init__(self) -> None:
        self.depth = 0
        #: Links of the chain being read, one entry per open bracket (the innermost last).
        self.chains: list[int] = [0]
        #: Tokens in each of those chains, nested brackets included (an f-string counts its inner tokens).
        self.weights: list[int] = [0]
        self.statement_chain_cost = 0.0
        self.statement_depth = 0
        self.statement_links = 0
        self.statement_start = (1, 0)
        #: True until the current statement's first token is seen.
        self.fresh = True
        self.cost = 0.0
        self.costliest = (0.0, 1, 1)
        #: Where the nesting limit was first crossed; the scan goes on to the statement's end to report its depth.
        self.too_deep: tuple[int, int] | None = None

    def _deep_problem(self) -> GuardProblem | None:
        if self.too_deep is None:
            return None
        return GuardProblem(*self.too_deep, _nesting_message(self.statement_depth))

    def scan(self, text: str) -> GuardProblem | None:
        readline = io.StringIO(text, newline=None).readline  # universal newlines: CR-only files read as lines
        # hot loop (every token of every candidate file): plain strings and locals, no per-token method calls
        name, op, string_token, newline, endmarker = tokenize.NAME, tokenize.OP, tokenize.STRING, tokenize.NEWLINE, tokenize.ENDMARKER
        layout = _LAYOUT
        #: a bracket now would be a call or subscript suffix (after a name, literal or closing bracket)
        suffixable = False
        try:
            for kind, text_, start, _, _ in tokenize.generate_tokens(readline):
                if kind not in layout:
                    self.weights[-1] += 1
                    if self.fresh:
                        self.statement_start = start
                        self.fresh = False
                if kind == name:
                    if text_ in _LINK_WORDS and self._link(start) is not None:
                        return self._chain_problem(start)
                    suffixable = True
                elif kind == op:
                    if text_ in _OPEN_TEXT:
                        if suffixable and self._link(start) is not None:
                            return self._chain_problem(start)
                        self._open(start)
                        suffixable = False
                    elif text_ in _CLOSE_TEXT:
                        self._close()
                        suffixable = True
                    else:
                        suffixable = False
                        if text_ in _LINK_TEXT:
                            if self._link(start) is not None:
                                return self._chain_problem(start)
                        elif text_ in _RESET_TEXT:
                            self._finish_chain(self.chains[-1], self.weights[-1])
                            self.chains[-1] = self.weights[-1] = 0
                elif kind == string_token:
                    if text_[0] not in "\"'":
                        problem = self._fstring_fields(text_, start)
                        if problem is not None:
                            return problem
                    suffixable = True
                elif kind == newline or kind == endmarker:
                    problem = self._deep_problem() or self._end_statement()
                    if problem is not None:
                        return problem
                    self.fresh = True
                    suffixable = False
                elif kind not in layout:
                    suffixable = kind == tokenize.NUMBER
        except (tokenize.TokenError, SyntaxError) as exc:
            # the tokenizer gave up (3.12 f-string syntax on 3.11, an unterminated string): libcst will
            # judge the syntax, but a bomb after this point must still be found
            line = exc.args[1][0] if isinstance(exc, tokenize.TokenError) and len(exc.args) > 1 else getattr(exc, "lineno", 1)
            return self._scan_raw(text, line or 1)
        return self._deep_problem() or self._end_statement() or self._over_budget()

    def _open(self, where: tuple[int, int]) -> None:
        self.depth += 1
        self.chains.append(0)
        self.weights.append(0)
        if self.depth > self.statement_depth:
            self.statement_depth = self.depth
            if self.depth > MAX_NESTING and self.too_deep is None:
                self.too_deep = (where[0], where[1] + 1)

    def _close(self) -> None:
        if self.depth > 0:
            self.depth -= 1
        if len(self.chains) > 1:
            weight = self.weights.pop()
            self._finish_chain(self.chains.pop(), weight)
            self.weights[-1] += weight

    def _finish_chain(self, links: int, weight: int) -> None:
        """Add a finished chain's estimated parse time: libcst's time grows with links x tokens."""
        if links > _FREE_LINKS:
            self.statement_chain_cost += _CHAIN_COST * links * weight

    def _link(self, where: tuple[int, int]) -> int | None:
        """Count one more link of the current chain; not None when that crosses the limit."""
        self.chains[-1] += 1
        links = self.chains[-1]
        if links > self.statement_links:
            self.statement_links = links
            if links > MAX_CHAIN:
                return links
        return None

    @staticmethod
    def _chain_problem(where: tuple[int, int]) -> GuardProblem:
        return GuardProblem(where[0], where[1] + 1,
                            f"an expression chain of more than {MAX_CHAIN:,} operators, attribute accesses or calls "
                            f"(limit {MAX_CHAIN:,}); the file was skipped — split the expression into intermediate variables")

    def _fstring_fields(self, text: str, where: tuple[int, int]) -> GuardProblem | None:
        """The code in an f-string's replacement fields counts as nested code (3.11 tokenizes an f-string as one
        STRING, libcst parses its fields): every bracket in a field is one more level, every operator a link."""
        prefix = _STRING_PREFIX.match(text)
        if prefix is None or "f" not in prefix.group().lower():
            return None
        self.weights[-1] += len(text) // 2  # libcst tokenizes an f-string's fields: about a token per two characters
        deepest, links = fstring_fields(text)
        if deepest and self.depth + deepest > MAX_NESTING and self.too_deep is None:
            self.too_deep = (where[0], where[1] + 1)
        self.statement_depth = max(self.statement_depth, self.depth + deepest)
        for _ in range(links):
            if self._link(where) is not None:
                return self._chain_problem(where)
        return None

    def _end_statement(self) -> GuardProblem | None:
        for links, weight in zip(self.chains, self.weights):
            self._finish_chain(links, weight)
        depth = max(0, self.statement_depth - _FREE_DEPTH)
        seconds = _DEPTH_COST * depth * depth + self.statement_chain_cost
        if seconds:
            self.cost += seconds
            if seconds > self.costliest[0]:
                self.costliest = (seconds, *self.statement_start)
        self.statement_depth = 0
        self.statement_links = 0
        self.statement_chain_cost = 0.0
        self.depth = 0
        self.chains = [0]
        self.weights = [0]
        return None

    def _over_budget(self) -> GuardProblem | None:
        if self.cost <= MAX_ESTIMATED_SECONDS:
            return None
        _, line, column = self.costliest
        return GuardProblem(line, column + 1,
                            f"expressions too deeply nested or too long to parse in reasonable time (about "
                            f"{self.cost:.0f} s estimated, limit {MAX_ESTIMATED_SECONDS:.0f} s; the costliest starts here); "
                            "the file was skipped — split the deepest expressions")

    def _scan_raw(self, text: str, from_line: int) -> GuardProblem | None:
        """The limits from `from_line` on, counting every bracket and operator character outside `#` comments."""
        for number, line in enumerate(text.splitlines()[from_line - 1:], start=from_line):
            code = line.split("#", 1)[0] if "#" in line and "'" not in line and '"' not in line else line
            for column, char in enumerate(code):
                self.weights[-1] += 1
                if char in _OPEN_TEXT:
                    self._open((number, column))
                elif char in _CLOSE_TEXT:
                    self._close()
                elif char in _RAW_LINKS:
                    if self._link((number, column)) is not None:
                        return self._chain_problem((number, column))
                elif char in ",;=":
                    self._finish_chain(self.chains[-1], self.weights[-1])
                    self.chains[-1] = self.weights[-1] = 0
            if self.depth == 0 and not line.rstrip().endswith("\\"):
                problem = self._deep_problem() or self._end_statement()
                if problem is not None:
                    return problem
        return self._deep_problem() or self._end_statement() or self._over_budget()


def fstring_fields(text: str) -> tuple[int, int]:
    """(deepest nesting, operator links) of the code in an f-string token's replacement fields; the literal text
    around the fields (where `{{` and `}}` are escaped braces) does not count."""
    depth = deepest = links = 0
    for part in _FIELD_PARTS.findall(text):
        if depth == 0 and part != "{":
            continue  # literal text: escaped braces, brackets and operators of the string itself
        if part in ("{", "(", "[", "{{"):
            depth += 2 if part == "{{" else 1
            deepest = max(deepest, depth)
        elif part in ("}", ")", "]", "}}"):
            depth = max(0, depth - (2 if part == "}}" else 1))
        elif depth:
            links += 1
    return deepest, links


# --- the fast path: most files are plainly far below every limit -----------------------------------------

#: Comments and string literals as Python 3.11's tokenizer reads them (triple quotes, escapes; a string's prefix is
#: read in front of it by `_structure`).
_COMMENTS_AND_STRINGS = re.compile(
    r"#[^\n]*"
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^\n'\\]|\\.)*'"
    r'|"(?:[^\n"\\]|\\.)*"', re.DOTALL)
#: The link words as whole words. The word boundary in front is checked after the first letter (`n(?<!\wn)`), so
#: that the scan can skip to the next of those letters (a pattern that starts with `\b` is tried at every position).
_LINK_WORD = re.compile(r"(?:n(?<!\wn)ot|l(?<!\wl)ambda|i(?<!\wi)f|e(?<!\we)lse|a(?<!\wa)wait)\b")
#: Everything but brackets, link operators, chain separators and line ends.
_NOT_STRUCTURE = re.compile(r"[^()\[\]{}+\-*/%@&|^~.,;\n]+")
#: Every opening bracket is also counted as a link of the chain around it (a call or subscript suffix is one;
#: counting the others too only over-estimates).
_STRUCTURE = str.maketrans({"(": "+(", "[": "+(", "{": "+(", "]": ")", "}": ")", "-": "+", "*": "+", "/": "+",
                            "%": "+", "@": "+", "&": "+", "|": "+", "^": "+", "~": "+", ".": "+", ";": ","})
_INNERMOST = re.compile(r"\([^()]*\)")
#: Inside brackets, more links in one chain than cost nothing to parse (`_FREE_LINKS`); line ends don't end a chain.
_LONG_CHAIN_INSIDE = re.compile(r"\([^()]*?\+(?:\n*\+){" + str(_FREE_LINKS) + "}")
#: Outside brackets, where a line end ends the statement.
_LONG_CHAIN_OUTSIDE = re.compile(r"\+{" + str(_FREE_LINKS + 1) + "}")


def _structure(match: re.Match[str]) -> str:
    """A comment is dropped, a string becomes one atom, an f-string an atom followed by the code of its fields."""
    literal = match.group(0)
    if literal.startswith("#"):
        return ""
    start = match.start()
    if "f" not in match.string[max(0, start - 2):start].lower():
        return "0"  # not an f-string (an f anywhere in the two characters before the quote counts: over-estimating)
    out = ["0"]
    depth = 0
    for part in _FIELD_PARTS.findall(literal):
        if depth == 0 and part != "{":
            continue  # literal text
        if part in ("{", "(", "[", "{{"):
            depth += 2 if part == "{{" else 1
            out.append("((" if part == "{{" else "(")
        elif part in ("}", ")", "]", "}}"):
            closing = min(depth, 2 if part == "}}" else 1)
            depth -= closing
            out.append(")" * closing)
        elif depth:
            out.append("+")
    out.append(")" * depth)
    return "".join(out)


def plainly_safe(text: str) -> bool:
    """True when a cheap over-estimate shows the file far below every limit: no statement nested more than
    `_FREE_DEPTH` deep and no chain of more than `_FREE_LINKS` links, so no limit is near and no parse time is
    estimated. About 20 times cheaper than the token scan, which then isn't needed.

    Comments and strings are removed as the tokenizer reads them (an f-string keeps its fields' code), then only
    the structure is kept: brackets, links (operators, dots, `not`/`lambda`/`if`/`else`/`await`, and every opening
    bracket, as a call or subscript would be) and the chain separators `,` and `;`. The innermost bracket pairs are
    removed level by level; inside them, a run of more than `_FREE_LINKS` links with nothing but line ends between
    could be a chain too long to be free; outside all brackets, where a line end ends a statement, a run of more
    links. Everything is counted at least as often as the token scan counts it (`**`, `->`, `=` and keywords count
    too; only `,` and `;` end a chain), so a file found safe here is safe there; a file this can't read plainly (a
    quote left over, unbalanced brackets, deeper nesting) goes to the token scan.
    """
    code = _COMMENTS_AND_STRINGS.sub(_structure, text.replace("\r\n", "\n").replace("\r", "\n"))
    if "'" in code or '"' in code:
        return False  # a string the expression above could not read: the token scan decides
    code = _LINK_WORD.sub("+", code.replace("\\\n", " "))  # a backslash-newline outside strings joins the lines
    structure = _NOT_STRUCTURE.sub("", code).translate(_STRUCTURE)
    for _ in range(_FREE_DEPTH + 1):
        if _LONG_CHAIN_INSIDE.search(structure):
            return False
        if "(" not in structure and ")" not in structure:
            return _LONG_CHAIN_OUTSIDE.search(structure) is None
        structure, removed = _INNERMOST.subn("", structure)
        if not removed:
            return False  # unbalanced brackets
    return False


def _nesting_message(depth: int) -> str:
    return (f"nesting {depth:,} levels deep (limit {MAX_NESTING}, as in CPython's own parser); "
            "the file was skipped — split the expression")
