"""The writer contract: what an output format is and may do, written down once.

A format subclasses `Writer`, names itself, and renders one report at a time; `write` is
`frame` over those renderings, so a format that streams one piece per report needs no
`write` of its own. Abilities are class attributes, read as they are, never probed for:

- `needs_path`: it writes a file itself (`write_path`), never a stream (SQLite);
- `parallel`: `render(report)` depends on that report alone, so `tipconv convert` may run
  it in worker processes and only copy the text (all per-report built-ins);
- `options_used`: which format options (`--pretty`, `--csv-shape`, ...) it reads, so the
  command line can warn about one given for a format it does not apply to.

Third-party plugins may subclass `Writer`, or be any object with `name`, `suffix`,
`description` and `write(reports, out, options)`; `PluginWriter` adapts such an object.
"""

# No `from __future__ import annotations` here: typing.NamedTuple would compile every
# string annotation into a ForwardRef, a cost paid at each start-up.
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TextIO

if TYPE_CHECKING:
    from ..model import Report

# The format options of `parse` and `convert`, as WriterOptions fields.
FORMAT_OPTIONS = frozenset({"pretty", "csv_shape", "bom", "wide", "datapackage", "lock_timeout"})


def no_warning(message: str) -> None:
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
    warn: Callable[[str], None] = no_warning
    extra: Mapping[str, Any] = MappingProxyType({})
    # Seconds to wait for another writer's lock on a shared output (SQLite) before giving up.
    lock_timeout: float = 5.0
    # A batch run (convert): compact JSON may be encoded with orjson, byte for byte as the
    # standard encoder writes it (tests/test_fast_json.py); a one-file run does not pay for
    # importing it.
    fast: bool = False


class Writer:
    """An output format. Subclasses set the metadata and override `render` (and `frame`).

    `suffix` is what `--out-dir` names its files with; `suffixes` are every `-o` suffix
    that chooses this format, `suffix` first.
    """

    name: str
    suffix: str
    suffixes: tuple[str, ...] = ()
    description: str
    needs_path: ClassVar[bool] = False
    parallel: ClassVar[bool] = False
    # A writer that does not say which options it reads is taken to read them all.
    options_used: ClassVar[frozenset[str]] = FORMAT_OPTIONS

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "suffix" in cls.__dict__ and "suffixes" not in cls.__dict__:
            cls.suffixes = (cls.suffix,)

    def write(self, reports: "Iterable[Report]", out: TextIO, options: WriterOptions) -> None:
        """Write `reports` (consumed once, in order) to `out`."""
        self.frame((self.render(report, options) for report in reports), out, options)

    def render(self, report: "Report", options: WriterOptions) -> str:
        """The text one report contributes, without what sits between or around reports."""
        raise NotImplementedError(f"the {self.name} writer renders no single report")

    def frame(self, pieces: Iterable[str], out: TextIO, options: WriterOptions) -> None:
        """Write `render` results (consumed once, in order) with what surrounds them."""
        for piece in pieces:
            out.write(piece)

    def write_path(self, reports: "Iterable[Report]", path: str, options: WriterOptions) -> None:
        """For `needs_path` writers: write `reports` to the file at `path`, atomically."""
        raise NotImplementedError(f"the {self.name} writer writes streams, not paths")


class PluginWriter(Writer):
    """A plugin object that does not subclass `Writer`, behind the same contract.

    It only promises `write`: it is not run in workers, and every option may apply to it.
    """

    def __init__(self, plugin: Any) -> None:
        self.plugin = plugin
        self.name = plugin.name
        self.suffix = plugin.suffix
        self.suffixes = (plugin.suffix,)
        self.description = plugin.description

    def write(self, reports: "Iterable[Report]", out: TextIO, options: WriterOptions) -> None:
        self.plugin.write(reports, out, options)


def looks_like_writer(candidate: object) -> bool:
    """What a plain plugin object must have, checked by hand (a runtime Protocol costs)."""
    return all(hasattr(candidate, name) for name in ("name", "suffix", "description")) and callable(
        getattr(candidate, "write", None)
    )
