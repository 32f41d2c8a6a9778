"""Settings that change what is checked and how strictly, and where they are read from.

Settings come from, in order of precedence: command-line flags, then `--config FILE`, or else
the nearest `narrative-check.toml` (top-level keys) or `pyproject.toml` with a
`[tool.narrative_check]` table, looked for from the current directory upward as far as the
project's root (the first folder holding `.git` or a `pyproject.toml`), then the defaults below.
A discovered file may not name a Dask scheduler (a file planted above a project would make a
scan connect to any address): that comes from the command line or `--config FILE` only. Every field of `Settings` and `ScanOptions` is a key of that table (`explain_threshold`
or `explain-threshold`); `[tool.narrative_check.severity]` maps rule codes or prefixes to a
severity. An unknown key is a usage error naming the key.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import InputError, InputErrorCode
from .interval import Rounding
from .models.findings import Severity
from .lang import Lang

if TYPE_CHECKING:
    from .read.text import TextLimits

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_FILE = "narrative-check.toml"
PYPROJECT_TABLE = ("tool", "narrative_check")
DEFAULT_EXTENSIONS = [".txt", ".docx", ".pdf", ".htm", ".html"]
JOBS_PER_CORE = 4
# The address space a local scan worker may take (RLIMIT_AS), in bytes. Checking a report takes
# about 400 MB of it, the interpreter and its libraries included; hostile files are refused long
# before 2 GiB. Below the floor not even the interpreter and its libraries fit, so a smaller value
# is a mistake of units (a number of MB or GB written where bytes are meant), refused at once
# rather than every file recorded as too large.
DEFAULT_WORKER_MEMORY = 2 * 1024**3
MIN_WORKER_MEMORY = 256 * 1024**2
# Where the machine's memory cannot be read: a 64-bit process's whole user address space.
_ADDRESS_SPACE = 2**47


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def physical_memory() -> int | None:
    """This machine's memory in bytes, when the system says."""
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return None
    return pages * size if pages > 0 and size > 0 else None


def _known_codes(codes: list[str]) -> list[str]:
    """Codes or prefixes that name at least one rule: a typo ('ARI01', 'XBT') would otherwise select
    nothing, or ignore nothing, in silence."""
    from .rules import all_rules  # the rules import this module: imported when first asked

    known = list(all_rules())
    unknown = [c for c in codes if not any(code.startswith(c) for code in known)]
    if unknown:
        raise ValueError(f"no rule code starts with {', '.join(unknown)} (see `narrative-check rules`)")
    return codes


def _longest_prefix(code: str, prefixes) -> int | None:
    return max((len(p) for p in prefixes if code.startswith(p.upper())), default=None)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    select: list[str] = Field(default_factory=list, description="rule codes or prefixes to run; empty = all")
    ignore: list[str] = Field(default_factory=list, description="rule codes or prefixes to skip")
    rounding: Rounding = Field(default="round", description="how stated figures were rounded: round, truncate, either")
    explain_threshold: Decimal = Field(
        default=Decimal(10), ge=0,
        description="a change of this many percent or more needs a stated reason (RSN rules; 决算 reports)",
    )
    boilerplate_min_uses: int = Field(
        default=3, ge=2, description="a reason without amounts repeated for this many different items is reported (RSN008)"
    )
    max_bytes: int = Field(default=50 * 1024 * 1024, gt=0, description="inputs larger than this are refused")
    max_chars: int = Field(
        default=2_000_000, ge=1,
        description="reports whose text (as read or extracted) is longer are refused: about 20 times the longest "
                    "real report, and a few seconds of checking",
    )
    max_lines: int = Field(
        default=50_000, ge=1,
        description="reports of more lines are refused: about 60 times the longest real report (the reader's work "
                    "goes by lines)",
    )
    max_tokens: int = Field(
        default=50_000, ge=1,
        description="reports whose narrative holds more tokens (figures, report words such as 增加, 较上年, 一是, and "
                    "punctuation) are refused: a report holds about a thousand; the extractor's work goes by them",
    )
    severity: dict[str, Severity] = Field(
        default_factory=dict, description="severity overrides by rule code or prefix (the longest match wins)"
    )
    lang: Lang = Field(
        default="zh", description="the language of summaries, labels, rule documentation and not-checked reasons: "
                                  "zh or en (finding messages stay Chinese: they quote the report)"
    )

    @field_validator("select", "ignore")
    @classmethod
    def _upper_codes(cls, codes: list[str]) -> list[str]:
        # 'ARI,TBL' as one value, as `--select ARI,TBL` gives it
        return _known_codes([c.strip().upper() for value in codes for c in value.split(",") if c.strip()])

    @field_validator("severity")
    @classmethod
    def _upper_keys(cls, overrides: dict[str, Severity]) -> dict[str, Severity]:
        upper = {k.strip().upper(): v for k, v in overrides.items()}
        _known_codes(list(upper))
        return upper

    def enabled(self, code: str) -> bool:
        """Select and ignore work by prefix; the more specific match wins (as in ruff)."""
        code = code.upper()
        selected = _longest_prefix(code, self.select)
        if self.select and selected is None:
            return False
        ignored = _longest_prefix(code, self.ignore)
        if ignored is None:
            return True
        return selected is not None and selected > ignored

    @property
    def text_limits(self) -> "TextLimits":
        """The limits a text is held to before it is parsed."""
        from .read.text import TextLimits

        return TextLimits(max_chars=self.max_chars, max_lines=self.max_lines)

    def severity_of(self, code: str, default: Severity) -> Severity:
        """The configured severity for a rule, else its own."""
        code = code.upper()
        best = max((p for p in self.severity if code.startswith(p)), key=len, default=None)
        return self.severity[best] if best is not None else default


class ScanOptions(BaseModel):
    """How `scan` runs: which files it takes and how it spreads and limits the work."""

    model_config = ConfigDict(extra="forbid")

    jobs: int | None = Field(default=None, ge=1, description=f"worker processes; none = every core; at most {JOBS_PER_CORE} per core")
    timeout: float = Field(default=60.0, gt=0, allow_inf_nan=False,
                           description="seconds one file may take before it is recorded as failed")
    extensions: list[str] = Field(default_factory=lambda: list(DEFAULT_EXTENSIONS), description="file types a directory is searched for")
    engine: Literal["local", "dask"] = Field(default="local", description="local process pool, or a Dask cluster")
    scheduler: str | None = Field(default=None, description="Dask scheduler address; none = a local cluster")
    worker_memory: int = Field(
        default=DEFAULT_WORKER_MEMORY,
        description="bytes of address space one local worker process may take (2 GiB); a file needing more is "
                    f"recorded as too large (E004); at least {MIN_WORKER_MEMORY // 1024**2} MiB, at most the machine's memory",
    )

    @field_validator("jobs")
    @classmethod
    def _jobs_the_machine_can_run(cls, jobs: int | None) -> int | None:
        # Each worker holds a report and the segmenter's dictionary: thousands of them exhaust
        # memory before they speed anything up.
        cores = cpu_count()
        if jobs is not None and jobs > JOBS_PER_CORE * cores:
            raise ValueError(f"{jobs} worker processes on {cores} core(s): at most {JOBS_PER_CORE * cores}")
        return jobs

    @field_validator("worker_memory")
    @classmethod
    def _memory_a_worker_can_use(cls, memory: int) -> int:
        if memory < MIN_WORKER_MEMORY:
            raise ValueError(f"{memory:,} bytes for a worker: at least {MIN_WORKER_MEMORY:,} (256 MiB); the value is "
                             f"in bytes, and the interpreter and its libraries alone take about 350 MB")
        # A limit no allocation can reach protects nothing, and one past RLIMIT_AS's range fails
        # in every worker: the machine's memory is the most a worker can be given.
        ceiling = physical_memory() or _ADDRESS_SPACE
        if memory > ceiling:
            raise ValueError(f"{memory:,} bytes for a worker: more than this machine's memory ({ceiling:,} bytes)")
        return memory

    @field_validator("extensions")
    @classmethod
    def _dotted(cls, exts: list[str]) -> list[str]:
        return [e.lower() if e.startswith(".") else f".{e.lower()}" for e in exts]

    @model_validator(mode="after")
    def _scheduler_means_dask(self) -> ScanOptions:
        # A scheduler is only of use to Dask; an engine given outright still wins.
        if self.scheduler and "engine" not in self.model_fields_set:
            self.engine = "dask"
        return self


class Config(BaseModel):
    settings: Settings = Field(default_factory=Settings)
    scan: ScanOptions = Field(default_factory=ScanOptions)
    path: Path | None = Field(default=None, description="the file the values were read from")
    notes: list[str] = Field(default_factory=list, description="what the user should know of the file (stderr)")

    def with_flags(self, **flags: Any) -> Config:
        """These values (command-line flags) over the file's; None or empty means not given.

        Validated as the file's values are, so a bad one is a usage error (E021) naming it.
        """
        given = {k: v for k, v in flags.items() if v is not None and v != ()}
        unknown = sorted(set(given) - set(Settings.model_fields) - set(ScanOptions.model_fields))
        if unknown:
            raise InputError(InputErrorCode.BAD_OPTION, f"unknown option '{unknown[0]}'")
        try:
            settings = Settings.model_validate(
                self.settings.model_dump(exclude_unset=True) | {k: v for k, v in given.items() if k in Settings.model_fields})
            scan = ScanOptions.model_validate(
                self.scan.model_dump(exclude_unset=True) | {k: v for k, v in given.items() if k in ScanOptions.model_fields})
        except ValidationError as exc:
            raise InputError(InputErrorCode.BAD_OPTION, validation_detail(exc)) from None
        return Config(settings=settings, scan=scan, path=self.path, notes=self.notes)


def validation_detail(exc: ValidationError) -> str:
    """The first problem pydantic found, as "'where': what"."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"'{where}': {err['msg']}" if where else err["msg"]


def find_config(start: Path | None = None) -> Path | None:
    """The nearest narrative-check.toml, or pyproject.toml with a [tool.narrative_check] table,
    from `start` upward, no further than the project's root: the first folder holding `.git` or a
    `pyproject.toml` (what lies above belongs to someone else). A pyproject.toml that is broken
    or not UTF-8 is passed over unless it names narrative_check: then it is the user's, and an error."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
        if pyproject.exists() or (folder / ".git").exists():
            return None
    return None


def _has_table(pyproject: Path) -> bool:
    try:
        return _table(pyproject, _read(pyproject)) is not None
    except InputError:
        try:
            meant_for_us = b"narrative_check" in pyproject.read_bytes()
        except OSError:
            meant_for_us = False
        if meant_for_us:
            raise
        return False


def load_config(path: Path | None = None, *, discover: bool = True) -> Config:
    """Settings from `path`, or from the file found upward from the current directory.

    A discovered file's `scheduler` is dropped, with a note: only a file the user named may
    send the scan's work (and take pickled frames back) from an address it gives.
    """
    discovered = False
    if path is None and discover:
        path = find_config()
        discovered = path is not None
    if path is None:
        return Config()
    table = dict(_table(path, _read(path)) or {})
    notes = []
    if discovered:
        for key in ("scheduler",):
            if key in table:
                value = table.pop(key)
                notes.append(f"{path}: '{key} = {value!r}' ignored: a scheduler is taken from --scheduler or "
                             f"--config FILE only, never from a file found by searching")
    return Config(**config_from_table(table, path), path=path, notes=notes)


def config_from_table(table: dict[str, Any], path: Path | None = None) -> dict[str, BaseModel]:
    """Split one flat table into Settings and ScanOptions, refusing keys neither has."""
    settings: dict[str, Any] = {}
    scan: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key in Settings.model_fields:
            settings[key] = value
        elif key in ScanOptions.model_fields:
            scan[key] = value
        else:
            raise _config_error(path, f"unknown key '{raw_key}'")
    try:
        return {"settings": Settings(**settings), "scan": ScanOptions(**scan)}
    except ValidationError as exc:
        raise _config_error(path, validation_detail(exc)) from None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise InputError(InputErrorCode.UNREADABLE, exc.strerror or str(exc), path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise _config_error(path, str(exc)) from None
    except UnicodeDecodeError as exc:  # TOML is UTF-8
        raise _config_error(path, f"not UTF-8 (byte {exc.start})") from None
    except RecursionError:
        raise _config_error(path, "nested too deep") from None


def _table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    if path.name != "pyproject.toml":
        return data
    table: Any = data
    for part in PYPROJECT_TABLE:
        if not isinstance(table, dict) or part not in table:
            return None
        table = table[part]
    return table


def _config_error(path: Path | None, detail: str) -> InputError:
    return InputError(InputErrorCode.BAD_CONFIG, detail, path=str(path) if path else None)
