"""Third-party writers, proven with real distributions and a real `tipconv` process.

`tests/plugin_dist/` holds two tiny distributions. They are installed without network the
way an installer lays them out: the module plus a `<name>-<version>.dist-info` (METADATA and
entry_points.txt, both built from the distribution's own pyproject.toml) in a directory that
the child process gets on PYTHONPATH. importlib.metadata then finds them as it finds any
installed package.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import tipconv
from tipconv.writers import ENTRY_POINT_GROUP, WriterOptions, discover_plugins

from .conftest import ROOT

PLUGIN_DIST = Path(__file__).resolve().parent / "plugin_dist"
UPPER = PLUGIN_DIST / "tipconv-upper-writer"
BROKEN = PLUGIN_DIST / "tipconv-broken-writer"
TSV = PLUGIN_DIST / "tipconv-tsv-writer"
SAMPLE = "fixtures/refworld-2003-hong-kong.txt"
BUILT_INS = ("json", "jsonl", "csv", "markdown")


def install(project_dir: Path, target: Path) -> None:
    """Lay out `project_dir` in `target` as an installed distribution (pip --target style)."""
    pyproject = tomllib.loads((project_dir / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    for module in pyproject["tool"]["setuptools"]["py-modules"]:
        shutil.copy(project_dir / f"{module}.py", target)
    install_metadata(target, project["name"], project["version"], project["entry-points"])


def install_metadata(
    target: Path, name: str, version: str, entry_points: dict[str, dict[str, str]]
) -> None:
    info = target / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = []
    for group, points in entry_points.items():
        lines.append(f"[{group}]")
        lines += [f"{key} = {value}" for key, value in points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def site_with(factory: pytest.TempPathFactory, *projects: Path) -> Path:
    site = factory.mktemp("site")
    for project in projects:
        install(project, site)
    return site


@pytest.fixture(scope="module")
def upper_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site_with(tmp_path_factory, UPPER)


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site_with(tmp_path_factory, UPPER, BROKEN)


@pytest.fixture(scope="module")
def tsv_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plugin built on tipconv's Writer class, beside a plain one."""
    return site_with(tmp_path_factory, UPPER, TSV)


@pytest.fixture(scope="module")
def shadow_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The upper plugin plus a distribution that tries to take over the name `json`."""
    site = site_with(tmp_path_factory, UPPER)
    shadow = {ENTRY_POINT_GROUP: {"json": "tipconv_upper_writer:UpperWriter"}}
    install_metadata(site, "tipconv-json-shadow", "0.1", shadow)
    return site


def run(
    *args: str, site: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The tipconv CLI in a fresh process, with `site` importable as if installed."""
    child = {
        k: v for k, v in os.environ.items() if k not in ("TIPCONV_NO_PLUGINS", "TIPCONV_DEBUG")
    }
    if site is not None:
        child["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), child.get("PYTHONPATH")]))
    child.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tipconv", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=child,
        timeout=60,
    )


def formats_table(stdout: str) -> dict[str, str]:
    return {line.split()[0]: line for line in stdout.splitlines()}


def plugin_warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "plugin writer" in line]


def test_the_distributions_declare_tipconv_writers() -> None:
    for project_dir, name in [(UPPER, "upper"), (BROKEN, "broken")]:
        pyproject = tomllib.loads((project_dir / "pyproject.toml").read_text(encoding="utf-8"))
        assert name in pyproject["project"]["entry-points"][ENTRY_POINT_GROUP]


def test_formats_lists_built_ins_and_the_plugin_with_its_distribution(upper_site: Path) -> None:
    result = run("formats", site=upper_site)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    table = formats_table(result.stdout)
    for name in BUILT_INS:
        assert table[name].endswith("(built-in)")
    assert table["upper"].split()[1] == ".txt"
    assert table["upper"].endswith("(tipconv-upper-writer)")


def test_plugin_writer_is_chosen_with_to(upper_site: Path) -> None:
    result = run("parse", SAMPLE, "--to", "upper", "-q", site=upper_site)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "HONG KONG\n"


def test_installed_console_script_runs_plugins(upper_site: Path) -> None:
    script = Path(sys.executable).with_name("tipconv")
    if not script.exists():
        pytest.skip("no tipconv console script beside this interpreter")
    env = {**os.environ, "PYTHONPATH": str(upper_site)}
    env.pop("TIPCONV_NO_PLUGINS", None)
    result = subprocess.run(
        [str(script), "parse", SAMPLE, "--to", "upper", "-q"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (0, "HONG KONG\n"), result.stderr


def test_broken_plugin_is_one_warning_line(broken_site: Path) -> None:
    result = run("formats", site=broken_site)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("tipconv: warning: plugin writer 'broken' from tipconv-broken-writer")
    assert "ImportError" in line
    table = formats_table(result.stdout)
    assert "broken" not in table
    assert "upper" in table


def test_broken_plugin_does_not_stop_other_plugins(broken_site: Path) -> None:
    result = run("parse", SAMPLE, "--to", "upper", site=broken_site)
    assert result.returncode == 0
    assert result.stdout == "HONG KONG\n"
    assert len(plugin_warnings(result.stderr)) == 1


@pytest.mark.parametrize(
    "args",
    [("--help",), ("parse", "--help"), ("parse", SAMPLE, "--to", "csv"), ("parse", SAMPLE)],
    ids=["help", "parse-help", "csv", "json"],
)
def test_broken_plugin_leaves_everything_else_working(
    broken_site: Path, args: tuple[str, ...]
) -> None:
    result = run(*args, site=broken_site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert plugin_warnings(result.stderr) == []  # built-ins never load plugins
    assert result.stdout


def test_csv_through_a_site_with_a_broken_plugin(broken_site: Path) -> None:
    result = run("parse", SAMPLE, "--to", "csv", site=broken_site)
    assert result.stdout.startswith("path,title,report_year,")


@pytest.mark.parametrize(
    ("flag", "env"),
    [(["--no-plugins"], {}), ([], {"TIPCONV_NO_PLUGINS": "1"})],
    ids=["flag", "env"],
)
def test_no_plugins_hides_them(upper_site: Path, flag: list[str], env: dict[str, str]) -> None:
    listed = run("formats", *flag, site=upper_site, env=env)
    assert listed.returncode == 0
    assert "upper" not in formats_table(listed.stdout)
    assert set(BUILT_INS) <= set(formats_table(listed.stdout))

    refused = run("parse", SAMPLE, "--to", "upper", *flag, site=upper_site, env=env)
    assert refused.returncode == 2
    assert refused.stdout == ""
    (line,) = [line for line in refused.stderr.splitlines() if "valid formats" in line]
    assert "unknown format 'upper'" in line
    valid = line.split("valid formats: ")[1].split("; try")[0].split(", ")
    assert set(BUILT_INS) | {"md"} <= set(valid)
    assert "upper" not in valid


def test_unknown_format_lists_valid_formats_on_one_line(upper_site: Path) -> None:
    result = run("parse", SAMPLE, "--to", "nope", site=upper_site)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = [line for line in result.stderr.splitlines() if "valid formats" in line]
    assert "unknown format 'nope'" in line
    valid = line.split("valid formats: ")[1].split("; try")[0].split(", ")
    assert valid == sorted(valid)
    assert {*BUILT_INS, "md", "upper"} <= set(valid)


def test_plugin_cannot_take_a_built_in_name(shadow_site: Path) -> None:
    listed = run("formats", site=shadow_site)
    assert listed.returncode == 0
    (line,) = listed.stderr.splitlines()
    assert "plugin writer 'json' from tipconv-json-shadow ignored" in line
    assert "built-in" in line
    json_lines = [row for row in listed.stdout.splitlines() if row.split()[0] == "json"]
    assert len(json_lines) == 1
    assert json_lines[0].endswith("(built-in)")

    parsed = run("parse", SAMPLE, "--to", "json", "-q", site=shadow_site)
    assert parsed.returncode == 0
    assert parsed.stdout.startswith('{"schema_version":')


def test_discovery_in_process(broken_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The library API: plugins come back with their distribution; failures go to `warn`."""
    monkeypatch.syspath_prepend(str(broken_site))
    try:
        warnings: list[str] = []
        found = discover_plugins(warn=warnings.append)
        assert sorted(found) == ["upper"]
        writer, dist = found["upper"]
        assert dist == "tipconv-upper-writer"
        assert len(warnings) == 1
        assert "'broken'" in warnings[0]
        out = io.StringIO()
        chapter = tipconv.parse("Côte d'Ivoire (Tier 2)\n\nText.\n\nKosovo (Tier 2)\n\nText.")
        writer.write([chapter], out, WriterOptions())
        assert out.getvalue() == "CÔTE D'IVOIRE\nKOSOVO\n"
    finally:
        for module in ("tipconv_upper_writer", "tipconv_broken_writer"):
            sys.modules.pop(module, None)


# --- 15. a written writer contract: a plugin may subclass Writer ------------------------------


def test_15_a_writer_subclass_renders_in_workers_and_is_framed_once(
    tsv_site: Path, tmp_path: Path
) -> None:
    out = tmp_path / "all.tsv"  # the plugin's suffix picks it; no --to
    result = run("convert", "fixtures/archive", "-o", str(out), "-j", "2", site=tsv_site)
    assert result.returncode == 0, result.stderr
    header, *rows = out.read_text(encoding="utf-8").splitlines()
    assert header == "country\ttier"
    assert len(rows) == 17 and ("Myanmar", "3") in [tuple(row.split("\t")) for row in rows]
    one = run("convert", "fixtures/archive", "--to", "tsv", "-j", "1", site=tsv_site)
    assert one.stdout == out.read_text(encoding="utf-8")  # the same, in-process or in workers


def test_15_a_writer_subclass_declares_its_options_and_suffixes(tsv_site: Path) -> None:
    result = run("parse", SAMPLE, "--to", "tsv", "--wide", "--bom", site=tsv_site)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "\ufeffcountry\ttier\nHong Kong\t1\n"
    assert result.stderr == "tipconv: warning: --wide does not apply to --to tsv; ignored\n"
    table = formats_table(run("formats", site=tsv_site).stdout)
    assert table["tsv"].split()[1:3] == [".tsv", ".tab"]
    assert table["tsv"].endswith("(tipconv-tsv-writer)")
    # a plain plugin object takes every option without a word
    plain = run("parse", SAMPLE, "--to", "upper", "--wide", site=tsv_site)
    assert (plain.returncode, plain.stderr) == (0, "")
