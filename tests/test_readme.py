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
