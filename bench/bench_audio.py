"""Audio family speed on the seed leaflet against espeak-ng and lame run by hand.

1. synthesis: the writer's synthesis of every run (pyttsx3's espeak binding in its child
   process, with trimming, checks and loudness weighing) vs the espeak-ng CLI reading the same
   speech text, voices and pauses (SSML <voice> and <break>) into a WAV file. Goal <= 1.3x.
2. whole step: a narration (synthesis + loudness + limiter + MP3 + ID3 tags and chapters) and
   its WebVTT transcript vs the espeak-ng CLI + the lame CLI with the same encoder settings.
   Goal <= 1.15x. English (one voice) and Urdu (Urdu and English voices, many switches).
3. speech-text preparation (the script and every run's speech text, no synthesis) per leaflet
   x locale, in milliseconds.

The writer's speech child is started ahead (as in a build, where the next one starts while a
document is encoded); its cold start is shown separately. Best of REPEATS runs, the writer
and the CLI alternating; on a busy machine run it twice.
Run: .venv/bin/python -m bench.bench_audio
"""

from __future__ import annotations

import html
import subprocess
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

import formats
from formats.audio import engine as audio_engine
from formats.audio import mp3 as audio_mp3
from formats.audio import narration, render
from formats.audio.transcript import webvtt
from leaflets.model import Leaflet
from leaflets.project import Project
from leaflets.translate import translate

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 5
PREPARATIONS = 20


def timed(fn: Callable[[], object]) -> float:
    audio_engine.warm_up()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best_pair(ours: Callable[[], object], theirs: Callable[[], object]) -> tuple[float, float]:
    """Best time of each, the two run alternately so that both see the same machine load."""
    runs = [(timed(ours), timed(theirs)) for _ in range(REPEATS)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def ssml(doc: Leaflet) -> str:
    """The writer's speech runs, voices and pauses as one SSML document for the espeak-ng CLI."""
    out = []
    for part, runs in render.said(doc):
        said = " ".join(
            f'<voice name="{run.voice.espeak}">{html.escape(run.text, quote=False)}</voice>' for run in runs
        )
        out.append(f'<break time="{round(part.pause * 1000)}ms"/>{said}')
    return "<speak>" + "\n".join(out) + "</speak>"


def cli(doc: Leaflet, options: formats.Options, folder: Path) -> tuple[list[str], list[str], Path]:
    """The espeak-ng command reading the document's speech text (SSML: its voices and pauses) into
    a WAV file in `folder`, the lame command encoding that WAV as the writer's MP3 is encoded, and
    the WAV's path."""
    voice = render.said(doc)[0][1][0].voice.espeak
    text, wav, mp3 = folder / "speech.ssml", folder / "speech.wav", folder / "speech.mp3"
    text.write_text(ssml(doc), encoding="utf-8")
    espeak = ["espeak-ng", "-m", "-v", voice, "-s", str(options.rate), "-a", str(render.ESPEAK_VOLUME)]
    espeak += ["-w", str(wav), "-f", str(text)]
    lame = ["lame", "--silent", "-m", "m", "-b", str(audio_mp3.BITRATE_KBPS), "--noreplaygain", str(wav), str(mp3)]
    return espeak, lame, wav


def compare(doc: Leaflet, options: formats.Options) -> list[tuple[str, float, float, float]]:
    def writer_synthesis() -> None:
        with audio_engine.engine() as eng:
            render.synthesise(eng, doc, render.script(doc), options.rate)

    def writer_step() -> None:  # outside a build task: narrated afresh each time, nothing kept
        webvtt(narration.narrate(doc, options))

    with tempfile.TemporaryDirectory() as tmp:
        espeak, lame, wav = cli(doc, options, Path(tmp))

        def cli_synthesis() -> None:
            subprocess.run(espeak, check=True)

        def cli_step() -> None:
            subprocess.run(espeak, check=True)
            subprocess.run(lame, check=True)

        rows = [
            ("synthesis", *best_pair(writer_synthesis, cli_synthesis), 1.3),
            ("whole audio step", *best_pair(writer_step, cli_step), 1.15),
        ]
        with wave.open(str(wav)) as w:
            seconds = w.getnframes() / w.getframerate()
    print(f"{doc.meta.id} ({doc.locale.code}): {seconds:.0f} s of speech; best of {REPEATS}")
    return rows


def main() -> None:
    project = Project(ROOT)
    options = formats.Options()
    start = time.perf_counter()
    audio_engine.warm_up()
    cold = time.perf_counter() - start
    print(f"speech child cold start {cold:.2f} s (not counted)")
    print(f"{'stage':<28}{'writer s':>10}{'CLI s':>10}{'ratio':>8}{'goal':>7}  result")
    for code in ("en", "ur"):
        doc = translate(project.leaflet("RAD_0009"), code, project.shared_strings, locales_dir=project.locales_dir)
        for name, ours, theirs, goal in compare(doc, options):
            ratio = ours / theirs
            verdict = "ok" if ratio <= goal else "SLOWER"
            print(f"{name + ' ' + code:<28}{ours:>10.3f}{theirs:>10.3f}{ratio:>8.2f}{goal:>7.2f}  {verdict}")

    print("\nspeech-text preparation (script + every run's speech text), per leaflet x locale")
    for code in project.locale_codes():
        doc = translate(project.leaflet("RAD_0009"), code, project.shared_strings, locales_dir=project.locales_dir)
        if formats.get("audio").unavailable(doc.locale):
            continue
        render.said(doc)  # the first call loads the number and pinyin tables
        start = time.perf_counter()
        for _ in range(PREPARATIONS):
            render.said(doc)
        print(f"  RAD_0009 {code:<8}{(time.perf_counter() - start) / PREPARATIONS * 1000:>8.1f} ms")


if __name__ == "__main__":
    main()
