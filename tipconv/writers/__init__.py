"""Output formats: a registry of built-in writers plus third-party plugins.

The registry maps each built-in name to where its class lives; a writer's name, suffixes
and description are on the class (see `base.Writer`), nowhere else. A module is imported
only when its writer's metadata or code is needed, which costs, measured after start-up
(`python -X importtime`, bench machine): a chosen format loads one module (`--to json`:
json's, ~1.3 ms, which it needs anyway); a suffix lookup loads them in registry order until
one claims the suffix (`-o x.md`: json, jsonl and csv first, ~2.5 ms more; `-o x.db`: ~3 ms
more, sqlite's own ~8 ms aside); `tipconv formats` loads all six (~11 ms, mostly the
panel's model and data classes). Completion of `--to` needs names only and loads none.
Plugins arrive through the `tipconv.writers` entry-point group and are discovered only for
a name or suffix no built-in has, or for the full list (`tipconv formats`).
"""

import importlib
import os
import sys
from collections.abc import Callable

from .base import FORMAT_OPTIONS, PluginWriter, Writer, WriterOptions, looks_like_writer

__all__ = [
    "ENTRY_POINT_GROUP",
    "FORMAT_OPTIONS",
    "UnknownFormatError",
    "Writer",
    "WriterInfo",
    "WriterOptions",
    "builtin_names",
    "canonical_name",
    "discover_plugins",
    "format_for_suffix",
    "format_names",
    "get_writer",
    "list_writers",
    "plugins_enabled",
    "suffix_choices",
    "suffix_of",
]

ENTRY_POINT_GROUP = "tipconv.writers"
NO_PLUGINS_ENV = "TIPCONV_NO_PLUGINS"

# name -> "module:Class". The order is the order of `tipconv formats` and of suffix lookup:
# "panel" comes after "csv", so `.csv` stays the plain CSV.
_BUILTINS: dict[str, str] = {
    "json": "tipconv.writers._json:JsonWriter",
    "jsonl": "tipconv.writers._jsonl:JsonLinesWriter",
    "csv": "tipconv.writers._csv:CsvWriter",
    "markdown": "tipconv.writers._markdown:MarkdownWriter",
    "panel": "tipconv.writers._panel:PanelWriter",
    "sqlite": "tipconv.writers._sqlite:SqliteWriter",
}
_ALIASES: dict[str, str] = {"md": "markdown"}


class WriterInfo:
    """A writer as `tipconv formats` lists it: the writer and where it comes from."""

    def __init__(self, writer: Writer, origin: str) -> None:
        self.name = writer.name
        self.suffix = writer.suffix
        self.suffixes = writer.suffixes
        self.description = writer.description
        self.origin = origin


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


def plugins_enabled(no_plugins: bool = False) -> bool:
    return not no_plugins and os.environ.get(NO_PLUGINS_ENV, "") in ("", "0")


def format_names(*, plugins: bool = True) -> list[str]:
    """Every name `--to` takes, aliases included; plugins by entry-point name, not loaded."""
    names = [*_BUILTINS, *_ALIASES]
    if plugins:
        from importlib.metadata import entry_points

        names += sorted({canonical_name(ep.name) for ep in entry_points(group=ENTRY_POINT_GROUP)})
    return list(dict.fromkeys(names))


def suffix_of(path: str) -> str | None:
    """`path`'s suffix, lower-cased ("out.CSV" -> ".csv"); None without one."""
    extension = os.path.splitext(path)[1]
    return extension.lower() if extension else None


def format_for_suffix(path: str) -> str | None:
    """The built-in format whose suffixes include `path`'s, e.g. "out.csv" -> "csv".

    Built-ins are asked in registry order, each loaded only if the ones before it did not
    claim the suffix. None when no built-in does (see `suffix_choices` for plugins too).
    """
    suffix = suffix_of(path)
    if suffix is None:
        return None
    for name in _BUILTINS:
        if suffix in _load_builtin(name).suffixes:
            return name
    return None


def suffix_choices(
    *, plugins: bool = True, warn: Callable[[str], None] | None = None
) -> dict[str, str]:
    """suffix -> format for every writer, plugins included: the first to claim one wins."""
    choices: dict[str, str] = {}
    for info in list_writers(plugins=plugins, warn=warn):
        for suffix in info.suffixes:
            choices.setdefault(suffix.lower(), info.name)
    return choices


def _load_builtin(name: str) -> Writer:
    module_name, _, class_name = _BUILTINS[name].partition(":")
    writer: Writer = getattr(importlib.import_module(module_name), class_name)()
    return writer


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
    A plugin that does not subclass `Writer` is wrapped in `PluginWriter`.
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
            plugin = loaded() if isinstance(loaded, type) else loaded
            if not looks_like_writer(plugin):
                raise TypeError("it lacks name, suffix, description or write()")
        except Exception as exc:  # a broken plugin must never break tipconv
            report(f"plugin writer {ep.name!r} from {dist} skipped: {type(exc).__name__}: {exc}")
            continue
        found[key] = (plugin if isinstance(plugin, Writer) else PluginWriter(plugin), dist)
    return found


def list_writers(
    *, plugins: bool = True, warn: Callable[[str], None] | None = None
) -> list[WriterInfo]:
    infos = [WriterInfo(_load_builtin(name), "built-in") for name in _BUILTINS]
    if plugins:
        infos += [WriterInfo(writer, dist) for writer, dist in discover_plugins(warn=warn).values()]
    return infos
