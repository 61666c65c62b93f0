"""Editing a call's arguments with libcst: add a keyword or a dict entry in the layout the code already uses.

Every function here returns a new node or a `Refusal` saying why it can't edit in place; none guesses.
A value path (`inferenceConfig.maxTokens`, `config.http_options.headers`) steps through dict literals,
config constructors (`types.GenerateContentConfig(...)`) and `json.dumps({...})`, as the SDK surface
data describes them (oberhahn_policy/surface.py). Containers held in names, built by functions or
merged with `**` are somebody else's code: the edit stops there.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from typing import Callable, Sequence

import libcst as cst

from ..extract import dotted_name

Whitespace = cst.BaseParenthesizableWhitespace | cst.MaybeSentinel
Container = cst.Call | cst.Dict


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an edit can't be made in place."""

    reason: str


_TIGHT_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


@dataclass(frozen=True)
class Style:
    """How the call being edited writes strings and keyword arguments, so that added code looks like it."""

    quote: str = '"'
    equal: cst.AssignEqual = _TIGHT_EQUAL

    @classmethod
    def of(cls, call: cst.Call) -> Style:
        quotes: list[str] = []

        class _Strings(cst.CSTVisitor):
            def visit_SimpleString(self, node: cst.SimpleString) -> None:
                if node.quote in ('"', "'"):
                    quotes.append(node.quote)

        call.visit(_Strings())
        equal = next((a.equal for a in call.args if isinstance(a.equal, cst.AssignEqual)), None)
        quote = max(('"', "'"), key=quotes.count) if quotes else '"'
        return cls(quote=quote, equal=equal or _TIGHT_EQUAL)

    def string(self, text: str) -> cst.SimpleString:
        """A string literal for `text`, in the call's quote style."""
        escaped = []
        for char in text:
            if char == "\\" or char == self.quote:
                escaped.append("\\" + char)
            elif ord(char) < 32 or ord(char) == 127:
                escaped.append(f"\\x{ord(char):02x}")
            else:
                escaped.append(char)
        return cst.SimpleString(f"{self.quote}{''.join(escaped)}{self.quote}")


def code(node: cst.CSTNode) -> str:
    """A node's source text on one line, for messages."""
    text = cst.Module(body=[]).code_for_node(node)
    return " ".join(text.split())


def is_none(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def string_value(node: cst.BaseExpression) -> str | None:
    """The text of a plain string literal (no f-string, no implicit concatenation), else None."""
    if isinstance(node, cst.SimpleString) and "b" not in node.prefix.lower():
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def integer_value(node: cst.BaseExpression) -> int | None:
    """The value of an integer literal (`512`, `4_096`, `0x200`), else None."""
    if isinstance(node, cst.Integer):
        try:
            return int(node.value, 0)
        except ValueError:
            return None
    return None


# --- layout: adding an element after the last one ------------------------------------------------


def _bare(whitespace: cst.ParenthesizedWhitespace) -> cst.ParenthesizedWhitespace:
    """A line break to the same indentation as `whitespace`, without its comment or blank lines."""
    return cst.ParenthesizedWhitespace(first_line=cst.TrailingWhitespace(), empty_lines=(), indent=whitespace.indent,
                                       last_line=whitespace.last_line)


def _layout(gap: Whitespace, closing: Whitespace) -> tuple[cst.BaseParenthesizableWhitespace, cst.BaseParenthesizableWhitespace]:
    """The whitespace after the old last element's new comma, and after the new element.

    `gap` separates existing elements (or follows the opening bracket); `closing` precedes the
    closing bracket. A comment on the old last element's line stays on that line.
    """
    if isinstance(closing, cst.ParenthesizedWhitespace):
        indentation = gap if isinstance(gap, cst.ParenthesizedWhitespace) else closing
        between = cst.ParenthesizedWhitespace(first_line=closing.first_line, empty_lines=closing.empty_lines,
                                              indent=indentation.indent, last_line=indentation.last_line)
        return between, _bare(closing)
    after = closing if isinstance(closing, cst.BaseParenthesizableWhitespace) else cst.SimpleWhitespace("")
    if isinstance(gap, cst.ParenthesizedWhitespace):
        return _bare(gap), after
    spacing = gap if isinstance(gap, cst.SimpleWhitespace) and gap.value else cst.SimpleWhitespace(" ")
    return spacing, after


def append_argument(call: cst.Call, argument: cst.Arg) -> cst.Call:
    """`call` with `argument` added after its last argument, one per line if the call is written that way."""
    args = list(call.args)
    if not args:
        return call.with_changes(args=[argument.with_changes(comma=cst.MaybeSentinel.DEFAULT)])
    last = args[-1]
    before_last = args[-2].comma if len(args) >= 2 else None
    gap = before_last.whitespace_after if isinstance(before_last, cst.Comma) else call.whitespace_before_args
    if isinstance(last.comma, cst.Comma):
        between, after = _layout(gap, last.comma.whitespace_after)
        new_last = last.with_changes(comma=last.comma.with_changes(whitespace_after=between))
        added = argument.with_changes(comma=cst.Comma(whitespace_after=after), whitespace_after_arg=cst.SimpleWhitespace(""))
    else:
        between, after = _layout(gap, last.whitespace_after_arg)
        new_last = last.with_changes(comma=cst.Comma(whitespace_after=between), whitespace_after_arg=cst.SimpleWhitespace(""))
        added = argument.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=after)
    return call.with_changes(args=[*args[:-1], new_last, added])


def append_entry(mapping: cst.Dict, entry: cst.DictElement) -> cst.Dict:
    """`mapping` with `entry` added after its last entry, one per line if the dict is written that way."""
    elements = list(mapping.elements)
    if not elements:
        return mapping.with_changes(elements=[entry])
    last = elements[-1]
    before_last = elements[-2].comma if len(elements) >= 2 else None
    gap = before_last.whitespace_after if isinstance(before_last, cst.Comma) else mapping.lbrace.whitespace_after
    between, after = _layout(gap, mapping.rbrace.whitespace_before)
    if isinstance(last.comma, cst.Comma):
        new_last = last.with_changes(comma=last.comma.with_changes(whitespace_after=between))
        added = entry.with_changes(comma=cst.Comma())
    else:
        new_last = last.with_changes(comma=cst.Comma(whitespace_after=between))
        added = entry.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return mapping.with_changes(elements=[*elements[:-1], new_last, added],
                                rbrace=mapping.rbrace.with_changes(whitespace_before=after))


def new_dict(entries: Sequence[tuple[str, cst.BaseExpression]], style: Style) -> cst.Dict:
    """`{"k": v, ...}` on one line."""
    elements = [
        cst.DictElement(style.string(key), value, whitespace_before_colon=cst.SimpleWhitespace(""),
                        whitespace_after_colon=cst.SimpleWhitespace(" "),
                        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if i < len(entries) - 1
                        else cst.MaybeSentinel.DEFAULT)
        for i, (key, value) in enumerate(entries)
    ]
    return cst.Dict(elements)


def merge_entries(mapping: cst.Dict, entries: Sequence[tuple[str, cst.BaseExpression]], style: Style) -> cst.Dict | Refusal:
    """A dict literal with entries added; refused when it merges `**` other dicts or has keys that aren't literals."""
    present: set[str] = set()
    for element in mapping.elements:
        if not isinstance(element, cst.DictElement):
            return Refusal(f"the dict merges `**{code(element.value)}`, which may hold the same keys")
        key = string_value(element.key)
        if key is None:
            return Refusal(f"the dict has the key `{code(element.key)}`, which is not a string literal")
        present.add(key)
    for key, value in entries:
        if key in present:
            return Refusal(f"the dict already has the key {key!r}")
        mapping = append_entry(mapping, cst.DictElement(style.string(key), value,
                                                        whitespace_before_colon=cst.SimpleWhitespace(""),
                                                        whitespace_after_colon=cst.SimpleWhitespace(" ")))
    return mapping


# --- value paths -------------------------------------------------------------------------------------

#: Computes the new value at the end of a path from the present one (None when absent).
Leaf = Callable[[cst.BaseExpression | None], "cst.BaseExpression | Refusal"]


def _keyword_index(call: cst.Call, name: str) -> int | None:
    for index, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == name:
            return index
    return None


def _positional_index(call: cst.Call, position: int) -> int | None:
    seen = 0
    for index, arg in enumerate(call.args):
        if arg.keyword is None and not arg.star:
            if seen == position:
                return index
            seen += 1
    return None


def _entry_index(mapping: cst.Dict, key: str) -> int | None | Refusal:
    found: int | None = None
    for index, element in enumerate(mapping.elements):
        if not isinstance(element, cst.DictElement):
            return Refusal(f"the dict merges `**{code(element.value)}`, which may set {key!r}")
        text = string_value(element.key)
        if text is None:
            return Refusal(f"the dict has the key `{code(element.key)}`, which is not a string literal")
        if text == key:
            found = index
    return found


def _editable_call(node: cst.Call) -> bool:
    """Config constructors (`GenerateContentConfig(...)`, `dict(...)`) take keywords; other functions may not."""
    name = dotted_name(node.func)
    last = name.rsplit(".", 1)[-1] if name is not None else ""
    if not (last == "dict" or last[:1].isupper()):
        return False
    return all(arg.keyword is not None and not arg.star for arg in node.args)


def _json_dict(node: cst.Call) -> cst.Dict | None:
    """The dict literal inside `json.dumps({...})` (or `json.dumps({...}).encode()`)."""
    if isinstance(node.func, cst.Attribute) and node.func.attr.value == "encode" and isinstance(node.func.value, cst.Call):
        return _json_dict(node.func.value)
    if dotted_name(node.func) == "json.dumps" and node.args and node.args[0].keyword is None and not node.args[0].star \
            and isinstance(node.args[0].value, cst.Dict):
        return node.args[0].value
    return None


def _with_json_dict(node: cst.Call, new: cst.Dict) -> cst.Call:
    if isinstance(node.func, cst.Attribute) and node.func.attr.value == "encode" and isinstance(node.func.value, cst.Call):
        return node.with_changes(func=node.func.with_changes(value=_with_json_dict(node.func.value, new)))
    return node.with_changes(args=[node.args[0].with_changes(value=new), *node.args[1:]])


def _descend(present: cst.BaseExpression) -> tuple[Container, Callable[[Container], cst.BaseExpression]] | None:
    """The container a path continues in, and how to put an edited copy of it back; None if it isn't written here."""
    if isinstance(present, cst.Dict):
        return present, lambda new: new
    if isinstance(present, cst.Call):
        inner = _json_dict(present)
        if inner is not None:
            return inner, lambda new: _with_json_dict(present, new) if isinstance(new, cst.Dict) else new
        if _editable_call(present):
            return present, lambda new: new
    return None


def _not_here(here: str, present: cst.BaseExpression) -> Refusal:
    return Refusal(f"`{here}` is `{code(present)}`, which is not written out at the call; "
                   "the fix edits only dict literals and config constructors in the call itself")


def _index(container: Container, part: str) -> int | None | Refusal:
    if isinstance(container, cst.Dict):
        return _entry_index(container, part)
    if part.startswith("#"):
        return _positional_index(container, int(part[1:]))
    return _keyword_index(container, part)


def _value(container: Container, index: int) -> cst.BaseExpression:
    return container.elements[index].value if isinstance(container, cst.Dict) else container.args[index].value


def lookup(container: Container, path: Sequence[str], where: str = "") -> cst.BaseExpression | None | Refusal:
    """The expression at a value path among the literals written at the call; None when absent, refused when unreadable."""
    part, rest = path[0], path[1:]
    here = f"{where}.{part}" if where else part
    index = _index(container, part)
    if index is None or isinstance(index, Refusal):
        return index
    present = _value(container, index)
    if not rest:
        return present
    if is_none(present):
        return None
    inner = _descend(present)
    if inner is None:
        return _not_here(here, present)
    return lookup(inner[0], rest, here)


def edit_path(container: Container, path: Sequence[str], leaf: Leaf, style: Style, where: str = "") -> Container | Refusal:
    """`container` with the value at `path` replaced by `leaf(present value)`; absent levels are created as dicts."""
    part, rest = path[0], path[1:]
    here = f"{where}.{part}" if where else part
    index = _index(container, part)
    if isinstance(index, Refusal):
        return index
    if index is None:
        value = leaf(None) if not rest else _build(rest, leaf, style)
        if isinstance(value, Refusal):
            return value
        return _insert(container, part, value, style, here)
    present = _value(container, index)
    new_value: cst.BaseExpression | Refusal
    if not rest:
        new_value = leaf(present)
    elif is_none(present):
        new_value = _build(rest, leaf, style)
    else:
        inner = _descend(present)
        if inner is None:
            return _not_here(here, present)
        edited = edit_path(inner[0], rest, leaf, style, here)
        new_value = edited if isinstance(edited, Refusal) else inner[1](edited)
    if isinstance(new_value, Refusal):
        return new_value
    if isinstance(container, cst.Dict):
        elements = list(container.elements)
        elements[index] = elements[index].with_changes(value=new_value)
        return container.with_changes(elements=elements)
    args = list(container.args)
    args[index] = args[index].with_changes(value=new_value)
    return container.with_changes(args=args)


def _build(path: Sequence[str], leaf: Leaf, style: Style) -> cst.BaseExpression | Refusal:
    """`{"a": {"b": leaf}}` for path `a.b`."""
    value = leaf(None)
    if isinstance(value, Refusal):
        return value
    for part in reversed(path):
        if part.startswith("#"):
            return Refusal(f"positional argument {part} can't be created")
        value = new_dict([(part, value)], style)
    return value


def _insert(container: Container, name: str, value: cst.BaseExpression, style: Style, here: str) -> Container | Refusal:
    if isinstance(container, cst.Dict):
        return append_entry(container, cst.DictElement(style.string(name), value,
                                                       whitespace_before_colon=cst.SimpleWhitespace(""),
                                                       whitespace_after_colon=cst.SimpleWhitespace(" ")))
    if name.startswith("#") or not name.isidentifier() or keyword.iskeyword(name):
        return Refusal(f"`{here}` can't be passed as a keyword argument")
    return append_argument(container, cst.Arg(value=value, keyword=cst.Name(name), equal=style.equal))
