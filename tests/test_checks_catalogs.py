"""Translation safety checks over PO files, projects and the `pipeline.py check` command."""

import json
import re
import shutil
from pathlib import Path

import polib
import pytest

import pipeline
from leaflets import catalogs, checks
from leaflets.files import write_atomic
from leaflets.project import Project
from publishing.translation import workflow

ROOT = Path(__file__).resolve().parent.parent
HEADER = {"Language": "", "Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": ""}


def _po(path: Path, code: str, entries, **header) -> Path:
    po = polib.POFile()
    po.metadata = dict(HEADER, Language=code, **header)
    for e in entries:
        po.append(e)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


def _by_msgid(findings):
    return {(f.msgid, f.check): f for f in findings}


def test_finding_points_at_the_msgid_line_of_its_file(tmp_path):
    path = _po(
        tmp_path / "pl.po",
        "pl",
        [
            polib.POEntry(msgid="Vertebroplasty", msgstr="Wertebroplastyka", comment="title"),
            polib.POEntry(
                msgid="The risk is 1 in 500.",
                msgstr="Ryzyko wynosi 1 na 50.",
                comment="paragraph",
                occurrences=[("source/x.md", "12")],
            ),
        ],
    )
    (found,) = checks.check_catalog(path, "pl")
    line = path.read_text(encoding="utf-8").split("\n")[found.line - 1]
    assert line == 'msgid "The risk is 1 in 500."'
    assert (found.check, found.severity, found.locale) == ("numbers", "error", "pl")
    assert str(found).startswith(f'{path.as_posix()}:{found.line}: error [numbers] "The risk is 1 in 500.": ')


def test_only_entries_that_can_be_rendered_are_checked(tmp_path):
    fuzzy = polib.POEntry(msgid="The risk is 1 in 500.", msgstr="Ryzyko wynosi 1 na 50.", flags=["fuzzy"])
    obsolete = polib.POEntry(msgid="Take 5 mg.", msgstr="Weź 50 mg.", obsolete=True)
    empty = polib.POEntry(msgid="Take 6 mg.", msgstr="")
    live = polib.POEntry(msgid="Take 7 mg.", msgstr="Weź 70 mg.")
    path = _po(tmp_path / "pl.po", "pl", [fuzzy, obsolete, empty, live])
    assert [f.msgid for f in checks.check_catalog(path, "pl")] == ["Take 7 mg."]


def test_keep_spellings_from_header_and_translator_comment(tmp_path):
    msgid = "Blood thinners such as Warfarin or Clopidogrel{}."
    header = {checks.KEEP_HEADER: "Warfarin=وارفرین|وارفارین; clopidogrel=کلوپیڈوگریل"}
    good = polib.POEntry(msgid=msgid.format(""), msgstr="خون پتلا کرنے والی دوائیں جیسے وارفارین یا کلوپیڈوگریل۔")
    bad = polib.POEntry(msgid=msgid.format(" (1)"), msgstr="خون پتلا کرنے والی دوائیں (1) جیسے وارفارین۔")
    by_comment = polib.POEntry(
        msgid=msgid.format(" (2)"),
        msgstr="خون پتلا کرنے والی دوائیں (2) جیسے وارفارین یا پلاوکس۔",
        tcomment="keep: Clopidogrel=پلاوکس",
    )
    path = _po(tmp_path / "ur.po", "ur", [good, bad, by_comment], **header)
    found = checks.check_catalog(path, "ur", keep=("Warfarin", "Clopidogrel"))
    assert [(f.check, f.severity) for f in found] == [("keep", "error")]
    assert "Clopidogrel is missing" in found[0].message


def test_common_header_spellings_apply_to_every_leaflet(tmp_path):
    shared = polib.POFile()
    shared.metadata = {checks.KEEP_HEADER: "Warfarin=华法林"}
    path = _po(tmp_path / "zh.po", "zh_Hans", [polib.POEntry(msgid="Stop Warfarin.", msgstr="停用华法林。")])
    assert checks.check_catalog(path, "zh_Hans", keep=("Warfarin",), shared=shared) == []
    (unchecked,) = checks.check_catalog(path, "zh_Hans", keep=("Warfarin",))
    assert (unchecked.check, unchecked.severity) == ("keep", "warning")


def test_allow_unchanged_header(tmp_path):
    entry = polib.POEntry(msgid="Percutaneous Vertebroplasty", msgstr="Percutaneous Vertebroplasty")
    assert [f.check for f in checks.check_catalog(_po(tmp_path / "a.po", "pl", [entry]), "pl")] == ["unchanged"]
    path = _po(tmp_path / "b.po", "pl", [entry], **{checks.ALLOW_HEADER: "NICE; Percutaneous Vertebroplasty"})
    assert checks.check_catalog(path, "pl") == []


@pytest.mark.parametrize(
    "how",
    [
        {"flags": ["ignore-numbers"]},
        {"tcomment": "ignore-numbers"},
        {"tcomment": "checked with the pharmacist\nignore-numbers, ignore-keep"},
    ],
)
def test_flags_mark_findings_suppressed(tmp_path, how):
    entry = polib.POEntry(msgid="Take 2 tablets.", msgstr="Weź trzy tabletki.", **how)
    found = checks.check_catalog(_po(tmp_path / "pl.po", "pl", [entry]), "pl")
    assert [(f.check, f.suppressed) for f in found if f.check != "flags"] == [("numbers", True)]


def test_prose_comment_is_not_a_flag(tmp_path):
    entry = polib.POEntry(
        msgid="Take 2 tablets.",
        msgstr="Weź trzy tabletki.",
        tcomment="ignore-numbers would be wrong here, we spell it out",
    )
    (found,) = checks.check_catalog(_po(tmp_path / "pl.po", "pl", [entry]), "pl")
    assert (found.check, found.suppressed) == ("numbers", False)


ARABIC_PLURAL = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
POLISH_PLURAL = "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"


def _plural(code, forms, plural_forms, tmp_path):
    entry = polib.POEntry(
        msgid="It has {sections} section.",
        msgid_plural="It has {sections} sections.",
        msgctxt="audio_sections",
        msgstr_plural=dict(enumerate(forms)),
    )
    path = _po(tmp_path / f"{code}.po", code, [entry], **{"Plural-Forms": plural_forms})
    return checks.check_catalog(path, code)


def test_plural_forms_for_one_number_may_leave_the_count_out(tmp_path):
    forms = [
        "لا يحتوي على أي قسم.",
        "يحتوي على قسم واحد.",
        "يحتوي على قسمين.",
        "يحتوي على {sections} أقسام.",
        "يحتوي على {sections} قسمًا.",
        "يحتوي على {sections} قسم.",
    ]
    assert _plural("ar", forms, ARABIC_PLURAL, tmp_path) == []


def test_plural_forms_for_many_numbers_need_the_count(tmp_path):
    forms = ["Ma jedną sekcję.", "Ma {sections} sekcje.", "Ma sekcji."]
    (found,) = _plural("pl", forms, POLISH_PLURAL, tmp_path)
    assert found.check == "placeholders" and found.message.startswith("form 2: {sections}")


def test_unreadable_catalog_is_a_finding_not_a_crash(tmp_path):
    path = tmp_path / "bad.po"
    path.write_text('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', encoding="utf-8")
    (found,) = checks.check_catalog(path, "pl")
    assert (found.check, found.severity) == ("catalog", "error")


# --- a whole project ------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    shutil.copytree(ROOT / "source", tmp_path / "source")
    p = Project(tmp_path)
    workflow.extract(p)
    for code in ("pl", "ur"):
        for domain in p.domains():
            template = catalogs.load(catalogs.template_path(p.locales_dir, domain))
            po = catalogs.new_catalog(template, code, domain)
            write_atomic(catalogs.po_path(p.locales_dir, code, domain), catalogs.po_bytes(po))
    return p


def _translate(p: Project, code: str, domain: str, translations: dict, flags=()):
    path = catalogs.po_path(p.locales_dir, code, domain)
    po = catalogs.load(path)
    for entry in po:
        for start, msgstr in translations.items():
            if entry.msgid.startswith(start):
                entry.msgstr = msgstr
                entry.flags = list(flags)
    po.save(str(path))


RISK_START = "The most serious potential risk"
RISK_PL = (
    "Najpoważniejszym ryzykiem jest ucisk wyciekającego cementu na rdzeń kręgowy lub nerw. W najgorszym "
    "przypadku może to wymagać pilnej operacji. Oceniamy to ryzyko na 1 do 500. Cement może też przedostać się "
    "do żyły i z krwią do płuc, powodując trudności w oddychaniu. Jest to bardzo mało prawdopodobne, a ryzyko "
    "również oceniamy na 1 do 500."
)


def test_run_checks_leaflet_and_common_catalogs(project):
    _translate(project, "pl", "RAD_0009", {RISK_START: RISK_PL.replace("1 do 500.", "1 do 50.", 1)})
    _translate(project, "pl", "common", {"Page {page}": "Strona {page} z {strony}"})
    _translate(project, "ur", "RAD_0009", {"What is a vertebroplasty?": "ورٹیبروپلاسٹی کیا ہے؟"})
    found = checks.run(project)
    assert sorted((f.locale, f.domain, f.check) for f in found) == [
        ("pl", "RAD_0009", "numbers"),
        ("pl", "common", "placeholders"),
    ]
    assert all(f.path.startswith("locales/pl/LC_MESSAGES/") for f in found)
    assert checks.run(project, codes=["ur"]) == []


def test_suppressed_counts_per_leaflet_and_locale(project):
    _translate(
        project, "pl", "RAD_0009", {RISK_START: RISK_PL.replace("1 do 500.", "1 do 50.", 1)}, flags=["ignore-numbers"]
    )
    assert checks.run(project) == []
    assert checks.suppressed(project) == {("RAD_0009", "pl"): 1, ("RAD_0009", "ur"): 0}


def test_cli_text_output_and_exit_status(project, capsys):
    assert pipeline.main(["--root", str(project.root), "check"]) == 0
    assert capsys.readouterr().out.strip() == "0 errors, 0 warnings"
    _translate(project, "pl", "RAD_0009", {RISK_START: RISK_PL.replace("1 do 500.", "1 do 50.", 1)})
    assert pipeline.main(["--root", str(project.root), "check"]) == 1
    lines = capsys.readouterr().out.strip().split("\n")
    assert re.fullmatch(
        r'locales/pl/LC_MESSAGES/RAD_0009\.po:\d+: error \[numbers\] "The most serious potential '
        r'risk is if a…": 500 in the source, 50 in the translation',
        lines[0],
    ), lines[0]
    assert lines[-1] == "1 error, 0 warnings"
    assert pipeline.main(["--root", str(project.root), "check", "--locale", "ur"]) == 0


def test_cli_json_output(project, capsys):
    _translate(project, "pl", "RAD_0009", {"Risks:": "Zagrożenia", RISK_START: RISK_PL.replace("500.", "5000.")})
    assert pipeline.main(["--root", str(project.root), "check", "--json", "--leaflet", "RAD_0009"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert [(f["severity"], f["check"]) for f in found] == [("warning", "punctuation"), ("error", "numbers")]
    assert set(found[1]) == {"severity", "check", "path", "line", "locale", "domain", "msgid", "message"}
    assert found[1]["message"] == "500 (twice) in the source, 5000 (twice) in the translation"


def test_cli_json_exit_zero_with_only_warnings(project, capsys):
    _translate(project, "pl", "RAD_0009", {"Risks:": "Zagrożenia"})
    assert pipeline.main(["--root", str(project.root), "check", "--json"]) == 0
    assert [f["check"] for f in json.loads(capsys.readouterr().out)] == ["punctuation"]


# --- the sample translations (as a corpus; whether they are clean is `make datacheck`'s business) ---

SAMPLES = list(Project(ROOT).locale_codes()[1:])


MISTAKES = [  # (check, what a hurried translator might do to a correct msgstr)
    ("numbers", lambda s: re.sub(r"(?<![\d.])500(?!\d)", "50", s, count=1)),
    ("numbers", lambda s: re.sub(r"(?<![\d.])20(?!\d)", "2", s, count=1)),
    ("numbers", lambda s: re.sub(r"(?<![\d.])60(?!\d)", "6", s, count=1)),
    ("markup", lambda s: s.replace("**", "", 1)),
    ("markup", lambda s: s.replace("**", "<b>", 1)),
    ("markup", lambda s: s.replace("(https://www.nice.org.uk/guidance/IPG12)", "(https://www.nice.org.uk/IPG12)")),
    ("addresses", lambda s: s.replace("[www.nice.org.uk/guidance/IPG12]", "[www.nice.org/guidance/IPG12]")),
]


@pytest.mark.parametrize("code", SAMPLES)
def test_mistakes_in_real_translations_are_caught(code):
    project = Project(ROOT)
    keep = project.leaflet("RAD_0009").meta.keep
    po = catalogs.load(catalogs.po_path(project.locales_dir, code, "RAD_0009"))
    tried = 0
    for entry in filter(catalogs.usable, po):
        for check, mistake in MISTAKES:
            wrong = mistake(entry.msgstr)
            if wrong != entry.msgstr:
                tried += 1
                found = checks.check_entry(entry.msgid, wrong, code, keep)
                assert any(f.check == check and f.severity == "error" for f in found), (entry.msgid[:40], wrong)
    assert tried >= 5 or len(list(filter(catalogs.usable, po))) < len(po) // 2


def test_configuration_survives_update(project):
    """Header spellings, `# keep:` comments and ignore flags are the translators' own: msgmerge keeps them."""
    path = catalogs.po_path(project.locales_dir, "ur", "RAD_0009")
    po = catalogs.load(path)
    po.metadata[checks.KEEP_HEADER] = "Warfarin=وارفرین"
    for entry in po:
        if entry.msgid.startswith("Anticoagulation medication"):
            sample = catalogs.load(catalogs.po_path(ROOT / "locales", "ur", "RAD_0009")).find(entry.msgid)
            entry.msgstr = sample.msgstr.replace("کلوپیڈوگریل (Clopidogrel)", "پلاوکس")  # a local brand name
            assert "پلاوکس" in entry.msgstr
            entry.tcomment = "keep: Clopidogrel=پلاوکس; Aspirin=اسپرین\nignore-unchanged"
    write_atomic(path, catalogs.po_bytes(po))
    before = checks.run(project, codes=["ur"], include_suppressed=True)
    workflow.update(project)
    after = checks.run(project, codes=["ur"], include_suppressed=True)
    assert [(f.check, f.message) for f in after] == [(f.check, f.message) for f in before]
    assert [f.check for f in after] == ["flags"]  # the unused ignore-unchanged flag, nothing about kept terms
