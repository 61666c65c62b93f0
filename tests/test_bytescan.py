"""The byte scans run in RE2 (linear time, one pass): they must match exactly what Python's `re` matches."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oberhahn_policy.extract._bytescan import byte_scan
from oberhahn_policy.extract._inputs import IMPORTED, ExtractionInputs
from oberhahn_policy.extract._candidates import import_lines
from oberhahn_policy.surface import load_surface

REPO = Path(__file__).resolve().parent.parent
#: Every Python file of the repository (fixtures, corpora, the package), plus shapes that stress `^`, `\b` and bytes.
SOURCES = [p.read_bytes() for p in sorted(REPO.glob("**/*.py")) if ".venv" not in p.parts and ".git" not in p.parts]
SOURCES += [
    b"import openai", b"\xef\xbb\xbfimport openai\n", b"x = 1\r\nfrom openai import OpenAI\r\n",
    b"  import os, openai  # comment\n", b"importopenai\n", b"# import openai\n", b"s = '\xff\xfe'\nimport anthropic\n",
    b"from\topenai_compat import x\n", b"\n\n\tfrom litellm import completion\n",
]
PREFILTER = ExtractionInputs(load_surface()).prefilter


@pytest.mark.parametrize("pattern", [PREFILTER.imports.pattern, PREFILTER.names.pattern,
                                     IMPORTED.pattern, PREFILTER._scan("boto3").pattern],
                         ids=["sdk imports", "call names", "imported modules", "boto3's call names"])
def test_re2_matches_what_re_matches(pattern: bytes) -> None:
    fast, reference = byte_scan(pattern), re.compile(pattern, re.MULTILINE)
    for source in SOURCES:
        assert (fast.search(source) is None) == (reference.search(source) is None), source[:200]
        assert fast.findall(source) == reference.findall(source), source[:200]


def test_a_scan_crosses_to_worker_processes() -> None:
    scan = pickle.loads(pickle.dumps(byte_scan(rb"^import[ \t]+openai\b")))
    assert scan.search(b"x = 1\nimport openai\n") is not None and scan.search(b"import openai_x\n") is None


def test_a_directory_link_out_of_the_project_is_refused_whatever_was_resolved_before(tmp_path: Path) -> None:
    """`RealPaths` remembers directories for one run; a file below a directory that links outside is still refused."""
    from oberhahn_policy.safeio import RealPaths, UnsafeFileError, read_regular_file

    root, outside = tmp_path / "project", tmp_path / "outside"
    (root / "app").mkdir(parents=True)
    outside.mkdir()
    (root / "app" / "ok.py").write_text("x = 1\n")
    (outside / "x.py").write_text("import openai\n")
    (root / "lib").symlink_to(outside, target_is_directory=True)
    paths = RealPaths()
    assert read_regular_file(root / "app" / "ok.py", limit=100, root=root, real_paths=paths) == b"x = 1\n"
    with pytest.raises(UnsafeFileError) as refused:
        read_regular_file(root / "lib" / "x.py", limit=100, root=root, real_paths=paths, label="lib/x.py")
    assert refused.value.reason == "outside-project" and str(refused.value).startswith("lib/x.py: the file resolves to")


#: What `import_lines` must return: every line that starts with `from` or `import` (after blanks), in order.
IMPORT_LINES_REFERENCE = re.compile(rb"^[ \t]*(?:from|import)[ \t][^\n]*\n?", re.MULTILINE)


def test_import_lines_are_the_lines_a_multiline_pattern_finds() -> None:
    for source in SOURCES:
        assert import_lines(source) == b"".join(IMPORT_LINES_REFERENCE.findall(source)), source[:200]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([b"import", b"from", b" ", b"\t", b"\n", b"\r", b"x", b".", b"#", b"\"", b"(",
                                 b"importfrom", b"from x import y", b"\xff"]), max_size=40))
def test_import_lines_on_any_bytes(parts: list[bytes]) -> None:
    source = b"".join(parts)
    assert import_lines(source) == b"".join(IMPORT_LINES_REFERENCE.findall(source))
