"""The commands that `tipconv parse` and `explain` do not need: loaded when one is named.

`cli._Group` imports this module for `convert`, `grid`, `history`, `diff`, `formats` and
`schema` (and for `--help`), so a run of `tipconv parse` never builds their options, about
0.8 ms of its start-up. Everything they share with `parse` lives in `cli.py`.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import TYPE_CHECKING, Any

import click

from .cli import (
    _SUBJECT,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    F,
    _check_options,
    _Command,
    _flags,
    format_options,
    global_options,
    make_console,
    pick_writer,
    writer_options,
    year_option,
)

if TYPE_CHECKING:
    from .console import Console


CONVERT_EXIT_CODES_HELP = """\b
Exit codes:
  0    every input converted (some may carry warning diagnostics)
  1    one or more inputs failed or named no file; the rest were converted
  2    usage error, also when no INPUT names a file at all (nothing is written)
  4    an output cannot be written: the combined output, --errors-to, or a file
       under --out-dir (the others are still written)
  130  interrupted (Ctrl-C): finished outputs are kept, no partial files left
"""


@click.command(cls=_Command, epilog=CONVERT_EXIT_CODES_HELP)
@click.argument("inputs", metavar="INPUT...", nargs=-1)
@click.option("-o", "--output", metavar="FILE", help="One combined output (default: stdout).")
@click.option("--out-dir", metavar="DIR", help="One output per input, mirroring its folders.")
@click.option(
    "--glob",
    "pattern",
    metavar="PATTERN",
    default="*.txt,*.html,*.htm,*.pdf",
    show_default=True,
    help="Which files to take from a folder INPUT: patterns separated by commas, matched "
    "against the name (or against the path below the folder when PATTERN has a /). A saved "
    "page's NAME_files folder beside NAME.html is not walked.",
)
@click.option(
    "--files-from",
    metavar="LIST",
    multiple=True,
    help="Also convert the paths in LIST, one per line (- is stdin).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Parallel worker processes (default: one per CPU; 1 runs in-process).",
)
@click.option("--fail-fast", is_flag=True, help="Stop at the first input that fails.")
@click.option(
    "--skip-existing",
    is_flag=True,
    help="With --out-dir: skip inputs whose output is newer than the input.",
)
@click.option(
    "--errors-to",
    metavar="FILE.jsonl",
    help="Record each failure and warning as a JSON line: path, line, level, code, message.",
)
@year_option
@format_options
@functools.partial(global_options, verbose="Also print info diagnostics, and name every file.")
@click.pass_context
def convert(
    ctx: click.Context,
    /,
    inputs: tuple[str, ...],
    year: int | None,
    output: str | None,
    out_dir: str | None,
    pattern: str,
    files_from: tuple[str, ...],
    jobs: int | None,
    fail_fast: bool,
    skip_existing: bool,
    errors_to: str | None,
    to: str | None,
    encoding: str | None,
    form: str | None,
    no_plugins: bool,
    **choices: Any,
) -> None:
    """Convert many narratives at once; a bad file is reported and skipped, never fatal.

    Each INPUT is a file, a folder (searched recursively for --glob), a quoted pattern
    ('fixtures/archive/**/*.txt') or - for a list of paths on stdin. Files are converted
    once each, in parallel, into one combined output (-o or stdout; JSON becomes an array)
    or one file per input (--out-dir). A summary line ends the run; -v lists every file.

    \b
    Examples:
      tipconv convert fixtures/archive --to jsonl -o all.jsonl
      tipconv convert 'fixtures/archive/**/*.txt' --out-dir out/ --skip-existing
      find fixtures/archive -name '*.txt' | tipconv convert - --to csv -o all.csv
      tipconv convert fixtures/html --to panel -o pages.csv
    """
    import gc

    ctx.meta[_SUBJECT] = "convert"
    if output is not None and out_dir is not None:
        raise click.UsageError("give -o FILE or --out-dir DIR, not both")
    if skip_existing and out_dir is None:
        raise click.UsageError("--skip-existing works only with --out-dir")
    from . import batch
    from .writers import plugins_enabled

    # Thousands of files may leave reference cycles (an exception's traceback): the
    # collector the console script switched off for start-up comes back on, and the
    # start-up objects, here for the whole run, are frozen out of its way.
    gc.freeze()
    gc.enable()

    console = make_console(ctx.meta)
    writer = pick_writer(to, output, plugins_enabled(no_plugins), console)
    _check_options(ctx, writer, output, out_dir)
    if errors_to is not None:
        from .output import check_output

        check_output(errors_to)
        if output is not None and os.path.abspath(output) == os.path.abspath(errors_to):
            raise click.UsageError("-o and --errors-to name one file; give each its own")
    options = writer_options(out_dir or output, console, **choices)
    settings = batch.Settings(
        output=output,
        out_dir=out_dir,
        pattern=pattern,
        files_from=files_from,
        jobs=jobs,
        encoding=encoding,
        form=form,
        fail_fast=fail_fast,
        skip_existing=skip_existing,
        errors_to=errors_to,
        debug="debug" in _flags(ctx.meta),
        year=year,
    )
    summary = batch.convert(inputs, settings, writer, options, console=console)
    if summary.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    if summary.unwritten:
        sys.exit(EXIT_OUTPUT)
    sys.exit(EXIT_FAILED if summary.failed or summary.missing else EXIT_OK)


def view_options(function: F) -> F:
    """How the views that read many narratives take them: as convert does."""
    decorators = [
        click.option(
            "--glob",
            "pattern",
            metavar="PATTERN",
            default="*.txt,*.html,*.htm,*.pdf",
            show_default=True,
            help="Which files to take from a folder INPUT (as for convert).",
        ),
        click.option(
            "--encoding", metavar="NAME", default=None, help="Input encoding, as for parse."
        ),
        year_option,
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


class _Failures:
    """Inputs a view could not read: one error line each, and exit 1 at the end."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.count = 0

    def __call__(self, message: str) -> None:
        self.count += 1
        self.console.error(message)


def _many_files() -> None:
    """A view over thousands of files needs the collector back, as `convert` does."""
    import gc

    gc.freeze()
    gc.enable()


GRID_EXIT_CODES_HELP = """\b
Exit codes:
  0    success
  1    some INPUTs could not be read (the grid shows the rest)
  2    usage error: unknown option, country or --years, no INPUT names a file, or an
       output is an input
  3    the panel CSV or database cannot be read, or nothing to show (no narrative
       with a report year, or none in the countries and years asked for)
  4    -o, --svg, --html or stdout cannot be written
"""


@click.command(cls=_Command, epilog=GRID_EXIT_CODES_HELP)
@click.argument("inputs", metavar="INPUT...", nargs=-1)
@click.option(
    "--country",
    "countries",
    metavar="NAME",
    multiple=True,
    help="Only this country: any spelling the crosswalk knows, or an ISO3 code. Repeatable.",
)
@click.option("--years", metavar="FIRST-LAST", help="Only these report years: 2010-2020, 2015.")
@click.option(
    "--sort",
    type=click.Choice(["name", "tier", "changes"]),
    default="name",
    show_default=True,
    help="Rows by name, by latest tier (Tier 1 first), or by number of tier changes.",
)
@click.option(
    "--to",
    type=click.Choice(["text", "csv"]),
    default=None,
    help="text (the default) or csv: the wide panel of the rows shown.",
)
@click.option("-o", "--output", metavar="FILE", help="Write here, not stdout (text is plain).")
@click.option(
    "--svg", metavar="FILE", help="Write the grid as an SVG figure for a paper (offline, titled)."
)
@click.option("--html", metavar="FILE", help="Write the figure and a table as an HTML page.")
@view_options
@global_options
@click.pass_context
def grid(
    ctx: click.Context,
    /,
    inputs: tuple[str, ...],
    countries: tuple[str, ...],
    years: str | None,
    sort: str,
    to: str | None,
    output: str | None,
    svg: str | None,
    html: str | None,
    pattern: str,
    encoding: str | None,
    year: int | None,
) -> None:
    """A country x year grid of tiers, with changes and conflicting copies marked.

    INPUT is what convert takes (files, folders, quoted patterns, - for a list of paths),
    or one panel CSV (convert --to panel) or tipconv database (convert --to sqlite). With
    --svg or --html alone, only the files are written.

    \b
    Examples:
      tipconv grid fixtures/archive --sort changes
      tipconv grid fixtures/archive-panel.csv --country Burma --country CIV --years 2015-2019
      tipconv convert fixtures/archive --to sqlite -o tip.db && tipconv grid tip.db --svg grid.svg
    """
    from .views import grid as view

    ctx.meta[_SUBJECT] = "grid"
    console = make_console(ctx.meta)
    failed = _Failures(console)
    _many_files()
    request = view.GridRequest(
        countries=countries,
        years=years,
        sort=sort,
        to=to,
        output=output,
        svg=svg,
        html=html,
        no_color="no_color" in _flags(ctx.meta),
        pattern=pattern,
        encoding=encoding,
        year=year,
    )
    view.run(inputs, request, warn=console.warning, failed=failed)
    sys.exit(EXIT_FAILED if failed.count else EXIT_OK)


HISTORY_EXIT_CODES_HELP = """\b
Exit codes:
  0    success
  1    some INPUTs could not be read (the history shows the rest)
  2    usage error: unknown or ambiguous COUNTRY (closest names shown), no narrative of
       it, a panel CSV or database as INPUT, no INPUT names a file, or -o is an input
  3    a .csv INPUT that is not a panel CSV, or nothing to show (no narrative of
       COUNTRY has a report year)
  4    -o or stdout cannot be written
"""


@click.command(cls=_Command, epilog=HISTORY_EXIT_CODES_HELP)
@click.argument("country", metavar="COUNTRY")
@click.argument("inputs", metavar="INPUT...", nargs=-1)
@click.option(
    "--to",
    type=click.Choice(["text", "json", "csv", "md"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("-o", "--output", metavar="FILE", help="Write here, not stdout (text is plain).")
@view_options
@global_options
@click.pass_context
def history(
    ctx: click.Context,
    /,
    country: str,
    inputs: tuple[str, ...],
    to: str,
    output: str | None,
    pattern: str,
    encoding: str | None,
    year: int | None,
) -> None:
    """One country across the years: tier, change, the sentence that places it, file:line.

    COUNTRY is any spelling the crosswalk knows (Burma, Myanmar, Cote d'Ivoire) or an ISO3
    code; INPUT is what convert takes. Copies of a year that repeat or contradict each
    other are listed with it.

    \b
    Examples:
      tipconv history Burma fixtures/archive
      tipconv history CIV 'fixtures/archive/**/*.txt' --to json | jq -c '.rows[].tier'
      tipconv history Kosovo fixtures/archive --to md -o kosovo.md
      tipconv history Burma examples/no-year.txt --year 2017   # a copy that prints no year
    """
    from .views import history as view

    ctx.meta[_SUBJECT] = "history"
    console = make_console(ctx.meta)
    failed = _Failures(console)
    _many_files()
    request = view.HistoryRequest(
        country=country,
        to=to,
        output=output,
        no_color="no_color" in _flags(ctx.meta),
        pattern=pattern,
        encoding=encoding,
        year=year,
    )
    view.run(inputs, request, warn=console.warning, failed=failed)
    sys.exit(EXIT_FAILED if failed.count else EXIT_OK)


DIFF_EXIT_CODES_HELP = """\b
Exit codes:
  0    success (a warning if OLD and NEW are about different countries)
  2    usage error: unknown option or country, a file of several narratives without
       --country, or -o is OLD or NEW
  3    OLD or NEW cannot be read, is not text, or holds no country narrative
  4    -o or stdout cannot be written
"""


@click.command(cls=_Command, epilog=DIFF_EXIT_CODES_HELP)
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "--to",
    type=click.Choice(["text", "json", "md"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("-o", "--output", metavar="FILE", help="Write here, not stdout (text is plain).")
@click.option("--country", metavar="NAME", help="Which narrative, in a file that holds several.")
@click.option("--kept", is_flag=True, help="Also list kept sentences (JSON always has them).")
@click.option("--encoding", metavar="NAME", default=None, help="Input encoding, as for parse.")
@global_options
@click.pass_context
def diff(
    ctx: click.Context,
    /,
    old: str,
    new: str,
    to: str,
    output: str | None,
    country: str | None,
    kept: bool,
    encoding: str | None,
) -> None:
    """What changed between two narratives of one country: the tier, then part by part the
    sentences added, removed, kept, and changed (a reworded sentence, shown word by word).

    \b
    Examples:
      tipconv diff fixtures/archive/2017/burma.txt fixtures/archive/2018/burma.txt
      tipconv diff fixtures/diff/old.txt fixtures/diff/new.txt --to json | jq -c '.parts[].counts'
      tipconv diff fixtures/diff/old.txt fixtures/diff/new.txt --to md -o changes.md
    """
    from .views import diff as view

    ctx.meta[_SUBJECT] = "diff"
    console = make_console(ctx.meta)
    request = view.DiffRequest(
        to=to,
        output=output,
        country=country,
        kept=kept,
        no_color="no_color" in _flags(ctx.meta),
        encoding=encoding,
    )
    view.run(old, new, request, warn=console.warning)


@click.command(cls=_Command)
@click.option("--no-plugins", is_flag=True, envvar="TIPCONV_NO_PLUGINS", help="Built-ins only.")
@global_options
@click.pass_context
def formats(ctx: click.Context, no_plugins: bool) -> None:
    """List every output format: name, suffixes, description and where it comes from."""
    from .output import write_stdout
    from .writers import list_writers, plugins_enabled

    console = make_console(ctx.meta)
    infos = list_writers(plugins=plugins_enabled(no_plugins), warn=console.warning)
    width = max(len(info.name) for info in infos)
    suffixes = [" ".join(info.suffixes) for info in infos]
    suffix_width = max(map(len, suffixes))
    write_stdout(
        "".join(
            f"{info.name:<{width}}  {shown:<{suffix_width}}  {info.description}  ({info.origin})\n"
            for info, shown in zip(infos, suffixes, strict=True)
        )
    )


@click.command(cls=_Command)
@global_options
@click.pass_context
def schema(ctx: click.Context) -> None:
    """Print the JSON Schema (draft 2020-12) of the JSON and JSONL output.

    \b
    Examples:
      tipconv schema > tipconv-report.schema.json
      tipconv schema | jq -r '.properties | keys[]'       # the top-level fields
    """
    from importlib.resources import files

    from .output import write_stdout

    ctx.meta[_SUBJECT] = "schema.json"
    write_stdout(files(__package__).joinpath("schema.json").read_text(encoding="utf-8"))
