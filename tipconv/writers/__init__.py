"""Output formats: a small registry of built-in writers plus third-party plugins.

A writer is any object with `name`, `suffix`, `description` and
`write(reports, out, options)`. Built-ins are imported only when chosen; plugins arrive
through the `tipconv.writers` entry-point group and are discovered only when a name is not
built in or when the full list is asked for (`tipconv formats`).
"""

# No `from __future__ import annotations` here: typing.NamedTuple would compile every
# string annotation into a ForwardRef, a cost paid at each start-up.
import importlib
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TextIO

if TYPE_CHECKING:
    from ..model import Report

ENTRY_POINT_GROUP = "tipconv.writers"
NO_PLUGINS_ENV = "TIPCONV_NO_PLUGINS"


def _no_warning(message: str) -> None:
    """The default `WriterOptions.warn`: a library caller that passes none hears nothing."""


class WriterOptions(NamedTuple):
    """Choices the CLI passes through to writers; a writer ignores what it does not use.

    Immutable: derive changed options with `options._replace(warn=...)`.
    """

    pretty: bool = True
    as_array: bool = False
    csv_shape: str = "sections"
    bom: bool = False
    wide: bool = False
    datapackage: bool = False
    output_path: str | None = None
    warn: Callable[[str], None] = _no_warning
    extra: Mapping[str, Any] = MappingProxyType({})


class Writer(Protocol):
    """What every output format provides.

    Optionally, a writer may also provide a pair of methods that let `tipconv convert` do
    the costly part in its worker processes, so the parent only copies text (all built-ins
    do; a writer with only one of the two is treated as having neither):

    - `render(report, options) -> str`: the text one report contributes to a combined
      stream, without what sits between or around reports (commas, brackets, header);
      it may call `options.warn`, and must not depend on the other reports;
    - `write_rendered(pieces, out, options)`: write `render` results (consumed once, in
      order) with that frame, so `write(reports, ...)` is byte for byte
      `write_rendered(render(r, options) for r in reports, ...)`.
    """

    name: str
    suffix: str
    description: str

    def write(self, reports: "Iterable[Report]", out: TextIO, options: WriterOptions) -> None:
        """Write `reports` (consumed once, in order) to `out`."""


class WriterInfo(NamedTuple):
    """A writer as `tipconv formats` lists it."""

    name: str
    suffix: str
    description: str
    origin: str


# name -> (module, class name, suffix, description); kept here so listing and suffix
# lookup never import a writer module.
_BUILTINS: dict[str, tuple[str, str, str, str]] = {
    "json": ("._json", "JsonWriter", ".json", "One JSON document (an array for many inputs)"),
    "jsonl": (
        "._jsonl",
        "JsonLinesWriter",
        ".jsonl",
        "JSON Lines: one compact JSON object per report per line",
    ),
    "csv": ("._csv", "CsvWriter", ".csv", "RFC 4180 CSV: one row per section (or per paragraph)"),
    "markdown": ("._markdown", "MarkdownWriter", ".md", "A readable Markdown brief per report"),
    # After "csv": format_for_suffix takes the first match, so .csv stays the plain CSV.
    "panel": (
        "._panel",
        "PanelWriter",
        ".csv",
        "Country x year tier panel as CSV (--wide, --datapackage)",
    ),
    "sqlite": ("._sqlite", "SqliteWriter", ".db", "SQLite database with full-text search"),
}
_ALIASES: dict[str, str] = {"md": "markdown"}


class UnknownFormatError(LookupError):
    """Raised for a `--to` name that no built-in or plugin provides."""

    def __init__(self, name: str, valid: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.valid = valid


def builtin_names() -> list[str]:
    return list(_BUILTINS)


def canonical_name(name: str) -> str:
    lowered = name.strip().lower()
    return _ALIASES.get(lowered, lowered)


def format_for_suffix(path: str) -> str | None:
    """The built-in format whose suffix `path` has, e.g. "out.csv" -> "csv"."""
    _, dot, ext = path.rpartition(".")
    if not dot:
        return None
    suffix = "." + ext.lower()
    for name, (_, _, builtin_suffix, _) in _BUILTINS.items():
        if builtin_suffix == suffix:
            return name
    return None


def _load_builtin(name: str) -> Writer:
    module_name, class_name, _, _ = _BUILTINS[name]
    module = importlib.import_module(module_name, __name__)
    writer: Writer = getattr(module, class_name)()
    return writer


def plugins_enabled(no_plugins: bool = False) -> bool:
    return not no_plugins and os.environ.get(NO_PLUGINS_ENV, "") in ("", "0")


def get_writer(
    name: str, *, plugins: bool = True, warn: Callable[[str], None] | None = None
) -> Writer:
    """Return the writer for `name`; raise UnknownFormatError listing the valid names."""
    key = canonical_name(name)
    if key in _BUILTINS:
        return _load_builtin(key)
    found = discover_plugins(warn=warn) if plugins else {}
    if key in found:
        return found[key][0]
    valid = sorted({*_BUILTINS, *_ALIASES, *found})
    raise UnknownFormatError(name, valid)


def discover_plugins(
    warn: Callable[[str], None] | None = None,
) -> dict[str, tuple[Writer, str]]:
    """Load third-party writers: name -> (writer, distribution name).

    Entry points are sorted by (name, distribution) so the result never depends on the
    order of sys.path. A plugin that fails to load is reported through `warn` and skipped.
    """
    from importlib.metadata import entry_points

    report = warn or (lambda message: print(f"tipconv: warning: {message}", file=sys.stderr))
    found: dict[str, tuple[Writer, str]] = {}
    eps = sorted(
        entry_points(group=ENTRY_POINT_GROUP),
        key=lambda ep: (ep.name, ep.dist.name if ep.dist else ""),
    )
    for ep in eps:
        dist = ep.dist.name if ep.dist else "unknown distribution"
        key = canonical_name(ep.name)
        if key in _BUILTINS or key in _ALIASES:
            report(f"plugin writer {ep.name!r} from {dist} ignored: built-in format of that name")
            continue
        if key in found:
            report(f"plugin writer {ep.name!r} from {dist} ignored: already provided")
            continue
        try:
            loaded = ep.load()
            writer = loaded() if isinstance(loaded, type) else loaded
            if not _looks_like_writer(writer):
                raise TypeError("it lacks name, suffix, description or write()")
        except Exception as exc:  # a broken plugin must never break tipconv
            report(f"plugin writer {ep.name!r} from {dist} skipped: {type(exc).__name__}: {exc}")
            continue
        found[key] = (writer, dist)
    return found


def _looks_like_writer(candidate: object) -> bool:
    """What `Writer` requires, checked by hand: a runtime-checkable Protocol costs start-up."""
    return all(hasattr(candidate, name) for name in ("name", "suffix", "description")) and callable(
        getattr(candidate, "write", None)
    )


def list_writers(
    *, plugins: bool = True, warn: Callable[[str], None] | None = None
) -> list[WriterInfo]:
    infos = [
        WriterInfo(name, suffix, description, "built-in")
        for name, (_, _, suffix, description) in _BUILTINS.items()
    ]
    if plugins:
        for name, (writer, dist) in discover_plugins(warn=warn).items():
            infos.append(WriterInfo(name, writer.suffix, writer.description, dist))
    return infos
