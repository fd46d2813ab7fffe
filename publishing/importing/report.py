"""What an author must look at after an import: one report per document, printed and kept."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_SHOWN = 40  # quoted passages are cut to this many characters


def quote(text: str) -> str:
    """A passage of the document as a report names it: one line, cut short."""
    text = " ".join(text.split())
    return repr(text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…")


@dataclass
class Report:
    """The findings of one document: `checks` need an author's eye, `moved` says where text that
    left the body went (so nothing is dropped silently), `missing` names fields not found."""

    document: str
    checks: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    moved_texts: list[str] = field(default_factory=list)  # the passages of `moved`, whole

    def move(self, what: str, text: str, where: str) -> None:
        """A passage that left the body: said in the report, and kept whole for the check that no text is lost."""
        self.moved.append(f"{what} {quote(text)} ({where})".lstrip())
        self.moved_texts.append(text)

    def check(self, what: str) -> None:
        if what not in self.checks:
            self.checks.append(what)

    @property
    def warnings(self) -> int:
        return len(self.checks) + len(self.missing)

    def text(self, target: str, status: str) -> str:
        lines = [f"Import of {self.document}", f"into {target}" if target else "", f"status: {status}", ""]
        sections = (
            ("Check (an author must look at these):", self.checks),
            ("Fields not found in the document:", self.missing),
            ("Front matter filled from the document:", self.found),
            ("Moved out of the body (not kept twice):", self.moved),
        )
        for title, items in sections:
            if items:
                lines += [title, *(f"  - {item}" for item in items), ""]
        if not self.checks and not self.missing:
            lines += ["Nothing to check.", ""]
        return "\n".join(line for i, line in enumerate(lines) if line or i >= 3)
