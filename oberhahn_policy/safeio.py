"""Reading inputs and writing outputs so that no file in a pull request can hang, exhaust or redirect a run.

Reads: only regular files are read (a FIFO named `x.py` would block forever, `/dev/zero` never
ends), the size cap is applied to the open descriptor before reading, at most `limit + 1` bytes
are read (a file that grows meanwhile can't exhaust memory), and with a project root, a path
whose real location (symlinks resolved) is outside the root is refused, so a committed
`prompts/p.md -> /etc/shadow` is never read, hashed or measured.

Writes: a report replaces a regular file atomically (temporary file + rename in the same
directory), keeping the mode of the file it replaces (a new file honours the umask); a symlink
is written through (the link stays, its target gets the text, as a shell `>` would); a device
or FIFO (`/dev/stdout`, `/dev/full`) is written directly, never replaced by a regular file; on
any failure the temporary file is removed and the caller gets one clean message.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Callable, Literal

#: Why a file was refused; callers that treat a missing file differently (an optional file) test `reason`.
Refusal = Literal["missing", "not-regular", "too-large", "outside-project", "unreadable", "not-utf8"]


class UnsafeFileError(Exception):
    """A file that will not be read or written; `str()` is the user-facing `FILE: what is wrong, how to fix it`."""

    def __init__(self, label: str, problem: str, reason: Refusal | Literal["write-failed"], *,
                 line: int | None = None, column: int | None = None) -> None:
        where = label if line is None else f"{label}:{line}:{column or 1}"
        super().__init__(f"{where}: {problem}")
        #: How the file is named in the message (as the user wrote it, or relative to the working directory).
        self.label = label
        #: What is wrong and how to fix it, without the file name.
        self.problem = problem
        self.reason = reason
        #: Position of the problem inside the file (an undecodable byte), when there is one.
        self.line = line
        self.column = column


def display_path(path: Path | str) -> str:
    """`path` relative to the working directory when it is below it, else as given (POSIX separators)."""
    path = Path(path)
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}".removesuffix(".0") + " MB"
    if count >= 1_000:
        return f"{count / 1_000:.0f} kB"
    return f"{count} bytes"


def is_inside(path: Path, root: Path) -> bool:
    """Whether `path`, with every symlink resolved, is `root` or below it."""
    return _below(os.path.realpath(path), os.path.realpath(root))


def _below(real: str, base: str) -> bool:
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


class RealPaths:
    """Real locations of paths (symlinks resolved), remembering each directory's for one run.

    `os.path.realpath` examines every component of a path; a project's thousands of files share a
    few hundred directories, so a run resolves each directory once and then only asks whether the
    file itself is a link. Scoped to one run: a directory replaced by a link later is resolved anew.
    """

    def __init__(self) -> None:
        self._directories: dict[str, str] = {}

    def directory(self, path: str) -> str:
        real = self._directories.get(path)
        if real is None:
            real = self._directories[path] = os.path.realpath(path)
        return real

    def resolve(self, path: str) -> str:
        head, tail = os.path.split(os.path.abspath(path))
        if tail in ("", ".", ".."):
            return os.path.realpath(path)
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return os.path.realpath(path)
        except OSError:
            return os.path.realpath(path)
        return os.path.join(self.directory(head), tail)


def read_regular_file(path: Path | str, *, limit: int, root: Path | None = None, label: str | None = None,
                      what: str = "file", real_paths: RealPaths | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (inside `root`, when given); UnsafeFileError otherwise.

    `what` names the file's role in messages ("policy file", "prompt file"); `real_paths` shares resolved
    directories across the reads of one run. Every file of a project comes through here, so the path stays a
    string and its display name is worked out only for a message.
    """
    target = os.fspath(path)

    def refuse(problem: str, reason: Refusal) -> UnsafeFileError:
        return UnsafeFileError(label or display_path(path), problem, reason)

    if root is not None:
        paths = real_paths or RealPaths()
        real = paths.resolve(target)
        if not _below(real, paths.directory(os.fspath(root))):
            raise refuse(f"the {what} resolves to {real}, outside the project ({root}); "
                         "only files inside the project are read: copy it into the project", "outside-project")
        # open the resolved path without following a final symlink: a link swapped in after the check is refused
        target = real
    try:
        # stat first, so that a device is never even opened (opening some has side effects)
        before = os.stat(target)
    except FileNotFoundError:
        raise refuse(f"{what} not found", "missing") from None
    except OSError as exc:
        raise refuse(f"cannot read the {what}: {exc.strerror}", "unreadable") from None
    _require_regular(before.st_mode, before.st_size, refuse, what, limit)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    if root is not None:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(target, flags)
    except FileNotFoundError:
        raise refuse(f"{what} not found", "missing") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise refuse(f"the {what} was replaced by a symlink while being read; run again", "unreadable") from None
        raise refuse(f"cannot read the {what}: {exc.strerror}", "unreadable") from None
    try:
        opened = os.fstat(descriptor)  # what was actually opened, whatever happened since the stat
        _require_regular(opened.st_mode, opened.st_size, refuse, what, limit)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise refuse(f"cannot read the {what}: {exc.strerror}", "unreadable") from None
    finally:
        os.close(descriptor)
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if len(data) > limit:
        raise refuse(f"the {what} grew above the {_size(limit)} limit while being read; it was not read", "too-large")
    return data


#: A file's identity and version as stat sees it: (device, inode, size, modified ns, changed ns).
FileIdentity = tuple[int, int, int, int, int]


def file_identity(path: Path | str, *, root: Path, real_paths: RealPaths | None = None) -> FileIdentity | None:
    """Who and which version a regular file inside `root` is, without opening it; None for anything else (a link
    leaving the project, a FIFO, a missing file: `read_regular_file` then says what is wrong with it).

    The change time is part of it because no program can set it: a file rewritten with its old modification time
    restored (`touch -r`, `rsync -t`) still shows as changed.
    """
    target = os.fspath(path)
    try:
        found = os.lstat(target)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None  # a symlink too: it is read (or refused) the long way
    paths = real_paths or RealPaths()
    # the directory's real path resolves `..` and links; only a relative path needs making absolute first
    head, tail = os.path.split(target if os.path.isabs(target) else os.path.abspath(target))
    if not _below(os.path.join(paths.directory(head), tail), paths.directory(os.fspath(root))):
        return None
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def _require_regular(mode: int, size: int, refuse: Callable[[str, Refusal], UnsafeFileError], what: str,
                     limit: int) -> None:
    if not stat.S_ISREG(mode):
        raise refuse(f"the {what} is {_kind(mode)}, not a regular file; only regular files are read: "
                     "replace it with a regular file", "not-regular")
    if size > limit:
        raise refuse(f"the {what} is {_size(size)}, above the {_size(limit)} limit; it was not read", "too-large")


def decode_utf8(data: bytes, label: str, what: str = "file", *, strip_bom: bool = True) -> str:
    """`data` as UTF-8 text (a leading BOM dropped unless told); UnsafeFileError at the line and column of the first bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise UnsafeFileError(label, f"the {what} is not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                                     "save it as UTF-8", "not-utf8", line=line, column=column) from None
    return text.removeprefix("\ufeff") if strip_bom else text


def read_text_file(path: Path | str, *, limit: int, root: Path | None = None, label: str | None = None,
                   what: str = "file", strip_bom: bool = True) -> str:
    """A regular UTF-8 text file, with the guarantees of `read_regular_file`."""
    shown = label or display_path(Path(path))
    data = read_regular_file(path, limit=limit, root=root, label=shown, what=what)
    return decode_utf8(data, shown, what, strip_bom=strip_bom)


# --- writing --------------------------------------------------------------------------------------


def _write_failure(shown: str, exc: OSError, directory: Path | None = None) -> UnsafeFileError:
    if exc.errno == errno.ENOSPC:
        problem = "no space left on the device; free some space and run again"
    elif exc.errno == errno.EROFS:
        problem = "the file system is read-only; write the report somewhere else"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        where = f"create a file in {directory}" if directory is not None else "write it"
        problem = f"permission denied: cannot {where}; choose another --output or fix the permissions"
    elif exc.errno == errno.ENXIO:
        problem = "it is a FIFO (named pipe) with no reader; start the reader first"
    elif exc.errno == errno.EISDIR:
        problem = "it is a directory; name a file"
    else:
        problem = f"cannot write it: {exc.strerror or exc}"
    return UnsafeFileError(shown, problem, "write-failed")


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def _write_directly(path: Path, data: bytes, shown: str) -> None:
    """A device, FIFO or /proc entry: written in place, never replaced by a regular file."""
    flags = os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise _write_failure(shown, exc) from None
    try:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            # `/dev/stdout` redirected to a file: append, as writing to the inherited descriptor would
            import fcntl  # POSIX only, like the /dev and /proc paths that lead here

            fcntl.fcntl(descriptor, fcntl.F_SETFL, fcntl.fcntl(descriptor, fcntl.F_GETFL) | os.O_APPEND)
        os.set_blocking(descriptor, True)  # opened non-blocking only so that a FIFO without a reader fails at once
        _write_all(descriptor, data)
    except OSError as exc:
        raise _write_failure(shown, exc) from None
    finally:
        os.close(descriptor)


def _replace_atomically(target: Path, data: bytes, shown: str, mode: int | None,
                        owner: tuple[int, int] | None) -> None:
    """Write a temporary file beside `target` and rename it over; the temporary never outlives a failure."""
    directory = target.parent
    temporary: Path | None = None
    descriptor = -1
    try:
        for attempt in range(100):
            candidate = directory / f".{target.name}.{os.getpid()}.{attempt}.tmp"
            try:
                # 0o666 and the umask: a new file gets the permissions any other tool would give it
                descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                                     | getattr(os, "O_CLOEXEC", 0), 0o666)
            except FileExistsError:
                continue
            temporary = candidate
            break
        if temporary is None:
            raise FileExistsError(errno.EEXIST, "too many leftover temporary files", str(directory))
        if mode is not None:
            os.fchmod(descriptor, mode)  # the file it replaces keeps its permissions
        if owner is not None:
            try:
                os.fchown(descriptor, *owner)
            except OSError:
                pass  # only root may give a file away; anyone else keeps what they can
        _write_all(descriptor, data)
        os.close(descriptor)
        descriptor = -1
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise _write_failure(shown, exc, directory) from None
    finally:
        if descriptor >= 0:
            os.close(descriptor)
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def write_output_file(path: Path | str, text: str | bytes) -> None:
    """Write a report or generated file safely (see the module docstring); UnsafeFileError with a clean message."""
    path = Path(path)
    shown = str(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    target = Path(os.path.realpath(path))  # a symlink is written through: the link stays, its target changes
    if any(p.as_posix().startswith(("/dev/", "/proc/")) for p in (path.absolute(), target)):
        # `/dev/stdout` (-> /proc/self/fd/1 -> a pipe) and friends: opened as named, never replaced
        _write_directly(path, data, shown)
        return
    try:
        current: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise _write_failure(shown, exc) from None
    if current is not None and not stat.S_ISREG(current.st_mode):
        if stat.S_ISDIR(current.st_mode):
            raise UnsafeFileError(shown, "it is a directory; name a file", "write-failed")
        _write_directly(target, data, shown)
        return
    if current is not None and (not current.st_mode & 0o222 or not os.access(target, os.W_OK)):
        raise UnsafeFileError(shown, "the file is read-only; make it writable or choose another --output", "write-failed")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_failure(shown, exc, target.parent) from None
    mode = stat.S_IMODE(current.st_mode) if current is not None else None
    owner = (current.st_uid, current.st_gid) if current is not None and os.geteuid() == 0 else None
    _replace_atomically(target, data, shown, mode, owner)


def write_private_file(path: Path, data: bytes) -> None:
    """Write a tool-owned file (a cache entry) atomically; UnsafeFileError on failure, and no temporary left behind.

    Unlike `write_output_file`, a symlink at `path` is replaced, not followed: nothing the repository
    commits can redirect the write.
    """
    if not real_directory(path.parent):
        raise UnsafeFileError(str(path.parent), "not a real directory (missing, or a symlink)", "write-failed")
    _replace_atomically(path, data, str(path), None, None)


def create_file_once(path: Path, data: bytes) -> bool:
    """Create `path` with `data` unless something (even a dangling symlink) is already there; True if created.

    O_CREAT|O_EXCL never follows a symlink, so a committed `.oberhahn-cache/.gitignore -> /etc/x` is left alone.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                             | getattr(os, "O_CLOEXEC", 0), 0o666)
    except FileExistsError:
        return False
    try:
        _write_all(descriptor, data)
    except OSError:
        os.close(descriptor)
        os.unlink(path)
        raise
    os.close(descriptor)
    return True


def real_directory(path: Path) -> bool:
    """Whether `path` is a directory and not a symlink to one (checked with lstat)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False
