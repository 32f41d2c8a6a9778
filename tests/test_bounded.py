"""Every input bounded in time and memory (issue 14): files built to make a reader run for
minutes or take gigabytes are refused with one InputError line, in the library and in `check`.

Each reproducer is generated here, small, and runs under the hang guard of test_hostile; each
is also run through `narrative-check check` in a subprocess with a hard timeout and an address
space cap, so a regression shows as a failed test, not as a machine out of memory.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from narrative_check import check_file
from narrative_check.errors import InputError, InputErrorCode
from test_hostile import hang_guard

# The address space a `check` subprocess may take: several times what a refused input needs
# (the interpreter and its libraries take about 250 MB of it), far below what the hostile files
# took before they were bounded (gigabytes).
_CHECK_ADDRESS_SPACE = 1536 * 1024 * 1024
_CHECK_SECONDS = 60


def _limit_address_space() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (_CHECK_ADDRESS_SPACE, _CHECK_ADDRESS_SPACE))


def _refused(path: Path | str, code: InputErrorCode, what: str) -> InputError:
    """check_file refuses `path` with `code`, within the hang guard."""
    with hang_guard(what=what):
        with pytest.raises(InputError) as caught:
            check_file(path)
    assert caught.value.code == code, caught.value.message
    return caught.value


def _check_cli_refuses(path: Path | str, code: InputErrorCode) -> str:
    """`narrative-check check path` exits 2 with one line on stderr naming `code`, no traceback."""
    run = subprocess.run(
        [sys.executable, "-m", "narrative_check", "check", str(path)],
        capture_output=True, text=True, timeout=_CHECK_SECONDS, preexec_fn=_limit_address_space,
    )
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 2, run.stderr[-2000:]
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert code.value in lines[0] and str(path) in lines[0]
    return lines[0]


# ---- only regular files, never more than the size limit -------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    """Reading a FIFO nobody writes to blocked forever; its kind is asked first."""
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    error = _refused(fifo, InputErrorCode.UNREADABLE, "a FIFO")
    assert "named pipe" in error.message
    assert "named pipe" in _check_cli_refuses(fifo, InputErrorCode.UNREADABLE)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_is_refused_without_reading_it(device):
    """/dev/zero and /dev/urandom say size 0 and never end: read whole, they took memory without bound."""
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    assert "a device" in _refused(device, InputErrorCode.UNREADABLE, device).message
    _check_cli_refuses(device, InputErrorCode.UNREADABLE)


def test_a_directory_is_refused(tmp_path):
    assert "a directory" in _refused(tmp_path, InputErrorCode.UNREADABLE, "a directory").message


def test_a_file_is_never_read_past_the_size_limit(tmp_path):
    """A file whose size says nothing (as /proc's say 0) is read to the limit and one byte more."""
    from narrative_check.read import _read

    path = tmp_path / "report.txt"
    path.write_bytes(b"x" * 101)
    assert _read(path, 101) == b"x" * 101
    with pytest.raises(InputError) as caught:
        _read(path, 100)
    assert caught.value.code == InputErrorCode.TOO_LARGE
    proc = Path("/proc/self/status")
    if proc.exists() and proc.stat().st_size == 0:  # Linux: a regular file of size 0 that holds text
        assert _read(proc, 10_000).startswith(b"Name:")
        with pytest.raises(InputError) as caught:
            _read(proc, 10)
        assert caught.value.code == InputErrorCode.TOO_LARGE
