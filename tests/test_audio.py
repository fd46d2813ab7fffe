"""Audio writer with real synthesis: the seed leaflet as MP3, heard back through ffprobe and ffmpeg."""

from __future__ import annotations

import io
import itertools
import json
import math
import os
import signal
import subprocess
import wave
from array import array
from dataclasses import replace

import pytest
from mutagen.id3 import ID3

import formats
from formats.audio import engine as audio_engine
from formats.audio import narration
from formats.audio import pcm as audio_pcm
from formats.audio import render as audio
from formats.audio.engine import SynthesisError, engine
from formats.audio.speech import runs
from leaflets.errors import LeafletError
from leaflets.locales import info
from leaflets.model import Heading, Segment, Text, map_segments
from leaflets.project import Project
from leaflets.translate import translate
from tests.conftest import ROOT

RATE = 22050


def mp3_of(doc, **options):
    return formats.get("audio").write(doc, formats.Options(**options))


def wav_of(doc, **options):
    return formats.get("audio-wav").write(doc, formats.Options(**options))


@pytest.fixture(scope="module")
def project():
    return Project(ROOT)


@pytest.fixture(scope="module")
def english(project):
    return translate(project.leaflet("RAD_0009"), "en", project.shared_strings)


@pytest.fixture(scope="module")
def seed_mp3(english, tmp_path_factory):
    """The seed leaflet's English recording, made once for the session (tests/narrated.py)."""
    from tests.narrated import narration

    path = tmp_path_factory.mktemp("audio") / "RAD_0009.en.mp3"
    path.write_bytes(narration("en").mp3)
    return path


@pytest.fixture(scope="module")
def probe(seed_mp3):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-show_format", "-of", "json", str(seed_mp3)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


@pytest.fixture(scope="module")
def heard(seed_mp3) -> array:
    """The MP3 decoded back to samples, as a listener's player would."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(seed_mp3), "-f", "s16le", "-ac", "1", "-"], capture_output=True, check=True
    ).stdout
    return samples(raw)


def samples(pcm: bytes) -> array:
    a = array("h")
    a.frombytes(pcm)
    return a


def peak(pcm: bytes) -> float:
    """Sample peak as a fraction of full scale."""
    a = samples(pcm)
    return max(max(a), -min(a)) / 32768


def small(doc, n_blocks=4):
    """The first blocks of a leaflet and its footer: quick to synthesise."""
    return replace(doc, blocks=doc.blocks[:n_blocks])


def in_language(doc, code, text):
    """A document whose body paragraphs and headings are `text` in `code` (as a translation would be)."""
    tag = info(code).tag
    seg = lambda s: replace(s, inlines=(Text(text),), lang=tag)  # noqa: E731
    return replace(
        doc, locale=info(code), blocks=map_segments(doc.blocks, seg), meta=replace(doc.meta, title=seg(doc.meta.title))
    )


def heading_titles(doc):
    return [b.content.text for b in doc.blocks + doc.footer if isinstance(b, Heading)]


def h2_titles(doc):
    return [b.content.text for b in doc.blocks + doc.footer if isinstance(b, Heading) and b.level == 2]


def silences(samples: array, window: int = RATE // 100, threshold: int = 100) -> list[float]:
    """Lengths in seconds of the runs of 10 ms windows whose peak is below -50 dBFS."""
    runs, run = [], 0
    for i in range(0, len(samples) - window, window):
        chunk = samples[i : i + window]
        if max(chunk) < threshold and -min(chunk) < threshold:
            run += 1
        else:
            if run:
                runs.append(run * window / RATE)
            run = 0
    return runs + ([run * window / RATE] if run else [])


# --- the seed leaflet ----------------------------------------------------------------------


@pytest.mark.slow
def test_chapters_are_the_headings_back_to_back(english, probe):
    chapters = probe["chapters"]
    assert [c["tags"]["title"] for c in chapters] == [english.title.text, *heading_titles(english)]
    assert float(chapters[0]["start_time"]) == 0
    for before, after in itertools.pairwise(chapters):
        assert before["end_time"] == after["start_time"]
        assert float(after["start_time"]) > float(before["start_time"])
    assert float(chapters[-1]["end_time"]) == pytest.approx(float(probe["format"]["duration"]), abs=0.002)


@pytest.mark.slow
def test_tags_are_id3v23_with_title_organisation_language_and_review(english, seed_mp3):
    tags = ID3(seed_mp3)
    assert tags.version == (2, 3, 0)
    assert str(tags["TIT2"]) == english.title.text
    assert str(tags["TPE1"]) == "Royal Berkshire NHS Foundation Trust"
    assert str(tags["TLAN"]) == "eng"
    comment = str(tags.getall("COMM")[0])
    assert "RAD_0009" in comment and "2026-05" in comment and "2028-05" in comment
    tocs = {t.element_id: t for t in tags.getall("CTOC")}
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    top = tocs["toc"]
    assert [str((chaps.get(e) or tocs[e]).sub_frames["TIT2"]) for e in top.child_element_ids] == [
        english.title.text,
        *h2_titles(english),
    ]
    # the ### subsections are nested under their section: its own chapter first, then theirs
    (nested,) = (tocs[e] for e in top.child_element_ids if e in tocs)
    assert [str(chaps[e].sub_frames["TIT2"]) for e in nested.child_element_ids] == [
        "What are the benefits versus the risks?",
        "Benefits:",
        "Risks:",
    ]


@pytest.mark.slow
def test_mp3_is_mono_speech_bitrate(seed_mp3):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", str(seed_mp3)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (stream,) = json.loads(out)["streams"]
    assert stream["codec_name"] == "mp3" and stream["channels"] == 1
    assert 32000 <= int(stream["bit_rate"]) <= 96000


@pytest.mark.slow
def test_duration_fits_the_word_count_and_rate(english, probe):
    parts = audio.script(english)
    words = sum(len(run.text.split()) for p in parts for run in runs(p.written, p.segment.lang))
    pauses = (
        sum(p.pause for p in parts)
        + audio.TAIL
        + audio.RUN_GAP * sum(len(runs(p.written, p.segment.lang)) - 1 for p in parts)
    )
    speaking = float(probe["format"]["duration"]) - pauses
    wpm = words / speaking * 60
    assert 0.8 * 150 <= wpm <= 1.2 * 150, wpm


@pytest.mark.slow
def test_length_announcement_matches_the_length(english, probe, heard):
    minutes = round(float(probe["format"]["duration"]) / 60)
    # the announcement is the part after the title: compare with the text the script fills in
    said = english.label("audio_length", minutes=minutes).text
    assert str(minutes) in said
    assert len(heard) / RATE == pytest.approx(float(probe["format"]["duration"]), abs=0.1)


@pytest.mark.slow
def test_no_silence_longer_than_the_designed_pauses(english, heard):
    runs = silences(heard)
    assert max(runs) <= audio.SECTION + 0.15, max(runs)
    # and every section pause is really there
    assert sum(1 for r in runs if r >= audio.SECTION - 0.15) >= len(h2_titles(english))


@pytest.mark.slow
def test_consistent_loudness_and_no_clipping(probe, heard):
    assert max(heard) < 32000 and -min(heard) < 32000  # below -0.2 dBFS after decoding
    levels = []
    for chapter in probe["chapters"]:
        start, end = (round(float(chapter[k]) * RATE) for k in ("start_time", "end_time"))
        piece = heard[start:end]
        levels.append(math.sqrt(sum(x * x for x in piece[::8]) / len(piece[::8])) / 32768)
    db = [20 * math.log10(level) for level in levels]
    assert max(db) - min(db) < 4, db
    assert min(db) > -30 and max(db) < -14, db


# --- robustness ----------------------------------------------------------------------------


@pytest.mark.slow
def test_text_with_markup_characters_synthesises(english):
    seg = Segment((Text("Dose < 5 mg & \"quoted\" 'text' <b>tag</b> > 2"),), "markup test")
    (spoken,) = synthesise(english, [audio.Part(seg, 0.5)])
    assert "less than" in spoken.speech and "and" in spoken.speech and "<" not in spoken.speech
    assert audio_pcm.seconds(spoken.pcm, RATE) > 1.5


def test_raw_markup_characters_reach_espeak_without_ssml_trouble():
    with engine() as eng:
        pcm = eng.say("a < b & c \"d\" 'e' <speak>f</speak> &amp;", "gmw/en", 150, 60)
    assert audio_pcm.seconds(audio_pcm.trim(pcm), RATE) > 1.0


@pytest.mark.slow
def test_fifty_segments_in_a_row_all_have_sound(english):
    parts = [
        audio.Part(Segment((Text(f"Segment {n}: take {n} mg twice a day, call 0118 322 7991."),), f"s{n}"), 0.2)
        for n in range(50)
    ]
    spoken = synthesise(english, parts)
    assert len(spoken) == 50
    assert all(audio_pcm.seconds(s.pcm, RATE) > 2.0 and peak(s.pcm) > 0.1 for s in spoken)


def synthesise(doc, parts):
    with engine() as eng:
        return audio.synthesise(eng, doc, parts, 150)


def test_unknown_voice_is_an_error_not_another_voice():
    with engine() as eng:
        with pytest.raises(SynthesisError, match="not installed"):
            eng.say("hello", "xx/no-such-voice", 150, 60)
        assert audio_pcm.trim(eng.say("hello", "gmw/en", 150, 60))  # the child is still usable


def test_hung_synthesis_is_stopped_by_the_timeout(monkeypatch):
    with engine() as eng:
        os.kill(eng.process.pid, signal.SIGSTOP)  # a stuck espeak
        monkeypatch.setattr(audio_engine, "CALL_TIMEOUT", 0.5)
        with pytest.raises(SynthesisError, match="longer than"):
            eng.say("hello", "gmw/en", 150, 60)
        assert not eng.alive
    with engine() as fresh:  # the next call gets a new child
        assert fresh is not eng and audio_pcm.trim(fresh.say("hello", "gmw/en", 150, 60))


def test_implausible_synthesis_is_an_error_naming_the_block(english):
    class Broken:
        sample_rate = RATE

        def say_all(self, requests, wpm, volume):
            for _ in requests:
                yield bytes(RATE // 5) + b"\x00\x10" * 50  # a click where a sentence should be

    seg = Segment((Text("Patients are asked not to have any food for 6 hours."),), "Patients are asked not to eat")
    with pytest.raises(LeafletError, match="Patients are asked not to eat") as err:
        audio.synthesise(Broken(), english, [audio.Part(seg, 0.5)], 150)
    assert "s of sound" in str(err.value)


def test_silent_synthesis_is_an_error(english):
    class Mute:
        sample_rate = RATE

        def say_all(self, requests, wpm, volume):
            for _ in requests:
                yield bytes(RATE * 2)

    seg = Segment((Text("Hello."),), "Hello.")
    with pytest.raises(LeafletError, match="no sound"):
        audio.synthesise(Mute(), english, [audio.Part(seg, 0.5)], 150)


# --- locales, options and containers ---------------------------------------------------------


def test_locale_without_voice_is_refused_with_the_reason(project):
    somali = translate(project.leaflet("RAD_0009"), "so", project.shared_strings, draft=True)
    assert str(formats.get("audio").unavailable(somali.locale)) == "there is no speech voice for Somali"
    with pytest.raises(LeafletError, match="no speech voice for Somali"):
        mp3_of(somali)


@pytest.mark.slow
@pytest.mark.parametrize(
    "code, text, tlan",
    [
        ("pl", "Zabieg trwa zwykle mniej niż 60 minut. Proszę dzwonić pod numer 0118 322 7991.", "pol"),
        ("zh_Hans", "手术通常不到60分钟。请致电0118 322 7991。", "zho"),
        ("ur", "یہ طریقہ کار عام طور پر 60 منٹ سے کم وقت لیتا ہے۔", "urd"),
    ],
)
def test_language_is_tagged_and_read_with_its_voice(project, tmp_path, code, text, tlan):
    draft = translate(project.leaflet("RAD_0009"), code, project.shared_strings, draft=True)
    doc = small(in_language(draft, code, text), 3)
    path = tmp_path / f"x.{code}.mp3"
    path.write_bytes(mp3_of(doc))
    tags = ID3(path)
    assert str(tags["TLAN"]) == tlan
    assert str(tags["TIT2"]) == text
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert [c["tags"]["title"] for c in json.loads(out)["chapters"]] == [text, *heading_titles(doc)]


def test_english_fallback_inside_a_draft_is_read_by_the_english_voice(project):
    draft = translate(project.leaflet("RAD_0009"), "pl", project.shared_strings, draft=True)
    english_text = replace(draft.blocks[0].content, lang="en-GB", fallback=True)  # as translate() marks it
    part = audio.Part(english_text, 0.5)
    assert [r.voice.espeak for r in audio._runs(draft, part)] == ["gmw/en"]
    polish = replace(part, segment=replace(part.segment, lang="pl", fallback=False))
    assert {r.voice.espeak for r in audio._runs(draft, polish)} == {"zlw/pl"}


@pytest.mark.slow
def test_rate_is_adjustable(english):
    doc = small(english, 2)
    seconds = {}
    for wpm in (120, 180):
        data = wav_of(doc, rate=wpm)
        with wave.open(io.BytesIO(data)) as w:
            seconds[wpm] = w.getnframes() / w.getframerate()
    assert 1.25 < seconds[120] / seconds[180] < 1.6


def test_rate_out_of_range_is_refused(english):
    with pytest.raises(LeafletError, match="out of range"):
        mp3_of(small(english, 1), rate=30)


@pytest.mark.slow
def test_wav_on_request(english):
    data = wav_of(small(english, 2))
    with wave.open(io.BytesIO(data)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        assert w.getnframes() / RATE > 10
        pcm = w.readframes(w.getnframes())
    assert 0.5 < peak(pcm) <= 0.9


def test_registry_serves_mp3_and_wav():
    assert formats.get("audio") is formats.get("mp3") and formats.get("audio").name == "audio"
    assert not formats.get("audio-wav").default and "audio-wav" not in formats.default_names()
    assert formats.extension("audio") == "mp3" and formats.extension("audio-wav") == "wav"


@pytest.mark.slow
def test_identical_input_gives_identical_bytes_and_no_temp_files(english, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    doc = small(english, 2)
    first = mp3_of(doc)
    assert mp3_of(doc) == first  # narrated again: nothing is shared outside a build task
    assert list(tmp_path.iterdir()) == []


def test_big_requests_are_not_pipelined_into_a_deadlock():
    """A long reply still being sent while a request bigger than the pipe waits to go in would
    block both processes; the big request must wait for the reply instead."""
    import threading

    results = []

    def run(eng):
        try:
            stream = eng.say_all(
                [("A sentence of about three seconds to fill the pipe.", "gmw/en"), ("x " * 40000, "xx/no-such-voice")],
                150,
                60,
            )  # 80 KB, refused at once
            results.append(len(next(stream)))
            next(stream)
        except SynthesisError as exc:
            results.append(str(exc))

    with engine() as eng:
        worker = threading.Thread(target=run, args=(eng,), daemon=True)
        worker.start()
        worker.join(timeout=20)
        hung = worker.is_alive()
        if hung:
            eng.close(kill=True)
    assert not hung
    assert results[0] > 100_000 and "not installed" in results[1]


def test_every_voice_in_the_table_is_installed_and_speaks():
    from formats.audio.voices import VOICES

    with engine() as eng:
        for code, voice in VOICES.items():
            pcm = audio_pcm.trim(eng.say("1 2 3 4 5", voice.espeak, 150, 60))
            assert audio_pcm.seconds(pcm, RATE) > 0.8, code


def test_an_important_notice_is_announced_before_it_is_read(english):
    from leaflets.model import Notice

    warning = english.blocks[1]
    doc = replace(english, blocks=(english.blocks[0], Notice((warning,), english.label("notice")), *english.blocks[2:]))
    texts = [part.written for part in audio.script(doc)]
    at = texts.index(warning.content.text)
    assert texts[at - 1] == "Important:"
    assert "Important:" not in [part.written for part in audio.script(english)]


@pytest.mark.slow
def test_the_catalogue_gives_the_recordings_length(seed_mp3, probe):
    import formats

    minutes, seconds = divmod(round(float(probe["format"]["duration"])), 60)
    assert formats.get("audio").extent(seed_mp3) == f"{minutes} min {seconds} s"


@pytest.mark.slow
def test_mp3_and_transcript_of_one_build_task_narrate_once_and_nothing_outlives_it(english, monkeypatch):
    from formats.contract import sharing

    doc = small(english, 2)
    made = []
    real = narration._narrate
    monkeypatch.setattr(narration, "_narrate", lambda *args: made.append(args) or real(*args))
    with sharing():  # one build task
        mp3 = formats.get("audio").write(doc, formats.Options())
        vtt = formats.get("transcript").write(doc, formats.Options()).decode()
        assert len(made) == 1
        assert mp3.startswith(b"ID3") and vtt.startswith("WEBVTT\n")
        formats.get("transcript").write(doc, formats.Options(rate=120))  # another rate: another narration
        assert len(made) == 2
    assert formats.extension("transcript") == "vtt" and formats.get("transcript").default
    with sharing():  # the next task narrates afresh: no narration is kept between tasks
        formats.get("transcript").write(doc, formats.Options())
    assert len(made) == 3


def test_a_missing_dictionary_is_an_installation_error_naming_the_package(project, tmp_path, monkeypatch):
    """espeak-ng itself says nothing on standard output and exits 0 when a voice's dictionary is
    gone; the writer refuses before synthesis, naming the Debian package."""
    from formats.audio.voices import data_dir
    from leaflets.errors import InstallationError

    data = tmp_path / "espeak-ng-data"
    data.mkdir()
    for entry in data_dir().iterdir():
        if entry.name != "ur_dict":
            (data / entry.name).symlink_to(entry)
    espeak = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", "inc/ur", "ایک"],
        env={**os.environ, "ESPEAK_DATA_PATH": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert espeak.returncode == 0 and not espeak.stdout.strip() and "ur_dict" in espeak.stderr
    monkeypatch.setenv("ESPEAK_DATA_PATH", str(tmp_path))
    draft = translate(project.leaflet("RAD_0009"), "ur", project.shared_strings, draft=True)
    with pytest.raises(InstallationError, match="espeak-ng-data") as err:
        mp3_of(small(draft, 1))
    assert "ur_dict" in str(err.value) and "make debs" in str(err.value)


@pytest.mark.slow
def test_a_shared_narration_gives_the_callers_own_segments(english):
    from formats.contract import sharing

    doc = small(english, 2)
    again = translate(Project(ROOT).leaflet("RAD_0009"), "en", Project(ROOT).shared_strings)
    again = small(again, 2)
    assert again == doc and again is not doc
    with sharing():
        first, second = narration.narrate(doc, formats.Options()), narration.narrate(again, formats.Options())
    assert second.mp3 is first.mp3  # the same synthesis
    assert second.clips[0].segment is again.title and first.clips[0].segment is doc.title
