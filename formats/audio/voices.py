"""Which espeak-ng voice reads which locale, and the ISO 639-2 code its MP3 is tagged with.

An explicit table, because espeak's own choice by language is wrong for us (plain "en" can
pick Caribbean English) and an unknown voice name is silently ignored by espeak and pyttsx3:
a locale missing here gets no audio at all rather than another language's voice. Voice ids
are espeak-ng 1.51's (`espeak-ng --voices`); ISO 639-2 codes are the terminology (T) codes,
the same as ISO 639-3 where both exist, which is what taggers such as Picard write to TLAN.
Mandarin is read through pinyin with tone numbers: the Hanzi voice sit/cmn reads tone digits
as English in 1.51 (espeak-ng issues #1028, #1236).
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

from leaflets.errors import InstallationError
from leaflets.locales import from_tag

from ..contract import Options
from ..options import find

# words per minute a listener may ask for (espeak's default is 175), as the options record declares
RATE_RANGE = (int(find(Options, "rate").spec.low or 0), int(find(Options, "rate").spec.high or 0))


@dataclass(frozen=True)
class Voice:
    espeak: str  # espeak-ng voice identifier, as GetCurrentVoice reports it
    iso639_2: str  # ID3 TLAN
    romanise: str = ""  # "pinyin": convert Han characters to numbered pinyin first


PINYIN = "pinyin"

# gettext locale code (language, language_Script or language_REGION) -> voice
VOICES: dict[str, Voice] = {
    "en": Voice("gmw/en", "eng"),  # English (Great Britain), not gmw/en-029 (Caribbean)
    "am": Voice("sem/am", "amh"),
    "ar": Voice("sem/ar", "ara"),
    "bg": Voice("zls/bg", "bul"),
    "bn": Voice("inc/bn", "ben"),
    "bs": Voice("zls/bs", "bos"),
    "cs": Voice("zlw/cs", "ces"),
    "cy": Voice("cel/cy", "cym"),
    "de": Voice("gmw/de", "deu"),
    "el": Voice("grk/el", "ell"),
    "es": Voice("roa/es", "spa"),
    "fa": Voice("ira/fa", "fas"),
    "fr": Voice("roa/fr", "fra"),
    "gu": Voice("inc/gu", "guj"),
    "hi": Voice("inc/hi", "hin"),
    "hr": Voice("zls/hr", "hrv"),
    "hu": Voice("urj/hu", "hun"),
    "it": Voice("roa/it", "ita"),
    "ku": Voice("ira/ku", "kur"),  # Kurmanji; Sorani (ckb) has no voice
    "lt": Voice("bat/lt", "lit"),
    "lv": Voice("bat/lv", "lav"),
    "ml": Voice("dra/ml", "mal"),
    "mr": Voice("inc/mr", "mar"),
    "ne": Voice("inc/ne", "nep"),
    "nl": Voice("gmw/nl", "nld"),
    "pa": Voice("inc/pa", "pan"),
    "pl": Voice("zlw/pl", "pol"),
    "pt": Voice("roa/pt", "por"),
    "pt_BR": Voice("roa/pt-BR", "por"),
    "ro": Voice("roa/ro", "ron"),
    "ru": Voice("zle/ru", "rus"),
    "sk": Voice("zlw/sk", "slk"),
    "sq": Voice("ine/sq", "sqi"),
    "sw": Voice("bnt/sw", "swa"),
    "ta": Voice("dra/ta", "tam"),
    "te": Voice("dra/te", "tel"),
    "tr": Voice("trk/tr", "tur"),
    "uk": Voice("zle/uk", "ukr"),
    "ur": Voice("inc/ur", "urd"),
    "vi": Voice("aav/vi", "vie"),
    "yue": Voice("sit/yue", "zho"),  # ISO 639-2 has only the macrolanguage
    "zh": Voice("sit/cmn-Latn-pinyin", "zho", PINYIN),
    "zh_Hans": Voice("sit/cmn-Latn-pinyin", "zho", PINYIN),
    "zh_Hant": Voice("sit/cmn-Latn-pinyin", "zho", PINYIN),  # written Standard Chinese, read in Mandarin
}


def voice_for(code_or_tag: str) -> Voice | None:
    """The voice for a gettext code ("zh_Hans", "pt_BR") or BCP 47 tag ("en-GB", "zh-Hans").

    The most specific entry wins (language_Script or language_REGION, then language). A code
    or tag babel does not know is refused (LeafletError), like everywhere else.
    """
    info = from_tag(code_or_tag)
    language, *extras = info.code.split("_")
    for extra in extras:
        voice = VOICES.get(f"{language}_{extra}")
        if voice:
            return voice
    # the language's own entry reads the script the language is usually written in: Punjabi
    # in Shahmukhi (pa_Arab) is not something the Gurmukhi voice can read
    if info.script != from_tag(language).script:
        return None
    return VOICES.get(language)


# --- the installed speech data -------------------------------------------------------------

DATA_GLOB = "/usr/lib/*/espeak-ng-data"  # where Debian's espeak-ng-data puts it
PACKAGE = "espeak-ng-data"


def data_dir() -> Path:
    """The espeak-ng data espeak itself will read: $ESPEAK_DATA_PATH/espeak-ng-data if set (as
    espeak-ng honours it), otherwise Debian's."""
    if os.environ.get("ESPEAK_DATA_PATH"):
        return Path(os.environ["ESPEAK_DATA_PATH"], "espeak-ng-data")
    found = sorted(glob.glob(DATA_GLOB))
    return Path(found[0]) if found else Path(DATA_GLOB.replace("*", "x86_64-linux-gnu"))


def data_files(voice: Voice) -> tuple[Path, ...]:
    """The files a voice needs: the phoneme data, its voice file and its dictionary."""
    root = data_dir()
    voice_file = root / "lang" / voice.espeak
    return (root / "phondata", voice_file, root / f"{_dictionary(voice_file)}_dict")


def _dictionary(voice_file: Path) -> str:
    """A voice file's dictionary: its `dictionary` line, else its first language without region."""
    language = ""
    try:
        lines = voice_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    for line in lines:
        words = line.split()
        if len(words) >= 2 and words[0] == "dictionary":
            return words[1]
        if len(words) >= 2 and words[0] == "language" and not language:
            language = words[1].split("-")[0]
    return language or voice_file.name


def check_installed(voice: Voice) -> None:
    """InstallationError naming the Debian package if a file the voice needs is missing (espeak
    would otherwise fall back to another voice, or fail in the middle of a segment)."""
    missing = [path for path in data_files(voice) if not path.is_file()]
    if missing:
        raise InstallationError(
            f"audio: espeak-ng's {voice.espeak} voice cannot speak: {', '.join(map(str, missing))} is missing",
            fix=f"run `make debs` (Debian package {PACKAGE})",
        )
