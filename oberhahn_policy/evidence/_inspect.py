"""Inspect AI logs: `.json` logs, and `.eval` logs (zip archives whose `header.json` holds everything but samples).

Shapes followed: inspect-ai 0.3.285 `inspect_ai/log/_log.py` — `EvalLog` version 2 {status, eval: EvalSpec
{model, task, created, dataset.samples, packages}, results: EvalResults {total_samples, completed_samples,
scores[]: EvalScore {name, scorer, scored_samples, metrics: {NAME: {name, value}}}}}; and the version 1 log
(inspect-ai up to 0.3.17), whose results held one `scorer` and its `metrics` (EvalResults.convert_scorer_to_scorers
in 0.3.285 still upgrades that shape). `.eval` archives: `_recorders/eval.py` — `header.json` once the eval has
finished, only `_journal/start.json` while it runs; members are deflated in 2024-25 logs and zstd-compressed
(ZIP method 93) in recent ones, which `zipfile` reads natively only from Python 3.14. Here the optional
`zstandard` package decompresses them.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path
from typing import Any, Mapping

from ..catalog import PriceCatalog
from ._modelref import model_ref
from ._result import EvalResult, EvidenceFile, EvidenceProblem
from ._shape import (
    ShapeError,
    array,
    count,
    join,
    mapping,
    need,
    number,
    optional_text,
    text,
    timestamp,
)

try:  # optional: only `.eval` logs with zstd-compressed members need it
    import zstandard
except ImportError:  # pragma: no cover - exercised by monkeypatching in the tests
    zstandard = None  # type: ignore[assignment]

#: How to get a log this reader can use, appended to problems with an Inspect log.
FIX = "write the log with a current inspect-ai, or convert it with `inspect log convert FILE --to json --output-dir DIR`"
#: ZIP compression method of zstd (APPNOTE 6.3.7, 4.4.5); inspect-ai writes it through `zipfile-zstd`.
ZIP_ZSTANDARD = 93
_HEADER = "header.json"
_START = "_journal/start.json"
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def looks_like_inspect(document: Mapping[str, Any]) -> bool:
    """An EvalLog: an `eval` object naming the model."""
    spec = document.get("eval")
    return isinstance(spec, dict) and "model" in spec


def _samples(results: Mapping[str, Any], score: Mapping[str, Any], document: Mapping[str, Any], path: str) -> int | None:
    """Scored samples of a scorer; else the log's completed samples; else the samples the log holds; else unknown."""
    if score.get("scored_samples") is not None:
        return count(score["scored_samples"], join(path, "scored_samples"))
    if results.get("completed_samples") is not None:
        return count(results["completed_samples"], "results.completed_samples")
    samples = document.get("samples")
    if isinstance(samples, list) and samples:
        return len(samples)
    return None


def _scores(results: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """(path, score) for each scorer; a version 1 log's single `scorer` with top-level `metrics` counts as one."""
    if "scores" in results:
        return [(join("results.scores", i), mapping(score, join("results.scores", i)))
                for i, score in enumerate(array(results["scores"], "results.scores"))]
    if "scorer" in results:
        scorer = dict(mapping(results["scorer"], "results.scorer"))
        scorer["metrics"] = need(results, "metrics", "results")
        return [("results", scorer)]
    raise ShapeError("results.scores", "is missing")


def read_inspect_log(document: Mapping[str, Any], file: str, catalog: PriceCatalog) -> EvidenceFile:
    """One result per scorer and metric of an Inspect EvalLog (a `.json` log, or an `.eval` log's header)."""
    try:
        spec = mapping(need(document, "eval", ""), "eval")
        raw_model = text(need(spec, "model", "eval"), "eval.model")
        created = timestamp(need(spec, "created", "eval"), "eval.created")
        status = text(need(document, "status", ""), "status")
        version = document.get("version")
        format_version = int(number(version, "version")) if version is not None else None
        packages = spec.get("packages")
        tool_version = optional_text(packages.get("inspect_ai")) if isinstance(packages, dict) else None
        if status != "success":
            return EvidenceFile(file, "inspect", problems=(EvidenceProblem(file, _unfinished(status, document)),))
        results = mapping(need(document, "results", ""), "results")
        ref = model_ref(raw_model, "inspect", catalog)
        found: list[EvalResult] = []
        for path, score in _scores(results):
            scorer = text(need(score, "name", path), join(path, "name"))
            samples = _samples(results, score, document, path)
            metrics = mapping(need(score, "metrics", path), join(path, "metrics"))
            for name, metric in metrics.items():
                metric_path = join(join(path, "metrics"), name)
                value = number(need(mapping(metric, metric_path), "value", metric_path), join(metric_path, "value"))
                found.append(EvalResult(file=file, tool="inspect", tool_version=tool_version,
                                        format_version=format_version, model=ref, metric=name, score=value,
                                        samples=samples, created=created, created_from="eval.created",
                                        task=optional_text(spec.get("task")), scorer=scorer))
    except ShapeError as error:
        return EvidenceFile(file, "inspect", problems=(EvidenceProblem(file, f"{error}; {FIX}"),))
    if not found:
        return EvidenceFile(file, "inspect", problems=(EvidenceProblem(file, "results.scores holds no metrics: the eval "
                                                                            "has no scorer; add one to the task"),))
    return EvidenceFile(file, "inspect", tuple(found))


def _unfinished(status: str, document: Mapping[str, Any]) -> str:
    results = document.get("results")
    done = ""
    if isinstance(results, dict) and isinstance(results.get("completed_samples"), int) and isinstance(results.get("total_samples"), int):
        done = f" ({results['completed_samples']} of {results['total_samples']} samples completed)"
    if status == "started":
        return f"status is 'started': the eval has not finished{done}, so it has no results yet; use the log it writes when it completes"
    return (f"status is {status!r}{done}: scores of an eval that did not finish are not evidence; "
            "finish it with `inspect eval-retry FILE` and use the new log")


def _raw_member(archive: Path, info: zipfile.ZipInfo) -> bytes:
    """A member's compressed bytes: the local header gives where they start (APPNOTE 4.3.7)."""
    with archive.open("rb") as handle:
        handle.seek(info.header_offset)
        fields = _LOCAL_HEADER.unpack(handle.read(_LOCAL_HEADER.size))
        if fields[0] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"{info.filename}: bad local file header")
        name_length, extra_length = fields[-2], fields[-1]
        handle.seek(name_length + extra_length, io.SEEK_CUR)
        return handle.read(info.compress_size)


def _member_text(archive: Path, opened: zipfile.ZipFile, name: str) -> str:
    try:  # deflated members; zstd ones too from Python 3.14
        return opened.read(name).decode("utf-8")
    except NotImplementedError:
        info = opened.getinfo(name)
        if info.compress_type != ZIP_ZSTANDARD:
            raise zipfile.BadZipFile(f"{name} uses ZIP compression method {info.compress_type}, which no reader here "
                                     "supports") from None
    if zstandard is None:
        raise _NeedsZstandard(name)
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(_raw_member(archive, info)), read_across_frames=True)
    return reader.read().decode("utf-8")


class _NeedsZstandard(Exception):
    """A zstd-compressed member and no `zstandard` package to decompress it."""


def read_inspect_eval(archive: Path, file: str, catalog: PriceCatalog) -> EvidenceFile:
    """The results in an `.eval` log's `header.json`."""
    try:
        with zipfile.ZipFile(archive) as opened:
            names = set(opened.namelist())
            if _HEADER not in names:
                if _START in names:
                    message = ("no header.json, only _journal/start.json: the eval has not finished (or crashed), so "
                               "the log has no results; use the log it writes when it completes")
                else:
                    message = f"no header.json: not an Inspect .eval log; {FIX}"
                return EvidenceFile(file, "inspect", problems=(EvidenceProblem(file, message),))
            header = _member_text(archive, opened, _HEADER)
    except _NeedsZstandard:
        return EvidenceFile(file, "inspect", problems=(EvidenceProblem(
            file, "header.json is zstd-compressed (ZIP method 93), which Python before 3.14 can't read without the "
                  "`zstandard` package; `pip install zstandard`, or convert the log with "
                  "`inspect log convert FILE --to json --output-dir DIR` and point quality.evidence at the .json"),))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, struct.error, OSError, EOFError) as error:
        return EvidenceFile(file, "inspect", problems=(EvidenceProblem(
            file, f"not a readable .eval archive ({error}); .eval logs are zip files; {FIX}"),))
    except _zstd_errors() as error:
        return EvidenceFile(file, "inspect", problems=(EvidenceProblem(file, f"header.json: zstd data is corrupt ({error}); {FIX}"),))
    except UnicodeDecodeError:
        return EvidenceFile(file, "inspect", problems=(EvidenceProblem(file, f"header.json is not UTF-8 text; {FIX}"),))
    try:
        document = json.loads(header)
    except json.JSONDecodeError as error:
        return EvidenceFile(file, "inspect", problems=(EvidenceProblem(
            file, f"header.json:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); {FIX}"),))
    if not isinstance(document, dict) or not looks_like_inspect(document):
        return EvidenceFile(file, "inspect", problems=(EvidenceProblem(file, f"header.json: eval.model is missing; {FIX}"),))
    return read_inspect_log(document, file, catalog)


def _zstd_errors() -> tuple[type[BaseException], ...]:
    """The decompressor's error type, when it is installed."""
    return (zstandard.ZstdError,) if zstandard is not None else ()
