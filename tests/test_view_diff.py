"""`tipconv diff OLD NEW` and its sentence splitter.

`fixtures/diff/old.txt` and `new.txt` are two invented narratives about Kenya (2017, 2018)
written to hold every fate a sentence can have: kept in place, kept but moved, reworded
(changed: new figures, a rephrased clause), added, removed, and the tier going down. Their
goldens are `old-new.json`, `old-new.md` and `old-new.out` (the plain text).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tipconv.views.diff import Sentence, marked_runs, match, similarity_words, word_diff
from tipconv.views.sentences import split

from .conftest import FIXTURES
from .views_support import (
    ANSI,
    ARCHIVE,
    check_golden,
    environment,
    load_schema,
    one_error_line,
    run,
    run_in_terminal,
)

OLD = "fixtures/diff/old.txt"
NEW = "fixtures/diff/new.txt"
GOLDENS = FIXTURES / "diff"


def diff_json(*args: str) -> dict[str, Any]:
    result = run("diff", *args, "--to", "json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    jsonschema.validate(data, load_schema("diff"))
    return data


def sentences(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    (part,) = [part for part in data["parts"] if part["kind"] == kind]
    result: list[dict[str, Any]] = part["sentences"]
    return result


# --- Done when: diff works with --to json validated, a reworded sentence shown as changed ----


@pytest.mark.parametrize(("to", "suffix"), [("json", "json"), ("md", "md"), ("text", "out")])
def test_goldens(to: str, suffix: str, update_goldens: bool) -> None:
    result = run("diff", OLD, NEW, "--to", to)
    assert result.returncode == 0 and result.stderr == b""
    check_golden(result.stdout.decode("utf-8"), GOLDENS / f"old-new.{suffix}", update_goldens)


def test_a_reworded_sentence_is_changed_not_removed_and_added() -> None:
    data = diff_json(OLD, NEW)
    prosecution = sentences(data, "prosecution")
    reworded = [s for s in prosecution if s["status"] == "changed"]
    assert reworded == [
        {
            "status": "changed",
            "ratio": reworded[0]["ratio"],
            "old": {
                "line": 21,
                "text": "The government reported 98 investigations and convicted 37 "
                "traffickers under the 2010 act.",
            },
            "new": {
                "line": 21,
                "text": "The government reported 104 investigations and convicted 29 "
                "traffickers under the 2010 act.",
            },
        }
    ]
    assert not any(
        "98 investigations" in json.dumps(s) for s in prosecution if s["status"] != "changed"
    )
    (rephrased,) = [s for s in sentences(data, "summary") if s["status"] == "changed"]
    assert "; however, it is making" in rephrased["old"]["text"]
    assert "trafficking but is making" in rephrased["new"]["text"]
    assert 0.6 <= rephrased["ratio"] < 1


def test_every_fate_of_a_sentence() -> None:
    data = diff_json(OLD, NEW)
    assert data["tier"] == {"old": "2", "new": "2WL", "change": "down"}
    assert data["same_country"] is True
    assert (data["old"]["country"], data["old"]["report_year"], data["new"]["report_year"]) == (
        "Kenya",
        2017,
        2018,
    )
    assert data["counts"] == {"kept": 7, "changed": 3, "added": 4, "removed": 3}
    moved = [
        s for s in sentences(data, "prosecution") if s["old"] and "Dr. W. Mutua" in s["old"]["text"]
    ]
    assert [s["status"] for s in moved] == ["kept"]  # moved within the part: still kept
    protection = {s["status"]: s for s in sentences(data, "protection")}
    assert (
        protection["removed"]["old"]["text"]
        == "Officials referred victims to care on an ad hoc basis."
    )
    assert protection["removed"]["new"] is None
    assert protection["added"]["old"] is None
    assert [p["kind"] for p in data["parts"]] == [
        "summary",
        "recommendations",
        "prosecution",
        "protection",
        "prevention",
        "trafficking_profile",
    ]
    for part in data["parts"]:
        counted = {status: 0 for status in part["counts"]}
        for sentence in part["sentences"]:
            counted[sentence["status"]] += 1
        assert counted == part["counts"]


def test_line_numbers_point_into_both_files() -> None:
    data = diff_json(OLD, NEW)
    old_lines = Path(OLD).read_text(encoding="utf-8").splitlines()
    new_lines = Path(NEW).read_text(encoding="utf-8").splitlines()
    for part in data["parts"]:
        for sentence in part["sentences"]:
            for side, lines in (("old", old_lines), ("new", new_lines)):
                if sentence[side]:
                    assert sentence[side]["text"] in lines[sentence[side]["line"] - 1]


def test_the_archive_burma_2017_to_2018() -> None:
    data = diff_json(f"{ARCHIVE}/2017/burma.txt", f"{ARCHIVE}/2018/burma.txt")
    assert data["tier"] == {"old": "2WL", "new": "3", "change": "down"}
    assert data["old"]["country"] == data["new"]["country"] == "Myanmar"
    summary = sentences(data, "summary")
    assert summary[0]["status"] == "changed"
    assert "is not making significant efforts" in summary[0]["new"]["text"]
    profile = sentences(data, "trafficking_profile")
    assert profile[0]["status"] == "kept"


def test_the_archive_reworded_figures_are_changed() -> None:
    data = diff_json(f"{ARCHIVE}/2017/cote-divoire.txt", f"{ARCHIVE}/2018/cote-divoire.txt")
    (prosecution,) = sentences(data, "prosecution")
    assert prosecution["status"] == "changed"
    assert data["tier"]["change"] == "same"


def test_markdown_renders_word_changes() -> None:
    from markdown_it import MarkdownIt

    text = run("diff", OLD, NEW, "--to", "md").stdout.decode("utf-8")
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    assert "<s>98</s> <strong>104</strong>" in html
    assert "<h2>Prosecution</h2>" in html


def test_kept_sentences_are_listed_on_request() -> None:
    default = run("diff", OLD, NEW).stdout.decode("utf-8")
    kept = run("diff", OLD, NEW, "--kept").stdout.decode("utf-8")
    assert "= 21 → 21: Courts imposed fines" in kept and "Courts imposed fines" not in default
    assert "[-98-] {+104+}" in default


def test_a_terminal_gets_colour() -> None:
    code, output = run_in_terminal("diff", OLD, NEW, env=environment())
    assert code == 0 and "\x1b[" in output
    assert ANSI.sub("", output) == (GOLDENS / "old-new.out").read_text(encoding="utf-8")
    assert "\x1b" not in run("diff", OLD, NEW, env=environment(NO_COLOR="1")).stdout.decode()


def test_different_countries_are_a_warning_and_still_compared() -> None:
    result = run("diff", OLD, f"{ARCHIVE}/2018/burma.txt", "--to", "json")
    assert result.returncode == 0
    assert result.stderr.decode().startswith(
        "tipconv: warning: OLD is about Kenya, NEW about Myanmar"
    )
    data = json.loads(result.stdout)
    assert data["same_country"] is False and data["counts"]["added"] > 0


def test_swapped_years_are_a_warning() -> None:
    result = run("diff", NEW, OLD)
    assert result.returncode == 0
    assert b"OLD is the 2018 report, NEW the 2017" in result.stderr


def test_stdin_for_one_side() -> None:
    with open(NEW, "rb") as handle:
        result = run("diff", OLD, "-", "--to", "json", stdin=handle.read())
    data = json.loads(result.stdout)
    assert data["new"]["path"] is None and data["counts"]["changed"] == 3


# --- a file of several narratives; exit codes ------------------------------------------------


def test_a_file_of_several_narratives_needs_country() -> None:
    chapter = "fixtures/chapter-multi-country.txt"
    result = run("diff", chapter, chapter)
    assert result.returncode == 2
    assert "holds 4 narratives" in one_error_line(result)
    data = diff_json(chapter, chapter, "--country", "Albania")
    assert data["old"]["country"] == data["new"]["country"] == "Albania"
    counts = data["counts"]
    assert counts["kept"] > 0 and counts["changed"] == counts["added"] == counts["removed"] == 0
    absent = run("diff", chapter, OLD, "--country", "Albania")
    assert absent.returncode == 2
    assert "NEW fixtures/diff/old.txt: no narrative of Albania" in one_error_line(absent)


def test_missing_file_is_exit_3(tmp_path: Path) -> None:
    result = run("diff", OLD, str(tmp_path / "nothing.txt"))
    assert result.returncode == 3
    assert "nothing.txt: no such file" in one_error_line(result)


def test_not_a_narrative_is_exit_3(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("An encyclopedia page about rivers.\n", encoding="utf-8")
    result = run("diff", OLD, str(page), "-q")
    assert result.returncode == 3
    assert "no country narrative" in one_error_line(result)


def test_unwritable_output_is_exit_4(tmp_path: Path) -> None:
    result = run("diff", OLD, NEW, "--to", "json", "-o", str(tmp_path / "no" / "d.json"))
    assert result.returncode == 4
    one_error_line(result)


def test_both_stdin_is_exit_2() -> None:
    result = run("diff", "-", "-", stdin=b"")
    assert result.returncode == 2
    one_error_line(result)


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "d.md"
    assert run("diff", OLD, NEW, "--to", "md", "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == (GOLDENS / "old-new.md").read_text(encoding="utf-8")


# --- matching ---------------------------------------------------------------------------------


def sentence_list(*texts: str) -> list[Sentence]:
    return [Sentence(index + 1, text) for index, text in enumerate(texts)]


def test_match_pairs_by_order_then_moves_then_similarity() -> None:
    old = sentence_list(
        "A is here.", "Police arrested 12 suspects in 2016.", "B left.", "C stayed."
    )
    new = sentence_list(
        "C stayed.", "A is here.", "Police arrested 40 suspects in 2017.", "D came."
    )
    changes = match(old, new)
    assert [(c.status, c.old and c.old.text, c.new and c.new.text) for c in changes] == [
        ("kept", "C stayed.", "C stayed."),
        ("kept", "A is here.", "A is here."),
        ("changed", "Police arrested 12 suspects in 2016.", "Police arrested 40 suspects in 2017."),
        ("removed", "B left.", None),
        ("added", None, "D came."),
    ]


def test_unrelated_sentences_are_not_paired() -> None:
    old = sentence_list(
        "The government identified 301 victims and opened a new shelter in Mandalay."
    )
    new = sentence_list("Authorities identified 273 victims, nearly all women exploited abroad.")
    assert [c.status for c in match(old, new)] == ["removed", "added"]


def test_similarity_treats_every_number_alike() -> None:
    assert similarity_words("Convicted 48 of 1,200.") == similarity_words("convicted 52 of 3.5.")


def test_word_diff_marks_words_and_keeps_the_spacing() -> None:
    old, new = "Courts convicted 41 traffickers under the law.", "Courts convicted 52 traffickers."
    runs = word_diff(old, new)
    assert "".join(text for op, text in runs if op != "-") == new  # "=" runs: new's spacing
    old_words = [word for op, text in runs if op != "+" for word in text.split()]
    assert old_words == ["Courts", "convicted", "41", "traffickers", "under", "the", "law", "."]
    shown = "".join(
        {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}[op].format(text)
        for op, text in marked_runs(old, new)
    )
    assert shown == "Courts convicted [-41-] {+52+} traffickers [-under the law-]."


# --- sentences ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. government funded 3.5 percent of the budget. Dr. Smith testified.",
            ["The U.S. government funded 3.5 percent of the budget.", "Dr. Smith testified."],
        ),
        ("Law No. 5 of 2010 applies. It works.", ["Law No. 5 of 2010 applies.", "It works."]),
        ("J. K. Rowling spoke. It ended.", ["J. K. Rowling spoke.", "It ended."]),
        (
            "The U.N. office agreed, e.g. in Geneva. Then Mr. Ba left.",
            ["The U.N. office agreed, e.g. in Geneva.", "Then Mr. Ba left."],
        ),
        (
            'He said "we will act." The minister left. Did it work? Yes! (See below.) Next.',
            [
                'He said "we will act."',
                "The minister left.",
                "Did it work?",
                "Yes!",
                "(See below.)",
                "Next.",
            ],
        ),
        (
            "Signed on Jan. 20 by St. Lucia. In 2019 renewed.",
            ["Signed on Jan. 20 by St. Lucia.", "In 2019 renewed."],
        ),
        ("Version 1.2.3 was out. OK.", ["Version 1.2.3 was out.", "OK."]),
        ("Art. 12 says so; the end", ["Art. 12 says so; the end"]),
        (
            "It rose to 1,200 cases. 14 victims were found.",
            ["It rose to 1,200 cases.", "14 victims were found."],
        ),
        ("no capital after. a stop does not split", ["no capital after. a stop does not split"]),
        ("", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_an_output_that_is_old_or_new_is_refused(tmp_path: Path) -> None:
    import shutil

    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    shutil.copy(OLD, old)
    shutil.copy(NEW, new)
    for which, victim in (("OLD", old), ("NEW", new)):
        text = victim.read_bytes()
        result = run("diff", str(old), str(new), "--to", "md", "-o", str(victim))
        assert result.returncode == 2
        assert f"is {which} {victim}: it would be overwritten" in one_error_line(result)
        assert victim.read_bytes() == text


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_stdout_is_exit_4_with_one_line() -> None:
    import subprocess
    import sys

    from .conftest import ROOT

    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "tipconv", "diff", OLD, NEW, "--to", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=environment(),
            timeout=60,
        )
    assert result.returncode == 4
    assert result.stderr == b"tipconv: error: cannot write to stdout: No space left on device\n"
