"""Writing fixed files: atomically (a temporary file in the same directory, then a rename), mode and owner kept.

A file whose bytes are no longer those the plan read is left alone, and so is a read-only one:
`fix` reports them rather than forcing its way. `write_file` is the one place that writes.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from ._types import FixPlan, WriteOutcome


class FileChanged(Exception):
    """The file's content is not what the plan was made from."""


class ReadOnlyFile(Exception):
    """The file has no write permission."""


def write_file(target: Path, data: bytes, expected: bytes) -> None:
    """Replace `target`'s content with `data` if it still holds `expected`; a failure leaves the original intact."""
    real = Path(os.path.realpath(target))  # through a symlink to the file it names, keeping the link
    if real.read_bytes() != expected:
        raise FileChanged(str(target))
    info = real.stat()
    # the mode bits, not os.access: as root os.access says yes to a file its owner made read-only
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(real, os.W_OK):
        raise ReadOnlyFile(str(target))
    handle, temporary = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".fix.tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode))
        with contextlib.suppress(OSError):  # only root may give a file away; others keep their own files anyway
            os.chown(temporary, info.st_uid, info.st_gid)
        os.replace(temporary, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def apply_plan(plan: FixPlan) -> tuple[WriteOutcome, ...]:
    """Write every planned file; each file's outcome says whether it was written and, if not, why."""
    outcomes: list[WriteOutcome] = []
    for planned in plan.files:
        try:
            write_file(planned.file, planned.fixed, planned.original)
        except FileChanged:
            outcomes.append(WriteOutcome(planned.path, "changed", 0, "the file changed since it was read; left alone, "
                                                                     "run fix again"))
        except ReadOnlyFile:
            outcomes.append(WriteOutcome(planned.path, "read-only", 0, "the file is read-only; left alone (make it "
                                                                       "writable to fix it)"))
        except OSError as exc:
            outcomes.append(WriteOutcome(planned.path, "failed", 0, f"could not write it ({exc.strerror or exc}); "
                                                                    "the original is unchanged"))
        else:
            outcomes.append(WriteOutcome(planned.path, "written", len(planned.fixes)))
    return tuple(outcomes)
