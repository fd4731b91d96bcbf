"""Command line: `build.py build|serve|validate|new|import`. Exit codes: 0 success; 1 the data has
errors (nothing was written); 2 wrong usage."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import pipeline
from .config import SiteConfig, load_config
from .i18n import load_translations
from .messages import format_problem, format_summary
from .problems import Problem

ROOT_OPTION = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
                           show_default=True, help="Project folder (with site_config.yaml, data/, content/).")
LANG_OPTION = click.option("--lang", type=click.Choice(["ko", "en"]), default=None,
                           help="Language of messages (default: the site's language).")


def _config(root: Path, **overrides: object) -> SiteConfig:
    return load_config(root.resolve(), {k: v for k, v in overrides.items() if v is not None})


def _report(config: SiteConfig, problems: list[Problem], lang: str | None, strict: bool = False) -> None:
    t = load_translations(config.theme_dirs(), lang or config.language)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for p in errors + warnings:
        click.echo(format_problem(p, t), err=True)
    click.echo(format_summary(len(errors), len(warnings), t), err=True)


def _progress_printer(start: float) -> pipeline.Progress:
    """Progress on one rewritten terminal line, for builds that take over a second; on a pipe
    (CI logs) nothing, as the closing summary says it all."""
    interactive = sys.stderr.isatty()

    def show(label: str, done: int, total: int) -> None:
        if not interactive or (time.perf_counter() - start < 1.0 and done < total):
            return
        click.echo(f"\r{label}: {done}/{total} pages", err=True, nl=done == total)
    return show


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Static site generator for public budget-transparency portals."""


@main.command()
@ROOT_OPTION
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: _site/ in the project).")
@click.option("--base-url", default=None, help="Override base_url, e.g. /portal/ for a sub-path.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--timings", is_flag=True, help="Print how long each stage took.")
@LANG_OPTION
def build(root: Path, out: Path | None, base_url: str | None, strict: bool, timings: bool, lang: str | None) -> None:
    """Build the site into OUT (written to a temporary folder, then swapped in)."""
    config = _config(root, base_url=base_url)
    out = out or config.root / "_site"
    start = time.perf_counter()
    from .derive.charts import ChartImageError
    from .render import PageError
    try:
        result = pipeline.build(config, out, _progress_printer(start), strict=strict)
    except (ChartImageError, PageError) as exc:  # say what is wrong (a browser, a template), no traceback
        click.echo(f"{exc}\nbuild failed; {out} was left as it was.", err=True)
        sys.exit(1)
    problems = result.checked.problems
    if not result.ok or (strict and problems.warnings):
        _report(config, problems.errors + problems.warnings, lang)
        click.echo(f"build failed; {out} was left as it was.", err=True)
        sys.exit(1)
    took = time.perf_counter() - start
    if problems.warnings:
        click.echo(f"{len(problems.warnings)} warnings (see `build.py validate`)", err=True)
    if timings:
        click.echo("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items()), err=True)
    click.echo(f"built {result.pages} pages, {len(result.paths)} files into {out} in {took:.2f}s")


@main.command()
@ROOT_OPTION
@LANG_OPTION
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def validate(root: Path, lang: str | None, strict: bool) -> None:
    """Check all data without writing a site. Exit 0: no errors; 1: errors (or warnings with --strict)."""
    config = _config(root)
    checked = pipeline.check(config)
    problems = checked.problems
    _report(config, problems.errors + problems.warnings, lang)
    if problems.errors or (strict and problems.warnings):
        sys.exit(1)


@main.command(name="diff")
@ROOT_OPTION
@click.argument("base")
def diff_(root: Path, base: str) -> None:
    """List the records, figures and pages that changed since git revision BASE (Markdown)."""
    from .tools.diff import as_markdown, diff
    config = _config(root)
    try:
        changes = diff(config, base)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(as_markdown(changes, config.base_url), nl=False)


@main.command()
@ROOT_OPTION
@click.option("--port", default=8000, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None)
def serve(root: Path, port: int, out: Path | None) -> None:
    """Build, serve on 127.0.0.1 and rebuild + reload the browser when data, content or theme change."""
    from .devserver.server import serve as run
    run(_config(root, base_url="/"), out, port)


@main.command()
@ROOT_OPTION
@click.argument("kind")
@click.argument("record_id")
def new(root: Path, kind: str, record_id: str) -> None:
    """Write data/KIND/RECORD_ID.yaml: a valid record with every field explained.

    KIND: program, budget-line, audit-item, org, source, indicator, facility, contract, table, note, …"""
    import re

    from .kinds import registry_for
    from .tools.scaffold import scaffold
    config = _config(root)
    registry = registry_for(config)
    found = registry.resolve(kind)
    if found is None:
        raise click.BadParameter(f"unknown kind {kind!r}; one of: {', '.join(registry.names)}", param_hint="KIND")
    resolved = found.name
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", record_id):
        raise click.BadParameter("use lowercase letters, digits and hyphens, e.g. s000-p-2-7-night-market",
                                 param_hint="RECORD_ID")
    path = config.data_dir / resolved / f"{record_id}.yaml"
    if path.exists():
        raise click.UsageError(f"{path.relative_to(config.root)} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scaffold(resolved, record_id, registry, config.data_dir), encoding="utf-8")
    click.echo(f"wrote {path.relative_to(config.root)}")


@main.command(name="import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--doc", "doc_id", default=None, help="Source id for the report, e.g. s005.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the draft records (default: drafts/ in the project).")
@ROOT_OPTION
@click.option("--year", type=click.IntRange(1900, 2100), default=None,
              help="The report's year, when its title and date do not print one.")
@click.option("--dry-run", is_flag=True, help="Print the import report; write nothing.")
@click.option("--accept", is_flag=True,
              help="Move the reviewed drafts given as PATHS (files or folders) into data/ once they validate.")
@LANG_OPTION
def import_(paths: tuple[Path, ...], doc_id: str | None, out: Path | None, root: Path, year: int | None,
            dry_run: bool, accept: bool, lang: str | None) -> None:
    """Draft records from a report: `import REPORT --doc s005` (text, HWPX, PDF, XLSX or CSV), then
    `import --accept drafts/` moves what you reviewed into data/.

    Exit 0: drafts written (or accepted); 1: nothing drafted, the file cannot be read, or the drafts
    do not validate; 2: wrong usage (no --doc, an id that is not an id, --out pointing at inputs,
    no year in the report and no --year)."""
    config = _config(root)
    if accept:
        _accept(list(paths), config, dry_run, lang)
        return
    if len(paths) != 1:
        raise click.UsageError("give one REPORT file (or --accept DRAFTS…)")
    if not doc_id:
        raise click.UsageError("Missing option '--doc' (the report's sources id, e.g. --doc s005)")
    report = paths[0]
    if not report.is_file():
        raise click.BadParameter(f"{report}: no such file", param_hint="REPORT")
    from .tools.importer import ImportRefused, ReadError, YearMissing, import_report, valid_doc_id
    from .tools.importer.safety import check_out_dir
    try:
        valid_doc_id(doc_id)
        out = check_out_dir(out if out is not None else config.root / "drafts", config)
    except ImportRefused as exc:
        raise click.UsageError(str(exc)) from None
    from .kinds import registry_for
    try:
        summary = import_report(report, doc_id, out, data_dir=config.data_dir,
                                registry=registry_for(config), year=year, dry_run=dry_run)
    except ReadError as exc:
        click.echo(f"{exc}\nnothing was written.", err=True)
        sys.exit(1)
    except YearMissing as exc:
        click.echo(f"{report}: {exc}\nnothing was written.", err=True)
        sys.exit(2)
    except ImportRefused as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(str(summary))
    if not summary.drafted:
        click.echo("nothing was written.", err=True)
        sys.exit(1)
    if summary.report_path is not None:
        click.echo(f"report written to {summary.report_path}")


def _accept(paths: list[Path], config: SiteConfig, dry_run: bool, lang: str | None) -> None:
    from .tools.importer.accept import AcceptRefused, accept_drafts
    if not paths:
        raise click.UsageError("give the reviewed drafts to accept: files or folders, e.g. --accept drafts/")
    try:
        result = accept_drafts(paths, config, dry_run=dry_run)
    except AcceptRefused as exc:
        click.echo(f"{exc}\nnothing was moved.", err=True)
        sys.exit(1)
    root = config.root.resolve()
    if result.problems:
        _report(config, result.problems, lang)
    if result.errors:
        click.echo(f"the project does not validate with these {len(result.moves)} drafts; nothing was moved. "
                   "Fix the errors above in the drafts and accept them again.", err=True)
        sys.exit(1)
    for move in result.moves:
        click.echo(f"{'would move' if dry_run else 'moved'} {move.draft} → {move.target.relative_to(root)}")
    if result.draft_ids:
        click.echo(f"{len(result.draft_ids)} accepted ids still carry '-draft-' (they become URLs): rename them "
                   "before the report is published, e.g. " + result.draft_ids[0], err=True)
    click.echo(f"{len(result.moves)} drafts {'validate (nothing moved: --dry-run)' if dry_run else 'accepted'}")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--lang", "language", type=click.Choice(["ko", "en"]), default="ko", show_default=True,
              help="Language of the interface and of the example data.")
@click.option("--title", default="", help="The portal's title (default: a placeholder to edit).")
@click.option("--jurisdiction", default="", help="Whose reports it publishes, e.g. 영등포구.")
@click.option("--year", type=int, default=0, help="Year of the example report (default: this year).")
@click.option("--engine", default="", help="Requirement line for the generator in requirements.txt "
              "(default: this version; a wheel path or git URL works too).")
def init(directory: Path, language: str, title: str, jurisdiction: str, year: int, engine: str) -> None:
    """Start a new portal in DIRECTORY: configuration, an example dataset, content pages, Netlify and
    GitHub Actions set-up, an editors' guide and a README with the portal's two commands."""
    from .tools.init import InitError, Options, init_portal
    try:
        written = init_portal(directory, Options(language, title, jurisdiction, year, engine))
    except InitError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {len(written)} files into {directory}")
    click.echo(f"next: cd {directory} && scripts/serve   (or: budgetsite serve --root {directory})")


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
              add_help_option=False)
@click.pass_context
def annotate(ctx: click.Context) -> None:
    """`validate` output (on stdin) as GitHub Actions annotations on the files' lines (--help for options)."""
    from .tools.annotate import main as run
    sys.exit(run(list(ctx.args)))


@main.command(name="check-permalinks")
@ROOT_OPTION
@click.argument("old", type=click.Path(file_okay=False, path_type=Path))
@click.argument("new", type=click.Path(file_okay=False, path_type=Path))
def check_permalinks(root: Path, old: Path, new: Path) -> None:
    """Every URL in OLD's sitemap.xml must still work in NEW: a page, or a redirect in NEW's
    _redirects (from a renamed record's old_ids). Exit 1 listing the URLs NEW lost."""
    from .tools.permalinks import check_permalinks as check
    old, new = root / old, root / new  # relative to the project folder (absolute paths stay as they are)
    for folder in (old, new):
        if not folder.is_dir():
            raise click.UsageError(f"{folder} is not a folder (a built site)")
    try:
        report = check(old, new)
    except FileNotFoundError as e:
        raise click.UsageError(str(e)) from None
    for url in report.missing:
        click.echo(f"missing: {url}", err=True)
    if report.missing:
        click.echo(f"{len(report.missing)} of {report.checked} permalinks of {old} are gone from {new}; "
                   "list the old id in the record's old_ids to redirect it.", err=True)
        sys.exit(1)
    click.echo(f"all {report.checked} permalinks of {old} work in {new} ({len(report.redirected)} through redirects)")
