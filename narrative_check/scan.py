"""Batch scans: many reports checked in parallel, one JSON line per file as it finishes.

Each line of the output is one of:

* a report — the `Report` JSON of `check --format json` without its `tables` (the
  `schema_version`, `file`, `unit`, `year`, `basis`, `scope`, `findings`, `claims`, `stats` keys), each
  finding carrying its `fingerprint` as well;
* a failure — `{"file", "error", "code"}`, `error` being the one-line `InputError` message
  (unreadable input, or E013 time limit, E014 worker died, E015 internal error);
* after all files, the whole-scan lines: `{"file", "cross_report": "CON010", "findings"}` for
  findings that compare one report with another (`multiyear`), and
  `{"baseline_unmatched": [...]}` for baseline entries no finding matched.

A scan writes `OUTPUT.partial` beside the output and renames it onto the output only when it
ends, so an interrupted or failed scan never destroys the previous good output. A line is written
and flushed whole, with Ctrl-C held off while it is written, so an interrupted scan leaves valid
JSON lines of the files that finished in `OUTPUT.partial`; `resume=True` reads them back (or, with
no partial output, the output's; refusing, E019, a file with any other line, before changing
anything), skips those files and recomputes the whole-scan lines over every report, the summary
over the files this run names. A device or pipe given as output (`/dev/stdout`) is written
directly, as renaming onto it would replace it.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import signal
import stat
import sys
import threading
import time
from collections import Counter
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from operator import itemgetter
from typing import Callable, Iterable, Iterator

from pydantic import BaseModel, ConfigDict, ValidationError

from .api import check_file
from .baseline import Baseline, BaselineEntry
from .config import ScanOptions, Settings, cpu_count, validation_detail
from .errors import InputError, InputErrorCode, printable
from .files import cannot_write, json_text, output_lock, replace_keeping_mode, write_lines_atomic
from .lang import SEVERITY_WORDS, Lang
from .models.findings import Finding, Report, Severity, Stats
from .multiyear import YearDigest, digest, findings_between
from .timelimit import TimeLimitExceeded, run_with_time_limit

Line = dict
CROSS_KEY = "cross_report"
UNMATCHED_KEY = "baseline_unmatched"
PARTIAL_SUFFIX = ".partial"
_GLOB_CHARS = set("*?[")
# What the cross-report pass reads of a report's claims; it keeps only a digest of them.
_CROSS_CLAIM_KINDS = {"amount", "change"}


def default_jobs() -> int:
    return cpu_count()


def discover(args: Iterable[str], extensions: Iterable[str], exclude: Iterable[Path] = ()) -> list[Path]:
    """The files named by directories (searched for `extensions`), globs and paths, in order, once each.

    `exclude`: files never taken, such as the scan's own output when it lies in a scanned folder.
    """
    exts = {e.lower() for e in extensions}
    excluded = {Path(p).resolve() for p in exclude}
    found: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in exts))
        elif _GLOB_CHARS & set(arg):
            found.extend(Path(p) for p in sorted(glob.glob(arg, recursive=True)) if Path(p).is_file())
        elif path.exists():
            found.append(path)
        else:
            raise InputError(InputErrorCode.UNREADABLE, "no such file or directory", path=arg)
    unique = [p for p in dict.fromkeys(found) if p.resolve() not in excluded]
    if not unique:
        raise InputError(InputErrorCode.UNREADABLE, f"no reports found (looked for {', '.join(sorted(exts))})",
                         path=" ".join(args))
    return unique


# ---- the work for one file (runs in a worker process) -------------------------------------


def report_line(report: Report) -> Line:
    line = report.model_dump(mode="json", exclude={"tables"})
    for data, finding in zip(line["findings"], report.findings):
        data["fingerprint"] = finding.fingerprint()
    return line


def failure_line(path: str, code: InputErrorCode, detail: str | None = None) -> Line:
    err = InputError(code, detail, path=path)
    return {"file": path, "error": err.message, "code": code.value}


def check_path(path: str, settings: Settings) -> Line:
    """One file's line: its report, or why it could not be checked."""
    try:
        return report_line(check_file(path, settings=settings))
    except InputError as exc:
        return {"file": path, "error": exc.message, "code": exc.code.value}
    except MemoryError:  # the worker's memory limit (_limit_memory): the file needs more than it may take
        return failure_line(path, InputErrorCode.TOO_LARGE, _OVER_MEMORY)
    except Exception as exc:  # a bug on one file must not stop a scan of thousands
        if _out_of_memory(exc):
            return failure_line(path, InputErrorCode.TOO_LARGE, _OVER_MEMORY)
        return failure_line(path, InputErrorCode.INTERNAL, f"{type(exc).__name__}: {exc}")


_OVER_MEMORY = "checking it took more memory than a worker may use"


def _out_of_memory(exc: BaseException | None) -> bool:
    """Whether `exc` comes of an allocation refused under the worker's limit, though it is no
    MemoryError: an OSError of ENOMEM, or a library that could not be loaded (dlopen says
    "failed to map segment", and a package's fallback import then raises its own ImportError).
    Reported as an internal error, a file that only needed more memory would read as a bug."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, MemoryError) or (isinstance(exc, OSError) and exc.errno == errno.ENOMEM):
            return True
        if isinstance(exc, ImportError) and "failed to map segment" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


# A local worker is held to an address-space limit (RLIMIT_AS, `ScanOptions.worker_memory`,
# 2 GiB unless set): past it an allocation fails and the file is recorded as too large (E004), or
# the worker dies (E014), instead of one file driving the machine into swap while the time limit
# runs. Hostile files are refused long before.


def _worker_start(memory: int | None = None) -> None:
    # Ctrl-C is the parent's to handle: it stops the pool; a worker dying of it first would
    # have its file recorded as failed.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .api import check_text

    # One small report checked now loads what every file needs (the segmenter's dictionary, the
    # Traditional-to-Simplified tables, the rules), so the time limit covers the file alone.
    check_text(_WARM_UP)
    # The limit is set after that: the load is every worker's, not a file's, and a limit too
    # small for it killed each worker before it took a file (pebble then reported "All workers
    # expired", an internal error, for every file). Set here, a limit too small for a file
    # records that file as too large.
    if memory:
        _limit_memory(memory)


_WARM_UP = "某某局2023年度部门决算说明\n收入总计 1,100.00 万元，较上年增加 100.00 万元，增长 10.0%。\n"


def _limit_memory(limit: int) -> None:
    """Hold this process to `limit` bytes of address space (never above a hard limit already set)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX: the time limit alone applies
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


# ---- engines: paths in, lines out, in the order files finish ------------------------------


def local_lines(paths: list[str], settings: Settings, options: ScanOptions) -> Iterator[Line]:
    """A local process pool; a file over the time limit has its process killed (pebble)."""
    from concurrent.futures import as_completed

    from pebble import ProcessExpired, ProcessPool

    workers = min(options.jobs or default_jobs(), len(paths))
    memory = options.worker_memory
    context = _pool_context()
    if context.get_start_method() == "fork":
        # Loaded once here, what every file needs (jieba's dictionary above all: a quarter of a
        # second and 75 MB) is inherited by each forked worker instead of loaded by each.
        from .api import check_text
        from .extract.segment import segmenter

        segmenter()  # even if the warm-up's phrases were segmented before (a scan from a program)
        check_text(_WARM_UP)
    pool = ProcessPool(max_workers=max(workers, 1), initializer=_worker_start, initargs=(memory,), context=context)
    finished = False
    try:
        futures = {pool.schedule(check_path, args=(p, settings), timeout=options.timeout): p for p in paths}
        for future in as_completed(futures):
            path = futures[future]
            try:
                yield future.result()
            except FutureTimeout:
                yield failure_line(path, InputErrorCode.TIMEOUT, f"> {options.timeout:g} s")
            except ProcessExpired as exc:
                yield failure_line(path, InputErrorCode.WORKER_DIED, f"exit code {exc.exitcode}")
            except Exception as exc:  # e.g. a result that cannot be sent back
                yield failure_line(path, InputErrorCode.INTERNAL, f"{type(exc).__name__}: {exc}")
        finished = True
    finally:
        if finished:
            pool.close()
        else:
            pool.stop()
        pool.join()


def _pool_context():
    """Fork on Linux, whatever the interpreter's default (Python 3.14 made it forkserver): a
    forked worker starts with the parent's loaded dictionary and rules. Elsewhere the platform's
    default (spawn on macOS and Windows, where forking a process with threads is unsafe)."""
    import multiprocessing

    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)


def dask_lines(paths: list[str], settings: Settings, options: ScanOptions) -> Iterator[Line]:
    """The same work on a Dask cluster: the scheduler at `options.scheduler`, or a local one."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputError(InputErrorCode.MISSING_DEPENDENCY,
                         "--engine dask needs Dask: pip install 'narrative-check[dask]'") from None
    cluster = None
    if options.scheduler:
        try:
            client = Client(options.scheduler, timeout=30)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(InputErrorCode.NO_SCHEDULER, f"{type(exc).__name__}: {exc}", path=options.scheduler) from None
    else:
        _loopback_works()
        try:
            cluster = LocalCluster(n_workers=options.jobs or default_jobs(), threads_per_worker=1,
                                   dashboard_address=None, silence_logs=40)
            client = Client(cluster)
        except (OSError, TimeoutError, RuntimeError) as exc:  # "Cluster failed to start"
            raise InputError(InputErrorCode.NO_SCHEDULER, f"local cluster: {type(exc).__name__}: {exc}") from None
    futures = []
    try:
        futures = client.map(dask_check_path, paths, settings=settings, timeout=options.timeout, pure=False)
        by_key = {f.key: p for f, p in zip(futures, paths)}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # KilledWorker after the worker died repeatedly, or a bug
                path = by_key[future.key]
                code = InputErrorCode.WORKER_DIED if type(exc).__name__ == "KilledWorker" else InputErrorCode.INTERNAL
                yield failure_line(path, code, f"{type(exc).__name__}: {exc}")
            finally:
                future.release()
    finally:
        for f in futures:
            f.cancel()  # an interrupted scan leaves no work behind on a shared cluster
        client.close()
        if cluster is not None:
            cluster.close()


def _loopback_works() -> None:
    """A local cluster talks over 127.0.0.1: with no loopback network (a sandbox, a container
    without `lo`) Dask would wait a minute and fail; one connection tells at once."""
    import socket

    try:
        with socket.create_server(("127.0.0.1", 0)) as server, \
                socket.create_connection(server.getsockname(), timeout=5):
            pass
    except OSError as exc:
        raise InputError(InputErrorCode.NO_SCHEDULER,
                         f"local cluster: no loopback network (127.0.0.1: {exc.strerror or exc})") from None


def dask_check_path(path: str, *, settings: Settings, timeout: float) -> Line:
    """check_path under a time limit inside a Dask worker.

    Dask workers are daemon processes and may not start child processes, so the file runs in a
    thread (`run_with_time_limit`): past the limit the file is recorded as failed. A worker that
    dies is retried elsewhere by Dask, then reported as KilledWorker.
    """
    try:
        return run_with_time_limit(lambda: check_path(path, settings), timeout)
    except TimeLimitExceeded:
        return failure_line(path, InputErrorCode.TIMEOUT, f"> {timeout:g} s")


ENGINES: dict[str, Callable[[list[str], Settings, ScanOptions], Iterator[Line]]] = {
    "local": local_lines,
    "dask": dask_lines,
}


# ---- the scan: engine lines → baseline → output, then the whole-scan pass ----------------


@dataclass
class ScanSummary:
    files: int = 0
    skipped: int = 0  # already in the output (resume)
    checked: int = 0  # this run
    reports: int = 0  # files of this run (resumed ones included) that were checked, not failed
    no_claims: list[str] = field(default_factory=list)  # checked, but not one figure found: nothing verified
    failures: list[Line] = field(default_factory=list)
    findings_by_rule: Counter = field(default_factory=Counter)
    files_by_rule: Counter = field(default_factory=Counter)
    findings_by_severity: Counter = field(default_factory=Counter)
    findings_by_file: dict[str, Counter] = field(default_factory=dict)
    cross_report: int = 0
    baseline_unmatched: list[BaselineEntry] = field(default_factory=list)
    entries: list[BaselineEntry] = field(default_factory=list)  # every finding reported, for --write-baseline
    keep_entries: bool = False
    interrupted: bool = False
    partial: str | None = None  # where the lines of an interrupted scan are, when not in the output itself
    seconds: float = 0.0

    @property
    def has_errors(self) -> bool:
        return self.findings_by_severity.get("error", 0) > 0

    @property
    def all_failed(self) -> bool:
        """Not one file could be checked: nothing was verified, which is no pass."""
        return bool(self.failures) and self.reports == 0

    def add(self, file: str, findings: list[dict]) -> None:
        per_file = self.findings_by_file.setdefault(file, Counter())
        for f in findings:
            if self.keep_entries:
                self.entries.append(BaselineEntry(fingerprint=f["fingerprint"], rule=f["rule"], file=file,
                                                  line=f["line"], quote=f["quote"], sentence=f.get("sentence") or ""))
            self.findings_by_rule[f["rule"]] += 1
            self.findings_by_severity[f["severity"]] += 1
            per_file[f["severity"]] += 1
        for rule in {f["rule"] for f in findings}:
            self.files_by_rule[rule] += 1

    def worst(self, n: int = 5) -> list[tuple[str, Counter]]:
        ranked = sorted(self.findings_by_file.items(),
                        key=lambda kv: (-kv[1].get("error", 0), -sum(kv[1].values()), kv[0]))
        return [(f, c) for f, c in ranked[:n] if sum(c.values())]


class _LineWriter:
    """Writes whole lines: Ctrl-C waits until the line is out, so the file never ends mid-line."""

    def __init__(self, path: Path, append: bool) -> None:
        self.path = path
        try:
            self.fh = path.open("a" if append else "w", encoding="utf-8")
        except OSError as exc:
            raise cannot_write(path, exc) from None

    def write(self, line: Line) -> None:
        text = json_text(line) + "\n"
        blocked = _block_sigint()
        try:
            self.fh.write(text)
            self.fh.flush()
        except OSError as exc:  # a full disk, a lost mount
            raise cannot_write(self.path, exc) from None
        finally:
            if blocked:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})

    def sync(self) -> None:
        """On disk before the file is renamed onto the output: a crash just after the rename must
        not leave an empty output where the previous one was."""
        try:
            self.fh.flush()
            os.fsync(self.fh.fileno())
        except OSError as exc:
            raise cannot_write(self.path, exc) from None

    def close(self) -> None:
        self.fh.close()


def partial_path(output: Path | str) -> Path:
    """Where a scan into `output` writes until it ends: beside it (a rename within one folder is
    one step), by its real path (the output's link, if it is one, keeps pointing at it)."""
    target = Path(os.path.realpath(output))
    return target.with_name(target.name + PARTIAL_SUFFIX)


def _written_in_place(output: Path) -> bool:
    """An output that exists and is not a regular file (/dev/stdout, a pipe) is written as it is."""
    try:
        return not stat.S_ISREG(os.stat(output).st_mode)
    except FileNotFoundError:
        return False
    except OSError as exc:  # a path through a file, a folder that cannot be read
        raise cannot_write(output, exc) from None


def _put_in_place(partial: Path, output: Path) -> None:
    """The finished scan replaces the output in one step, keeping the output's permissions (as
    writing into it did)."""
    target = Path(os.path.realpath(output))
    try:
        try:
            mode = os.stat(target).st_mode
        except FileNotFoundError:
            mode = None
        replace_keeping_mode(partial, target, mode)
    except OSError as exc:
        raise cannot_write(output, exc) from None


def _block_sigint() -> bool:
    if hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread():
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        return True
    return False  # pragma: no cover - Windows or a worker thread


def read_lines(path: Path) -> list[Line]:
    """The complete JSON lines of an earlier output (a torn last line is then cut off the file)."""
    lines = list(iter_lines(path))
    cut_torn_line(path)
    return lines


def cut_torn_line(path: Path) -> None:
    """Truncate the file after its last newline: what a killed writer may have left half done."""
    if not path.exists():
        return
    try:
        fh = path.open("r+b")
    except OSError as exc:
        raise cannot_write(path, exc) from None
    with fh:
        pos = size = fh.seek(0, os.SEEK_END)
        while pos > 0:
            step = min(1 << 16, pos)
            pos -= step
            fh.seek(pos)
            newline = fh.read(step).rfind(b"\n")
            if newline >= 0:
                pos += newline + 1
                break
        if pos < size:
            fh.truncate(pos)


def iter_lines(path: Path) -> Iterator[Line]:
    """The complete lines of an output one by one (a large scan is not loaded whole), each checked
    to be a line a scan writes; a torn last line is not read, but must look like the start of one.

    Anything else is E019 and nothing is changed: resuming into the wrong file must not cut it.
    """
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError(InputErrorCode.UNREADABLE, exc.strerror or str(exc), path=str(path)) from None
    with fh:
        for number, raw in enumerate(fh, 1):
            if not raw.endswith(b"\n"):
                start = raw.lstrip()[:2]
                if start != b'{"'[: len(start)]:
                    raise _not_scan_output(path, number, "not JSON")
                return
            if raw.strip():
                yield _checked_line(raw, path, number)


class _FindingLine(BaseModel):
    """What a scan reads back of a finding (the rest of `Finding` is carried as it is)."""

    model_config = ConfigDict(extra="allow")
    fingerprint: str
    rule: str
    severity: Severity
    line: int
    quote: str


class _ReportLine(BaseModel):
    model_config = ConfigDict(extra="allow")
    file: str
    findings: list[_FindingLine]
    stats: dict = {}


class _FailureLine(BaseModel):
    model_config = ConfigDict(extra="allow")
    file: str
    error: str


class _CrossLine(BaseModel):
    model_config = ConfigDict(extra="allow")
    file: str
    findings: list[_FindingLine]


class _UnmatchedLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    baseline_unmatched: list[BaselineEntry]


def _checked_line(raw: bytes, path: Path, number: int) -> Line:
    try:
        line = json.loads(raw)
    except ValueError:
        raise _not_scan_output(path, number, "not JSON") from None
    except RecursionError:  # no line a scan writes nests more than a few levels
        raise _not_scan_output(path, number, "nested too deep") from None
    if not isinstance(line, dict):
        raise _not_scan_output(path, number, "not a JSON object")
    shape = (_UnmatchedLine if UNMATCHED_KEY in line else _CrossLine if CROSS_KEY in line
             else _FailureLine if "error" in line else _ReportLine)
    try:
        shape.model_validate(line)
    except ValidationError as exc:
        raise _not_scan_output(path, number, validation_detail(exc)) from None
    return line


def _not_scan_output(path: Path, number: int, detail: str) -> InputError:
    return InputError(InputErrorCode.NOT_SCAN_OUTPUT, f"line {number}: {detail}", path=str(path))


def is_scan_line(line: Line) -> bool:
    return CROSS_KEY not in line and UNMATCHED_KEY not in line


def scan(
    inputs: Iterable[str],
    output: Path,
    *,
    settings: Settings | None = None,
    options: ScanOptions | None = None,
    resume: bool = False,
    baseline: Baseline | None = None,
    on_start: Callable[[int], None] | None = None,
    on_line: Callable[[Line], None] | None = None,
    keep_entries: bool = False,
    exclude: Iterable[Path] = (),
    config_file: str | None = None,
) -> ScanSummary:
    """Check every report `inputs` name, writing one JSON line per file to `output`.

    `on_start(n)` is told how many files will be checked, `on_line(line)` gets each line as it is
    written (a progress bar). The lines go to `output.partial` (`partial_path`), renamed onto
    `output` when the scan ends: until then `output` is as it was. Ctrl-C stops the scan with the
    lines so far intact in the partial output; the summary then has `interrupted` and `partial`
    set and the whole-scan lines are left for a resumed scan to write. `resume` continues the
    partial output when there is one, else starts from the lines of `output`.
    `keep_entries` collects every finding reported, and the baseline entries that suppressed one,
    as baseline entries (`summary.entries`). `exclude` names files not to check (`output` never is).
    On resume, lines of files that `inputs` do not name stay in the output but not in the summary;
    a file is the same file however its path is spelled (relative, absolute, through a link).
    `config_file`, the configuration the settings came from, is recorded in each report line.
    Another scan writing `output` at the same time is refused (E020) before anything is read.
    """
    output = Path(output)
    with output_lock(output):
        return _scan(inputs, output, settings=settings, options=options, resume=resume, baseline=baseline,
                     on_start=on_start, on_line=on_line, keep_entries=keep_entries, exclude=exclude,
                     config_file=config_file)


def _scan(inputs, output: Path, *, settings, options, resume, baseline, on_start, on_line, keep_entries, exclude,
          config_file) -> ScanSummary:
    settings = settings or Settings()
    options = options or ScanOptions()
    started = time.perf_counter()
    in_place = _written_in_place(output)
    partial = output if in_place else partial_path(output)
    paths = [str(p) for p in discover(inputs, options.extensions, exclude=[output, partial, *exclude])]
    summary = ScanSummary(files=len(paths), keep_entries=keep_entries)
    digests: list[YearDigest] = []

    def take(line: Line, counted: bool = True) -> None:
        """Into the summary when `counted`; a report is always compared across years."""
        if "error" in line:
            if counted:
                summary.failures.append(line)
            return
        if counted:
            summary.reports += 1
            summary.add(line["file"], line["findings"])
            if not any(line.get("stats", {}).get("claims_found", {}).values()):
                summary.no_claims.append(line["file"])
        if line.get("unit") and line.get("year") and line.get("basis"):  # only these can be paired
            found = digest(Report.model_validate(_cross_part(line)), settings)
            if found is not None:
                digests.append(found)

    done = set()
    wanted = {same_file(p) for p in paths}
    # What a resumed scan goes on from: an unfinished scan's lines first, else the finished output.
    source = next((p for p in (partial, output) if p.exists()), None) if resume else None
    if source is not None:
        whole_scan_lines = False
        for line in iter_lines(source):
            if not is_scan_line(line):
                whole_scan_lines = True
                continue
            done.add(same_file(line["file"]))
            try:
                take(line, counted=same_file(line["file"]) in wanted)  # other files' lines stay, outside the summary
            except ValidationError as exc:
                raise InputError(InputErrorCode.NOT_SCAN_OUTPUT, f"{line['file']}: {validation_detail(exc)}",
                                 path=str(source)) from None
            if baseline is not None:
                for fp in line.get("stats", {}).get("baseline_suppressed", []):
                    baseline.consume(fp, line["file"])
        # Only now, with every line read back as a scan line, is anything changed; the finished
        # output never is: its lines are copied into the partial output below.
        if source == partial:
            if whole_scan_lines:
                _rewrite(partial, (line for line in iter_lines(partial) if is_scan_line(line)))  # written anew at the end
            else:
                cut_torn_line(partial)
    todo = [p for p in paths if same_file(p) not in done]
    summary.skipped = len(paths) - len(todo)
    if on_start:
        on_start(len(todo))
    writer = _LineWriter(partial, append=source == partial)
    if source is not None and source != partial:
        try:
            for line in iter_lines(source):
                if is_scan_line(line):  # the whole-scan lines are written anew at the end
                    writer.write(line)
        except BaseException:
            writer.close()
            raise
    lines = ENGINES[options.engine](todo, settings, options) if todo else iter(())
    try:
        try:
            for line in lines:
                if "error" not in line and baseline is not None:
                    _suppress(line, baseline)
                if "error" not in line and config_file is not None:
                    line["config"] = config_file
                writer.write(line)
                take(line)
                summary.checked += 1
                if on_line:
                    on_line(line)
        except KeyboardInterrupt:
            summary.interrupted = True
            summary.partial = None if in_place else str(partial)
            return summary
        finally:
            getattr(lines, "close", lambda: None)()  # stops the workers when the scan stops early
        for file, findings in findings_between(digests, settings).items():
            if baseline is not None:
                findings, _ = baseline.split(file, findings, Finding.fingerprint)
            if findings:
                dumped = [_finding_line(f) for f in findings]
                writer.write({"file": file, CROSS_KEY: "CON010", "findings": dumped})
                if same_file(file) in wanted:
                    summary.add(file, dumped)
                    summary.cross_report += len(dumped)
        if baseline is not None:
            summary.baseline_unmatched = baseline.unmatched(paths)
            if summary.baseline_unmatched:
                writer.write({UNMATCHED_KEY: [e.model_dump() for e in summary.baseline_unmatched]})
            if keep_entries:  # a baseline written during a run with one keeps what it suppressed
                summary.entries.extend(baseline.matched)
        if not in_place:
            writer.sync()
    finally:
        writer.close()
        summary.seconds = time.perf_counter() - started
    if not in_place:  # every file done or failed: only now does the previous output go
        _put_in_place(partial, output)
    return summary


def same_file(path: str) -> str:
    """One spelling per file (absolute, links followed, `..` and `./` resolved), for resume: a
    scan run again as `reports/` or `/home/me/reports` must see the same files."""
    return os.path.realpath(path)


def lines_as_reports(lines: Iterable[Line]) -> list[Report]:
    """Reports from the lines of a scan output (failures and whole-scan lines left out)."""
    return [Report.model_validate(line) for line in lines if is_scan_line(line) and "error" not in line]


def _cross_part(line: Line) -> dict:
    claims = [c for c in line.get("claims", []) if c.get("kind") in _CROSS_CLAIM_KINDS]
    return {k: line.get(k) for k in ("file", "unit", "scope", "year", "basis")} | {"claims": claims}


def _finding_line(finding: Finding) -> dict:
    return finding.model_dump(mode="json") | {"fingerprint": finding.fingerprint()}


def _suppress(line: Line, baseline: Baseline) -> None:
    stats = line.setdefault("stats", {})
    line["findings"], suppressed = baseline.split(line["file"], line["findings"], itemgetter("fingerprint"))
    stats.setdefault("baseline_suppressed", []).extend(suppressed)
    stats["findings_by_severity"] = Stats.by_severity(f["severity"] for f in line["findings"])


def _rewrite(path: Path, lines: Iterable[Line]) -> None:
    write_lines_atomic(path, lines)


# ---- the summary, for people (stderr) -------------------------------------------------------


# What the summary says, in each language; `{…}` are filled in where it is printed.
SUMMARY_WORDS: dict[Lang, dict[str, str]] = {
    "zh": {
        "title": "narrative-check 批量核验", "files": "文件", "already": "（{n} 个已在输出中）", "failed": "失败",
        "every file": "（全部文件）", "no claims": "未识别到数字表述", "no claims detail": "{n} 个文件，均未做核验：",
        "findings": "问题", "none": "无", "across": "跨年报告", "time": "用时",
        "speed": "{seconds:.1f} 秒，每小时 {rate:,.0f} 份报告", "interrupted": "已中断",
        "partial": "{partial} 保存了已完成的文件，输出文件保持原样；加 --resume 重新运行以继续",
        "resume": "输出文件保存了已完成的文件；加 --resume 重新运行以继续",
        "per rule": "各规则发现的问题", "rule": "规则", "count": "问题数", "in files": "文件数",
        "worst": "问题最多的文件", "file": "文件", "failures": "无法核验的文件", "reason": "原因",
        "more": "另有 {n} 个，见输出文件", "unmatched": "基线：{n} 条记录已不再对应任何问题",
    },
    "en": {
        "title": "narrative-check scan", "files": "files", "already": " ({n} already in the output)", "failed": "failed",
        "every file": " (every file)", "no claims": "no claims found", "no claims detail": "{n} file(s), nothing in them checked: ",
        "findings": "findings", "none": "none", "across": "across reports", "time": "time",
        "speed": "{seconds:.1f} s, {rate:,.0f} reports/hour", "interrupted": "interrupted",
        "partial": "{partial} holds the files that finished, the output is as it was; run again with --resume",
        "resume": "the output holds the files that finished; run again with --resume",
        "per rule": "findings per rule", "rule": "rule", "count": "findings", "in files": "files",
        "worst": "files with the most findings", "file": "file", "failures": "files that could not be checked",
        "reason": "reason", "more": "{n} more in the output", "unmatched": "baseline: {n} entries no longer match any finding",
    },
}


def print_summary(summary: ScanSummary, console, lang: Lang = "zh") -> None:
    """The scan's summary in the editor's language. File names and reasons go in as Text, never as
    markup ('[/]' in a path is no tag), and printable (no terminal escapes or forged lines)."""
    from rich.table import Table
    from rich.text import Text

    words = SUMMARY_WORDS[lang]
    severity_words = SEVERITY_WORDS[lang]
    checked = summary.checked
    head = Table(title=words["title"], show_header=False, box=None)
    head.add_row(words["files"], f"{summary.files}" + (words["already"].format(n=summary.skipped) if summary.skipped else ""))
    head.add_row(words["failed"], str(len(summary.failures)) + (words["every file"] if summary.all_failed else ""))
    if summary.no_claims:
        head.add_row(words["no claims"], Text(words["no claims detail"].format(n=len(summary.no_claims))
                                              + printable(summary.no_claims[0]) + (" …" if len(summary.no_claims) > 1 else "")))
    head.add_row(words["findings"], ", ".join(f"{n} {severity_words[s]}" for s, n in sorted(summary.findings_by_severity.items()))
                 or words["none"])
    if summary.cross_report:
        head.add_row(words["across"], f"{summary.cross_report} (CON010)")
    if summary.seconds and checked > 0:
        head.add_row(words["time"], words["speed"].format(seconds=summary.seconds, rate=checked / summary.seconds * 3600))
    if summary.interrupted:
        # folded, not cut short with an ellipsis: the path is what the user needs of this line
        head.add_row(words["interrupted"], Text(words["partial"].format(partial=printable(summary.partial)), overflow="fold")
                     if summary.partial else words["resume"])
    console.print(head)
    if summary.findings_by_rule:
        rules = Table(title=words["per rule"])
        for col in ("rule", "count", "in files"):
            rules.add_column(words[col], justify="right" if col != "rule" else "left")
        for rule, n in sorted(summary.findings_by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
            rules.add_row(rule, str(n), str(summary.files_by_rule[rule]))
        console.print(rules)
    worst = summary.worst()
    if worst:
        table = Table(title=words["worst"])
        table.add_column(words["file"], justify="left")
        for severity in ("error", "warning", "info"):
            table.add_column(severity_words[severity], justify="right")
        for file, counts in worst:
            table.add_row(Text(printable(file)), *(str(counts.get(s, 0)) for s in ("error", "warning", "info")))
        console.print(table)
    if summary.failures:
        failed = Table(title=words["failures"])
        failed.add_column(words["file"])
        failed.add_column(words["reason"])
        for line in summary.failures[:20]:
            failed.add_row(Text(printable(line["file"])), Text(printable(line["error"]).removeprefix(f"{printable(line['file'])}: ")))
        if len(summary.failures) > 20:
            failed.add_row("…", words["more"].format(n=len(summary.failures) - 20))
        console.print(failed)
    if summary.baseline_unmatched:
        console.print(Text(words["unmatched"].format(n=len(summary.baseline_unmatched))))
