"""The shape of the code: two rooms with one direction of travel, and a writer contract that a
new format fulfils in one module.

* the import graph, read from every module's syntax tree (relative imports resolved, and
  `importlib.import_module("...")` calls counted): the core `leaflets` imports neither the
  writers nor the application, the writers never import the application, nothing imports the
  command line;
* a toy writer written by the test into a folder on `formats.__path__` is buildable, listed,
  requestable and rebuilt when its code changes, with no table edited anywhere.
"""

from __future__ import annotations

import ast
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, counts, run_cli

import formats
from publishing.engine import build, buildstate

PACKAGES = ("leaflets", "formats", "publishing")
FIRST_PARTY = (*PACKAGES, "pipeline")


# --- the import graph ------------------------------------------------------------------------


def module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(root: Path, path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in one file, relative ones resolved against
    the file's package; `from . import x` counts as the package itself (enough for the rooms)."""
    name = module_name(root, path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if package else []
                # `from .. import x` above a top-level package: Python refuses it; count it as `x`
                target = ".".join([*base, node.module] if node.module else base)
                yield from ((node.lineno, f"{target}.{a.name}" if target else a.name) for a in node.names)
            else:
                yield node.lineno, node.module or ""
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def first_party_edges(root: Path) -> Iterator[tuple[str, str, str]]:
    """(file:line, importing package, imported first-party package) for every module of PACKAGES."""
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            for line, target in imported(root, path):
                top = target.split(".")[0]
                if top in FIRST_PARTY and top != package:
                    yield f"{path.relative_to(root)}:{line}", package, top


FORBIDDEN = {
    "leaflets": {"formats", "publishing", "pipeline"},  # the core stands alone
    "formats": {"publishing", "pipeline"},  # writers see only the core
    "publishing": {"pipeline"},  # the application never reaches back to the command line
}


def violations(root: Path) -> list[str]:
    return [f"{where}: {src} imports {dst}" for where, src, dst in first_party_edges(root) if dst in FORBIDDEN[src]]


def test_the_core_and_the_writers_never_import_upwards():
    assert violations(ROOT) == []


def test_the_graph_is_really_read():
    """The expected edges are there: the walk sees relative and absolute imports alike."""
    edges = {(src, dst) for _, src, dst in first_party_edges(ROOT)}
    assert {("formats", "leaflets"), ("publishing", "leaflets"), ("publishing", "formats")} <= edges
    modules = {module_name(ROOT, p) for package in PACKAGES for p in (ROOT / package).rglob("*.py")}
    assert {"leaflets.model", "formats.contract", "formats.docx.render", "publishing.engine.build"} <= modules


def test_every_kind_of_upward_import_is_caught(tmp_path):
    core = tmp_path / "leaflets"
    (core / "sub").mkdir(parents=True)
    (core / "__init__.py").write_text("")
    (core / "sub" / "__init__.py").write_text("from ...formats import Writer\n")  # relative, above the core
    (core / "a.py").write_text("import publishing.engine.build\n")
    (core / "b.py").write_text("def f():\n    from formats import get\n")  # inside a function
    (core / "c.py").write_text("import importlib\nimportlib.import_module('publishing.issuing.desk')\n")
    (core / "d.py").write_text("from .. import pipeline\n")
    (core / "ok.py").write_text("from . import model\nfrom .model import Leaflet\nimport yaml\n")
    for package in ("formats", "publishing"):
        (tmp_path / package).mkdir()
    (tmp_path / "formats" / "w.py").write_text("from publishing import manifest\n")
    found = violations(tmp_path)
    assert sorted(found) == [
        "formats/w.py:1: formats imports publishing",
        "leaflets/a.py:1: leaflets imports publishing",
        "leaflets/b.py:2: leaflets imports formats",
        "leaflets/c.py:2: leaflets imports publishing",
        "leaflets/d.py:1: leaflets imports pipeline",
        "leaflets/sub/__init__.py:1: leaflets imports formats",
    ]


# --- a toy writer in one module --------------------------------------------------------------

TOY = '''"""A toy format: the body's plain words, one segment a line."""

from formats.contract import Writer
from leaflets.model import Leaflet, segments


class Toy(Writer):
    name = "toy"
    extension = "toy"
    title = "toy text"
    aliases = ("plaything",)
    default = False  # made only when asked for by name
    media_type = "text/plain"

    def write(self, doc: Leaflet, options) -> bytes:
        return ("\\n".join(s.text for s in segments(doc.blocks)) + "\\n{mark}\\n").encode("utf-8")


WRITERS = (Toy(),)
'''
TOY_FILE = "build/RAD_0009/en/RAD_0009-vertebroplasty.en.toy"


def _forget_writers() -> None:
    """What a new process starts without: the registry, the writers' code fingerprints, the toy module."""
    formats.all_writers.cache_clear()
    formats._aliases.cache_clear()
    buildstate.code_hash.cache_clear()
    sys.modules.pop("formats.toy", None)


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """Write formats/toy.py into a folder of its own on formats.__path__; returns a function
    that (re)writes it with a marker line, as an engineer editing the module would."""
    folder = tmp_path / "writers"
    folder.mkdir()
    monkeypatch.setattr(formats, "__path__", [*formats.__path__, str(folder)])
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # an edit within the second is never a stale .pyc

    def install(mark: str, source: str = TOY) -> None:
        (folder / "toy.py").write_text(source.replace("{mark}", mark), encoding="utf-8")
        _forget_writers()

    yield install
    _forget_writers()


def test_a_toy_writer_is_listed_buildable_requestable_and_rebuilt_when_its_code_changes(project_copy, toy):
    toy("first version")
    assert "toy" in formats.names() and "toy" not in formats.default_names()
    assert formats.canonical("Plaything") == formats.canonical("toy text") == "toy"

    listing = run_cli(project_copy, "list")
    assert listing.returncode == 0 and "toy" in listing.stdout.split("Formats: ")[1].split("\n")[0].split(", ")

    built = run_cli(project_copy, "build", "--format", "toy", "--locale", "en", "--jobs", "1")
    assert built.returncode == 0 and counts(built.stdout) == {"built": 1}, built.stderr
    text = (project_copy / TOY_FILE).read_text(encoding="utf-8")
    assert "What is a vertebroplasty?" in text and text.endswith("first version\n")
    manifest = json.loads((project_copy / "build/manifest.json").read_text())
    assert [a["format"] for a in manifest["artifacts"]] == ["toy"]

    again = run_cli(project_copy, "build", "--format", "toy", "--locale", "en", "--jobs", "1")
    assert counts(again.stdout) == {"up to date": 1}

    requested = run_cli(project_copy, "request", "vertebroplasty", "English", "plaything")
    assert requested.returncode == 0 and requested.stdout.strip() == str(project_copy / TOY_FILE)

    toy("second version, edited")  # the module's code changes: what it made is made again
    rebuilt = run_cli(project_copy, "build", "--format", "toy", "--locale", "en", "--jobs", "1")
    assert rebuilt.returncode == 0 and counts(rebuilt.stdout) == {"built": 1}
    assert (project_copy / TOY_FILE).read_text(encoding="utf-8").endswith("second version, edited\n")


def test_a_writer_module_that_cannot_be_imported_is_one_line_and_a_log(project_copy, toy):
    toy("", source=TOY.replace("class Toy(Writer):", "class Toy(Writer)"))  # a syntax error
    done = run_cli(project_copy, "list")
    assert done.returncode == 70 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("internal error: SyntaxError(") and "the traceback is in " in line
    (log,) = (project_copy / ".cache/logs").glob("internal-*.log")
    assert "toy.py" in log.read_text(encoding="utf-8")


def test_without_the_module_there_is_no_toy(project_copy):
    assert "toy" not in formats.names()
    done = run_cli(project_copy, "build", "--format", "toy")
    assert done.returncode != 0 and done.stderr.startswith("error: unknown format 'toy'")


# --- a long-lived process sees edited sources ------------------------------------------------


def test_one_process_building_twice_sees_an_edited_heading(project_copy):
    """The stale parse cache (a render reusing a leaflet parsed before the source changed) is gone."""
    txt = project_copy / "build/RAD_0009/en/RAD_0009-vertebroplasty.en.txt"
    args = ("build", "--format", "text", "--locale", "en", "--jobs", "1")
    assert counts(run_cli(project_copy, *args).stdout) == {"built": 1}
    assert "What is a vertebroplasty?" in txt.read_text(encoding="utf-8")
    src = project_copy / "source/RAD_0009-vertebroplasty.md"
    src.write_text(src.read_text().replace("## What is a vertebroplasty?", "## What vertebroplasty is"))
    assert counts(run_cli(project_copy, *args).stdout) == {"built": 1}
    text = txt.read_text(encoding="utf-8")
    assert "What vertebroplasty is" in text and "What is a vertebroplasty?" not in text


def test_one_project_object_building_twice_sees_an_edited_heading(project_copy):
    """The same through the engine with one long-lived Project (as a web desk would hold)."""
    from datetime import date

    from leaflets.project import Project

    project = Project(project_copy)
    request = build.Request(str(project_copy), str(project_copy / "build"), formats.Options(build_date=date.today()))
    progress = build.Progress(1, stream=io.StringIO())
    first = build.build(project, ["RAD_0009"], ["en"], ["text"], request, progress=progress)
    assert [o.state for o in first.outcomes] == ["built"]
    src = project_copy / "source/RAD_0009-vertebroplasty.md"
    src.write_text(src.read_text().replace("## What is a vertebroplasty?", "## What vertebroplasty is"))
    second = build.build(project, ["RAD_0009"], ["en"], ["text"], request, progress=progress)
    assert [o.state for o in second.outcomes] == ["built"]
    assert "What vertebroplasty is" in Path(second.outcomes[0].path).read_text(encoding="utf-8")


# --- the entry points ------------------------------------------------------------------------


def test_the_console_script_is_the_command_line(project_copy, monkeypatch, capsys):
    """`leaflets` (pyproject's console script) runs the same commands as pipeline.py."""
    import tomllib

    import pipeline

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"leaflets": "pipeline:cli"}
    monkeypatch.setattr(sys, "argv", ["leaflets", "--root", str(project_copy), "list"])
    with pytest.raises(SystemExit) as leaving:
        pipeline.cli()
    assert leaving.value.code == 0 and "RAD_0009  Vertebroplasty" in capsys.readouterr().out
