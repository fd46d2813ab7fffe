"""The Markdown reader: the seed leaflet read faithfully, and every refused construct refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, tree_snapshot

from leaflets import inline, reader
from leaflets.model import Heading, ListBlock, Strong, segments
from leaflets.project import Project
from leaflets.translate import translate

# The leaflet as the trust published it (plain text), committed with the tests: the source must lose none of it.
SEED = ROOT / "tests" / "data" / "RAD_0009-vertebroplasty.published.txt"
SOURCE = ROOT / "source" / "RAD_0009-vertebroplasty.md"

FRONT = """---
id: TST_0001
title: A test leaflet
organisation: Royal Berkshire NHS Foundation Trust
department: Radiology Department
phone: 0118 322 7991
website: www.royalberkshire.nhs.uk
author: Dr A Test
reviewed: '2026-05'
next_review: '2028-05'
---
"""


def write(tmp_path: Path, body: str, front: str = FRONT, name: str = "TST_0001-test.md") -> Path:
    path = tmp_path / name
    path.write_text(front + body, encoding="utf-8")
    return path


def seed_lines() -> list[str]:
    lines = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("- "):
            line = line[2:]
        line = line.replace("**", "")
        if line:
            lines.append(" ".join(line.split()))
    return lines


def test_every_line_of_the_seed_is_in_the_catalogued_text():
    """Nothing of the published leaflet is lost: body from the leaflet POT, the rest from common.pot."""
    project = Project(ROOT)
    doc = translate(project.leaflet("RAD_0009"), "en", project.shared_strings)
    text = "\n".join(" ".join(seg.text.split()) if "\n" not in seg.text else seg.text for seg in doc.all_segments())
    missing = [line for line in seed_lines() if line not in text]
    assert not missing, missing
    assert len(seed_lines()) >= 45  # the seed really was read


def test_seed_structure():
    leaflet = reader.read(SOURCE)
    headings = [b.content.text for b in leaflet.blocks if isinstance(b, Heading)]
    assert headings[0] == "What is a vertebroplasty?" and "Further information" in headings
    assert [b.level for b in leaflet.blocks if isinstance(b, Heading)].count(3) == 2
    lists = [b for b in leaflet.blocks if isinstance(b, ListBlock)]
    assert [len(block.items) for block in lists] == [3, 2, 4]
    warning = lists[0].items[2].content
    assert isinstance(warning.inlines[0], Strong)
    assert "Warfarin" in lists[0].items[1].content.note
    assert leaflet.meta.keep == ("Warfarin", "Clopidogrel", "Aspirin")


def test_rewrapping_changes_no_msgid(tmp_path):
    one = write(tmp_path, "Some text that\nis wrapped   here and  **bold\ntext** too.\n")
    two = write(
        tmp_path / "x" if (tmp_path / "x").mkdir() is None else tmp_path,
        "Some text that is wrapped here and __bold text__ too.\n",
    )
    a = [s.source for s in segments(reader.read(one).blocks)]
    b = [s.source for s in segments(reader.read(two).blocks)]
    assert a == b == ["Some text that is wrapped here and **bold text** too."]


def test_msgid_round_trips_through_the_inline_parser():
    for seg in segments(reader.read(SOURCE).blocks):
        assert inline.parse(seg.source) == seg.inlines
        assert inline.to_markdown(inline.parse(seg.source)) == seg.source


def test_hard_break_and_link_survive():
    leaflet = reader.read(SOURCE)
    last = leaflet.blocks[-1].content
    assert (
        "\\\n" in last.source
        and "[www.nice.org.uk/guidance/IPG12](https://www.nice.org.uk/guidance/IPG12)" in last.source
    )


def test_special_characters_are_escaped_in_msgids(tmp_path):
    path = write(tmp_path, "Use a 5\\* rating, snake\\_case and \\[brackets\\] &amp;copy; safely.\n")
    seg = next(segments(reader.read(path).blocks))
    assert seg.text == "Use a 5* rating, snake_case and [brackets] &copy; safely."
    assert inline.parse(seg.source) == seg.inlines


def test_translator_note_attaches_to_next_block(tmp_path):
    path = write(tmp_path, "<!-- i18n: keep it short -->\n<!-- i18n: no jargon -->\n\n## Heading\n\nText.\n")
    segs = list(segments(reader.read(path).blocks))
    assert segs[0].note == "keep it short\nno jargon" and segs[1].note == ""


REFUSED = [
    ("| a | b |\n| 1 | 2 |\n", "a table with no header row"),
    ("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", "row 1 of the table has 3 cells, the header has 2"),
    ("| a | b |\n|---|---|\n| 1 |\n", "row 1 of the table has 1 cells"),
    ("![x-ray](xray.png)\n", "is not a file in images/"),
    ("See ![x-ray](images/xray.png) here.\n", "an image inside a sentence"),
    ("Pain[^1] is common.\n", "a footnote"),
    ("It is ~~not~~ safe.\n", "strike-through"),
    ("- [ ] pack a bag\n", "a task list item"),
    ("Term\n: what it means\n", "a definition list"),
    ("> [!DANGER]\n> Stop.\n", "a notice of kind [!DANGER]"),
    ("> [!IMPORTANT]\n> **Important:** stop.\n", "the notice starts with its own label"),
    ("<div>hello</div>\n", "raw HTML"),
    ("Text with <b>bold</b> tags.\n", "raw HTML"),
    ("```\ncode\n```\n", "a code block"),
    ("    indented code\n", "a code block"),
    ("Use `code` here.\n", "inline code"),
    ("# Title again\n", "a level-1 heading"),
    ("#### Deep\n", "a level-4 heading"),
    ("### Sub first\n", "a ### heading before any ## heading"),
    ("- a\n  - b\n    - c\n", "nested more than one level"),
    ("Para\n\n---\n\nMore\n", "a horizontal rule"),
    ("- one\n\n  two\n", "more than one paragraph"),
    ("<!-- i18n: dangling -->\n", "translator note has no block"),
    (">\n", "an empty block quote"),
]


@pytest.mark.parametrize("body,message", REFUSED)
def test_refused_constructs_name_file_line_and_reason(tmp_path, body, message):
    path = write(tmp_path, "Intro.\n\n" + body)
    with pytest.raises(reader.SourceError) as err:
        reader.read(path)
    text = str(err.value)
    assert message in text
    line = int(re.search(r"\.md:(\d+):", text).group(1))
    assert line >= FRONT.count("\n") + 3  # points into the body, after "Intro."


FRONT_ERRORS = [
    (lambda f: f.replace("phone: 0118 322 7991\n", ""), "key 'phone' is missing"),
    (lambda f: f.replace("reviewed: '2026-05'", "reviewed: May 2026"), "'reviewed'"),
    (lambda f: f.replace("next_review: '2028-05'", "next_review: '2028-13'"), "'next_review'"),
    (lambda f: f.replace("next_review: '2028-05'", "next_review: '2025-05'"), "must be after"),
    (lambda f: f.replace("phone: 0118 322 7991", "phone: call us"), "'phone'"),
    (lambda f: f.replace("website: www.royalberkshire.nhs.uk", "website: not a site"), "'website'"),
    (lambda f: f.replace("id: TST_0001", "id: TST_0002"), "does not match the file name"),
    (lambda f: f.replace("author: Dr A Test", "author: Dr A Test\ncolour: blue"), "unknown key"),
    (lambda f: f.replace("title: A test leaflet", "title: [unclosed"), "front matter"),
    (lambda f: f.replace("---\n", "", 1), "missing front matter"),
    (lambda f: f.rsplit("---\n", 1)[0], "not closed"),
]


@pytest.mark.parametrize("mutate,message", FRONT_ERRORS)
def test_front_matter_errors(tmp_path, mutate, message):
    path = write(tmp_path, "Body.\n", front=mutate(FRONT))
    with pytest.raises(reader.SourceError) as err:
        reader.read(path)
    assert message in str(err.value) and "TST_0001-test.md" in str(err.value)


def test_bad_source_on_the_command_line_is_one_line_and_writes_nothing(project_copy):
    run_cli(project_copy, "extract")
    before = tree_snapshot(project_copy)
    bad = project_copy / "source" / "RAD_0009-vertebroplasty.md"
    bad.write_text(bad.read_text(encoding="utf-8") + "\n| a | b |\n|---|---|\n| 1 |\n", encoding="utf-8")
    before["source/RAD_0009-vertebroplasty.md"] = bad.read_bytes()
    for command in (["extract"], ["update"], ["status"], ["build", "--format", "text"]):
        done = run_cli(project_copy, *command)
        assert done.returncode == 1, command
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in done.stderr
        assert re.match(r"(error|refused): .*RAD_0009-vertebroplasty\.md:\d+: row 1 of the table has 1 cells", lines[0])
        after = tree_snapshot(project_copy)
        for record in [k for k in after if k.startswith("build/") and k.count("/") == 1]:
            after.pop(record)  # the build's own records (manifest, state, index): no artifact was written
        assert after == before


def test_not_utf8_source(tmp_path):
    path = tmp_path / "TST_0001-test.md"
    path.write_bytes(FRONT.encode() + "Caf\xe9\n".encode("latin-1"))
    with pytest.raises(reader.SourceError, match=r":12: not valid UTF-8"):
        reader.read(path)


@pytest.mark.parametrize(
    "damage,message",
    [
        (
            lambda t: t.replace("website:\n  text: To find out more about our Trust visit {website}\n", ""),
            "shared string 'website' is missing",
        ),
        (lambda t: "- just\n- a list\n", "shared strings must be 'key:' entries"),
    ],
)
def test_damaged_shared_strings_are_one_clear_line(project_copy, damage, message):
    common = project_copy / "source/common.yaml"
    common.write_text(damage(common.read_text(encoding="utf-8")), encoding="utf-8")
    for command in (["extract"], ["build", "--format", "text", "--jobs", "1"]):
        done = run_cli(project_copy, *command)
        assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr


def test_every_mistake_of_a_file_is_reported_in_one_run(tmp_path):
    body = "Intro.\n\n# Title again\n\nIt is ~~not~~ safe.\nSecond line.\nThird line.\n\n- one\n- ![x](y.png)\n\n<div>x</div>\n"
    front = FRONT.replace("phone: 0118 322 7991\n", "").replace("website: www.royalberkshire.nhs.uk\n", "")
    path = write(tmp_path, body, front=front)
    with pytest.raises(reader.SourceError) as err:
        reader.read(path)
    lines = str(err.value).split("\nerror: ")
    assert "front matter keys 'phone', 'website' are missing" in lines[0]
    assert "add a line 'phone: ...', a line 'website: ...'" in lines[0]
    found = [re.search(r"md:(\d+): (.*?) is not allowed", line).groups() for line in lines[1:]]
    assert found == [
        ("12", "a level-1 heading"),
        ("14", "~~strike-through~~"),
        ("19", "an image inside a sentence"),
        ("21", "raw HTML"),
    ]


def test_reported_mistakes_stop_at_the_limit(tmp_path):
    path = write(tmp_path, "".join(f"<b>{n}</b>\n\n" for n in range(30)))
    with pytest.raises(reader.SourceError) as err:
        reader.read(path)
    lines = str(err.value).split("\nerror: ")
    assert len(lines) == reader.MAX_ERRORS + 1 and lines[-1].endswith("10 more mistakes not shown")


def test_an_unquoted_colon_in_a_title_gets_a_quoting_hint(tmp_path):
    path = write(tmp_path, "Body.\n", front=FRONT.replace("title: A test leaflet", "title: Vertebroplasty: after care"))
    with pytest.raises(reader.SourceError, match=r":3: .*must be quoted: title: 'Vertebroplasty: after care'"):
        reader.read(path)


def test_nested_items_say_they_are_nested_in_the_template(tmp_path):
    from leaflets import catalogs

    path = write(
        tmp_path, "## Before\n\n- Stop eating\n  <!-- i18n: a nested note -->\n  - six hours before\n- Drink water\n"
    )
    pot = catalogs.leaflet_template(reader.read(path), tmp_path)
    top, nested = pot.find("Stop eating"), pot.find("six hours before")
    assert top.comment == 'bulleted list item in section "Before"'
    assert nested.comment.split("\n") == [
        'nested bulleted list item under "Stop eating" in section "Before"',
        "Translators: a nested note",
    ]
    assert pot.find("Drink water").comment == 'bulleted list item in section "Before"'


def test_emphasised_drug_names_missing_from_keep_are_pointed_out(project_copy):
    body = "Stop taking *Warfarin* and **Apixaban tablets** five days before. **Please** ask.\n"
    text = (project_copy / "source/RAD_0009-vertebroplasty.md").read_text(encoding="utf-8")
    front = (
        text.split("\n---\n", 1)[0]
        .replace("id: RAD_0009", "id: RAD_0010")
        .replace("\nkeep: [Warfarin, Clopidogrel, Aspirin]", "")
    )
    (project_copy / "source/RAD_0010-drugs.md").write_text(front.rstrip("\n") + "\n---\n\n" + body, encoding="utf-8")
    done = run_cli(project_copy, "extract")
    assert done.returncode == 0
    warnings = done.stderr.strip().splitlines()
    assert len(warnings) == 2 and all("RAD_0010-drugs.md:13: warning:" in w for w in warnings)
    assert "*Warfarin* looks like a drug name but the front matter has no keep: list" in warnings[0]
    assert "keep: [Warfarin]" in warnings[0] and "*Apixaban*" in warnings[1]
    assert "Please" not in done.stderr
