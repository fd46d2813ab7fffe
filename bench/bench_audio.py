"""Audio writer speed on the seed leaflet against espeak-ng and lame run by hand.

1. synthesis: the writer's synthesis of every segment (pyttsx3's espeak binding in its child
   process, with trimming and level checks) vs the espeak-ng CLI reading the same speech text
   with the same pauses (SSML breaks) into a WAV file. Goal <= 1.3x.
2. whole step: audio.write (synthesis + MP3 + ID3 tags and chapters) vs the espeak-ng CLI +
   the lame CLI with the same encoder settings. Goal <= 1.1x.

The writer's speech child is started ahead (as in a build, where the next one starts while a
document is encoded); its cold start is shown separately. Best of REPEATS runs, the writer
and the CLI alternating; on a busy machine run it twice.
Run: .venv/bin/python bench/bench_audio.py
"""

from __future__ import annotations

import html
import subprocess
import tempfile
import time
import wave
from pathlib import Path

import formats
from formats.audio import engine as audio_engine
from formats.audio import mp3 as audio_mp3
from formats.audio import render as audio
from formats.audio.speech import speech_text
from formats.audio.voices import voice_for
from leaflets.project import Project
from leaflets.translate import translate

ROOT = Path(__file__).resolve().parent.parent

REPEATS = 5


def timed(fn) -> float:
    audio_engine.warm_up()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best_pair(ours, theirs) -> tuple[float, float]:
    """Best time of each, the two run alternately so that both see the same machine load."""
    runs = [(timed(ours), timed(theirs)) for _ in range(REPEATS)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def ssml(doc) -> str:
    """The writer's speech text and pauses as one SSML document for the espeak-ng CLI."""
    out = []
    for part in audio.script(doc):
        text = speech_text(part.written, part.segment.lang, voice_for(part.segment.lang).romanise)
        out.append(f'<break time="{round(part.pause * 1000)}ms"/>{html.escape(text, quote=False)}')
    return "<speak>" + "\n".join(out) + "</speak>"


def main() -> None:
    project = Project(ROOT)
    doc = translate(project.leaflet("RAD_0009"), "en", project.shared_strings)
    voice, options = voice_for("en").espeak, formats.Options()
    parts = audio.script(doc)[1:]

    start = time.perf_counter()
    audio_engine.warm_up()
    cold = time.perf_counter() - start

    def writer_synthesis():
        with audio_engine.engine() as eng:
            audio.synthesise(eng, doc, parts, options.rate)

    with tempfile.TemporaryDirectory() as tmp:
        text, wav, mp3 = Path(tmp) / "speech.ssml", Path(tmp) / "speech.wav", Path(tmp) / "speech.mp3"
        text.write_text(ssml(doc), encoding="utf-8")
        espeak = [
            "espeak-ng",
            "-m",
            "-v",
            voice,
            "-s",
            str(options.rate),
            "-a",
            str(audio.ESPEAK_VOLUME),
            "-w",
            str(wav),
            "-f",
            str(text),
        ]
        lame = ["lame", "--silent", "-m", "m", "-b", str(audio_mp3.BITRATE_KBPS), "--noreplaygain", str(wav), str(mp3)]

        def cli_synthesis():
            subprocess.run(espeak, check=True)

        def cli_step():
            subprocess.run(espeak, check=True)
            subprocess.run(lame, check=True)

        def writer_step():
            audio.write(doc, options)

        rows = [
            ("synthesis", *best_pair(writer_synthesis, cli_synthesis), 1.3),
            ("synthesis + MP3 + tags", *best_pair(writer_step, cli_step), 1.1),
        ]
        with wave.open(str(wav)) as w:
            seconds = w.getnframes() / w.getframerate()

    print(
        f"seed leaflet RAD_0009 (en), {seconds:.0f} s of speech; best of {REPEATS}; "
        f"speech child cold start {cold:.2f} s (not counted)"
    )
    print(f"{'stage':<24}{'writer s':>10}{'CLI s':>10}{'ratio':>8}{'goal':>7}  result")
    for name, ours, theirs, goal in rows:
        ratio = ours / theirs
        print(f"{name:<24}{ours:>10.3f}{theirs:>10.3f}{ratio:>8.2f}{goal:>7.1f}  {'ok' if ratio <= goal else 'SLOWER'}")


if __name__ == "__main__":
    main()
