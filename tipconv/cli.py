"""The `tipconv` command line: a thin layer over the library.

Only this module knows about exit codes: `_exit_for` turns every error, click's usage
errors included, into one line on stderr (through `console.Console`) and its code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from . import __version__

if TYPE_CHECKING:
    from .console import Console
    from .writers import Writer, WriterOptions

# Exit codes, documented in the README and in `tipconv --help`.
EXIT_OK = 0
EXIT_FAILED = 1  # convert: at least one input failed
EXIT_USAGE = 2  # bad options or arguments (click's own code)
EXIT_INPUT = 3  # parse: the input cannot be read or is not text
EXIT_OUTPUT = 4  # an output cannot be written
EXIT_INTERNAL = 70  # a bug in tipconv (EX_SOFTWARE)
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_BROKEN_PIPE = 141  # the reader of stdout went away (as a shell reports SIGPIPE)

EXIT_CODES_HELP = """\b
Exit codes:
  0    success (the output may still carry warning diagnostics)
  1    convert, grid, history: one or more inputs failed (the rest were used)
  2    usage error: unknown option or format, missing argument, no INPUT names a file
  3    parse, diff: the input cannot be read or is not text (grid: the panel or database)
  4    an output cannot be written (a file, or stdout)
  70   internal error in tipconv (please report it; --debug shows details)
  130  interrupted (Ctrl-C)
  141  stdout was closed early (e.g. piped into head)
"""

F = TypeVar("F", bound=Callable[..., Any])

# Flags every command takes, before or after the command name; they meet in ctx.meta,
# which a command's context shares with the group's.
_FLAGS = "tipconv.flags"
# What an internal error names: the input of `parse`, else the command.
_SUBJECT = "tipconv.subject"


def _set_flag(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and param.name:
        ctx.meta.setdefault(_FLAGS, set()).add(param.name)


def global_options(function: F) -> F:
    """-q, -v, --no-color and --debug: on the group and on every command alike."""
    decorators = [
        click.option(
            "-q", "--quiet", is_flag=True, expose_value=False, callback=_set_flag,
            help="Print only errors on stderr.",
        ),
        click.option(
            "-v", "--verbose", is_flag=True, expose_value=False, callback=_set_flag,
            help="Also print info diagnostics (convert: every file).",
        ),
        click.option(
            "--no-color", is_flag=True, expose_value=False, callback=_set_flag,
            help="No colour on stderr (as with NO_COLOR=1).",
        ),
        click.option(
            "--debug", is_flag=True, envvar="TIPCONV_DEBUG", expose_value=False,
            callback=_set_flag,
            help="Show a traceback for an internal error (or set TIPCONV_DEBUG=1).",
        ),
    ]  # fmt: skip
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _flags(meta: dict[str, Any]) -> set[str]:
    flags: set[str] = meta.get(_FLAGS, set())
    return flags


def make_console(meta: dict[str, Any]) -> Console:
    from .console import Console

    flags = _flags(meta)
    return Console(
        quiet="quiet" in flags,
        verbose="verbose" in flags,
        color=False if "no_color" in flags else None,
    )


def _complete_formats(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """`--to <TAB>`: built-in names and aliases, and plugins' unless --no-plugins."""
    from .writers import format_names, plugins_enabled

    plugins = plugins_enabled(bool(ctx.params.get("no_plugins")))
    return [name for name in format_names(plugins=plugins) if name.startswith(incomplete.lower())]


def format_options(function: F) -> F:
    """Options that choose and tune the output format (parse and convert).

    A command takes --to, --encoding and --no-plugins by name, and the rest (the options
    `writer_options` turns into WriterOptions) as keyword arguments.
    """
    decorators = [
        click.option(
            "--to",
            "to",
            metavar="FORMAT",
            default=None,
            shell_complete=_complete_formats,
            help="Output format: json, jsonl, csv, markdown (md), panel, sqlite, or a "
            "plugin's (see 'tipconv formats'). Default: from the -o suffix, else json.",
        ),
        click.option(
            "--pretty/--compact",
            default=None,
            help="json: indented, or one line per document (default: pretty on a terminal).",
        ),
        click.option(
            "--csv-shape",
            type=click.Choice(["sections", "paragraphs"]),
            default="sections",
            show_default=True,
            help="csv: one row per country section, or one row per paragraph.",
        ),
        click.option("--bom", is_flag=True, help="csv, panel: start with a UTF-8 BOM (Excel)."),
        click.option("--wide", is_flag=True, help="panel: one row per country, a column per year."),
        click.option(
            "--datapackage",
            is_flag=True,
            help="panel: also write a Frictionless data package beside -o FILE, named "
            "after it (panel.csv -> panel.datapackage.json).",
        ),
        click.option(
            "--encoding",
            metavar="NAME",
            default=None,
            help="Input encoding: a codec name, or 'auto' to detect "
            "(default: UTF-8, UTF-16/UTF-8 by byte-order mark).",
        ),
        click.option(
            "--no-plugins",
            is_flag=True,
            envvar="TIPCONV_NO_PLUGINS",
            help="Do not load third-party writers (or set TIPCONV_NO_PLUGINS=1).",
        ),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        _print(ctx.get_help() + "\n")
        ctx.exit()


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        _print(f"tipconv, version {__version__}\n")
        ctx.exit()


def _print(text: str) -> None:
    """Help and version text on stdout, before any command runs (see `_Group.main`)."""
    from .output import write_stdout

    try:
        write_stdout(text)
    except BrokenPipeError:  # click would call this exit 1
        _silence_stdout()
        sys.exit(EXIT_BROKEN_PIPE)


# click's own help and version options fetch their help text through gettext, whose
# catalogue search (and the `locale` import behind it) costs about 1 ms of every run;
# tipconv speaks English only, so these options carry their text as plain strings.
_HELP_OPTION = click.Option(
    ["-h", "--help"],
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_help,
    help="Show this message and exit.",
)


class _Command(click.Command):
    """A click command whose -h/--help needs no gettext lookup (see `_HELP_OPTION`)."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _HELP_OPTION if self.add_help_option else None


class _Group(_Command, click.Group):
    """click's group, with every error of a run, click's own included, as `_exit_for` says.

    Errors while a command runs are mapped in `invoke`, where its flags (--debug, colour)
    are known; errors before that (an unknown option, --help on a full disk) in `main`.
    """

    command_class = _Command

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            try:  # `tipconv` alone asks for help, not an error
                _print(exc.ctx.get_help() + "\n")
            except Exception as error:
                _exit_for(error, {})
            code = EXIT_OK
        except Exception as exc:
            from .errors import TipconvError

            if not isinstance(exc, click.ClickException | click.exceptions.Abort | TipconvError):
                raise  # a bug, and --debug asked to see it (`invoke` mapped the rest)
            ctx = getattr(exc, "ctx", None)
            _exit_for(exc, ctx.meta if isinstance(ctx, click.Context) else {})
        sys.exit(code if isinstance(code, int) else EXIT_OK)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, SystemExit):
            raise
        except BaseException as exc:
            meta = exc.ctx.meta if isinstance(exc, click.UsageError) and exc.ctx else ctx.meta
            _exit_for(exc, meta)


def _exit_for(exc: BaseException, meta: dict[str, Any]) -> NoReturn:
    """One line on stderr for `exc`, and the documented exit code; --debug re-raises bugs."""
    from .errors import InputError, OutputError, UsageError

    console = make_console(meta)
    if isinstance(exc, click.UsageError):
        console.error(_usage_line(exc))
        sys.exit(EXIT_USAGE)
    if isinstance(exc, click.ClickException):
        console.error(_one_line(exc.format_message()))
        sys.exit(exc.exit_code)
    if isinstance(exc, KeyboardInterrupt | click.exceptions.Abort):
        console.error("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    if isinstance(exc, BrokenPipeError):
        _silence_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    if isinstance(exc, UsageError):
        console.error(str(exc) if exc.path is not None else exc.message)
        sys.exit(EXIT_USAGE)
    if isinstance(exc, InputError):
        console.error(str(exc))
        sys.exit(EXIT_INPUT)
    if isinstance(exc, OutputError):
        console.error(str(exc))
        if exc.path is None:  # stdout: Python's last flush at exit must not fail again
            _silence_stdout()
        sys.exit(EXIT_OUTPUT)
    if "debug" in _flags(meta) or not isinstance(exc, Exception):
        raise exc
    _internal_error(meta.get(_SUBJECT, "tipconv"), console, exc)


def _one_line(message: str) -> str:
    """click's message as one line, starting lower-case like tipconv's own."""
    text = " ".join(message.split()).rstrip(".")
    return text[:1].lower() + text[1:]


def _usage_line(exc: click.UsageError) -> str:
    text = _one_line(exc.format_message())
    if exc.ctx is None:
        return text
    return f"{text}; try '{exc.ctx.command_path} --help'"


def _internal_error(path: str, console: Console, exc: BaseException | None = None) -> NoReturn:
    detail = f" ({type(exc).__name__}: {exc})" if exc else ""
    console.error(
        f"{path}: internal error{detail}; please report it at the tipconv issue tracker "
        "with this file (run with --debug for a traceback)"
    )
    sys.exit(EXIT_INTERNAL)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so what is left in its buffer goes nowhere, quietly."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


@click.group(
    cls=_Group,
    context_settings={"max_content_width": 100},
    epilog=EXIT_CODES_HELP,
)
@click.option(
    "-V",
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@global_options
def main() -> None:
    """Turn Trafficking in Persons (TIP) Report narratives into structured data.

    \b
    Examples:
      tipconv parse hong-kong.txt                      # JSON on stdout
      cat hong-kong.txt | tipconv parse - --to csv     # read stdin
      tipconv parse hong-kong.txt -o hong-kong.md      # format from the suffix
      tipconv convert archive/ --to jsonl -o all.jsonl # a whole archive
      tipconv explain hong-kong.txt                    # how each line was read
      tipconv grid archive/                            # country x year tier grid
      tipconv history Burma archive/                   # one country across the years
      tipconv diff 2017/burma.txt 2018/burma.txt       # what the report changed
      tipconv formats                                  # every output format
    """


def pick_writer(to: str | None, output: str | None, plugins: bool, console: Console) -> Writer:
    """The writer for --to, else the -o suffix, else json; an unknown name or suffix exits 2.

    --to wins over a suffix that names another format, with a warning; an -o without a
    suffix (or stdout) is json; a suffix no format claims is a usage error.
    """
    from .errors import UsageError
    from .output import is_stdout
    from .writers import (
        UnknownFormatError,
        format_for_suffix,
        get_writer,
        suffix_choices,
        suffix_of,
    )

    suffix = None if output is None or is_stdout(output) else suffix_of(output)
    if to is None:
        name = "json" if suffix is None else format_for_suffix(output or "")
        if name is None:
            choices = suffix_choices(plugins=plugins, warn=console.warning)
            name = choices.get(suffix or "")
            if name is None:
                raise UsageError(
                    None,
                    f"-o {output}: no format has the suffix {suffix}; give --to FORMAT or "
                    f"one of the suffixes {', '.join(choices)}",
                )
    else:
        name = to
    try:
        writer = get_writer(name, plugins=plugins, warn=console.warning)
    except UnknownFormatError as exc:
        # The list of valid names is the useful part of this error.
        raise UsageError(
            None, f"unknown format {exc.name!r}; valid formats: {', '.join(exc.valid)}"
        ) from None
    if to is not None and suffix is not None and suffix not in writer.suffixes:
        claimed = format_for_suffix(output or "")
        if claimed is not None:
            console.warning(
                f"-o {output}: writing {writer.name} as --to says, though {suffix} is "
                f"the suffix of {claimed}"
            )
    return writer


def _check_options(
    ctx: click.Context, writer: Writer, output: str | None, out_dir: str | None = None
) -> None:
    """Usage errors and warnings about the options given for the chosen writer."""
    from click.core import ParameterSource

    from .output import check_output, is_stdout
    from .writers import FORMAT_OPTIONS

    if writer.needs_path and is_stdout(output) and out_dir is None:
        raise click.UsageError(f"--to {writer.name} writes a file: give -o FILE")
    if output is not None:
        check_output(output)
    console = make_console(ctx.meta)
    given = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
    for param in ctx.command.params:
        if param.name not in FORMAT_OPTIONS or param.name in writer.options_used:
            continue
        if ctx.get_parameter_source(param.name) not in given:
            continue
        flag = param.opts[0]
        if isinstance(param, click.Option) and param.secondary_opts and not ctx.params[param.name]:
            flag = param.secondary_opts[0]  # --compact, the "off" side of --pretty
        console.warning(f"{flag} does not apply to --to {writer.name}; ignored")


def writer_options(
    output: str | None,
    console: Console,
    *,
    pretty: bool | None,
    csv_shape: str,
    bom: bool,
    wide: bool,
    datapackage: bool,
) -> WriterOptions:
    """The format options as writers take them (see `format_options`)."""
    from .output import is_stdout
    from .writers import WriterOptions

    if pretty is None:
        pretty = is_stdout(output) and sys.stdout.isatty()
    return WriterOptions(
        pretty=pretty,
        csv_shape=csv_shape,
        bom=bom,
        wide=wide,
        datapackage=datapackage,
        output_path=None if is_stdout(output) else output,
        warn=console.warning,
    )


@main.command()
@click.argument("file", metavar="FILE|-")
@click.option("-o", "--output", metavar="OUT", default=None, help="Write here, not stdout.")
@click.option(
    "--label",
    metavar="NAME",
    default=None,
    help="The input's path as the output records it (default: FILE; for stdin, none).",
)
@format_options
@global_options
@click.pass_context
def parse(
    ctx: click.Context,
    /,
    file: str,
    output: str | None,
    label: str | None,
    to: str | None,
    encoding: str | None,
    no_plugins: bool,
    **choices: Any,
) -> None:
    """Parse one narrative (FILE, or - for stdin) and write it as JSON, CSV, Markdown...

    \b
    Examples:
      tipconv parse hong-kong.txt
      tipconv parse hong-kong.txt --to csv -o hong-kong.csv
      curl -s URL | tipconv parse - --label hong-kong.txt --to csv
    """
    from .output import write_reports
    from .reading import parse_file
    from .writers import plugins_enabled

    ctx.meta[_SUBJECT] = file
    if output is not None and file != "-" and _same_file(file, output):
        from .errors import UsageError

        raise UsageError(None, f"-o {output} is the input {file}: it would be overwritten")
    console = make_console(ctx.meta)
    writer = pick_writer(to, output, plugins_enabled(no_plugins), console)
    _check_options(ctx, writer, output)
    report = parse_file(file, encoding=encoding, strict="debug" in _flags(ctx.meta), label=label)
    if report.has_internal_error():
        _internal_error(file, console)
    console.diagnostics(report)
    options = writer_options(output, console, **choices)
    write_reports(writer, [report], output, options)


def _same_file(first: str, second: str) -> bool:
    """Whether two paths name one file (by any spelling, symlink or hard link)."""
    try:
        return os.path.samefile(first, second)
    except (OSError, ValueError):
        return False


CONVERT_EXIT_CODES_HELP = """\b
Exit codes:
  0    every input converted (some may carry warning diagnostics)
  1    one or more inputs failed or named no file; the rest were converted
  2    usage error, also when no INPUT names a file at all (nothing is written)
  4    an output cannot be written: the combined output, --errors-to, or a file
       under --out-dir (the others are still written)
  130  interrupted (Ctrl-C): finished outputs are kept, no partial files left
"""


@main.command(epilog=CONVERT_EXIT_CODES_HELP)
@click.argument("inputs", metavar="INPUT...", nargs=-1)
@click.option("-o", "--output", metavar="FILE", help="One combined output (default: stdout).")
@click.option("--out-dir", metavar="DIR", help="One output per input, mirroring its folders.")
@click.option(
    "--glob",
    "pattern",
    metavar="PATTERN",
    default="*.txt",
    show_default=True,
    help="Which files to take from a folder INPUT (matched against the name, or against "
    "the path below the folder when PATTERN has a /).",
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
@format_options
@global_options
@click.pass_context
def convert(
    ctx: click.Context,
    /,
    inputs: tuple[str, ...],
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
    no_plugins: bool,
    **choices: Any,
) -> None:
    """Convert many narratives at once; a bad file is reported and skipped, never fatal.

    Each INPUT is a file, a folder (searched recursively for --glob), a quoted pattern
    ('archive/**/*.txt') or - for a list of paths on stdin. Files are converted once each,
    in parallel, into one combined output (-o or stdout; JSON becomes an array) or one
    file per input (--out-dir). A summary line ends the run; -v lists every file.

    \b
    Examples:
      tipconv convert archive/ --to jsonl -o all.jsonl
      tipconv convert 'archive/**/*.txt' --out-dir out/ --skip-existing
      find archive -name '*.txt' | tipconv convert - --to csv -o all.csv
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
        fail_fast=fail_fast,
        skip_existing=skip_existing,
        errors_to=errors_to,
        debug="debug" in _flags(ctx.meta),
    )
    summary = batch.convert(inputs, settings, writer, options, console=console)
    if summary.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    if summary.unwritten:
        sys.exit(EXIT_OUTPUT)
    sys.exit(EXIT_FAILED if summary.failed else EXIT_OK)


@main.command()
@click.argument("file", metavar="FILE|-")
@click.option(
    "--to",
    "to",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Aligned lines for people, or the tokens as JSON.",
)
@click.option(
    "--width",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Cut lines to N columns (0: never; default: the terminal's width, uncut when piped).",
)
@click.option("--encoding", metavar="NAME", default=None, help="Input encoding, as for parse.")
@global_options
@click.pass_context
def explain(
    ctx: click.Context,
    /,
    file: str,
    to: str,
    width: int | None,
    encoding: str | None,
) -> None:
    """Show how each line of FILE was read: line number, kind, rule, and the line.

    This is how to find out why a copy was not understood, and what to attach to a bug
    report. The rules are listed, each with an example, in docs/format.md.

    \b
    Examples:
      tipconv explain fixtures/refworld-2003-hong-kong.txt
      tipconv explain copy.txt --to json > copy.tokens.json
    """
    from .console import use_color
    from .explain import as_json, plain_lines
    from .output import open_output
    from .reading import analyse_file

    ctx.meta[_SUBJECT] = file
    console = make_console(ctx.meta)
    report, tokens = analyse_file(file, encoding=encoding)
    console.diagnostics(report)
    with open_output(None) as out:
        if to == "json":
            out.write(as_json(tokens, report.source.to_dict(), __version__))
            return
        terminal = sys.stdout.isatty()
        if width is None:
            width = os.get_terminal_size(sys.stdout.fileno()).columns if terminal else 0
        color = use_color(sys.stdout, forbidden="no_color" in _flags(ctx.meta))
        for line in plain_lines(tokens, width=width, color=color):
            out.write(line + "\n")


def view_options(function: F) -> F:
    """How the views that read many narratives take them: as convert does."""
    decorators = [
        click.option(
            "--glob",
            "pattern",
            metavar="PATTERN",
            default="*.txt",
            show_default=True,
            help="Which files to take from a folder INPUT (as for convert).",
        ),
        click.option(
            "--encoding", metavar="NAME", default=None, help="Input encoding, as for parse."
        ),
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
  3    the panel CSV or database cannot be read
  4    -o, --svg, --html or stdout cannot be written
"""


@main.command(epilog=GRID_EXIT_CODES_HELP)
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
@click.option("--svg", metavar="FILE", help="Write the grid as an SVG picture.")
@click.option("--html", metavar="FILE", help="Write the grid as an HTML page.")
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
) -> None:
    """A country x year grid of tiers, with changes and conflicting copies marked.

    INPUT is what convert takes (files, folders, quoted patterns, - for a list of paths),
    or one panel CSV (convert --to panel) or tipconv database (convert --to sqlite). With
    --svg or --html alone, only the files are written.

    \b
    Examples:
      tipconv grid fixtures/archive
      tipconv grid panel.csv --country Burma --country CIV --years 2015-2019
      tipconv grid tip.db --sort changes --svg grid.svg
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
    )
    view.run(inputs, request, warn=console.warning, failed=failed)
    sys.exit(EXIT_FAILED if failed.count else EXIT_OK)


HISTORY_EXIT_CODES_HELP = """\b
Exit codes:
  0    success
  1    some INPUTs could not be read (the history shows the rest)
  2    usage error: unknown or ambiguous COUNTRY (closest names shown), no narrative of
       it, a panel CSV or database as INPUT, no INPUT names a file, or -o is an input
  3    a .csv INPUT that is not a panel CSV
  4    -o or stdout cannot be written
"""


@main.command(epilog=HISTORY_EXIT_CODES_HELP)
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
) -> None:
    """One country across the years: tier, change, the sentence that places it, file:line.

    COUNTRY is any spelling the crosswalk knows (Burma, Myanmar, Cote d'Ivoire) or an ISO3
    code; INPUT is what convert takes. Copies of a year that repeat or contradict each
    other are listed with it.

    \b
    Examples:
      tipconv history Burma fixtures/archive
      tipconv history CIV 'archive/**/*.txt' --to json | jq '.rows[] | [.report_year, .tier]'
      tipconv history Kosovo archive/ --to md -o kosovo.md
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


@main.command(epilog=DIFF_EXIT_CODES_HELP)
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
      tipconv diff old.txt new.txt --to json | jq '.parts[].counts'
      tipconv diff old.txt new.txt --to md -o changes.md
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


@main.command()
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


@main.command()
@global_options
@click.pass_context
def schema(ctx: click.Context) -> None:
    """Print the JSON Schema (draft 2020-12) of the JSON and JSONL output.

    \b
    Examples:
      tipconv schema > tipconv-report.schema.json
      check-jsonschema --schemafile tipconv-report.schema.json out.json
    """
    from importlib.resources import files

    from .output import write_stdout

    ctx.meta[_SUBJECT] = "schema.json"
    write_stdout(files(__package__).joinpath("schema.json").read_text(encoding="utf-8"))
