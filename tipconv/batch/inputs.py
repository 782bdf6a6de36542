"""`tipconv convert`'s INPUTs as a stream of files: in a fixed order, each file once.

Folders are walked while the run goes, each folder's entries sorted as it is listed, so the
first file converts at once and memory does not grow with the size of an archive. A walk
remembers no file; duplicates are caught where they can arise:

- a file named outright (an INPUT, a line of a list) or matched by a quoted pattern is
  remembered by its resolved path and converted the first time only;
- a folder INPUT equal to or inside a folder already walked is skipped whole (its files came
  with the earlier walk, chosen by the same --glob), and a walk skips a subfolder that an
  earlier folder INPUT walked;
- a walked file is looked up among the remembered files (only when there are any), and a
  named file that an earlier walk reached (inside its folder, matching --glob) is skipped;
- a symlinked file met in a walk is left to the folder INPUT whose walk reaches its target;
  otherwise it is remembered like a named file.

A quoted pattern is expanded by `glob` at once: its matches have to be sorted anyway.
Files the run itself writes are never taken as inputs: --out-dir inside a folder INPUT is
not searched, and the temporary files of -o and --errors-to are passed over. An output that
already is an input (`names`, `overwrites`) is refused before the run starts.

An INPUT or list line that names nothing (a missing path, a folder without a file --glob
takes, a pattern that matches nothing) is an item with a problem that `names_nothing`:
reported, and counted apart from the files. When no INPUT names any file at all, the run
cannot start (`begin`).
"""

from __future__ import annotations

import errno
import fnmatch
import glob
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import IO, Literal, NamedTuple

from ..errors import UsageError

# What a folder INPUT gives by default: text copies, web pages and PDFs. A --glob may list
# several patterns, separated by commas.
DEFAULT_GLOB = "*.txt,*.html,*.htm,*.pdf"
# A browser's "Save as..." puts a page's images, scripts and frames (themselves .html files)
# in a folder beside it: `<page>_files` next to `<page>.html`, never walked.
_SAVED_FILES = "_files"
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
_MAGIC = re.compile(r"[*?[]")
_SEP = os.sep


class BatchUsageError(UsageError):
    """The batch cannot start at all: nothing to convert, an unreadable list, a bad option."""


@dataclass(frozen=True, slots=True)
class Failure:
    """Why one input produced no output; `code` is what --errors-to records."""

    code: str
    message: str
    line: int | None = None
    detail: str | None = None
    # An INPUT that names no file (missing, a pattern or folder without a match): not a
    # file that failed, so the summary counts it apart from the files.
    names_nothing: bool = False


class Item(NamedTuple):
    """One input file; `output` is its file under --out-dir, `problem` a failure found early.

    A tuple, because thousands cross to the worker processes in every chunk.
    """

    path: str
    output: str | None = None
    problem: Failure | None = None


class _Listing(NamedTuple):
    """What a walk keeps of one folder: sorted names, which are folders or symlinked files."""

    names: list[str]
    folders: set[str]
    links: set[str]
    found: bool  # some file matched --glob (maybe a temporary file of ours, left out)


class Inputs:
    """INPUTs and lists of paths, expanded into items afresh each time they are iterated.

    Lists are read at once, so an unreadable one stops the run before anything is written.
    With `out_dir` and `suffix`, each item gets its output path: a folder's or a pattern's
    files mirror their path below it; loose files keep their paths below the folder they
    all share (just the basename when they share one folder).
    """

    def __init__(
        self,
        inputs: Sequence[str],
        *,
        pattern: str = DEFAULT_GLOB,
        files_from: Sequence[str] = (),
        stdin: IO[bytes] | None = None,
        out_dir: str | None = None,
        suffix: str | None = None,
        avoid: Sequence[str | None] = (),
    ) -> None:
        reader = _ListReader(stdin)
        specs: list[tuple[str, bool]] = []  # (path, literal): list lines are never patterns
        for spec in inputs:
            if spec == "-":
                specs.extend((path, True) for path in reader.read("-"))
            else:
                specs.append((spec, False))
        for source in files_from:
            specs.extend((path, True) for path in reader.read(source))
        self.specs = specs
        self.stdin_lines = reader.stdin_lines
        self.named = bool(inputs or files_from)
        self.pattern = pattern
        self.match = compile_glob(pattern)
        self.by_path = "/" in pattern
        self.out_dir = out_dir if suffix is not None else None
        self.suffix = suffix or ""
        self.guard = os.path.realpath(out_dir) if out_dir is not None else None
        # Temporary files of outputs written while folders are walked: by folder, name prefix.
        self.temps: dict[str, tuple[str, ...]] = {}
        for path in avoid:
            if path is None or path == "-":
                continue
            folder, name = os.path.split(os.path.abspath(path))
            folder = os.path.realpath(folder)
            self.temps[folder] = (*self.temps.get(folder, ()), f".{name}.")

    def __iter__(self) -> Iterator[Item]:
        common = self._common() if self.out_dir is not None else None
        return _Pass(self, place=self.out_dir is not None, common=common).items()

    def count(self) -> int:
        """How many files an iteration yields (not INPUTs that name none), remembering no
        more than an iteration does."""
        return sum(
            1
            for item in _Pass(self, place=False).items()
            if item.problem is None or not item.problem.names_nothing
        )

    def begin(self, ahead: int = 1) -> tuple[list[Item], Iterator[Item], bool]:
        """Start iterating: (the first items, the rest, whether the first are all there are).

        Reads on to the first real file and at least `ahead` items. Raises BatchUsageError
        when no INPUT names a file at all: nothing to do is almost always a typo.
        """
        items = iter(self)
        head = list(islice(items, ahead))
        complete = len(head) < ahead
        found = any(item.problem is None for item in head)
        while not found:
            more = next(items, None)
            if more is None:
                raise BatchUsageError(None, self._nothing(head))
            head.append(more)
            found = more.problem is None
        return head, items, complete

    def _nothing(self, problems: list[Item]) -> str:
        """Why a run that found no file cannot start, with the likely mistake."""
        if not self.named:
            return "no INPUT given: name files, folders or patterns"
        if self.stdin_lines is not None:
            if self.stdin_lines == 0:
                return "stdin lists no file (convert - reads a list of paths)"
            return (
                "no line of stdin names a file (convert - reads a list of paths); "
                "to parse text from stdin, use 'tipconv parse -'"
            )
        shown = [f"{item.path}: {item.problem.message}" for item in problems[:3] if item.problem]
        more = ", ..." if len(problems) > 3 else ""
        return f"no input files found: every INPUT named nothing ({'; '.join(shown)}{more})"

    def names(self, path: str) -> str | None:
        """The input that is the file at `path` (by any path or symlink), else None.

        Named files compare as files (a hard link is the same file too); a folder INPUT
        names a file below it that its walk would take; a pattern, a file it matches.
        """
        try:
            target = os.stat(path)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(target.st_mode):
            return None
        real = os.path.realpath(path)
        for spec, literal in self.specs:
            kind, _ = _classify(spec, literal)
            if kind == "folder":
                root = os.path.realpath(spec)
                if self._walk_takes(root, real):
                    return os.path.join(spec, os.path.relpath(real, root))
            elif kind == "pattern":
                for match in glob.glob(spec, recursive=True):
                    if _same_file(match, target):
                        return match
            elif _same_file(spec, target):
                return spec
        if target.st_nlink > 1:
            return self._hard_link_of(target)
        return None

    def _hard_link_of(self, target: os.stat_result) -> str | None:
        """The input a walk takes that is `target` under another name (a hard link).

        A path tells nothing of hard links: only a file's identity does, so the walk is made
        once, ahead of the run, but only for an output that has other names.
        """
        for item in _Pass(self, place=False).items():
            if item.problem is None and _same_file(item.path, target):
                return item.path
        return None

    def _walk_takes(self, root: str, real: str) -> bool:
        """Whether walking the resolved folder `root` takes the resolved file `real`."""
        prefix = _prefix(root)
        if not real.startswith(prefix):
            return False
        if self.guard is not None and self.guard != root and real.startswith(_prefix(self.guard)):
            return False  # the walk does not enter --out-dir
        relative = real[len(prefix) :]
        subject = relative if self.by_path else os.path.basename(real)
        return self.match(subject) is not None

    def overwrites(self) -> tuple[str, str] | None:
        """(output, input) for the first --out-dir output that would replace an input.

        Only where --out-dir already holds files an INPUT names can that be; only then is a
        dry run made (remembering the inputs inside --out-dir).
        """
        if self.out_dir is None or self.guard is None or not self._overlaps(self.guard):
            return None
        inside = _prefix(self.guard)
        items = list(_Pass(self, place=True, common=self._common()).items())
        taken = {
            os.path.realpath(item.path): item.path
            for item in items
            if os.path.realpath(item.path).startswith(inside)
        }
        for item in items:
            if item.output is not None:
                named = taken.get(os.path.realpath(item.output))
                if named is not None:
                    return item.output, named
        return None

    def _overlaps(self, real_out: str) -> bool:
        """Whether any INPUT may name a file inside the resolved folder `real_out`."""
        if not os.path.isdir(real_out):
            return False
        inside = _prefix(real_out)
        for spec, literal in self.specs:
            kind, _ = _classify(spec, literal)
            if kind == "folder":
                root = os.path.realpath(spec)
                if root == real_out or root.startswith(inside):
                    return True
            elif kind == "pattern":
                if any(
                    os.path.realpath(m).startswith(inside) for m in glob.glob(spec, recursive=True)
                ):
                    return True
            elif os.path.realpath(spec).startswith(inside):
                return True
        return False

    def _common(self) -> str | None:
        """The folder all existing loose files share; a dry run finds which files are loose.

        Missing files are left out of the reckoning: one typo must not move every output.
        """
        if not any(literal or _classify(spec, False)[0] == "file" for spec, literal in self.specs):
            return None
        common: str | None = None
        spread = False

        def add(path: str) -> None:
            nonlocal common, spread
            if spread or not os.path.exists(path):
                return
            folder = os.path.dirname(os.path.abspath(path))
            try:
                common = folder if common is None else os.path.commonpath([common, folder])
            except ValueError:  # paths on different drives share no folder
                spread = True

        for _ in _Pass(self, place=False, on_loose=add).items():
            pass
        return None if spread else common


class _Pass:
    """One expansion of the INPUTs, with the little state it needs to skip duplicates."""

    def __init__(
        self,
        inputs: Inputs,
        *,
        place: bool,
        common: str | None = None,
        on_loose: Callable[[str], None] | None = None,
    ) -> None:
        self.inputs = inputs
        self.place = place
        self.common = common
        self.on_loose = on_loose
        self.files: set[str] = set()  # resolved: named files, pattern matches, links met
        self.problems: set[str] = set()
        self.roots: set[str] = set()  # resolved folders walked
        self.unlisted: set[str] = set()  # resolved folders that could not be listed
        self.folders: dict[str, str] = {}  # folders of named files and matches, resolved
        # Output paths taken, when two INPUTs could map files to one output; with a single
        # INPUT two files can clash only within one folder, which a walk checks as it goes.
        self.taken: dict[str, str] | None = {} if len(inputs.specs) > 1 else None
        self.real_out = _prefix(inputs.guard) if inputs.guard is not None else ""

    def items(self) -> Iterator[Item]:
        for spec, literal in self.inputs.specs:
            kind, mode = _classify(spec, literal)
            if kind == "folder":
                yield from self._walk(spec)
            elif kind == "pattern":
                yield from self._glob(spec)
            else:
                nothing = _nothing_at(spec) if mode is None else None
                if nothing is not None:
                    failure = Failure("input_error", nothing, names_nothing=True)
                    yield from self._problem(spec, failure)
                    continue
                item = self._named(spec, mode)
                if item is not None:
                    yield item

    def _problem(self, path: str, failure: Failure) -> Iterator[Item]:
        if path not in self.problems:
            self.problems.add(path)
            yield Item(path, None, failure)

    def _named(self, path: str, mode: int | None) -> Item | None:
        real = self._resolve(path, mode)
        if real in self.files or self._reached(real):
            return None
        self.files.add(real)
        if self.on_loose is not None:
            self.on_loose(path)
        if not self.place:
            return Item(path)
        full = os.path.abspath(path)
        relative = os.path.relpath(full, self.common) if self.common else os.path.basename(full)
        return self._output(path, relative, real, self.taken)

    def _resolve(self, path: str, mode: int | None) -> str:
        """`path` with every symlink resolved, as os.path.realpath; folders resolved once.

        realpath looks up every part of a path; a file that is not itself a link only
        needs its folder resolved, and a list names many files in few folders.
        """
        if mode is None or stat.S_ISLNK(mode):
            try:
                return os.path.realpath(path)
            except ValueError:  # a NUL in a listed path: it fails when it is read
                return os.path.abspath(path)
        folder, name = os.path.split(path)
        real = self.folders.get(folder)
        if real is None:
            real = self.folders[folder] = os.path.realpath(folder)
        return os.path.join(real, name)

    def _output(self, path: str, relative: str, real: str, taken: dict[str, str] | None) -> Item:
        """`path`'s output below --out-dir; a second input mapping to a taken one fails."""
        stem = os.path.splitext(relative)[0]
        output = os.path.join(self.inputs.out_dir or "", stem + self.inputs.suffix)
        key = os.path.normcase(stem)
        first = taken.get(key) if taken is not None else None
        if first is not None:
            problem = Failure("output_conflict", f"output {output} is already written from {first}")
            return Item(path, output, problem)
        if real == self.real_out + stem + self.inputs.suffix:
            return Item(
                path,
                output,
                Failure("output_conflict", f"output {output} would overwrite this input"),
            )
        if taken is not None:
            taken[key] = path
        return Item(path, output)

    def _reached(self, real: str) -> bool:
        """Whether a walk already took (or is taking) the file at resolved path `real`."""
        if not self.roots:
            return False
        folder, name = os.path.split(real)
        relative = name
        while True:
            if folder in self.roots:
                subject = relative if self.inputs.by_path else name
                return self.inputs.match(subject) is not None and os.path.lexists(real)
            if folder in self.unlisted or folder == self.inputs.guard:
                return False
            parent, base = os.path.split(folder)
            if parent == folder:
                return False
            relative = base + _SEP + relative
            folder = parent

    def _walk(self, root: str) -> Iterator[Item]:
        """Files below `root` matching --glob, in sorted order; unlistable folders fail.

        Depth first with each folder's entries sorted by name, which is the order of the
        files' paths compared part by part. Symlinked folders are not followed (a link back
        up would loop); symlinked files are taken, and a dangling one fails as missing.
        """
        real_root = os.path.realpath(root)
        folder = real_root
        while True:  # equal to or inside a folder already walked: its files came then
            if folder in self.roots:
                return
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        self.roots.add(real_root)
        files, roots, guard = self.files, self.roots, self.inputs.guard
        place, single = self.place, self.taken is None
        found = failed = False
        listing = self._list(root, real_root, "")
        if isinstance(listing, Failure):
            yield from self._problem(root, listing)
            return
        # A frame: names left, that folder's listing, its path, relative and resolved
        # prefixes (ready for a name), and the outputs taken.
        frames = [
            (
                iter(listing.names),
                listing,
                _prefix(root),
                "",
                _prefix(real_root),
                {} if single else self.taken,
            )
        ]
        while frames:
            names, listing, prefix, relative, real_prefix, taken = frames[-1]
            found = found or listing.found
            for name in names:
                if name in listing.folders:
                    real = real_prefix + name
                    if real in roots:  # an earlier folder INPUT: its files came then
                        found = True
                        continue
                    if real == guard:
                        continue
                    path = prefix + name
                    below = self._list(path, real, relative + name + _SEP)
                    if isinstance(below, Failure):
                        failed = True
                        yield from self._problem(path, below)
                        continue
                    frames.append(
                        (
                            iter(below.names),
                            below,
                            path + _SEP,
                            relative + name + _SEP,
                            real + _SEP,
                            {} if single else taken,
                        )
                    )
                    break
                path = prefix + name
                if name in listing.links:
                    real = os.path.realpath(path)
                    if real in files or self._reached(real):
                        continue
                    files.add(real)
                else:
                    real = real_prefix + name
                    if files and real in files:
                        continue
                if place:
                    yield self._output(path, relative + name, real, taken)
                else:
                    yield Item(path)
            else:
                frames.pop()
        if not found and not failed:
            message = (
                f"no files matching {self.inputs.pattern!r} in this folder (--glob chooses others)"
            )
            yield from self._problem(root, Failure("no_match", message, names_nothing=True))

    def _list(self, path: str, real: str, relative: str) -> _Listing | Failure:
        """A folder's subfolders and the files --glob takes, sorted by name.

        Only names are kept (a folder of many thousand files is held while it is walked),
        and symlinked folders are left out: they are not followed.
        """
        match, by_path = self.inputs.match, self.inputs.by_path
        names: list[str] = []
        folders: set[str] = set()
        links: set[str] = set()
        try:
            with os.scandir(path) as scan:
                for entry in scan:
                    name = entry.name
                    try:
                        is_dir = entry.is_dir()  # follows a symlink, as os.walk does
                    except OSError:
                        is_dir = False
                    try:
                        is_link = entry.is_symlink()
                    except OSError:
                        is_link = False
                    if is_dir:
                        if not is_link:
                            names.append(name)
                            folders.add(name)
                    elif match(relative + name if by_path else name) is not None:
                        names.append(name)
                        if is_link:
                            links.add(name)
        except OSError as error:
            self.unlisted.add(real)
            return Failure("input_error", f"cannot list folder: {error.strerror or error}")
        found = len(names) > len(folders)
        saved = [name for name in folders if name.endswith(_SAVED_FILES)]
        if saved:
            pages = _pages(path)
            for name in saved:
                if name[: -len(_SAVED_FILES)] in pages:
                    folders.discard(name)
                    names.remove(name)
        temps = self.inputs.temps.get(real)
        if temps is not None:
            names = [
                name for name in names if not (name.startswith(temps) and name.endswith(".tmp"))
            ]
        names.sort()
        return _Listing(names, folders, links, found)

    def _glob(self, spec: str) -> Iterator[Item]:
        """A quoted pattern; its files mirror their path below the pattern's fixed folders."""
        matches: list[tuple[tuple[str, ...], str, str]] = []
        for path in glob.glob(spec, recursive=True):
            mode = _lmode(path)
            if mode is not None and (
                stat.S_ISDIR(mode) or (stat.S_ISLNK(mode) and os.path.isdir(path))
            ):
                continue
            matches.append((tuple(path.split(_SEP)), path, self._resolve(path, mode)))
        if not matches:
            nothing = Failure("no_match", "no files match this pattern", names_nothing=True)
            yield from self._problem(spec, nothing)
            return
        matches.sort()
        fixed: list[str] = []
        for part in spec.split(_SEP):
            if _MAGIC.search(part):
                break
            fixed.append(part)
        root = _SEP.join(fixed) or (_SEP if spec.startswith(_SEP) else os.curdir)
        taken = {} if self.taken is None else self.taken
        for _, path, real in matches:
            if real in self.files or self._reached(real):
                continue
            self.files.add(real)
            if self.place:
                yield self._output(path, os.path.relpath(path, root), real, taken)
            else:
                yield Item(path)


def _nothing_at(path: str) -> str | None:
    """Why `path` names nothing at all (missing, or not a possible name); None otherwise.

    A path that exists but cannot be looked at (permission denied) is not "nothing": reading
    it says what is wrong.
    """
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "no such file or folder"
    except ValueError:
        return "not a path: it holds a NUL character"
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return "not a path: a name in it is too long"
        return None
    return None


def _same_file(path: str, target: os.stat_result) -> bool:
    try:
        return os.path.samestat(os.stat(path), target)
    except (OSError, ValueError):
        return False


def _lmode(path: str) -> int | None:
    """`path`'s own mode (a symlink is not followed); None when nothing is there."""
    try:
        return os.lstat(path).st_mode
    except (OSError, ValueError):  # ValueError: a NUL in a listed path
        return None


def compile_glob(pattern: str) -> Callable[[str], re.Match[str] | None]:
    """The matcher of --glob PATTERN: a name matches one of its comma-separated patterns."""
    parts = [part.strip() for part in pattern.split(",") if part.strip()] or [pattern]
    return re.compile("|".join(f"(?:{fnmatch.translate(part)})" for part in parts)).match


def _pages(folder: str) -> set[str]:
    """The names, without suffix, of the web pages in `folder` (whatever --glob takes)."""
    try:
        with os.scandir(folder) as scan:
            return {
                entry.name[: entry.name.rfind(".")]
                for entry in scan
                if entry.name.lower().endswith(_PAGE_SUFFIXES)
            }
    except OSError:
        return set()


def _classify(spec: str, literal: bool) -> tuple[Literal["folder", "pattern", "file"], int | None]:
    """What an INPUT or list line names, with its own mode: one lstat, two for a link.

    A folder (or a link to one) is walked; a pattern that is not also an existing name is
    globbed (never a list line); anything else is a file, maybe missing.
    """
    mode = _lmode(spec)
    if mode is not None and (stat.S_ISDIR(mode) or (stat.S_ISLNK(mode) and os.path.isdir(spec))):
        return "folder", mode
    if mode is None and not literal and _MAGIC.search(spec):
        return "pattern", mode
    return "file", mode


def _prefix(folder: str) -> str:
    """`folder` ready for a name to be appended, as os.path.join would."""
    return folder if not folder or folder.endswith(_SEP) else folder + _SEP


class _ListReader:
    """Reads lists of paths; stdin only once, however often "-" is named."""

    def __init__(self, stdin: IO[bytes] | None) -> None:
        self.stdin = stdin
        self.stdin_lines: int | None = None  # how many paths stdin listed, once read

    def read(self, source: str) -> list[str]:
        if source == "-":
            if self.stdin_lines is not None:
                return []
            data = self._stdin()
            paths = _paths(data)
            self.stdin_lines = len(paths)
            return paths
        else:
            try:
                with open(source, "rb") as handle:
                    data = handle.read()
            except OSError as exc:
                raise BatchUsageError(
                    source, f"cannot read the list of files: {exc.strerror or exc}"
                ) from None
        return _paths(data)

    def _stdin(self) -> bytes:
        """The list on stdin; closed (`<&-`) or unreadable, it is a list that cannot be read."""
        try:
            if self.stdin is not None:
                return self.stdin.read()
            if sys.stdin is None:
                raise OSError(errno.EBADF, "stdin is closed")
            return sys.stdin.buffer.read()
        except OSError as exc:
            raise BatchUsageError(
                "-", f"cannot read the list of files: {exc.strerror or exc}"
            ) from None


def _paths(data: bytes) -> list[str]:
    """The non-blank lines of a list of paths."""
    # Paths are bytes on POSIX; fsdecode keeps undecodable names round-trippable.
    lines = (os.fsdecode(line.rstrip(b"\r")) for line in data.split(b"\n"))
    return [line for line in lines if line.strip()]
