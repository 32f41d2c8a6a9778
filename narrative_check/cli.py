"""The command line: parse flags, call the library, pick a renderer, set the exit code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .api import check_file
from .config import Settings
from .errors import InputError
from .render import RENDERERS, STATISTICS
from .render.text import summary

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def _codes(values: tuple[str, ...]) -> list[str]:
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="narrative-check")
def cli() -> None:
    """Check Chinese budget and final-account disclosures (部门预算/决算说明)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True,
              help="; ".join(f"{name}: {f.help}" for name, f in RENDERERS.items()))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="write the report here instead of stdout")
@click.option("--select", multiple=True, help="rule codes or prefixes to run (comma-separated)")
@click.option("--ignore", multiple=True, help="rule codes or prefixes to skip (comma-separated)")
@click.option("--rounding", type=click.Choice(["round", "truncate", "either"]), default="round", show_default=True,
              help="how the report rounded its figures")
@click.option("--exit-zero", is_flag=True, help="exit 0 even when errors are found")
@click.option("--statistics", is_flag=True, help="print the number of findings per rule instead of the findings (text or json)")
def check(paths, fmt, output, select, ignore, rounding, exit_zero, statistics) -> None:
    """Check one or more reports."""
    if statistics and fmt not in STATISTICS:
        raise click.UsageError(f"--statistics prints {' or '.join(STATISTICS)}, not {fmt}")
    if RENDERERS[fmt].binary and output is None:
        raise click.UsageError(f"--format {fmt} writes a binary file: give --output FILE")
    settings = Settings(select=_codes(select), ignore=_codes(ignore), rounding=rounding)
    reports = []
    for path in paths:
        try:
            reports.append(check_file(path, settings=settings))
        except InputError as exc:
            click.echo(f"narrative-check: {exc.message}", err=True)
            sys.exit(EXIT_USAGE)
    rendered = STATISTICS[fmt](reports) if statistics else RENDERERS[fmt].render(reports)
    if isinstance(rendered, bytes):
        output.write_bytes(rendered)
    elif output is not None:
        output.write_text(rendered, encoding="utf-8")
    else:
        click.echo(rendered, nl=False)
    click.echo(summary(reports), err=True)
    if not exit_zero and any(r.has_errors for r in reports):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


@cli.command()
@click.option("--explain", metavar="CODE", help="print one rule's documentation")
def rules(explain: str | None) -> None:
    """List the rules, or explain one."""
    from .rules import REGISTRY

    if explain:
        rule = REGISTRY.get(explain.upper())
        if rule is None:
            click.echo(f"narrative-check: no rule {explain}", err=True)
            sys.exit(EXIT_USAGE)
        click.echo(f"{rule.code} {rule.name} ({rule.severity}): {rule.summary}\n")
        click.echo(_dedent(rule.__doc__ or ""))
        return
    for code in sorted(REGISTRY):
        rule = REGISTRY[code]
        click.echo(f"{code}  {rule.name:<28} {rule.severity:<8} {rule.summary}")


@cli.command(name="eval")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--seed", type=int, default=0, show_default=True, help="the same seed makes the same copies")
@click.option("--per-kind", type=click.IntRange(min=1), default=10, show_default=True, help="mutated copies per error kind and report")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="write the scores here instead of stdout")
def evaluate_corpus(corpus_dir: Path, seed: int, per_kind: int, fmt: str, output: Path | None) -> None:
    """Inject labelled errors into the reports of CORPUS_DIR (*.txt) and score what the rules find."""
    from .evaluate.score import evaluate_dir, render_text

    if not any(corpus_dir.glob("*.txt")):
        click.echo(f"narrative-check: no *.txt report in {corpus_dir}", err=True)
        sys.exit(EXIT_USAGE)
    try:
        result = evaluate_dir(corpus_dir, seed=seed, per_kind=per_kind)
    except InputError as exc:
        click.echo(f"narrative-check: {exc.message}", err=True)
        sys.exit(EXIT_USAGE)
    rendered = result.model_dump_json(indent=2) + "\n" if fmt == "json" else render_text(result)
    if output is not None:
        output.write_text(rendered, encoding="utf-8")
    else:
        click.echo(rendered, nl=False)


@cli.command()
def schema() -> None:
    """Print the JSON schema of one report (`--format json` prints {"reports": [report, …]})."""
    from .schema import schema_text

    click.echo(schema_text(), nl=False)


def _dedent(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.exit(130)
