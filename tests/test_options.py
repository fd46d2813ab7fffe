"""The options record (formats.Options with formats/options.py): each option declared once, and the
command line, the desk, file names and the catalogue derived from the declaration.

The proof is a toy option: a copy of the code where only the record gains one field and one new
writer module reads it; the copy's own command line, desk, file names and catalogue must offer it.
"""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

import formats
from formats.options import OptionError, declared, find

# --- the toy option, in a copy of the code ---------------------------------------------------------

TOY_FIELD = """
    toy_volume: int = option(
        1,
        label="toy volume",
        help="toy: how loud the toy text is",
        low=1,
        high=3,
        unit="",
        name="loud{toy_volume}",
        shown="volume {toy_volume}",
    )
"""

TOY_WRITER = '''"""A toy format that reads the toy option."""

from formats.contract import Options, Writer
from leaflets.model import Leaflet, segments


class Toy(Writer):
    name = "toy"
    extension = "toy"
    title = "toy text"
    default = False
    media_type = "text/plain"
    uses = ("toy_volume",)

    def write(self, doc: Leaflet, options: Options) -> bytes:
        words = "\\n".join(s.text for s in segments(doc.blocks))
        return (words + f"\\nvolume {options.toy_volume}\\n").encode("utf-8")


WRITERS = (Toy(),)
'''

# One process in the copy answers every question in turn (a line of JSON in, a line out): the copy's
# own command line (pipeline.main, as `pipeline.py` runs it) and its own desk, imported once rather
# than started eight times. Order is kept: each answer comes before the next question is sent.
DRIVER = """
import contextlib, io, json, signal, sys
import pipeline
from publishing.issuing.desk import create_app
from publishing.issuing.desk.settings import Settings

root, client = sys.argv[1], None
for line in sys.stdin:
    kind, args = json.loads(line)
    signal.alarm(300)  # a hang ends this process: the test sees no answer and fails
    if kind == "desk":
        client = client or create_app(root, Settings()).test_client()  # made after the builds asked for
        response = client.get(args)
        head = f"{response.status_code} {response.headers.get('Content-Disposition', '')}"
        answer = [head, response.get_data(as_text=True)]
    else:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = pipeline.main(["--root", root, *args])
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
                if isinstance(exit_.code, str):
                    print(exit_.code, file=sys.stderr)
        answer = [code, out.getvalue(), err.getvalue()]
    signal.alarm(0)
    print(json.dumps(answer), flush=True)
"""

CODE = ("formats", "leaflets", "publishing")


@pytest.fixture(scope="module")
def toy_tree(tmp_path_factory) -> Path:
    """The code and the project copied; the record gains one field; one writer module is added."""
    tree = tmp_path_factory.mktemp("toy") / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in CODE:
        shutil.copytree(ROOT / name, tree / name, ignore=ignore)
    for name in ("source", "locales"):
        shutil.copytree(ROOT / name, tree / name)
    shutil.copy2(ROOT / "pipeline.py", tree / "pipeline.py")
    contract = tree / "formats" / "contract.py"
    text = contract.read_text(encoding="utf-8")
    marker = "\n    def __post_init__(self) -> None:\n        check_all(self)\n"
    assert text.count(marker) == 1, "the record's end is where the toy field goes"
    contract.write_text(text.replace(marker, TOY_FIELD + marker), encoding="utf-8")
    (tree / "formats" / "toy.py").write_text(TOY_WRITER, encoding="utf-8")
    return tree


def changed_files(tree: Path) -> list[str]:
    """Every code file of the copy that is new or differs from this tree."""
    found = []
    for name in CODE:
        for path in sorted((tree / name).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                mine = ROOT / path.relative_to(tree)
                if not mine.exists() or not filecmp.cmp(path, mine, shallow=False):
                    found.append(path.relative_to(tree).as_posix())
    return found


class Copy:
    """The toy tree's driver process (DRIVER), asked one question at a time."""

    def __init__(self, tree: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(tree)],
            cwd=tree,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _ask(self, kind: str, args: object) -> list:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps([kind, args]) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the toy tree's driver stopped (exit {self.process.poll()})"
        return json.loads(line)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        code, out, err = self._ask("cli", args)
        return subprocess.CompletedProcess(["pipeline.py", *args], code, out, err)

    def desk(self, path: str) -> tuple[str, str]:
        head, body = self._ask("desk", path)
        return head, body

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


@pytest.fixture
def driver(toy_tree) -> Iterator[Copy]:
    driver = Copy(toy_tree)
    yield driver
    driver.close()


def test_a_toy_option_is_a_flag_a_form_field_a_file_name_part_and_a_catalogue_label(toy_tree, driver):
    run = driver.run
    assert changed_files(toy_tree) == ["formats/contract.py", "formats/toy.py"]

    helped = run("build", "--help")
    assert helped.returncode == 0 and "--toy-volume" in helped.stdout and "how loud the toy text is" in helped.stdout
    assert "--toy-volume" in run("request", "--help").stdout

    built = run("build", "--format", "toy", "--locale", "en", "--jobs", "1", "--toy-volume", "3")
    assert built.returncode == 0, built.stderr
    made = toy_tree / "build/RAD_0009/en/RAD_0009-vertebroplasty.en.loud3.toy"
    assert made.read_text(encoding="utf-8").endswith("volume 3\n")
    usual = run("build", "--format", "toy", "--locale", "en", "--jobs", "1")
    assert usual.returncode == 0 and (toy_tree / "build/RAD_0009/en/RAD_0009-vertebroplasty.en.toy").exists()
    page = (toy_tree / "build/index.html").read_text(encoding="utf-8")
    assert ">Toy text, volume 3</a>" in page and ">Toy text</a>" in page

    refused = run("build", "--format", "toy", "--locale", "en", "--jobs", "1", "--toy-volume", "9")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr == "error: toy volume 9 is out of range (choose 1-3)\n"
    assert not (toy_tree / "build/RAD_0009/en/RAD_0009-vertebroplasty.en.loud9.toy").exists()

    asked = run("request", "vertebroplasty", "English", "toy", "--toy-volume", "2")
    assert asked.returncode == 0 and asked.stdout.strip().endswith("RAD_0009-vertebroplasty.en.loud2.toy")

    form, page = driver.desk("/leaflets/RAD_0009/en")
    copy_head, _ = driver.desk("/copies/RAD_0009/en/toy?toy-volume=2")
    wrong_head, wrong = driver.desk("/copies/RAD_0009/en/toy?toy-volume=7")
    assert form.startswith("200") and 'name="toy-volume"' in page and "Toy volume (for toy text)" in page
    assert copy_head == "200 attachment; filename=RAD_0009-vertebroplasty.en.loud2.toy"
    assert wrong_head.startswith("400") and "Toy volume 7 is out of range (choose 1-3)." in wrong


# --- the record itself -------------------------------------------------------------------------------


def test_every_declared_option_is_a_flag_of_build_and_request(project_copy):
    for command in (["build"], ["request"]):
        helped = run_cli(project_copy, *command, "--help").stdout
        for d in declared(formats.Options):
            assert d.flag in helped, (command, d.flag)
    assert [d.flag for d in declared(formats.Options)] == [
        "--size",
        "--rate",
        "--braille-grade",
        "--braille-cells",
        "--braille-lines",
    ]


@pytest.mark.parametrize(
    ("flag", "value", "said"),
    [
        ("--size", "40", "print size 40 is out of range (choose 16-32 points; large print is 16-18 pt"),
        ("--size", "nan", "print size nan is out of range"),
        ("--size", "big", "print size 'big' is not a value it takes (choose 16-32 points)"),
        (
            "--rate",
            "30",
            "speaking speed 30 is out of range (choose 100-220 words a minute, or slower, normal, faster; 130",
        ),
        ("--braille-grade", "3", "braille grade 3 is out of range (choose 2 or 1)"),
        ("--braille-cells", "100", "braille line length 100 is out of range (choose 12-80 cells"),
        ("--braille-lines", "4", "braille page length 4 is out of range (choose 6-50 lines"),
    ],
)
def test_out_of_range_is_one_line_and_nothing_built(project_copy, flag, value, said):
    for command in (["build", "--format", "text", "--jobs", "1"], ["request", "vertebroplasty", "pl", "text"]):
        done = run_cli(project_copy, *command, flag, value)
        assert done.returncode == 2 and done.stdout == "", done
        assert done.stderr.startswith("error: " + said) and done.stderr.count("\n") == 1, done.stderr
        assert not (project_copy / "build" / "RAD_0009").exists()


def test_the_record_refuses_on_construction_and_reads_words():
    with pytest.raises(OptionError, match="print size 12 is out of range"):
        formats.Options(size=12)
    rate = find(formats.Options, "rate")
    assert rate.parse("Slower") == 120 and rate.parse(" 175 ") == 175 and rate.key == "speed"
    assert find(formats.Options, "size").parse("24") == 24.0


def test_file_name_parts_and_labels_come_from_the_record():
    options = formats.Options(size=24, rate=120, braille_grade=1, braille_cells=32)
    assert formats.get("large-print").name_parts(options) == ("24pt",)
    assert formats.get("audio").name_parts(options) == ("120wpm",)
    assert formats.get("braille").name_parts(options) == ("grade1", "32x25")
    assert formats.get("text").name_parts(options) == ()
    assert formats.get("large-print").labels(formats.Options()) == ("18 pt",)  # always said
    assert formats.get("braille").labels(options) == ("grade 1", "32 × 25 cells")
    assert formats.get("braille").labels(formats.Options()) == ()


def test_the_catalogue_labels_copies_with_their_options(project_copy):
    for extra in ([], ["--braille-grade", "1", "--braille-cells", "32"]):
        done = run_cli(project_copy, "build", "--jobs", "1", "--locale", "cy", "--format", "braille", *extra)
        assert done.returncode == 0, done.stderr
    page = (project_copy / "build/index.html").read_text(encoding="utf-8")
    assert ">Braille</a>" in page and ">Braille, grade 1, 32 × 25 cells</a>" in page


# --- the desk asks for every option, and refuses a value with a plain form error ----------------------


@pytest.fixture
def desk_client(project_copy):
    from publishing.issuing.desk import create_app
    from publishing.issuing.desk.settings import Settings

    client = create_app(project_copy, Settings()).test_client()
    with client.session_transaction() as session:
        session["csrf"] = "t"
    return client


def test_the_desk_offers_braille_options_and_builds_with_them(desk_client):
    page = desk_client.get("/leaflets/RAD_0009/cy").get_data(as_text=True)
    for field in (
        'name="size"',
        'name="speed"',
        'name="braille-grade"',
        'name="braille-cells"',
        'name="braille-lines"',
    ):
        assert field in page, field
    assert "Braille grade (for braille)" in page  # the braille preview is a staff tool, listed apart
    form = {"csrf_token": "t", "format": "braille", "braille-grade": "1", "braille-cells": "32", "told": "yes"}
    sent = desk_client.post("/leaflets/RAD_0009/cy/issue", data={**form, "action": "download"})
    assert sent.status_code == 303
    assert "braille-grade=1" in sent.headers["Location"] and "braille-cells=32" in sent.headers["Location"]
    assert "size=" not in sent.headers["Location"]  # braille has no print size: not carried
    copy = desk_client.get(sent.headers["Location"])
    while copy.status_code == 202:  # "being made": asked again, as the page's refresh does
        copy = desk_client.get(sent.headers["Location"])
    assert copy.status_code == 200
    assert copy.headers["Content-Disposition"] == "attachment; filename=RAD_0009-vertebroplasty.cy.grade1.32x25.brf"


def test_a_value_out_of_range_is_a_form_error_on_the_desk_never_a_500(desk_client, project_copy):
    form = {"csrf_token": "t", "format": "braille", "braille-cells": "100", "told": "yes", "action": "download"}
    page = desk_client.post("/leaflets/RAD_0009/cy/issue", data=form)
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert (
        "Braille line length 100 is out of range (choose 12-80 cells; the usual page is 40 cells by 25 lines)" in text
    )
    assert 'class="error-message" id="braille-cells-error"' in text
    address = desk_client.get("/copies/RAD_0009/cy/braille?braille-cells=100&told=yes")
    assert address.status_code == 400 and "Braille line length 100 is out of range" in address.get_data(as_text=True)
    wrong = desk_client.get("/copies/RAD_0009/cy/text?braille-grade=1&told=yes")
    assert wrong.status_code == 400 and "Plain text has no braille grade: leave out ?braille-grade." in wrong.get_data(
        as_text=True
    )
    assert not (project_copy / "build/RAD_0009/cy").exists()
