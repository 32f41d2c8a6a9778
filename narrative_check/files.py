"""Writing outputs so that nothing is lost: whole files replaced at once, one writer per scan output.

A report, a baseline or a rewritten scan output is written to a temporary file in the same
folder and renamed over the old one, so a full disk or a kill mid-write leaves the previous
file as it was. A scan output is held by a lock file beside it for as long as the scan writes.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from .errors import InputError, InputErrorCode


def cannot_write(path: Path | str, exc: OSError) -> InputError:
    return InputError(InputErrorCode.CANNOT_WRITE, exc.strerror or str(exc), path=str(path))


def json_text(payload: object, **dumps) -> str:
    """JSON of `payload` that any UTF-8 writer can write.

    A file name that is not UTF-8 reaches us with lone surrogates (os.fsdecode), which UTF-8
    cannot encode; JSON's own `\\udcff` escape keeps it, and json.loads gives the same name back.
    Surrogates only ever stand inside JSON strings, so the backslash escape is JSON's.
    """
    text = json.dumps(payload, ensure_ascii=False, **dumps)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Replace `path` with `data` in one step; the old file stays whole if writing fails.

    A target that is not a regular file (/dev/stdout, a pipe, a device) is written to directly:
    renaming over it would replace the device node rather than write to it.
    """
    target = Path(os.path.realpath(path))
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "backslashreplace")
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        if mode is not None and not stat.S_ISREG(mode):
            with open(target, "wb") as fh:
                fh.write(raw)
            return
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
                fh.flush()
                os.fsync(fh.fileno())
            replace_keeping_mode(tmp, target, mode)
        except BaseException:
            with _ignored(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise cannot_write(path, exc) from None


def replace_keeping_mode(new: Path | str, target: Path, mode: int | None) -> None:
    """Put the finished file `new` in place of `target` in one step, with the permissions the
    target had (`mode`, from its stat), or a new file's when there was none."""
    os.chmod(new, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
    os.replace(new, target)


def write_lines_atomic(path: Path | str, lines: Iterable[dict]) -> None:
    """A JSON-lines file replaced in one step (a resumed scan output rewritten)."""
    write_atomic(path, "".join(json_text(line) + "\n" for line in lines))


def _umask() -> int:
    # The only portable way to read it is to set it; a CLI has one thread here.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def _ignored(*exc_types):
    try:
        yield
    except exc_types:
        pass


@contextmanager
def output_lock(path: Path | str) -> Iterator[None]:
    """Hold `path`'s lock file (`path.lock`) or refuse at once: two scans writing one output
    would interleave and tear its lines."""
    from filelock import FileLock, Timeout

    lock_path = f"{os.path.realpath(path)}.lock"
    lock = FileLock(lock_path, is_singleton=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise InputError(InputErrorCode.CANNOT_WRITE, f"another scan is writing it (lock {lock_path})",
                         path=str(path)) from None
    except OSError as exc:
        raise cannot_write(lock_path, exc) from None
    try:
        yield
    finally:
        lock.release()
