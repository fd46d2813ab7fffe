"""Joining MP3 chunks that lame encoded one by one (formats/audio/mp3join.py), checked with the
real tools: lame makes the chunks and the reference encodes, ffmpeg decodes (gapless, from the
LAME tag), ffprobe and mutagen read the result, and the CRCs are recomputed bit by bit here.
"""

from __future__ import annotations

import json
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
from mutagen.mp3 import MP3
from scipy.signal import correlate

from formats.audio import mp3
from formats.audio.mp3join import Joined, JoinError, join

RATE = 22050
INFO_AT = 4 + 9  # "Info" after the header and MPEG-2 mono side information
LAME_AT = INFO_AT + 120


# --- helpers --------------------------------------------------------------------------------


def speech_like(n: int, lead: int, seed: int) -> np.ndarray:
    """`lead` samples of silence, then syllables to the last sample: voiced tones (harmonics of a
    120-200 Hz pitch) and noise bursts (consonants) under Hann envelopes, with short gaps."""
    rng = np.random.default_rng(seed)
    out = np.zeros(n)
    at = lead
    while at < n:
        length = min(int(rng.integers(1500, 4000)), n - at)
        t = np.arange(length)
        if rng.random() < 0.6:
            pitch = rng.uniform(120, 200)
            sound = sum(np.sin(2 * np.pi * pitch * h * t / RATE) / h for h in range(1, 8))
        else:
            sound = rng.standard_normal(length)
        # a syllable ends with its envelope's fall, except the last: a chunk ends in speech
        envelope = np.hanning(2 * length)[:length] if at + length >= n else np.hanning(length)
        out[at : at + length] = 6000 * sound * envelope / np.max(np.abs(sound))
        at += length + int(rng.integers(100, 900))
    return out.astype("<i2")


def lame_file(tmp_path: Path, name: str, pcm: bytes, command: list[str]) -> bytes:
    """What lame writes to a file (so with its Info frame) for raw PCM, with any command."""
    raw, out = tmp_path / f"{name}.raw", tmp_path / f"{name}.mp3"
    raw.write_bytes(pcm)
    subprocess.run([*command, str(raw), str(out)], check=True, capture_output=True)
    return out.read_bytes()


def crc16_arc(data: bytes) -> int:
    """The slow reference: CRC-16/ARC bit by bit (poly 0x8005 reflected, init 0, no final xor)."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def info(mp3_bytes: bytes) -> dict[str, object]:
    """The fields of lame's Info frame (MPEG-2 mono) as lame wrote them."""
    flags, frames, nbytes = struct.unpack_from(">III", mp3_bytes, INFO_AT + 4)
    delay_padding = int.from_bytes(mp3_bytes[LAME_AT + 21 : LAME_AT + 24], "big")
    music_length, music_crc, tag_crc = struct.unpack_from(">IHH", mp3_bytes, LAME_AT + 28)
    return {
        "flags": flags,
        "frames": frames,
        "bytes": nbytes,
        "toc": mp3_bytes[INFO_AT + 16 : INFO_AT + 116],
        "delay": delay_padding >> 12,
        "padding": delay_padding & 0xFFF,
        "music_length": music_length,
        "music_crc": music_crc,
        "tag_crc": tag_crc,
    }


def frame_size(mp3_bytes: bytes, at: int = 0) -> int:
    """Bytes in the frame at `at` (64 kbit/s, 22,050 Hz: 208, or 209 when its padding bit is set)."""
    return 72 * 64000 // RATE + (mp3_bytes[at + 2] >> 1 & 1)


def frame_starts(mp3_bytes: bytes) -> list[int]:
    starts, at = [], 0
    while at < len(mp3_bytes):
        starts.append(at)
        at += frame_size(mp3_bytes, at)
    return starts


def decode(path: Path) -> np.ndarray:
    done = subprocess.run(["ffmpeg", "-v", "warning", "-i", str(path), "-f", "s16le", "-"], capture_output=True)
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    return np.frombuffer(done.stdout, "<i2").astype(float)


def ffprobe(path: Path) -> dict[str, str]:
    done = subprocess.run(
        [
            "ffprobe",
            "-v",
            "warning",
            "-count_frames",
            "-count_packets",
            "-show_entries",
            "stream=nb_read_frames,nb_read_packets,duration,start_time,sample_rate",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    stream: dict[str, str] = json.loads(done.stdout)["streams"][0]
    return stream


# --- fixtures -------------------------------------------------------------------------------

LENGTHS = ((30001, 3000), (45123, 2500), (20777, 4000))  # (samples, leading pause): none a multiple of 576


@pytest.fixture(scope="module")
def pcms() -> list[np.ndarray]:
    return [speech_like(n, lead, seed) for seed, (n, lead) in enumerate(LENGTHS)]


@pytest.fixture(scope="module")
def chunks(pcms) -> list[bytes]:
    """Each chunk encoded as the narration will: mp3.encode, so mp3.lame_command."""
    return [mp3.encode([p.tobytes()], RATE) for p in pcms]


@pytest.fixture(scope="module")
def joined(chunks) -> Joined:
    return join(chunks)


@pytest.fixture(scope="module")
def joined_path(joined, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("join") / "joined.mp3"
    path.write_bytes(joined.mp3)
    return path


@pytest.fixture(scope="module")
def timeline(pcms, joined) -> np.ndarray:
    """The gapless timeline the joined file claims: each chunk's PCM at its start, silence between."""
    total = sum(joined.frames) * joined.samples_per_frame - info(joined.mp3)["delay"] - info(joined.mp3)["padding"]
    out = np.zeros(total, "<i2")
    for pcm, start in zip(pcms, joined.starts, strict=True):
        out[start : start + len(pcm)] = pcm
    return out


# --- what lame writes, and that the join writes the same ---------------------------------------


def test_lame_tag_fields_are_what_the_join_assumes(pcms, chunks):
    """Read from lame's own files: frames exclude the Info frame, bytes and music length are the
    whole file, the music CRC covers the audio frames after the Info frame, the tag CRC the Info
    frame up to the tag CRC field; delay + samples + padding fill the frames exactly."""
    for pcm, chunk in zip(pcms, chunks, strict=True):
        fields, first = info(chunk), frame_size(chunk)
        assert fields["flags"] == 0xF and chunk[INFO_AT : INFO_AT + 4] == b"Info"
        assert fields["bytes"] == fields["music_length"] == len(chunk)
        assert fields["music_crc"] == crc16_arc(chunk[first:])
        assert fields["tag_crc"] == crc16_arc(chunk[: LAME_AT + 34])
        assert fields["delay"] + len(pcm) + fields["padding"] == fields["frames"] * 576
        assert fields["delay"] == 576


def test_one_chunk_comes_back_byte_for_byte(chunks):
    for chunk in chunks:
        result = join([chunk])
        assert result.mp3 == chunk  # every field recomputed (TOC, CRCs) equals lame's own
        assert result.frames == (info(chunk)["frames"],) and result.samples_per_frame == 576


# frame counts around lame's seek bag filling and halving (400 slots; 800, 1,600 frames)
@pytest.mark.parametrize("frames", [3, 4, 57, 399, 400, 401, 402, 799, 800, 801, 1601, 1602])
def test_toc_as_lame_writes_it_for_any_length(frames, tmp_path):
    pcm = speech_like(frames * 576 - 576 - 700, 1000, frames)  # padding 700: exactly `frames` frames
    chunk = lame_file(tmp_path, "one", pcm.tobytes(), mp3.lame_command(RATE))
    assert info(chunk)["frames"] == frames
    assert join([chunk]).mp3 == chunk


def test_joined_info_frame(chunks, joined):
    whole, firsts, lasts = info(joined.mp3), info(chunks[0]), info(chunks[-1])
    audio = [c[frame_size(c) :] for c in chunks]
    assert joined.mp3 == joined.mp3[: frame_size(chunks[0])] + b"".join(audio)  # every chunk's frames, in order
    assert joined.frames == tuple(info(c)["frames"] for c in chunks)
    assert whole["frames"] == sum(joined.frames)
    assert whole["bytes"] == whole["music_length"] == len(joined.mp3)
    assert (whole["delay"], whole["padding"]) == (firsts["delay"], lasts["padding"])
    # the other LAME fields (encoder, quality, lowpass...) as the first chunk's
    assert joined.mp3[LAME_AT : LAME_AT + 21] == chunks[0][LAME_AT : LAME_AT + 21]


def test_joined_crcs_equal_bit_by_bit_reference(joined):
    fields = info(joined.mp3)
    assert fields["music_crc"] == crc16_arc(joined.mp3[frame_size(joined.mp3) :])
    assert fields["tag_crc"] == crc16_arc(joined.mp3[: LAME_AT + 34])


def test_starts_are_at_whole_frames(joined):
    assert joined.starts == (0, joined.frames[0] * 576, (joined.frames[0] + joined.frames[1]) * 576)


# --- the file as players read it --------------------------------------------------------------


def test_each_chunk_plays_where_its_frames_say(pcms, chunks, joined, joined_path, tmp_path):
    """ffmpeg decodes gaplessly (a chunk alone gives back exactly its samples), and in the joined
    file each chunk's content is found, by cross-correlation, at sum(frames[:k]) * 576."""
    alone = tmp_path / "alone.mp3"
    alone.write_bytes(chunks[1])
    assert len(decode(alone)) == len(pcms[1])
    heard = decode(joined_path)
    fields = info(joined.mp3)
    assert len(heard) == sum(joined.frames) * 576 - fields["delay"] - fields["padding"]
    for pcm, start in zip(pcms, joined.starts, strict=True):
        x = pcm.astype(float)
        low = max(0, start - 2000)
        window = heard[low : start + 2000 + len(x)]
        found = low + int(np.argmax(correlate(window, x, mode="valid")))
        match = heard[found : found + len(x)]
        assert abs(found - start) <= 2, (found, start)
        assert np.dot(match, x) / np.linalg.norm(match) / np.linalg.norm(x) > 0.85  # the chunk, not noise


def test_players_agree_with_lame_encoding_the_same_timeline(joined, joined_path, timeline, tmp_path):
    """lame, given the joined file's whole timeline in one go, writes the same frame count, delay,
    padding and TOC; ffprobe (no warnings) and mutagen read the same durations from both."""
    whole = mp3.encode([timeline.tobytes()], RATE)
    whole_path = tmp_path / "whole.mp3"
    whole_path.write_bytes(whole)
    ours, lames = info(joined.mp3), info(whole)
    for field in ("frames", "delay", "padding", "toc"):
        assert ours[field] == lames[field], field
    probed, reference = ffprobe(joined_path), ffprobe(whole_path)
    assert probed == reference
    assert int(probed["nb_read_packets"]) == sum(joined.frames)
    assert float(probed["duration"]) == pytest.approx(mp3.frames_ms(joined.mp3, RATE) / 1000, abs=0.001)
    length = MP3(joined_path).info.length
    assert length == MP3(whole_path).info.length
    assert length == pytest.approx(len(timeline) / RATE, abs=1e-6)


# --- refused --------------------------------------------------------------------------------


def stereo(pcm: np.ndarray) -> bytes:
    return np.repeat(pcm, 2).tobytes()


def other_command(**replace: str) -> list[str]:
    command = mp3.lame_command(RATE)
    for flag, value in replace.items():
        command[command.index(f"-{flag}") + 1] = value
    return command


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("nothing", "no MP3 chunks"),
        ("not an mp3", "not an MP3"),
        ("id3 tagged", "ID3 tag"),
        ("through a pipe", "no Info"),
        ("truncated", "truncated"),
        ("appended to", "truncated or appended"),
        ("frame damaged", "no valid frame header"),
        ("tag damaged", "tag is damaged"),
        ("other delay", "encoder delay 1000, chunk 0 576"),
        ("borrows", "borrows from the frame before"),
        ("other rate", "other lame settings"),
        ("other bitrate", "other lame settings"),
        ("stereo", "other lame settings"),
        ("vbr", "variable bit rate"),
    ],
)
def test_bad_chunks_refused(case, message, pcms, chunks, tmp_path):
    pcm, good = pcms[2], chunks[0]
    bad: bytes
    if case == "nothing":
        with pytest.raises(JoinError, match=message):
            join([])
        return
    if case == "not an mp3":
        bad = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(400)
    elif case == "id3 tagged":
        bad = mp3.tag(chunks[2], mp3.Tags("t", "o", "eng", "c", (mp3.Chapter("a", 0, 100),)))
    elif case == "through a pipe":
        bad = subprocess.run([*mp3.lame_command(RATE), "-", "-"], input=pcm.tobytes(), capture_output=True).stdout
        assert bad[:2] == b"\xff\xf3"  # an MP3, but lame could not go back to write the Info frame
    elif case == "truncated":
        bad = chunks[2][:-100]
    elif case == "appended to":
        bad = chunks[2] + chunks[2][frame_size(chunks[2]) :][:209]
    elif case == "frame damaged":
        starts = frame_starts(chunks[2])
        at = starts[len(starts) // 2]
        assert chunks[2][at : at + 2] == b"\xff\xf3"
        bad = chunks[2][:at] + b"\x00\x00" + chunks[2][at + 2 :]
    elif case == "tag damaged":
        bad = chunks[2][: LAME_AT + 10] + b"\x7f" + chunks[2][LAME_AT + 11 :]
    elif case == "other delay":  # no lame setting changes it: a tag rewritten, its CRC made good
        tagged = bytearray(chunks[2])
        tagged[LAME_AT + 21 : LAME_AT + 24] = (1000 << 12 | info(chunks[2])["padding"]).to_bytes(3, "big")
        tagged[LAME_AT + 34 : LAME_AT + 36] = crc16_arc(tagged[: LAME_AT + 34]).to_bytes(2, "big")
        bad = bytes(tagged)
    elif case == "borrows":  # main_data_begin of the first audio frame (lame always writes 0)
        first_audio = frame_size(chunks[2])
        assert chunks[2][first_audio + 4] == 0
        bad = chunks[2][: first_audio + 4] + b"\x10" + chunks[2][first_audio + 5 :]
    elif case == "other rate":
        bad = lame_file(tmp_path, case, pcm.tobytes(), mp3.lame_command(16000))
    elif case == "other bitrate":
        bad = lame_file(tmp_path, case, pcm.tobytes(), other_command(b="80"))
    elif case == "stereo":
        bad = lame_file(tmp_path, case, stereo(pcm), other_command(m="s"))
    else:  # vbr
        command = other_command()
        at = command.index("-b")
        bad = lame_file(tmp_path, case, pcm.tobytes(), [*command[:at], "-V", "5", *command[at + 2 :]])
    with pytest.raises(JoinError, match=message) as refused:
        join([good, bad])
    assert isinstance(refused.value, mp3.EncodeError)  # callers that catch the encoder's error catch this
    assert "MP3 chunk 1" in str(refused.value)
