"""The command line: parse flags, call the library, pick a renderer, set the exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click
from click.core import ParameterSource

from . import __version__
from .api import check_files
from .config import Config, load_config
from .errors import InputError, InputErrorCode, printable
from .files import write_atomic
from .lang import SEVERITY_WORDS
from .render import RENDERERS, STATISTICS
from .render.text import summary

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def _fail(exc: InputError) -> None:
    click.echo(f"narrative-check: {exc.message}", err=True)
    sys.exit(EXIT_USAGE)


def _configured(config: Path | None, **flags) -> Config:
    """The configuration file's settings with the flags given on the command line over them.

    Which file was used is said on stderr: settings the user did not know of change what runs.
    """
    try:
        configured = load_config(config).with_flags(**flags)
    except InputError as exc:
        _fail(exc)
    if configured.path is not None:
        click.echo(f"narrative-check: settings from {printable(str(configured.path))}", err=True)
    for note in configured.notes:
        click.echo(f"narrative-check: {printable(note)}", err=True)
    return configured


def _write(path: Path, rendered: str | bytes) -> None:
    write_atomic(path, rendered)  # a failed write leaves the previous file whole


def _baseline(path: Path | None):
    if path is None:
        return None
    from .baseline import load_baseline

    try:
        return load_baseline(path)
    except InputError as exc:
        _fail(exc)


def _note_unmatched(stale) -> None:
    if stale:
        click.echo(printable(f"narrative-check: {len(stale)} baseline entries no longer match any finding "
                             f"(first: {stale[0].rule} {stale[0].file}:{stale[0].line})"), err=True)


_config_option = click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                              help="settings file (default: narrative-check.toml or pyproject.toml [tool.narrative_check], "
                                   "looked for from the current directory upward)")
_lang_option = click.option("--lang", type=click.Choice(["zh", "en"]),
                            help="language of summaries, labels (文中/应为), rule documentation and not-checked reasons; "
                                 "finding messages stay Chinese, as they quote the report  [default: zh]")
_baseline_option = click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
                                help="do not report findings listed in this baseline file")
_write_baseline_option = click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False, path_type=Path),
                                      help="write every finding to this baseline file")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="narrative-check")
def cli() -> None:
    """Check Chinese budget and final-account disclosures (部门预算/决算说明)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True,
              help="; ".join(f"{name}: {f.help}" for name, f in RENDERERS.items()))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="write the report here instead of stdout")
@click.option("--tables", "tables_path", type=click.Path(dir_okay=False, path_type=Path),
              help="an Excel workbook (.xlsx) holding the report's tables, for a narrative published without them")
@click.option("--select", multiple=True, help="rule codes or prefixes to run (comma-separated)")
@click.option("--ignore", multiple=True, help="rule codes or prefixes to skip (comma-separated)")
@click.option("--rounding", type=click.Choice(["round", "truncate", "either"]),
              help="how the report rounded its figures  [default: round]")
@click.option("--exit-zero", is_flag=True, help="exit 0 even when errors are found")
@click.option("--statistics", is_flag=True, help="print the number of findings per rule instead of the findings (text or json)")
@_lang_option
@_config_option
@_baseline_option
@_write_baseline_option
def check(paths, fmt, output, tables_path, select, ignore, rounding, exit_zero, statistics, lang, config_path, baseline_path,
          write_baseline_path) -> None:
    """Check one or more reports."""
    _skip_teardown_at_exit()
    if statistics and fmt not in STATISTICS:
        raise click.UsageError(f"--statistics prints {' or '.join(STATISTICS)}, not {fmt}")
    if tables_path is not None and len(paths) != 1:
        raise click.UsageError("--tables goes with one report")
    if RENDERERS[fmt].binary and output is None:
        raise click.UsageError(f"--format {fmt} writes a binary file: give --output FILE")
    for written in (output, write_baseline_path):
        if written is not None and any(_same_file(written, read) for read in [*paths, tables_path] if read is not None):
            # '-o report.docx report.docx' would write the annotated copy over the editor's own file
            raise click.UsageError(f"{written} is one of the inputs: write the report to another file")
    configured = _configured(config_path, select=select, ignore=ignore, rounding=rounding, lang=lang)
    settings = configured.settings
    baseline = _baseline(baseline_path)
    from .baseline import write_baseline

    try:
        result = check_files(paths, tables=tables_path, settings=settings, baseline=baseline)
        if write_baseline_path is not None:
            write_baseline(write_baseline_path, result.baseline_entries)
        _note_unmatched(result.baseline_unmatched)
        reports = result.reports
        for report in reports:
            report.config = str(configured.path) if configured.path is not None else None
        # a format that cannot render these inputs raises InputError too (docx: a Word input only)
        rendered = STATISTICS[fmt](reports, settings.lang) if statistics else RENDERERS[fmt].render(reports)
        if output is not None:
            _write(output, rendered)
    except InputError as exc:
        _fail(exc)
    if output is None:
        click.echo(rendered, nl=False)
    click.echo(summary(reports, settings.lang), err=True)
    if not exit_zero and result.has_errors:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


def _same_file(a, b) -> bool:
    """Do two paths name one file (a link, or another spelling, included)?"""
    a, b = Path(a), Path(b)
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="JSON lines: one per file as it finishes (see README, Scanning)")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="worker processes  [default: every core]")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="seconds one file may take  [default: 60]")
@click.option("--resume", is_flag=True, help="go on from OUTPUT.partial (an interrupted scan's lines), else from --output: "
                                             "skip the files already there, check the rest")
@click.option("--engine", type=click.Choice(["local", "dask"]), help="local process pool, or a Dask cluster  [default: local]")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler to use (implies --engine dask; default: a local cluster)")
# Taken as text and checked with the configuration's values, so that a bad one (0, "2GB", more than
# the machine has) is one line naming it, as the same key in the file is.
@click.option("--worker-memory", metavar="BYTES",
              help="address space one local worker may take, in bytes; a file needing more is recorded as too large "
                   "(E004)  [default: 2147483648, 2 GiB]")
@click.option("--select", multiple=True, help="rule codes or prefixes to run (comma-separated)")
@click.option("--ignore", multiple=True, help="rule codes or prefixes to skip (comma-separated)")
@click.option("--rounding", type=click.Choice(["round", "truncate", "either"]),
              help="how the reports rounded their figures  [default: round]")
@click.option("--exit-zero", is_flag=True, help="exit 0 even when errors are found")
@_lang_option
@_config_option
@_baseline_option
@_write_baseline_option
def scan(inputs, output, jobs, timeout, resume, engine, scheduler, worker_memory, select, ignore, rounding, exit_zero,
         lang, config_path, baseline_path, write_baseline_path) -> None:
    """Check every report in directories, globs or files (*.txt, *.docx, *.pdf, *.htm, *.html), in parallel."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .baseline import write_baseline
    from .scan import print_summary, scan as run_scan

    config = _configured(config_path, select=select, ignore=ignore, rounding=rounding, lang=lang, jobs=jobs,
                         timeout=timeout, engine=engine, scheduler=scheduler, worker_memory=worker_memory)
    baseline = _baseline(baseline_path)
    console = Console(stderr=True)
    progress = Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console)
    task = progress.add_task("scan", total=None)
    try:
        with progress:
            summary = run_scan(inputs, output, settings=config.settings, options=config.scan, resume=resume,
                               baseline=baseline, on_start=lambda n: progress.update(task, total=n),
                               on_line=lambda line: progress.advance(task), keep_entries=write_baseline_path is not None,
                               exclude=[write_baseline_path] if write_baseline_path else [],
                               config_file=str(config.path) if config.path is not None else None)
    except InputError as exc:
        _fail(exc)
    print_summary(summary, console, config.settings.lang)
    if summary.interrupted:
        sys.exit(130)
    if write_baseline_path is not None:
        try:
            write_baseline(write_baseline_path, summary.entries)
        except InputError as exc:
            _fail(exc)
    if summary.all_failed:  # nothing was checked: not a pass, whatever the flags
        click.echo(f"narrative-check: not one of the {len(summary.failures)} file(s) could be checked "
                   f"(first: {printable(summary.failures[0]['error'])})", err=True)
        sys.exit(EXIT_USAGE)
    if not exit_zero and summary.has_errors:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="address to listen on. The default is this computer only; any other address (0.0.0.0, a network "
                   "interface) lets everyone who can reach it upload files and read the results, with no password")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="port to listen on (0: any free port)")
@click.option("--max-upload", "max_upload_mb", type=click.FloatRange(min=0, min_open=True), default=20, show_default=True,
              help="largest file accepted, in MB; a larger upload is refused as it arrives")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
              help="seconds one file may take  [default: the configuration's timeout, 60]")
@_config_option
def serve(host, port, max_upload_mb, timeout, config_path) -> None:
    """Open a local web page where an editor drops a report and sees what does not add up.

    The page takes Word (.docx), PDF, web pages and text; for a Word file it also gives the file
    back with a comment on each finding. Nothing is kept on disk; results stay in memory for 30 minutes.
    """
    from .web import ServeOptions, create_app
    from .extract.segment import segmenter
    from .web.server import LOOPBACK_NAMES, bind, is_loopback, run, url

    config = _configured(config_path, timeout=timeout)
    try:
        sock = bind(host, port)
    except InputError as exc:
        _fail(exc)
    bound_host, bound_port = sock.getsockname()[:2]
    options = ServeOptions(max_upload=int(max_upload_mb * 1024**2), timeout=config.scan.timeout,
                           allowed_hosts=LOOPBACK_NAMES if is_loopback(bound_host) else None)
    segmenter()  # the dictionary loaded once, here, before any request's thread needs it
    if not is_loopback(bound_host):
        click.echo(f"narrative-check: listening on {printable(host)}: anyone who can reach this computer there can use the page",
                   err=True)
    click.echo(f"narrative-check: 请在浏览器中打开 {url(bound_host, bound_port)} （Ctrl-C 停止） / open it in a browser "
               "(Ctrl-C stops)", err=True)
    run(create_app(config.settings, options), sock)
    sys.exit(EXIT_CLEAN)


@cli.command()
@click.option("--explain", metavar="CODE", help="print one rule's documentation")
@_lang_option
@_config_option
def rules(explain: str | None, lang: str | None, config_path: Path | None) -> None:
    """List the rules (code, name, severity and, in Chinese, what each checks), or explain one."""
    from .rules import all_rules
    from .rules.base import explain as explained

    lang = _configured(config_path, lang=lang).settings.lang
    every = all_rules()
    if explain:
        rule = every.get(explain.upper())
        if rule is None:
            click.echo(f"narrative-check: no rule {explain}", err=True)
            sys.exit(EXIT_USAGE)
        click.echo(f"{rule.code} {rule.name} ({SEVERITY_WORDS[lang][rule.severity]}): {rule.summary}\n")
        click.echo("\n\n".join(f"{heading}\n{text}" for heading, text in explained(rule, lang)))
        return
    # The summaries are Chinese: in English the kebab name says what a rule checks, and
    # `rules --explain CODE --lang en` the rest.
    width = max(len(rule.name) for rule in every.values())
    for code, rule in every.items():
        severity = SEVERITY_WORDS[lang][rule.severity]
        click.echo(f"{code}  {rule.name:<{width}}  {severity}  {rule.summary}" if lang == "zh"
                   else f"{code}  {rule.name:<{width}}  {severity}")


@cli.command(name="eval")
@click.argument("corpus_dir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--gold", "gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="score against the hand-checked gold of this folder (texts/*.txt and gold.jsonl) instead")
@click.option("--seed", type=int, default=0, show_default=True, help="the same seed makes the same copies")
@click.option("--per-kind", type=click.IntRange(min=1), default=10, show_default=True, help="mutated copies per error kind and report")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="write the scores here instead of stdout")
@click.pass_context
def evaluate_corpus(ctx: click.Context, corpus_dir: Path | None, gold_dir: Path | None, seed: int, per_kind: int, fmt: str,
                    output: Path | None) -> None:
    """Inject labelled errors into the reports of CORPUS_DIR (*.txt) and score what the rules find.

    With --gold DIR instead, check the excerpts of DIR and score the findings against its
    hand-checked gold: sensitivity, false errors, false findings and coverage.
    """
    if gold_dir is not None:
        if corpus_dir is not None:
            raise click.UsageError("give CORPUS_DIR (mutation scores) or --gold DIR (gold scores), not both")
        fixed = [f"--{name.replace('_', '-')}" for name in ("seed", "per_kind")
                 if ctx.get_parameter_source(name) is not ParameterSource.DEFAULT]
        if fixed:
            raise click.UsageError(f"{' and '.join(fixed)} set the mutated copies; --gold scores the excerpts as they are")
        from .evaluate.gold import evaluate_gold, render_gold_text

        try:
            gold = evaluate_gold(gold_dir)
        except InputError as exc:
            _fail(exc)
        rendered = gold.model_dump_json(indent=2) + "\n" if fmt == "json" else render_gold_text(gold)
    else:
        if corpus_dir is None:
            raise click.UsageError("missing CORPUS_DIR (or --gold DIR)")
        from .evaluate.score import evaluate_dir, render_text

        if not any(corpus_dir.glob("*.txt")):
            click.echo(f"narrative-check: no *.txt report in {corpus_dir}", err=True)
            sys.exit(EXIT_USAGE)
        try:
            result = evaluate_dir(corpus_dir, seed=seed, per_kind=per_kind)
        except InputError as exc:
            _fail(exc)
        rendered = result.model_dump_json(indent=2) + "\n" if fmt == "json" else render_text(result)
    if output is not None:
        try:
            _write(output, rendered)
        except InputError as exc:
            _fail(exc)
    else:
        click.echo(rendered, nl=False)


@cli.command()
def schema() -> None:
    """Print the JSON schema of one report (`--format json` prints {"reports": [report, …]})."""
    from .schema import schema_text

    click.echo(schema_text(), nl=False)


def main() -> None:
    try:
        _main()
    except SystemExit as done:
        if not _teardown_skippable or _exit_handlers_matter():
            raise
        _exit_at_once(done.code)


def _main() -> None:
    try:
        try:
            cli(standalone_mode=True)
        finally:
            sys.stdout.flush()  # a full disk shows here, not as "Exception ignored" at exit
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.exit(130)
    except OSError as exc:  # stdout on a full disk, a closed pipe
        _stdout_lost(exc)


# Set by a command that leaves nothing for the interpreter's exit to do (no child process, no
# exit handler, its files written and closed): main then ends the process without tearing it down.
_teardown_skippable = False


def _skip_teardown_at_exit() -> None:
    global _teardown_skippable
    _teardown_skippable = True


def _exit_handlers_matter() -> bool:
    """Is a tool watching the process (coverage, a tracer or profiler) whose exit handler writes
    its data? Then the interpreter's own exit runs, and with it their handlers. (The one handler
    our own imports register, logging's, is run by `_exit_at_once` itself.)"""
    return "coverage" in sys.modules or sys.gettrace() is not None or sys.getprofile() is not None


def _exit_at_once(code: object) -> NoReturn:
    """Flush the output and end the process, skipping the interpreter's teardown.

    Tearing down frees jieba's dictionary (half a million entries) and every module one by one: a quarter
    of a second, a fifth of a cold `check`, spent on memory the system takes back anyway. Only the
    command line does this, at its very end; the library never ends its caller's process.
    """
    if code is None:
        status = EXIT_CLEAN
    elif isinstance(code, int):
        status = code
    else:  # as the interpreter does with sys.exit("message")
        print(code, file=sys.stderr)
        status = 1
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()  # its exit handler: log handlers flushed and closed
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a stream already lost has had its say (_stdout_lost)
            pass
    os._exit(status)


def _stdout_lost(exc: OSError) -> None:
    # Whatever is still buffered would fail again at exit: send it nowhere.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass
    where = exc.filename or "<stdout>"
    click.echo(f"narrative-check: {InputError(InputErrorCode.CANNOT_WRITE, exc.strerror or str(exc), path=str(where)).message}",
               err=True)
    sys.exit(EXIT_USAGE)
