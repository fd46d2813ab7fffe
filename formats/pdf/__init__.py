"""Large-print PDF (UKAAF / RNIB clear and large print): the declaration; drawing is in `render`."""

from __future__ import annotations

from leaflets.errors import InstallationError, Kind, Reason
from leaflets.model import Leaflet, LocaleInfo

from ..contract import Options, Writer, stamp


class LargePrint(Writer):
    name = "large-print"
    extension = "pdf"
    title = "large print"
    version = "2"  # tagged (PDF/UA-1), logical text, one annotation per link, boxes kept on a page
    media_type = "application/pdf"
    aliases = ("pdf", "large", "print", "largeprint", "giant print", "big print", "large print pdf")
    depends_on = ("fonts",)  # the shared script-to-font table
    uses = ("size",)

    def unavailable(self, locale: LocaleInfo) -> Reason | None:
        from . import fonts

        if fonts.chain_names(locale.language, locale.script) is None:
            return Reason(
                Kind.NO_FONT,
                locale.english_name,
                f"there are no large-print fonts for the {locale.script} script ({locale.english_name})",
            )
        return None

    def inputs(self, locale: LocaleInfo) -> tuple[object, ...]:
        """The font files a locale's text may be drawn from: a font update redoes its PDFs."""
        from . import fonts

        names = fonts.chain_names(locale.language, locale.script) or ()
        families = [fonts.FAMILIES[n] for n in names]
        return stamp(*sorted({fonts.FONT_ROOT / f for fam in families for f in (fam.regular, fam.bold) if f}))

    def write(self, doc: Leaflet, options: Options) -> bytes:
        from . import fonts, render

        names = fonts.chain_names(doc.locale.language, doc.locale.script) or ()
        missing = fonts.missing_files(names)
        if missing:
            path, package = missing[0]
            raise InstallationError(
                f"font file {path} is not installed", fix=f"run `make debs` (Debian package {package})"
            )
        return render.write(doc, options)


WRITERS = (LargePrint(),)
