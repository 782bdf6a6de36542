"""The `tipconv` command line: a thin layer over the library.

Only this module knows about exit codes and turns errors into one line on stderr.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, NoReturn, TextIO, TypeVar

import click

from . import __version__

if TYPE_CHECKING:
    from .model import Report
    from .writers import Writer, WriterOptions

# Exit codes, documented in the README and in `tipconv --help`.
EXIT_OK = 0
EXIT_FAILED = 1  # convert: at least one input failed
EXIT_USAGE = 2  # bad options or arguments (click's own code)
EXIT_INPUT = 3  # parse: the input cannot be read or is not text
EXIT_OUTPUT = 4  # the output cannot be written
EXIT_INTERNAL = 70  # a bug in tipconv (EX_SOFTWARE)
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_BROKEN_PIPE = 141  # the reader of stdout went away (as a shell reports SIGPIPE)

EXIT_CODES_HELP = """\b
Exit codes:
  0    success (the output may still carry warning diagnostics)
  1    convert: one or more inputs failed (the rest were converted)
  2    usage error: unknown option, format or missing argument
  3    parse: the input cannot be read or is not text
  4    the output cannot be written
  70   internal error in tipconv (please report it; --debug shows details)
  130  interrupted (Ctrl-C)
  141  stdout was closed early (e.g. piped into head)
"""

F = TypeVar("F", bound=Callable[..., Any])


class Messages:
    """Messages to stderr: plain lines, honouring -q and -v; data never goes here."""

    def __init__(self, quiet: bool = False, verbose: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose

    def error(self, message: str) -> None:
        click.echo(f"tipconv: error: {message}", err=True)

    def warning(self, message: str) -> None:
        if not self.quiet:
            click.echo(f"tipconv: warning: {message}", err=True)

    def info(self, message: str) -> None:
        if self.verbose and not self.quiet:
            click.echo(f"tipconv: {message}", err=True)

    def diagnostics(self, report: Report, limit: int = 20) -> None:
        """Warnings (and with -v, info) from a report, one line each: PATH:LINE: message."""
        if self.quiet:
            return
        shown = 0
        hidden = 0
        path = report.source.path or "<stdin>"
        for diagnostic in report.diagnostics:
            if diagnostic.level.value == "info" and not self.verbose:
                continue
            if shown >= limit and not self.verbose:
                hidden += 1
                continue
            where = f"{path}:{diagnostic.line}" if diagnostic.line else path
            click.echo(
                f"tipconv: {diagnostic.level.value}: {where}: {diagnostic.message} "
                f"[{diagnostic.code}]",
                err=True,
            )
            shown += 1
        if hidden:
            click.echo(f"tipconv: ... and {hidden} more warning(s) (-v shows all)", err=True)


def common_options(function: F) -> F:
    """Options every command shares, so they read the same everywhere."""
    decorators = [
        click.option("-q", "--quiet", is_flag=True, help="Print only errors on stderr."),
        click.option("-v", "--verbose", is_flag=True, help="Also print info diagnostics."),
        click.option(
            "--debug",
            is_flag=True,
            envvar="TIPCONV_DEBUG",
            help="Show a traceback for an internal error (or set TIPCONV_DEBUG=1).",
        ),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def format_options(function: F) -> F:
    """Options that choose and tune the output format (parse and convert)."""
    decorators = [
        click.option(
            "--to",
            "to",
            metavar="FORMAT",
            default=None,
            help="Output format: json, jsonl, csv, markdown (md), panel, sqlite, or a "
            "plugin's (see 'tipconv formats'). Default: from the -o suffix, else json.",
        ),
        click.option(
            "--pretty/--compact",
            default=None,
            help="Indented JSON or one line per document (default: pretty on a terminal).",
        ),
        click.option(
            "--csv-shape",
            type=click.Choice(["sections", "paragraphs"]),
            default="sections",
            show_default=True,
            help="CSV: one row per country section, or one row per paragraph.",
        ),
        click.option("--bom", is_flag=True, help="CSV: start with a UTF-8 BOM (for Excel)."),
        click.option("--wide", is_flag=True, help="panel: one row per country, a column per year."),
        click.option(
            "--datapackage",
            is_flag=True,
            help="panel: also write a Frictionless datapackage.json beside -o.",
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
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"tipconv, version {__version__}", color=ctx.color)
        ctx.exit()


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
    """click's group, but Ctrl-C anywhere exits 130 with one line, like inside a command,
    and -h/--help is `_Command`'s."""

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
        except click.exceptions.Abort:
            click.echo("tipconv: error: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


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
def main() -> None:
    """Turn Trafficking in Persons (TIP) Report narratives into structured data.

    \b
    Examples:
      tipconv parse hong-kong.txt                      # JSON on stdout
      cat hong-kong.txt | tipconv parse - --to csv     # read stdin
      tipconv parse hong-kong.txt -o hong-kong.md      # format from the suffix
      tipconv convert archive/ --to jsonl -o all.jsonl # a whole archive
      tipconv explain hong-kong.txt                    # how each line was read
      tipconv formats                                  # every output format
    """


def pick_writer(to: str | None, output: str | None, no_plugins: bool, messages: Messages) -> Writer:
    """The writer for --to, else the -o suffix, else json; an unknown name exits 2."""
    from .writers import UnknownFormatError, format_for_suffix, get_writer, plugins_enabled

    name = to or (format_for_suffix(output) if output and output != "-" else None) or "json"
    try:
        return get_writer(name, plugins=plugins_enabled(no_plugins), warn=messages.warning)
    except UnknownFormatError as exc:
        # One line, not click's usage block: the list of valid names is the useful part.
        messages.error(f"unknown format {exc.name!r}; valid formats: {', '.join(exc.valid)}")
        sys.exit(EXIT_USAGE)


def writer_options(
    output: str | None,
    stream: TextIO,
    pretty: bool | None,
    messages: Messages,
    *,
    as_array: bool = False,
    **choices: Any,
) -> WriterOptions:
    from .writers import WriterOptions

    if pretty is None:
        pretty = output in (None, "-") and stream.isatty()
    return WriterOptions(
        pretty=pretty,
        as_array=as_array,
        csv_shape=choices.get("csv_shape", "sections"),
        bom=choices.get("bom", False),
        wide=choices.get("wide", False),
        datapackage=choices.get("datapackage", False),
        output_path=output if output not in (None, "-") else None,
        warn=messages.warning,
    )


@main.command()
@click.argument("file", metavar="FILE|-")
@click.option("-o", "--output", metavar="OUT", default=None, help="Write here, not stdout.")
@format_options
@common_options
def parse(
    file: str,
    output: str | None,
    to: str | None,
    pretty: bool | None,
    csv_shape: str,
    bom: bool,
    wide: bool,
    datapackage: bool,
    encoding: str | None,
    no_plugins: bool,
    quiet: bool,
    verbose: bool,
    debug: bool,
) -> None:
    """Parse one narrative (FILE, or - for stdin) and write it as JSON, CSV, Markdown...

    \b
    Examples:
      tipconv parse hong-kong.txt
      tipconv parse hong-kong.txt --to csv -o hong-kong.csv
      curl -s URL | tipconv parse - --compact | jq .sections[0].tier
    """
    from .errors import InputError, OutputError
    from .output import write_reports
    from .reading import parse_file

    messages = Messages(quiet, verbose)
    writer = pick_writer(to, output, no_plugins, messages)
    with _guard(file, debug, messages):
        try:
            report = parse_file(file, encoding=encoding, strict=debug)
        except InputError as exc:
            messages.error(str(exc))
            sys.exit(EXIT_INPUT)
        if report.has_internal_error():
            _internal_error(file, messages)
        messages.diagnostics(report)
        options = writer_options(
            output,
            sys.stdout,
            pretty,
            messages,
            csv_shape=csv_shape,
            bom=bom,
            wide=wide,
            datapackage=datapackage,
        )
        try:
            write_reports(writer, [report], output, options)
        except OutputError as exc:
            messages.error(str(exc))
            sys.exit(EXIT_OUTPUT)


CONVERT_EXIT_CODES_HELP = """\b
Exit codes:
  0    every input converted (some may carry warning diagnostics)
  1    one or more inputs failed; the rest were converted
  2    usage error, including INPUTs that name no file at all
  4    the combined output, --out-dir or --errors-to cannot be written
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
@common_options
def convert(
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
    pretty: bool | None,
    csv_shape: str,
    bom: bool,
    wide: bool,
    datapackage: bool,
    encoding: str | None,
    no_plugins: bool,
    quiet: bool,
    verbose: bool,
    debug: bool,
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
    messages = Messages(quiet, verbose)
    if output is not None and out_dir is not None:
        raise click.UsageError("give -o FILE or --out-dir DIR, not both")
    if skip_existing and out_dir is None:
        raise click.UsageError("--skip-existing works only with --out-dir")
    # Everything inside the guard, so even an early Ctrl-C exits 130 without a traceback.
    with _guard("convert", debug, messages):
        from . import batch
        from .errors import OutputError
        from .writers import plugins_enabled

        # Thousands of files may leave reference cycles (an exception's traceback): the
        # collector the console script switched off for start-up comes back on, and the
        # start-up objects, here for the whole run, are frozen out of its way.
        gc.freeze()
        gc.enable()

        writer = pick_writer(to, output, no_plugins, messages)
        options = writer_options(
            out_dir or output,
            sys.stdout,
            pretty,
            messages,
            csv_shape=csv_shape,
            bom=bom,
            wide=wide,
            datapackage=datapackage,
        )
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
            plugins=plugins_enabled(no_plugins),
            debug=debug,
        )
        feedback = batch.Feedback(quiet, verbose)
        try:
            summary = batch.convert(inputs, settings, writer, options, feedback=feedback)
        except batch.BatchUsageError as exc:
            raise click.UsageError(str(exc) if exc.path else exc.message) from None
        except OutputError as exc:
            messages.error(str(exc))
            sys.exit(EXIT_OUTPUT)
    if summary.interrupted:
        sys.exit(EXIT_INTERRUPTED)
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
@common_options
def explain(
    file: str,
    to: str,
    width: int | None,
    encoding: str | None,
    quiet: bool,
    verbose: bool,
    debug: bool,
) -> None:
    """Show how each line of FILE was read: line number, kind, rule, and the line.

    This is how to find out why a copy was not understood, and what to attach to a bug
    report. The rules are listed, each with an example, in docs/format.md.

    \b
    Examples:
      tipconv explain fixtures/refworld-2003-hong-kong.txt
      tipconv explain copy.txt --to json > copy.tokens.json
    """
    from .errors import InputError
    from .explain import as_json, plain_lines
    from .reading import analyse_file

    messages = Messages(quiet, verbose)
    with _guard(file, debug, messages):
        try:
            report, tokens = analyse_file(file, encoding=encoding)
        except InputError as exc:
            messages.error(str(exc))
            sys.exit(EXIT_INPUT)
        messages.diagnostics(report)
        if to == "json":
            sys.stdout.write(as_json(tokens, report.source.to_dict(), __version__))
        else:
            terminal = sys.stdout.isatty()
            if width is None:
                width = os.get_terminal_size(sys.stdout.fileno()).columns if terminal else 0
            color = terminal and "NO_COLOR" not in os.environ
            for line in plain_lines(tokens, width=width, color=color):
                sys.stdout.write(line + "\n")
        sys.stdout.flush()


@main.command()
@click.option("--no-plugins", is_flag=True, envvar="TIPCONV_NO_PLUGINS", help="Built-ins only.")
@common_options
def formats(no_plugins: bool, quiet: bool, verbose: bool, debug: bool) -> None:
    """List every output format: name, suffix, description and where it comes from."""
    from .writers import list_writers, plugins_enabled

    messages = Messages(quiet, verbose)
    infos = list_writers(plugins=plugins_enabled(no_plugins), warn=messages.warning)
    width = max(len(info.name) for info in infos)
    suffix_width = max(len(info.suffix) for info in infos)
    for info in infos:
        click.echo(
            f"{info.name:<{width}}  {info.suffix:<{suffix_width}}  {info.description}"
            f"  ({info.origin})"
        )


@main.command()
@common_options
def schema(quiet: bool, verbose: bool, debug: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of the JSON and JSONL output.

    \b
    Examples:
      tipconv schema > tipconv-report.schema.json
      check-jsonschema --schemafile tipconv-report.schema.json out.json
    """
    from importlib.resources import files

    messages = Messages(quiet, verbose)
    with _guard("schema.json", debug, messages):
        text = files(__package__).joinpath("schema.json").read_text(encoding="utf-8")
        sys.stdout.write(text)
        sys.stdout.flush()


class _guard:
    """Map interruptions, closed pipes and unexpected errors to one line and an exit code."""

    def __init__(self, path: str, debug: bool, messages: Messages) -> None:
        self.path = path
        self.debug = debug
        self.messages = messages

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any
    ) -> Literal[False]:
        if exc is None or isinstance(
            exc, SystemExit | click.exceptions.Exit | click.ClickException
        ):
            return False
        if isinstance(exc, KeyboardInterrupt):
            self.messages.error("interrupted")
            sys.exit(EXIT_INTERRUPTED)
        if isinstance(exc, BrokenPipeError):
            _quiet_broken_pipe()
        if self.debug:
            return False
        _internal_error(self.path, self.messages, exc)


def _internal_error(path: str, messages: Messages, exc: BaseException | None = None) -> NoReturn:
    detail = f" ({type(exc).__name__}: {exc})" if exc else ""
    messages.error(
        f"{path}: internal error{detail}; please report it at the tipconv issue tracker "
        "with this file (run with --debug for a traceback)"
    )
    sys.exit(EXIT_INTERNAL)


def _quiet_broken_pipe() -> NoReturn:
    """stdout's reader left: point stdout at /dev/null so Python's exit flush stays quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_BROKEN_PIPE)
