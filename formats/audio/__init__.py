"""Spoken audio read by espeak-ng: the declarations (MP3, and WAV on request); speech is made in `render`."""

from __future__ import annotations

import glob
import shutil
from pathlib import Path
from typing import ClassVar

from leaflets.errors import Kind, LeafletError, Reason
from leaflets.model import Leaflet, LocaleInfo

from ..contract import Options, Writer, stamp
from .voices import voice_for

SPEECH_DATA = "/usr/lib/*/espeak-ng-data/phondata"
RATE_RANGE = (100, 220)  # words per minute a listener may ask for (espeak's default is 175)


class Audio(Writer):
    name = "audio"
    extension = "mp3"
    title = "audio"
    media_type = "audio/mpeg"
    aliases: ClassVar[tuple[str, ...]] = ("sound", "spoken", "speech", "recording", "audio cd", "cd", "listen")
    uses = ("rate", "audio_container")
    fixed: ClassVar[tuple[tuple[str, object], ...]] = (("audio_container", "mp3"),)

    def unavailable(self, locale: LocaleInfo) -> Reason | None:
        """Why a locale gets no audio (no espeak-ng voice we trust for it), or None."""
        if voice_for(locale.code) is None:
            return Reason(Kind.NO_VOICE, locale.english_name, f"there is no speech voice for {locale.english_name}")
        return None

    def inputs(self, locale: LocaleInfo) -> tuple[object, ...]:
        """The voice and the speech engine's data: an espeak-ng or lame update redoes the audio."""
        voice = voice_for(locale.code)
        return (voice and voice.espeak, *stamp(*sorted(glob.glob(SPEECH_DATA)), shutil.which("lame") or "lame"))

    def write(self, doc: Leaflet, options: Options) -> bytes:
        from .narration import narrate

        options = self.options(options)
        if options.audio_container not in ("mp3", "wav"):
            raise LeafletError(f"audio: unknown container {options.audio_container!r}", fix="use mp3 or wav")
        narration = narrate(doc, options)
        return narration.wav() if options.audio_container == "wav" else narration.mp3

    def extent(self, path: Path) -> str:
        """Playing time, as mutagen reads it."""
        import mutagen

        try:
            media = mutagen.File(path)
        except mutagen.MutagenError:  # unreadable: the catalogue gives its size alone
            return ""
        if media is None or not getattr(media.info, "length", 0):
            return ""
        minutes, seconds = divmod(round(media.info.length), 60)
        return f"{minutes} min {seconds} s"


class AudioWav(Audio):
    name = "audio-wav"
    extension = "wav"
    title = "audio (WAV)"
    media_type = "audio/wav"
    aliases = ("wave",)
    fixed = (("audio_container", "wav"),)
    default = False


WRITERS = (Audio(), AudioWav())
