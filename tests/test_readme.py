"""The README's generated parts match what the tool generates (docs are generated from rules, never retyped)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from oberhahn_policy.report.rules import rules_markdown
from oberhahn_policy.rules import ALL_RULES

README = Path(__file__).resolve().parent.parent / "README.md"
_SECTION = re.compile(r"(<!-- rules:begin[^\n]*-->\n)(.*?)(<!-- rules:end -->)", re.S)


def test_readme_rule_table_is_generated_from_the_rules() -> None:
    text = README.read_text(encoding="utf-8")
    found = _SECTION.search(text)
    assert found is not None, "README.md has no <!-- rules:begin --> ... <!-- rules:end --> section"
    generated = rules_markdown(ALL_RULES)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        README.write_text(text[:found.start(2)] + generated + text[found.end(2):], encoding="utf-8", newline="\n")
        return
    assert found.group(2) == generated, "README's rule table is stale; run the tests with UPDATE_GOLDEN=1"


# --- sample outputs ---------------------------------------------------------------------------------------------------

#: `<!-- sample: ARGS [; stderr] [; head=N] [; tail=M] -->` before a ```text block whose first line is
#: `$ oberhahn-policy SHOWN`: the block is that command's real output (run with ARGS, which may add `--today` and
#: `--no-cache` so the figures don't move with the calendar), cut to its first N and last M lines around a `...`.
_SAMPLE = re.compile(r"<!-- sample: (?P<spec>[^\n]*?) -->\n```text\n\$ oberhahn-policy (?P<shown>[^\n]*)\n(?P<body>.*?)```",
                     re.S)
_HIDDEN_FLAGS = re.compile(r" --(?:today \S+|no-cache)")


def _sample_output(spec: str) -> tuple[str, str]:
    """(the command as the README shows it, the block's body) for one sample spec."""
    import shlex

    from helpers import run_cli

    args, *options = [part.strip() for part in spec.split(";")]
    settings = dict(option.split("=", 1) if "=" in option else (option, "") for option in options)
    result = run_cli(*shlex.split(args), cwd=README.parent)
    lines = (result.stdout + (result.stderr if "stderr" in settings else "")).splitlines()
    head, tail = int(settings.get("head", len(lines))), int(settings.get("tail", 0))
    if head + tail < len(lines):
        lines = lines[:head] + ["..."] + (lines[len(lines) - tail:] if tail else [])
    return _HIDDEN_FLAGS.sub("", args), "".join(line + "\n" for line in lines)


def test_readme_sample_outputs_are_the_real_outputs() -> None:
    text = README.read_text(encoding="utf-8")
    samples = list(_SAMPLE.finditer(text))
    assert len(samples) >= 5, "README.md lost its <!-- sample: ... --> markers"
    updated, position = [], 0
    for sample in samples:
        shown, body = _sample_output(sample.group("spec"))
        if os.environ.get("UPDATE_GOLDEN") == "1":
            updated += [text[position:sample.start("shown")], shown, "\n", body]
            position = sample.end("body")
            continue
        assert sample.group("shown") == shown, f"the README shows `{sample.group('shown')}` but runs `{shown}`"
        assert sample.group("body") == body, f"README sample of `{shown}` is stale; run the tests with UPDATE_GOLDEN=1"
    if updated:
        README.write_text("".join(updated) + text[position:], encoding="utf-8", newline="\n")
