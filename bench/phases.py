"""Where a narrative's time goes: CPU microseconds per narrative for each phase of a parse,
and for rendering, on a bench corpus (bench/README.md, "Where the time goes").

Each phase runs alone over every narrative, on inputs made beforehand by the phases before
it, with the cyclic collector off; the figure is the best of `--repeat` passes. Phases run
alone stay warm in the CPU's caches, so their sum falls short of a whole parse: the
difference is shown as "in context" (the phases interleaved per narrative, and the report's
assembly).

    .venv/bin/python bench/phases.py                    # bench/corpus/1000
    .venv/bin/python bench/phases.py --corpus DIR --repeat 15

It measures the tipconv that its interpreter imports, so another checkout's venv can run it
to compare: `/path/to/venv/bin/python bench/phases.py`.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tipconv import parser
from tipconv.classify import Token, classify
from tipconv.header import read_header
from tipconv.headings import read_headings
from tipconv.rules import Kind
from tipconv.text import decode
from tipconv.writers import WriterOptions, get_writer

ROOT = Path(__file__).resolve().parent.parent


def _noop(*args: object) -> None:
    """Where a phase would note a diagnostic."""


def _stop(headings: list[Any], parse: Any) -> int:
    """Where the header stops: at the first heading, as the parser has it."""
    return int(headings[0].start) if headings else len(parse.tokens)


def _unclaimed(token: Token) -> bool:
    """A line that no rule claims and no heading reading holds: prose to a candidate scan."""
    return token.kind is Kind.TEXT and token.reading is None


def measure(paths: list[str], repeat: int) -> dict[str, float]:
    datas = [Path(path).read_bytes() for path in paths]
    texts = [decode(data).text for data in datas]
    options = WriterOptions(pretty=False)
    jsonl, csv = get_writer("jsonl", plugins=False), get_writer("csv", plugins=False)
    for text in texts[:100]:  # compile what the parse compiles on first need
        report = parser.parse_text(text)
        jsonl.render(report, options)
        csv.render(report, options)

    def best(make: Callable[[], Any], run: Callable[[Any], object]) -> float:
        fastest = float("inf")
        for _ in range(repeat):
            inputs = make()
            start = time.process_time()
            run(inputs)
            fastest = min(fastest, time.process_time() - start)
        return fastest / len(texts) * 1e6

    def fresh() -> list[Any]:
        return [parser._Parse(text, None, "utf-8", []) for text in texts]

    def cleaned() -> list[tuple[Any, list[str]]]:
        return [(parse, parse._clean()) for parse in fresh()]

    def tokenized() -> list[tuple[Any, list[str]]]:
        made = cleaned()
        for parse, lines in made:
            parse.tokens = classify(lines)
        return made

    def headed() -> list[tuple[Any, list[str], Any]]:
        return [(p, lines, read_headings(p.tokens, _noop)) for p, lines in tokenized()]

    def headered() -> list[tuple[Any, list[str], Any, Any]]:
        return [(p, lines, h, read_header(p.tokens, _stop(h, p))) for p, lines, h in headed()]

    rows: dict[str, float] = {}
    rows["read (open, read)"] = best(lambda: paths, lambda ps: [Path(p).read_bytes() for p in ps])
    rows["decode"] = best(lambda: datas, lambda ds: [decode(d) for d in ds])
    phases: dict[str, float] = {
        "clean": best(fresh, lambda ps: [p._clean() for p in ps]),
        "classify": best(cleaned, lambda xs: [classify(lines) for _, lines in xs]),
        "headings": best(tokenized, lambda xs: [read_headings(p.tokens, _noop) for p, _ in xs]),
        "header": best(
            headed,
            lambda xs: [
                read_header(p.tokens, h[0].start if h else len(p.tokens)) for p, _, h in xs
            ],
        ),
        "sections (body, parts, placement, country)": best(
            headered,
            lambda xs: [p._sections(h, hd, hd.metadata.report_year) for p, _, h, hd in xs],
        ),
        "content hash": best(
            headered,
            lambda xs: [parser._content_hash(lines, set(hd.provenance)) for _, lines, _, hd in xs],
        ),
    }
    # What a candidate scan (issue 22) could save at most: classify's time on the lines that
    # no rule claims and that carry no heading reading, which such a scan would skip.
    prose = [
        [line for line, token in zip(lines, classify(lines), strict=True) if _unclaimed(token)]
        for _, lines in cleaned()
    ]
    phases_of_classify = best(lambda: prose, lambda xs: [classify(lines) for lines in xs])
    whole = best(lambda: texts, lambda ts: [parser.parse_text(t) for t in ts])
    rows.update({f"parse: {name}": value for name, value in phases.items()})
    rows["  of classify: lines no rule claims (a candidate scan's ceiling)"] = phases_of_classify
    rows["parse: in context (interleaved, report assembly)"] = whole - sum(phases.values())
    rows["parse (whole)"] = whole
    reports = [parser.parse_text(text) for text in texts]
    rows["to_dict"] = best(lambda: reports, lambda rs: [r.to_dict() for r in rs])
    rows["render JSONL (to_dict, encode)"] = best(
        lambda: reports, lambda rs: [jsonl.render(r, options) for r in rs]
    )
    rows["render CSV"] = best(lambda: reports, lambda rs: [csv.render(r, options) for r in rs])
    return rows


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--corpus", type=Path, default=ROOT / "bench" / "corpus" / "1000")
    args.add_argument("--repeat", type=int, default=9)
    options = args.parse_args(argv)
    paths = sorted(
        os.path.join(folder, name)
        for folder, _, names in os.walk(options.corpus)
        for name in names
        if name.endswith(".txt")
    )
    if not paths:
        print(f"phases: no .txt files under {options.corpus} (bench/make_corpus.py makes them)")
        return 2
    gc.collect()
    gc.disable()
    rows = measure(paths, max(1, options.repeat))
    where = sys.modules["tipconv"].__file__
    print(f"{len(paths):,} narratives, {where}, load {os.getloadavg()[0]:.2f}")
    for name, value in rows.items():
        print(f"{value:8.1f} us  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
