"""What the desk says to the patient, in the patient's language: the shared strings of
source/common.yaml as translated in the language's common.po (the e-mail, the review warning,
the "ask us" line), each falling back to the English when it is not translated (or fuzzy), so a
new language is never refused a copy for a missing desk string."""

from __future__ import annotations

from dataclasses import dataclass

from leaflets import catalogs, locales
from leaflets.errors import LeafletError
from leaflets.model import YearMonth
from leaflets.project import Project
from leaflets.translate import month_year
from publishing.issuing import asks


@dataclass(frozen=True)
class Said:
    """A sentence for the patient: the text, its language tag and direction, and the English."""

    text: str
    tag: str
    direction: str
    english: str

    @property
    def translated(self) -> bool:
        return self.tag.split("-")[0] != "en"


class Voice:
    """The shared strings of one language."""

    def __init__(self, project: Project, code: str):
        self.project, self.code = project, code
        self.info = locales.info(code)
        self.english = {s.key: s.text for s in project.shared_strings}
        self.entries: dict = {}
        if code != locales.SOURCE_CODE:
            try:
                po = catalogs.load(catalogs.po_path(project.locales_dir, code, catalogs.COMMON))
                self.entries = {catalogs.key(e): e for e in po if not e.obsolete and catalogs.usable(e)}
            except (OSError, LeafletError):
                self.entries = {}

    def say(self, key: str, english: str = "", **values: object) -> Said:
        """The shared string `key` in this language (else in English), its {placeholders} filled.
        `english` is the English the officer sees when it says more than the shared string (the
        language's name, the date it was checked)."""
        source = self.english.get(key, english)
        entry = self.entries.get((key, source))
        english_text = english or _fill(source, values, locales.SOURCE_CODE)
        if entry is None:
            return Said(english_text, "en-GB", "ltr", english_text)
        return Said(_fill(entry.msgstr, values, self.code), self.info.tag, self.info.direction, english_text)

    def cautions(self, lid: str, today) -> list[Said]:
        """The review warnings for a copy, each in the patient's language with the officer's English."""
        return [
            self.say(c.key, c.english, **dict(c.values)) for c in asks.cautions(self.project, lid, self.code, today)
        ]

    def title(self, lid: str) -> str:
        """The leaflet's title as translated (the English where it is not)."""
        english = asks.leaflet_title(self.project, lid) or lid
        if self.code == locales.SOURCE_CODE:
            return english
        try:
            po = catalogs.load(catalogs.po_path(self.project.locales_dir, self.code, lid))
        except (OSError, LeafletError):
            return english
        entry = next((e for e in po if e.msgid == english and not e.obsolete and catalogs.usable(e)), None)
        return entry.msgstr if entry is not None else english


def _fill(text: str, values: dict[str, object], code: str) -> str:
    """A sentence with its {placeholders} filled; a month (a review date) is written in the language."""
    shown = {k: month_year(v, code) if isinstance(v, YearMonth) else v for k, v in values.items()}
    try:
        return text.format_map(shown)
    except (KeyError, ValueError, IndexError):
        return text
