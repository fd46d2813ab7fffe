"""Spoken audio read by espeak-ng: the declarations (MP3, its WebVTT transcript, and WAV on request).

All three are made from one narration of the document (`narration`), so a build that asks for
the MP3 and the transcript synthesises once.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import ClassVar

from leaflets.errors import Kind, LeafletError, Reason
from leaflets.model import Leaflet, LocaleInfo

from ..contract import Options, Writer, stamp
from .voices import RATE_RANGE, data_files, voice_for

__all__ = ["RATE_RANGE", "WRITERS"]


class Spoken(Writer):
    """What every format made from the narration shares: a voice is needed, and the speech data."""

    uses: ClassVar[tuple[str, ...]] = ("rate",)

    def unavailable(self, locale: LocaleInfo) -> Reason | None:
        """Why a locale gets no audio (no espeak-ng voice we trust for it), or None."""
        if voice_for(locale.code) is None:
            return Reason(Kind.NO_VOICE, locale.english_name, f"there is no speech voice for {locale.english_name}")
        return None

    def inputs(self, locale: LocaleInfo) -> tuple[object, ...]:
        """The voices (the language's and English, for words in Latin script) and the speech
        engine's data: an espeak-ng or lame update redoes the audio."""
        voices = [v for v in (voice_for(locale.code), voice_for("en")) if v]
        files = [f for v in voices for f in data_files(v)]
        return (*(v.espeak for v in voices), *stamp(*files, shutil.which("lame") or "lame"))


class Audio(Spoken):
    name = "audio"
    extension = "mp3"
    title = "audio"
    version = "2"
    media_type = "audio/mpeg"
    aliases: ClassVar[tuple[str, ...]] = ("sound", "spoken", "speech", "recording", "audio cd", "cd", "listen")
    uses = ("rate", "audio_container")
    fixed: ClassVar[tuple[tuple[str, object], ...]] = (("audio_container", "mp3"),)

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


class Transcript(Spoken):
    """The WebVTT transcript beside the MP3 (same name, .vtt): every segment with its times."""

    name = "transcript"
    extension = "vtt"
    title = "transcript"
    media_type = "text/vtt; charset=utf-8"
    aliases = ("captions", "subtitles", "webvtt", "vtt", "audio transcript")

    def write(self, doc: Leaflet, options: Options) -> bytes:
        from .narration import narrate
        from .transcript import webvtt

        return webvtt(narrate(doc, self.options(options))).encode("utf-8")


WRITERS = (Audio(), AudioWav(), Transcript())
