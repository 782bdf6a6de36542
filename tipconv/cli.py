"""The `tipconv` command line: a thin layer over the library.

Only this module knows about exit codes: `_exit_for` turns every error, click's usage
errors included, into one line on stderr (through `console.Console`) and its code.
"""

from __future__ import annotations

import functools
import os
import re
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
  3    parse, diff: the input cannot be read or is not text (grid, history: the panel
       or database, or nothing to show)
  4    an output cannot be written (a file, or stdout)
  70   internal error in tipconv (please report it; --debug shows details)
  130  interrupted (Ctrl-C)
  141  stdout was closed early (e.g. piped into head)
"""

F = TypeVar("F", bound=Callable[..., Any])

# Where an internal error is to be reported; also `[project.urls] Issues` in pyproject.toml.
ISSUES_URL = "https://tipconv.invalid/issues"

# Flags every command takes, before or after the command name; they meet in ctx.meta,
# which a command's context shares with the group's.
_FLAGS = "tipconv.flags"
# What an internal error names: the input of `parse`, else the command.
_SUBJECT = "tipconv.subject"
# The command whose --help a usage error points to ("tipconv grid").
_COMMAND = "tipconv.command"


def _set_flag(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and param.name:
        ctx.meta.setdefault(_FLAGS, set()).add(param.name)


def global_options(function: F, *, verbose: str = "Also print info diagnostics.") -> F:
    """-q, -v, --no-color and --debug: on the group and on every command alike.

    `verbose` is -v's help: what -v adds to this command (convert also names every file).
    """
    decorators = [
        click.option(
            "-q", "--quiet", is_flag=True, expose_value=False, callback=_set_flag,
            help="Print only errors on stderr.",
        ),
        click.option(
            "-v", "--verbose", is_flag=True, expose_value=False, callback=_set_flag,
            help=verbose,
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
            "--lock-timeout",
            type=click.FloatRange(min=0),
            metavar="SECONDS",
            default=5.0,
            show_default=True,
            help="sqlite: how long to wait while another run writes the database "
            "(then exit 4, writing nothing).",
        ),
        click.option(
            "--encoding",
            metavar="NAME",
            default=None,
            help="Input encoding: a codec name, or 'auto' to detect "
            "(default: UTF-8, UTF-16/UTF-8 by byte-order mark).",
        ),
        from_option(),
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


def from_option() -> Callable[[F], F]:
    """--from: the form of the input, when the content and the suffix do not tell."""
    return click.option(
        "--from",
        "form",
        type=click.Choice(["text", "html", "pdf"]),
        default=None,
        help="Read the input as text, an HTML page or a PDF (default: from the content, "
        "then the suffix).",
    )


# What --year accepts: the TIP Report has appeared every year since 2001.
YEAR_RANGE = click.IntRange(2001, 2100)


def year_option(function: F) -> F:
    """--year: the report year of copies that print none (parse, convert, grid, history)."""
    return click.option(
        "--year",
        type=YEAR_RANGE,
        metavar="YEAR",
        default=None,
        help="The report year of a copy that prints none (recorded as supplied; a year the "
        "copy prints always wins).",
    )(function)


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

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Arguments, with this command noted for the hint a usage error ends with: click
        raises some (`--to` without a value) without a context, and tipconv's own
        (`--to xml`, `--years abc`) are raised by the command itself."""
        ctx.meta[_COMMAND] = ctx.command_path
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            if exc.ctx is None:
                exc.ctx = ctx
            raise


# The commands defined in `commands.py`, loaded when one is named (or for --help): a run
# of `tipconv parse` or `explain` does not build their options, about 0.8 ms of start-up.
_ELSEWHERE = ("convert", "diff", "formats", "grid", "history", "schema")


class _Group(_Command, click.Group):
    """click's group, with every error of a run, click's own included, as `_exit_for` says.

    Errors while a command runs are mapped in `invoke`, where its flags (--debug, colour)
    are known; errors before that (an unknown option, --help on a full disk) in `main`.
    """

    command_class = _Command

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *_ELSEWHERE})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _ELSEWHERE and cmd_name not in self.commands:
            from . import commands

            self.add_command(getattr(commands, cmd_name))
        return super().get_command(ctx, cmd_name)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if sys.stdout is None or sys.stderr is None or sys.stdin is None:
            from .streams import guard  # a stream the shell closed (`>&-`)

            guard()
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
    from .errors import InputError, NothingToShowError, OutputError, UsageError

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
        text = str(exc) if exc.path is not None else exc.message
        console.error(f"{text}; try '{meta.get(_COMMAND, 'tipconv')} --help'")
        sys.exit(EXIT_USAGE)
    if isinstance(exc, InputError | NothingToShowError):
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
    """click's message as one line, starting lower-case like tipconv's own; its "Did you
    mean" sentence becomes a parenthesis, so a hint can follow after a semicolon."""
    text = " ".join(message.split()).rstrip(".")
    text = re.sub(r"\.? Did you mean (.+?)\?$", r" (did you mean \1?)", text)
    return text[:1].lower() + text[1:]


def _usage_line(exc: click.UsageError) -> str:
    text = _one_line(exc.format_message())
    if exc.ctx is None:
        return text
    return f"{text}; try '{exc.ctx.command_path} --help'"


def _internal_error(path: str, console: Console, exc: BaseException | None = None) -> NoReturn:
    detail = f" ({type(exc).__name__}: {exc})" if exc else ""
    console.error(
        f"{path}: internal error{detail}; please report it at {ISSUES_URL} "
        "with this file (run with --debug for a traceback)"
    )
    sys.exit(EXIT_INTERNAL)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so what is left in its buffer goes nowhere, quietly."""
    try:
        fileno = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # closed (`>&-`) or not a file: nothing of it can reach a descriptor
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)


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
@functools.partial(global_options, verbose="Also print info diagnostics (convert: every file).")
def main() -> None:
    """Turn Trafficking in Persons (TIP) Report narratives into structured data.

    Every example runs as written from the root of tipconv's repository, on its bundled
    sample (fixtures/refworld-2003-hong-kong.txt) and archive (fixtures/archive).

    \b
    Examples:
      tipconv parse fixtures/refworld-2003-hong-kong.txt              # JSON on stdout
      cat fixtures/refworld-2003-hong-kong.txt | tipconv parse - --to csv   # read stdin
      tipconv parse fixtures/refworld-2003-hong-kong.txt -o hk.md     # format from the suffix
      tipconv convert fixtures/archive --to jsonl -o all.jsonl        # a whole archive
      tipconv explain fixtures/refworld-2003-hong-kong.txt            # how each line was read
      tipconv grid fixtures/archive                                   # country x year tier grid
      tipconv history Burma fixtures/archive                          # one country over the years
      tipconv diff fixtures/diff/old.txt fixtures/diff/new.txt        # what the report changed
      tipconv formats                                                 # every output format
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
    lock_timeout: float,
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
        lock_timeout=lock_timeout,
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
@year_option
@format_options
@global_options
@click.pass_context
def parse(
    ctx: click.Context,
    /,
    file: str,
    output: str | None,
    label: str | None,
    year: int | None,
    to: str | None,
    encoding: str | None,
    form: str | None,
    no_plugins: bool,
    **choices: Any,
) -> None:
    """Parse one narrative (FILE, or - for stdin) and write it as JSON, CSV, Markdown...

    \b
    Examples:
      tipconv parse fixtures/refworld-2003-hong-kong.txt
      tipconv parse fixtures/refworld-2003-hong-kong.txt --to csv -o hong-kong.csv
      cat fixtures/refworld-2003-hong-kong.txt | tipconv parse - --label hong-kong.txt --to csv
      cat fixtures/html/stategov-2022-peru.html | tipconv parse - --label peru.html --to csv
      tipconv parse fixtures/pdf/pdf-2019-mini-report.pdf --to jsonl
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
    strict = "debug" in _flags(ctx.meta)
    report = parse_file(file, encoding=encoding, strict=strict, label=label, form=form, year=year)
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
    help="Cut lines to N columns (0: never; default: COLUMNS, else the terminal's width; "
    "uncut when piped without COLUMNS).",
)
@click.option("--encoding", metavar="NAME", default=None, help="Input encoding, as for parse.")
@from_option()
@global_options
@click.pass_context
def explain(
    ctx: click.Context,
    /,
    file: str,
    to: str,
    width: int | None,
    encoding: str | None,
    form: str | None,
) -> None:
    """Show how each line of FILE was read: line number, kind, rule, and the line.

    This is how to find out why a copy was not understood, and what to attach to a bug
    report. The rules are listed, each with an example, in docs/format.md.

    \b
    Examples:
      tipconv explain fixtures/refworld-2003-hong-kong.txt
      tipconv explain fixtures/era-2004-watch-list.txt --to json > tokens.json
    """
    from .console import use_color
    from .explain import as_json, plain_lines
    from .output import open_output
    from .reading import analyse_file

    ctx.meta[_SUBJECT] = file
    console = make_console(ctx.meta)
    report, tokens = analyse_file(file, encoding=encoding, form=form)
    console.diagnostics(report)
    with open_output(None) as out:
        if to == "json":
            out.write(as_json(tokens, report.source.to_dict(), __version__))
            return
        if width is None:
            from .console import screen_width

            width = screen_width(sys.stdout) or 0
        color = use_color(sys.stdout, forbidden="no_color" in _flags(ctx.meta))
        for line in plain_lines(tokens, width=width, color=color):
            out.write(line + "\n")
