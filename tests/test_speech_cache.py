"""Kept utterances (formats/audio/speechcache.py): the same bytes with and without them, an edit
re-speaks only itself, and the folder stays whole, bounded and inside itself."""

from __future__ import annotations

import io
import os
import shutil
import time
import wave
from dataclasses import replace
from pathlib import Path

import polib
import pytest

import formats
from formats.audio import narration
from formats.audio.engine import engine
from formats.audio.speech import runs
from formats.audio.store import SUFFIX, Store
from formats.contract import keeping
from leaflets.model import Paragraph, Text
from leaflets.project import Project
from leaflets.translate import translate
from tests.conftest import ROOT

VOICE, WPM, VOLUME = "gmw/en", 150, 60


@pytest.fixture(scope="module")
def english():
    project = Project(ROOT)
    doc = translate(project.leaflet("RAD_0009"), "en", project.shared_strings)
    return replace(doc, blocks=doc.blocks[:5])


def mp3(doc, folder: Path | None) -> bytes:
    with keeping(folder):
        return formats.get("audio").write(doc, formats.Options())


def narrated(doc, folder: Path | None) -> narration.Narration:
    with keeping(folder):
        return narration.narrate(doc, formats.Options())


def kept(folder: Path) -> set[str]:
    return {p.name for p in (folder / "speech").glob("*" + SUFFIX)}


def test_the_same_utterance_gives_the_same_samples_whatever_was_said_before():
    """What makes keeping utterances safe: espeak-ng's state no longer carries over."""
    text = "Take 2 tablets of paracetamol, 500 mg each, every 4 hours."
    with engine() as eng:
        alone = eng.say(text, VOICE, WPM, VOLUME)
        eng.say("Something else entirely, said first, with a question?", VOICE, WPM, VOLUME)
        eng.say("Zadzwoń do nas, jeśli masz pytania.", "zlw/pl", WPM, VOLUME)
        after = eng.say(text, VOICE, WPM, VOLUME)
    assert alone == after and len(alone) > 40_000


@pytest.mark.slow
def test_a_narration_is_byte_identical_without_kept_utterances_with_a_cold_folder_and_a_warm_one(english, tmp_path):
    without = mp3(english, None)
    cold = mp3(english, tmp_path)
    assert kept(tmp_path)  # the cold build kept what it spoke
    warm = mp3(english, tmp_path)
    assert without == cold == warm


@pytest.mark.slow
def test_an_edit_re_speaks_only_the_edited_sentence(english, tmp_path):
    mp3(english, tmp_path)
    before = kept(tmp_path)
    at = next(i for i, b in enumerate(english.blocks) if isinstance(b, Paragraph))
    paragraph = english.blocks[at]
    edited = replace(paragraph, content=replace(paragraph.content, inlines=(Text("Please arrive 15 minutes early."),)))
    doc = replace(english, blocks=(*english.blocks[:at], edited, *english.blocks[at + 1 :]))
    again = mp3(doc, tmp_path)
    new = kept(tmp_path) - before
    said = len(runs("Please arrive 15 minutes early.", doc.locale.tag))
    assert said <= len(new) <= said + 1  # that sentence (and the length, if its minutes changed), nothing else
    assert again == mp3(doc, None)  # and the result is what a build without the folder makes


@pytest.mark.slow
def test_a_damaged_kept_utterance_is_spoken_again_not_played(english, tmp_path):
    good = mp3(english, tmp_path)
    for path in (tmp_path / "speech").glob("*" + SUFFIX):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])  # a power cut before the data reached the disk
        break
    assert mp3(english, tmp_path) == good


def test_a_store_keeps_whole_files_and_refuses_damaged_ones(tmp_path):
    store = Store(tmp_path / "speech")
    store.put("a" * 40, b"\x01\x02" * 1000)
    assert store.get("a" * 40) == b"\x01\x02" * 1000
    path = tmp_path / "speech" / ("a" * 40 + SUFFIX)
    path.write_bytes(path.read_bytes()[:-1] + b"\x00")  # one sample changed
    assert store.get("a" * 40) is None and not path.exists()
    assert store.get("b" * 40) is None
    assert not [p for p in (tmp_path / "speech").iterdir() if p.name.endswith(".tmp")]
    store.close()


def test_the_least_recently_used_go_first_when_the_folder_is_over_its_limit(tmp_path):
    store = Store(tmp_path / "speech", limit=10_000)
    for n in range(8):
        store.put(f"{n:040d}", bytes(2_000))
        os.utime(tmp_path / "speech" / f"{n:040d}{SUFFIX}", ns=(n * 10**9, n * 10**9))
    assert store.get(f"{0:040d}") is not None  # used now: kept
    removed = store.evict()
    left = sorted(p.name[:40] for p in (tmp_path / "speech").iterdir())
    total = sum(p.stat().st_size for p in (tmp_path / "speech").iterdir())
    assert removed > 0 and total <= 10_000 * 0.8
    assert f"{0:040d}" in left and f"{1:040d}" not in left and f"{7:040d}" in left
    store.close()


def _put_and_get(folder: str, data: bytes) -> bytes | None:
    store = Store(Path(folder))
    try:
        store.put("c" * 40, data)
        return store.get("c" * 40)
    finally:
        store.close()


def test_many_processes_writing_the_same_utterance_leave_one_whole_file(tmp_path):
    import multiprocessing

    data = os.urandom(2_000_000)
    with multiprocessing.get_context("fork").Pool(6) as pool:
        got = pool.starmap(_put_and_get, [(str(tmp_path / "speech"), data)] * 24)
    assert all(g == data for g in got)
    assert [p.name for p in (tmp_path / "speech").iterdir()] == ["c" * 40 + SUFFIX]


@pytest.mark.slow
@pytest.mark.slow
@pytest.mark.parametrize("linked", [".cache", ".cache/speech", ".cache/levels", ".cache/mp3"])
def test_a_link_in_place_of_a_kept_folder_is_not_followed(english, tmp_path, linked):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = tmp_path / "project"
    (project / linked).parent.mkdir(parents=True, exist_ok=True)
    (project / linked).symlink_to(elsewhere)
    assert mp3(english, project / ".cache") == mp3(english, None)
    assert list(elsewhere.iterdir()) == []  # nothing written through the link


@pytest.mark.slow
def test_an_edit_re_encodes_only_its_own_chapter(english, tmp_path):
    before = narrated(english, tmp_path)
    chapters = {p.name for p in (tmp_path / "mp3").glob("*" + SUFFIX)}
    assert len(chapters) >= 3  # the recording was cut at its sections
    last = max(i for i, b in enumerate(english.blocks) if isinstance(b, Paragraph))
    paragraph = english.blocks[last]
    words = replace(paragraph.content, inlines=(Text(paragraph.content.text.replace(".", ", as agreed.", 1)),))
    doc = replace(
        english, blocks=(*english.blocks[:last], replace(paragraph, content=words), *english.blocks[last + 1 :])
    )
    after = narrated(doc, tmp_path)
    new = {p.name for p in (tmp_path / "mp3").glob("*" + SUFFIX)} - chapters
    announced = [{c.speech for c in n.clips if c.segment is None} for n in (before, after)]
    assert len(new) == (1 if announced[0] == announced[1] else 2)  # its chapter (and the first, if its length did)


@pytest.mark.slow
def test_what_a_player_hears_is_where_the_narration_says_across_every_join():
    """The joined MP3 decoded by FFmpeg lines up with the narration's own samples (the WAV) at
    every chapter, and each chapter's heading is heard where its clip starts."""
    import subprocess

    import numpy as np

    from tests.narrated import narration as narrated

    made = narrated("en")
    rate = made.sample_rate
    heard = np.frombuffer(
        subprocess.run(
            ["ffmpeg", "-v", "error", "-i", "-", "-f", "s16le", "-ac", "1", "-"],
            input=made.mp3,
            capture_output=True,
            check=True,
        ).stdout,
        "<i2",
    ).astype(np.float64)
    with wave.open(io.BytesIO(made.wav())) as w:
        ours = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float64)
    heads = [c for c in made.clips if c.chapter]
    assert len(heads) >= 5
    for clip in heads:
        at = round(clip.start * rate)
        window = ours[at : at + rate // 2]
        lags = range(-200, 201)
        score = [float(np.dot(window, heard[at + lag : at + lag + len(window)])) for lag in lags]
        assert lags[int(np.argmax(score))] in range(-2, 3), clip.chapter
        onset = at - rate // 10 + int(np.flatnonzero(np.abs(heard[at - rate // 10 : at + rate // 10]) > 300)[0])
        assert abs(onset - at) < rate // 100, clip.chapter  # within 10 ms


def test_a_fork_that_dies_mid_utterance_is_an_error_and_the_next_utterance_is_spoken():
    import threading

    import psutil

    from formats.audio.engine import SynthesisError

    with engine() as eng:
        zygote = psutil.Process(eng.process.pid)

        def kill_the_fork() -> None:
            for _ in range(2000):
                forks = zygote.children()
                if forks:
                    forks[0].kill()
                    return
                time.sleep(0.001)

        killer = threading.Thread(target=kill_the_fork)
        killer.start()
        with pytest.raises(SynthesisError, match="crashed"):
            eng.say("A long sentence to be cut short. " * 40, VOICE, WPM, VOLUME)
        killer.join()
        assert eng.alive
        assert eng.say("Still here.", VOICE, WPM, VOLUME) == engine_say_fresh("Still here.")


def engine_say_fresh(text: str) -> bytes:
    """The same utterance from a speech child started for it alone."""
    from formats.audio.engine import Engine

    fresh = Engine().wait_ready()
    try:
        return fresh.say(text, VOICE, WPM, VOLUME)
    finally:
        fresh.close(kill=True)


def test_utterances_spoken_side_by_side_come_back_in_order_and_as_spoken_alone():
    texts = [f"Sentence number {n}: take {n} tablets." + " More words." * (n % 3) for n in range(1, 8)]
    with engine() as eng:
        together = list(eng.say_all([(t, VOICE) for t in texts], WPM, VOLUME))
        alone = [eng.say(t, VOICE, WPM, VOLUME) for t in reversed(texts)][::-1]
    assert together == alone and len(set(together)) == len(texts)


@pytest.mark.slow
def test_a_translators_edit_rebuilds_the_recording_from_kept_speech_and_chapters(project_copy, tmp_path):
    """Through the command line: the build keeps speech and chapters in the project's .cache; after a
    one-sentence edit to the Welsh catalog it speaks and encodes only that sentence's part, and the
    MP3 is byte for byte what a build with nothing kept makes."""
    from tests.conftest import run_cli

    def build(out: Path) -> bytes:
        done = run_cli(project_copy, "build", "--format", "audio", "--locale", "cy", "--jobs", "1", "--out", str(out))
        assert done.returncode == 0, done.stderr
        (mp3,) = out.glob("RAD_0009/cy/*.mp3")
        return mp3.read_bytes()

    build(tmp_path / "first")
    cache = project_copy / ".cache"
    before = {p.relative_to(cache) for p in cache.glob("*/*" + SUFFIX)}
    assert {p.parts[0] for p in before} == {"speech", "levels", "mp3"}
    catalog = polib.pofile(str(project_copy / "locales/cy/LC_MESSAGES/RAD_0009.po"))
    paragraph = max(catalog.translated_entries(), key=lambda e: len(e.msgstr))  # one sentence-long part
    paragraph.msgstr = "Sylwch: " + paragraph.msgstr
    catalog.save()
    edited = build(tmp_path / "edited")
    new = {p.relative_to(cache) for p in cache.glob("*/*" + SUFFIX)} - before
    by_folder = {name: sum(1 for p in new if p.parts[0] == name) for name in ("speech", "levels", "mp3")}
    assert 1 <= by_folder["speech"] <= 3 and 1 <= by_folder["mp3"] <= 2 and by_folder["levels"] == by_folder["mp3"]
    shutil.rmtree(cache)
    assert build(tmp_path / "nothing-kept") == edited


def test_what_a_killed_writer_left_goes_and_a_file_being_written_stays(tmp_path):
    store = Store(tmp_path / "speech")
    folder = tmp_path / "speech"
    left, writing = folder / f".{'d' * 40}.dead.tmp", folder / f".{'e' * 40}.live.tmp"
    left.write_bytes(bytes(1000))
    writing.write_bytes(bytes(1000))
    old = time.time() - 3600
    os.utime(left, (old, old))
    store.put("f" * 40, b"kept")
    assert store.evict() == 1000  # within its limit: only the stale temporary file goes
    assert not left.exists() and writing.exists() and store.get("f" * 40) == b"kept"
    store.close()
