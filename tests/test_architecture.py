"""The shape of the code: rooms on floors with one direction of travel, no import circles, and a
writer contract that a new format fulfils in one module.

* the import graph, read from every module's syntax tree (relative imports resolved, imports
  inside functions and under TYPE_CHECKING counted, and `importlib.import_module("...")` calls
  too): a module imports only from its own floor or the floors below it, and no two modules
  import each other, however long the way round;
* a toy writer written by the test into a folder on `formats.__path__` is buildable, listed,
  requestable and rebuilt when its code changes, with no table edited anywhere.
"""

from __future__ import annotations

import ast
import io
import json
import sys
from collections.abc import Iterator
from functools import cache
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest
from conftest import ROOT, counts, run_cli

import formats
from publishing.engine import build, buildstate

PACKAGES = ("leaflets", "formats", "publishing")
FIRST_PARTY = (*PACKAGES, "pipeline")

# The floors, top first: a module may import from its own floor and any floor below, never above.
# A module belongs to the longest room its name starts with (the bare `publishing` package sits
# with the engine, the lowest room of the application).
FLOORS = (
    ("pipeline",),  # the command line
    ("publishing.issuing",),  # issuing copies, the desk on top
    ("publishing.importing",),  # Word leaflets in: uses the reader and the translators' workflow
    ("publishing.translation",),  # the translators' workflow
    ("publishing.engine", "publishing"),  # the build engine
    ("formats",),  # the writers
    ("leaflets",),  # the core
)
FLOOR = {room: len(FLOORS) - i for i, rooms in enumerate(FLOORS) for room in rooms}


# --- the import graph ------------------------------------------------------------------------


def module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(root: Path, path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute dotted name) of everything one file imports, relative imports resolved
    against the file's package; `from a import b` gives `a.b` (a module or a name in `a`)."""
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
            else:
                target = node.module or ""
            yield from ((node.lineno, f"{target}.{a.name}" if target else a.name) for a in node.names)
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


def modules(root: Path) -> dict[str, Path]:
    """Every first-party module by its dotted name."""
    found = {module_name(root, p): p for package in PACKAGES for p in sorted((root / package).rglob("*.py"))}
    if (root / "pipeline.py").exists():
        found["pipeline"] = root / "pipeline.py"
    return found


def _owner(name: str, known: dict[str, Path]) -> str:
    """The module a dotted name lives in (`leaflets.errors.Kind` -> `leaflets.errors`), or the
    first-party package it names if it is no module we have."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        if ".".join(parts[:i]) in known:
            return ".".join(parts[:i])
    return name


def edges(root: Path) -> list[tuple[str, str, str]]:
    """(file:line, importing module, imported first-party module) for every first-party import
    (the tree is read once per test session; scratch trees are new folders)."""
    return list(_edges(root))


@cache
def _edges(root: Path) -> tuple[tuple[str, str, str], ...]:
    known = modules(root)
    found = []
    for name, path in known.items():
        for line, target in imported(root, path):
            if target.split(".")[0] in FIRST_PARTY:
                dst = _owner(target, known)
                if dst != name:
                    found.append((f"{path.relative_to(root)}:{line}", name, dst))
    return tuple(found)


def floor(module: str) -> int:
    rooms = [r for r in FLOOR if module == r or module.startswith(r + ".")]
    return FLOOR[max(rooms, key=len)] if rooms else len(FLOORS) + 1  # an unknown room: above everything


def room(module: str) -> str:
    return max((r for r in FLOOR if module == r or module.startswith(r + ".")), key=len, default=module)


def violations(root: Path) -> list[str]:
    """Every import that runs up a floor."""
    return [
        f"{where}: {src} imports {dst} ({room(src)} may not import {room(dst)}, a floor above it)"
        for where, src, dst in edges(root)
        if floor(dst) > floor(src)
    ]


def circles(root: Path) -> list[str]:
    """Every import circle between modules, each as "a -> b -> a" (graphlib finds one at a time:
    one of its arrows is then set aside and the search goes on)."""
    graph: dict[str, set[str]] = {}
    for _, src, dst in edges(root):
        graph.setdefault(src, set()).add(dst)
    found = []
    while True:
        try:
            TopologicalSorter(graph).prepare()
            return sorted(found)
        except CycleError as exc:
            cycle = exc.args[1]  # [n0, n1, ..., n0]: each one is imported by the next
            found.append(" -> ".join(reversed(cycle)))
            graph[cycle[1]].discard(cycle[0])


def test_no_import_runs_up_a_floor():
    assert violations(ROOT) == []


def test_no_import_circles_between_modules():
    assert circles(ROOT) == []


def test_every_module_is_in_a_room():
    assert [m for m in modules(ROOT) if floor(m) > len(FLOORS)] == []


def test_the_graph_is_really_read():
    """The expected edges are there: the walk sees relative, absolute and deferred imports alike."""
    found = {(src, dst) for _, src, dst in edges(ROOT)}
    assert {
        ("formats.contract", "leaflets.errors"),  # absolute, a name in a module
        ("publishing.engine.build", "publishing.engine.buildstate"),  # relative, `from . import x`
        ("publishing.engine.build", "publishing.engine.executors"),  # inside a function
        ("publishing.engine.plan", "leaflets.vocabulary"),  # absolute, `from a.b import c`
        ("pipeline", "publishing.engine.crashlog"),
    } <= found
    assert {"leaflets.model", "formats.contract", "formats.docx.render", "publishing.engine.build"} <= set(
        modules(ROOT)
    )


def _tree(root: Path, files: dict[str, str]) -> None:
    for package in PACKAGES:
        (root / package).mkdir(exist_ok=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_every_kind_of_upward_import_is_caught(tmp_path):
    _tree(
        tmp_path,
        {
            "leaflets/__init__.py": "",
            "leaflets/model.py": "",
            "leaflets/sub/__init__.py": "from ...formats import Writer\n",  # relative, above the core
            "leaflets/a.py": "import publishing.engine.build\n",
            "leaflets/b.py": "def f():\n    from formats import get\n",  # inside a function
            "leaflets/c.py": "import importlib\nimportlib.import_module('publishing.issuing.desk')\n",
            "leaflets/d.py": "from .. import pipeline\n",
            "leaflets/ok.py": "from . import model\nfrom .model import Leaflet\nimport yaml\n",
            "formats/w.py": "from publishing import manifest\n",
            "publishing/engine/plan.py": "from ..translation import workflow\n",  # the engine above itself
            "publishing/translation/workflow.py": "from publishing.engine import plan\n",  # down: fine
            "publishing/translation/memory.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from publishing.issuing.asks import Resolved\n",  # only for types
            "publishing/issuing/asks.py": "from publishing.translation import workflow\n",  # down: fine
        },
    )
    assert sorted(violations(tmp_path)) == [
        "formats/w.py:1: formats.w imports publishing.manifest (formats may not import publishing, a floor above it)",
        "leaflets/a.py:1: leaflets.a imports publishing.engine.build"
        " (leaflets may not import publishing.engine, a floor above it)",
        "leaflets/b.py:2: leaflets.b imports formats.get (leaflets may not import formats, a floor above it)",
        "leaflets/c.py:2: leaflets.c imports publishing.issuing.desk"
        " (leaflets may not import publishing.issuing, a floor above it)",
        "leaflets/d.py:1: leaflets.d imports pipeline (leaflets may not import pipeline, a floor above it)",
        "leaflets/sub/__init__.py:1: leaflets.sub imports formats.Writer"
        " (leaflets may not import formats, a floor above it)",
        "publishing/engine/plan.py:1: publishing.engine.plan imports publishing.translation.workflow"
        " (publishing.engine may not import publishing.translation, a floor above it)",
        "publishing/translation/memory.py:3: publishing.translation.memory imports publishing.issuing.asks"
        " (publishing.translation may not import publishing.issuing, a floor above it)",
    ]


def test_every_kind_of_circle_is_caught(tmp_path):
    _tree(
        tmp_path,
        {
            "leaflets/__init__.py": "",
            "leaflets/a.py": "from .b import x\n",  # a two-module circle, one side deferred
            "leaflets/b.py": "def f():\n    from leaflets import a\n",
            "publishing/engine/build.py": "from . import state\n",  # three modules round
            "publishing/engine/state.py": "from .plan import Item\n",
            "publishing/engine/plan.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from .build import Outcome\n",
            "publishing/engine/ok.py": "from . import state\n",  # into the circle, not part of it
            "formats/one.py": "from formats import two\n",  # no circle: one way only
            "formats/two.py": "from leaflets import a\n",
        },
    )
    found = circles(tmp_path)
    assert len(found) == 2, found
    two, three = sorted(found, key=len)
    assert set(two.split(" -> ")) == {"leaflets.a", "leaflets.b"} and len(two.split(" -> ")) == 3
    assert (
        set(three.split(" -> "))
        == {
            "publishing.engine.build",
            "publishing.engine.state",
            "publishing.engine.plan",
        }
        and len(three.split(" -> ")) == 4
    )
    assert violations(tmp_path) == []  # circles on one floor: no upward arrow among them


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
    request = build.Request(out_dir=str(project_copy / "build"), options=formats.Options(build_date=date.today()))
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
