"""Nothing stale: a change to any input rebuilds exactly the outputs made from it.

The matrix runs on a copy of the pipeline's own code (formats/, leaflets/, publishing/), so
that editing a writer's style sheet or the core's data never touches the real tree: a child
Python started in the copy plans every target before and after each edit, and the targets
whose fingerprint changed are the ones a build would make again. A real build of the plain
text then shows the planned rebuilds are the ones made.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

FORMATS = ("text", "audio", "transcript", "epub", "large-print", "word", "braille")
LOCALES = ("en", "pl", "ur")
LEAFLETS = ("RAD_0009", "RAD_0010")

# Run in the copy: for each step (a file to append to, or other options), the targets whose
# fingerprint differs from the step before (from the defaults, for options).
PLANNER = """
import json, sys
from dataclasses import replace
from pathlib import Path
import formats
from leaflets.project import Project
from publishing.engine import buildstate, plan

root, out, steps = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
assert Path(formats.__file__).resolve().is_relative_to(Path.cwd().resolve()), formats.__file__
targets = [plan.Target(*label.split(" ")) for label in json.loads(sys.argv[4])]

def prints(options):
    state = buildstate.BuildState(out, print)
    found = plan.Fingerprints(Project(root), state, draft=False, release=False)
    return {t.label: found.of(t, options) for t in targets}

usual = formats.Options()
before = prints(usual)
result = {}
for label, path, options in steps:
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write("\\n# an edit\\n" if not path.endswith(".po") else '\\n#. an edit\\nmsgid "x"\\nmsgstr ""\\n')
    after = prints(replace(usual, **options))
    result[label] = sorted(k for k in after if after[k] != before[k])
    if path:
        before = after
print(json.dumps(result))
"""


@pytest.fixture
def code_copy(tmp_path) -> Path:
    """The pipeline's code and a project with two leaflets, in a temporary folder."""
    code = tmp_path / "code"
    for package in ("formats", "leaflets", "publishing"):
        shutil.copytree(ROOT / package, code / package, ignore=shutil.ignore_patterns("__pycache__"))
    project = tmp_path / "proj"
    shutil.copytree(ROOT / "source", project / "source")
    shutil.copytree(ROOT / "locales", project / "locales")
    seed = project / "source" / "RAD_0009-vertebroplasty.md"
    (project / "source" / "RAD_0010-copy.md").write_text(
        seed.read_text(encoding="utf-8").replace("id: RAD_0009", "id: RAD_0010"), encoding="utf-8"
    )
    return tmp_path


def _labels(leaflets=LEAFLETS, locales=LOCALES, formats=FORMATS) -> list[str]:
    return sorted(f"{lid} {c} {f}" for lid in leaflets for c in locales for f in formats)


def test_each_kind_of_input_rebuilds_exactly_what_is_made_from_it(code_copy):
    code, project = code_copy / "code", code_copy / "proj"
    po = project / "locales" / "pl" / "LC_MESSAGES"
    steps = [
        ("source", str(project / "source" / "RAD_0010-copy.md"), {}),
        ("catalog", str(po / "RAD_0009.po"), {}),
        ("common catalog", str(po / "common.po"), {}),
        ("writer code", str(code / "formats" / "text.py"), {}),
        ("writer helper", str(code / "formats" / "pdf" / "lines.py"), {}),
        ("shared font table", str(code / "formats" / "fonts.py"), {}),
        ("writer style sheet", str(code / "formats" / "epub" / "style.css"), {}),
        ("used sibling's code", str(code / "formats" / "audio" / "numbers.py"), {}),
        ("core data", str(code / "leaflets" / "data" / "number_words.yaml"), {}),
        ("core code", str(code / "leaflets" / "words.py"), {}),
        ("engine task", str(code / "publishing" / "engine" / "tasks.py"), {}),
        ("rate", "", {"rate": 160}),
        ("size", "", {"size": 24}),
        ("braille grade", "", {"braille_grade": 1}),
    ]
    done = subprocess.run(
        [sys.executable, "-c", PLANNER, str(project), str(code_copy / "out"), json.dumps(steps), json.dumps(_labels())],
        cwd=code,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    changed = json.loads(done.stdout.splitlines()[-1])
    everything = _labels()
    assert changed == {
        "source": _labels(leaflets=("RAD_0010",)),
        "catalog": _labels(leaflets=("RAD_0009",), locales=("pl",)),
        "common catalog": _labels(locales=("pl",)),
        "writer code": _labels(formats=("text",)),
        "writer helper": _labels(formats=("large-print",)),
        "shared font table": _labels(formats=("large-print", "word", "epub")),
        "writer style sheet": _labels(formats=("epub",)),
        "used sibling's code": _labels(formats=("audio", "transcript", "epub")),
        "core data": everything,
        "core code": everything,
        "engine task": everything,
        "rate": _labels(formats=("audio", "transcript", "epub")),
        "size": _labels(formats=("large-print", "word")),
        "braille grade": _labels(formats=("braille",)),
    }


def test_a_writer_declares_every_sibling_it_imports():
    """A writer that imports another's package (the EPUB the narration) must say so in
    `depends_on`, or a change to the sibling would leave its files stale."""
    import ast

    import formats

    formats_dir = ROOT / "formats"
    for writer in formats.all_writers().values():
        own = {f for f in writer.code_files if f.suffix == ".py"} - {
            formats_dir / "contract.py",
            formats_dir / "options.py",
        }
        package = type(writer).__module__.split(".")[1]
        imported = set()
        for path in own:
            if path.parent.name == "formats" or path.is_relative_to(formats_dir / package):
                depth = len(path.relative_to(formats_dir).parts) - 1  # 0 for formats/x.py
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                    if isinstance(node, ast.ImportFrom):
                        if node.level and node.level > depth and node.module:  # from ..audio import ...
                            imported.add(node.module.split(".")[0])
                        elif node.level and node.level > depth:  # from .. import fonts
                            imported.update(alias.name for alias in node.names)
                        elif not node.level and (node.module or "").startswith("formats."):
                            imported.add((node.module or "").split(".")[1])
        undeclared = imported - {package, "contract", "options", *writer.depends_on}  # the contract's own
        assert not undeclared, f"{writer.name} imports formats/{sorted(undeclared)} but does not declare it"


def test_a_real_build_remakes_what_the_plan_says_after_core_data_changes(code_copy):
    """End to end, in the copy: plain text built, built again (nothing to do), the core's
    number words edited, and every text made again, nothing else."""
    code, project = code_copy / "code", code_copy / "proj"
    shutil.copy(ROOT / "pipeline.py", code / "pipeline.py")

    def build(*formats: str) -> str:
        args = [sys.executable, "pipeline.py", "--root", str(project), "build", "--jobs", "1"]
        args += ["--leaflet", "RAD_0009", "--locale", "pl", "--locale", "ur"]
        done = subprocess.run(
            [*args, *(a for f in formats for a in ("--format", f))],
            cwd=code,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert build("text", "word") == "4 built"
    assert build("text", "word") == "nothing to do: 4 up to date"
    with open(code / "leaflets" / "data" / "number_words.yaml", "a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    assert build("text") == "2 built"
    with open(code / "formats" / "docx" / "styles.py", "a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    assert build("text", "word") == "2 built, 2 up to date"


def test_a_file_added_to_the_core_is_listed_though_the_listing_is_kept(tmp_path, monkeypatch):
    """core_files keeps its listing while no folder of the core changed (a worker asks for every
    job): a file added or removed changes its folder, and is seen at once."""
    import os

    from publishing.engine import buildstate

    core = tmp_path / "leaflets"
    (core / "data").mkdir(parents=True)
    (core / "__init__.py").write_text("")
    (core / "data" / "units.yaml").write_text("")
    for folder in (core, core / "data"):
        os.utime(folder, (1_000_000_000, 1_000_000_000))  # changed long ago: the listing is kept
    monkeypatch.setattr(buildstate, "CORE", core)
    monkeypatch.setattr(buildstate, "_LISTED", [])
    assert buildstate.core_files() == [core / "__init__.py", core / "data" / "units.yaml"]
    assert buildstate._LISTED  # kept
    (core / "data" / "negation.yaml").write_text("")
    assert core / "data" / "negation.yaml" in buildstate.core_files()
    (core / "__init__.py").unlink()
    assert buildstate.core_files() == [core / "data" / "negation.yaml", core / "data" / "units.yaml"]
