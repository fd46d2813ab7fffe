"""Join MP3s that lame encoded separately (one per chapter) into one MP3, without re-encoding.

Why: re-encoding a 15-minute narration costs seconds of CPU; when one sentence changes, only
its chapter's chunk needs lame again, and the cached chunks are joined here in milliseconds.

The result is what lame itself would have written for a stream of those frames: one Info frame
(Xing + LAME tag) in front, then every chunk's audio frames in order. Each chunk's own Info frame
is dropped. What lame 3.100 writes there, read from its own files of known length (CBR):

* frames: the audio frames, the Info frame not counted;
* bytes and LAME "music length": the whole file, the Info frame included (both the same);
* TOC: lame's seek table (`addVbr` / `Xing_seek_table` in VbrTag.c), which for constant bit rate
  depends only on the frame count; recomputed here exactly as lame does (float32 arithmetic and all);
* encoder delay (first chunk's) and padding (last chunk's), 12 bits each;
* music CRC: CRC-16/ARC of the audio frames (everything after the Info frame);
* tag CRC: CRC-16/ARC of the Info frame up to the tag CRC field (190 bytes for MPEG-1 stereo;
  167 here, MPEG-2 mono, whose side information is shorter).

Timeline: every chunk starts with the same encoder delay (checked), so in a gapless player's
timeline chunk k's first sample plays at `Joined.starts[k]` = sum(frames[:k]) * samples_per_frame.
Each chunk's decoded padding and the next chunk's delay stay in the stream between the two as
near-silence (padding + delay samples, 1,153-1,728 at lame's usual 576 delay), which is why a
chunk should end where its speech ends and start with its pause.

Only the frame headers are read, not the audio: the music CRC of the whole is combined from the
chunks' own (see `_crc16_combine`), trusted as lame wrote them (each chunk's tag CRC is checked,
and its frames counted against its Info frame). Joining 15 one-minute chunks (7 MB) takes about
12 ms, most of it walking 34,500 frame headers; a CRC over the bytes in Python would take 0.3 s.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from math import floor

import numpy as np

from ..contract import stamp
from . import mp3
from .mp3 import EncodeError
from .store import code_of, opened

ENCODERS = max(1, min(4, os.cpu_count() or 1))  # lame processes at once in `encode_chapters`
_HEADER_MASK = 0xFFFFFCC0  # what all frames of one stream share: not padding, private bit, mode extension, flags
_SLOTS = 400  # lame's seek "bag" (VBR_seek_table.size)
_TOC_ENTRIES = 100
# Offsets from "Info": flags, frames, bytes, TOC, quality, then the LAME tag (at 120).
_FRAMES, _BYTES, _TOC, _LAME = 8, 12, 16, 120
_DELAY_PADDING = _LAME + 21  # 3 bytes: delay (12 bits), padding (12 bits)
_MUSIC_LENGTH, _MUSIC_CRC, _TAG_CRC = _LAME + 28, _LAME + 32, _LAME + 34
_TAG_END = _LAME + 36
_ALL_FLAGS = 0xF  # frames, bytes, TOC and quality present: what lame writes
# Fields that differ between streams; every other byte of the Info frames must agree.
_PER_STREAM = ((_FRAMES, _TOC + _TOC_ENTRIES), (_DELAY_PADDING, _DELAY_PADDING + 3), (_MUSIC_LENGTH, _TAG_END))

_BITRATES = {  # kbit/s by bitrate index, layer III: MPEG-1, and MPEG-2 / 2.5
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits


class JoinError(EncodeError):
    """A chunk is not lame's MP3 with an Info frame, or does not match the others."""


@dataclass(frozen=True)
class Joined:
    mp3: bytes
    frames: tuple[int, ...]  # audio frames each chunk contributed, in order
    samples_per_frame: int  # 576 for MPEG-2 layer III (22,050 Hz), 1,152 for MPEG-1

    @property
    def starts(self) -> tuple[int, ...]:
        """Where each chunk's first sample plays, in samples from the start of the gapless timeline."""
        at, starts = 0, []
        for n in self.frames:
            starts.append(at * self.samples_per_frame)
            at += n
        return tuple(starts)


@dataclass(frozen=True)
class _Chunk:
    info: bytes  # the whole Info frame
    at: int  # where "Info" starts in it
    audio: memoryview  # the audio frames after it
    frames: int
    kbps: int
    samples_per_frame: int
    delay: int
    padding: int
    music_crc: int


def join(chunks: Sequence[bytes]) -> Joined:
    """One MP3 of the chunks' audio in order, with an Info frame for the whole.

    Each chunk must be exactly what lame (mp3.lame_command, to a file, no ID3 tag) wrote, all with
    the same settings; anything else raises JoinError rather than give a file that lies about
    its length. One chunk comes back byte for byte.
    """
    if not chunks:
        raise JoinError("no MP3 chunks to join")
    parsed = [_parse(k, chunk) for k, chunk in enumerate(chunks)]
    first, last = parsed[0], parsed[-1]
    for k, c in enumerate(parsed[1:], 1):
        if _settings(c) != _settings(first):
            raise JoinError(
                f"MP3 chunk {k} was encoded with other lame settings than chunk 0 (rate, bitrate, mode...):"
                " encode every chunk with the same mp3.lame_command"
            )
        if c.delay != first.delay:
            raise JoinError(f"MP3 chunk {k} has encoder delay {c.delay}, chunk 0 {first.delay}: timeline would drift")
    audio_bytes = sum(len(c.audio) for c in parsed)
    total = len(first.info) + audio_bytes
    if total >= 1 << 32:
        raise JoinError(f"joined MP3 would be {total} bytes, over the Info frame's 4 GB limit")
    frames = sum(c.frames for c in parsed)
    music_crc = 0
    for c in parsed:
        music_crc = _crc16_combine(music_crc, c.music_crc, len(c.audio))
    info = bytearray(first.info)
    at = first.at
    struct.pack_into(">II", info, at + _FRAMES, frames, total)
    info[at + _TOC : at + _TOC + _TOC_ENTRIES] = _toc(frames, first.kbps)
    info[at + _DELAY_PADDING : at + _DELAY_PADDING + 3] = (first.delay << 12 | last.padding).to_bytes(3, "big")
    struct.pack_into(">IH", info, at + _MUSIC_LENGTH, total, music_crc)
    struct.pack_into(">H", info, at + _TAG_CRC, _crc16(info[: at + _TAG_CRC]))
    mp3 = b"".join([bytes(info), *(c.audio for c in parsed)])
    return Joined(mp3, tuple(c.frames for c in parsed), first.samples_per_frame)


def _parse(k: int, mp3: bytes) -> _Chunk:
    """One chunk's Info frame and audio frames, every frame header and the tag checked."""
    name = f"MP3 chunk {k}"
    if mp3[:3] == b"ID3":
        raise JoinError(f"{name} starts with an ID3 tag: join lame's output before tagging")
    version, kbps, mono, padded, size = _header(name, mp3)
    spf = 1152 if version == 3 else 576
    at = 4 + (17 if mono else 32) if version == 3 else 4 + (9 if mono else 17)
    marker = mp3[at : at + 4]
    if marker == b"Xing":
        raise JoinError(f"{name} is variable bit rate: join takes constant bit rate (lame -b)")
    if marker != b"Info" or len(mp3) < size or size < at + _TAG_END or mp3[at + _LAME : at + _LAME + 4] != b"LAME":
        raise JoinError(f"{name} has no Info (LAME) frame: encode to a file with lame, not to a pipe")
    info = mp3[:size]
    flags, frames, nbytes = struct.unpack_from(">III", info, at + 4)
    music_length, music_crc, tag_crc = struct.unpack_from(">IHH", info, at + _MUSIC_LENGTH)
    if flags != _ALL_FLAGS or tag_crc != _crc16(info[: at + _TAG_CRC]):
        raise JoinError(f"{name}'s LAME tag is damaged (flags or tag CRC wrong)")
    if nbytes != len(mp3) or music_length != len(mp3):
        raise JoinError(f"{name} is {len(mp3)} bytes but its LAME tag says {nbytes}: truncated or appended to")
    # Walk the frames: all must have the Info frame's header, and exactly fill the chunk.
    reference = int.from_bytes(mp3[:4], "big") & _HEADER_MASK
    base = size - padded  # frame size without the padding byte
    count, pos, end = 0, size, len(mp3)
    while pos < end:
        word = int.from_bytes(mp3[pos : pos + 4], "big")
        if pos + 4 > end or word & _HEADER_MASK != reference:
            raise JoinError(f"{name}: no valid frame header at byte {pos} (damaged, or not one CBR stream)")
        pos += base + (word >> 9 & 1)
        count += 1
    if pos != end or count != frames:
        raise JoinError(f"{name} holds {count} audio frames but its Info frame says {frames}: damaged")
    # A frame may borrow bytes from the frames before it (the bit reservoir); the first audio
    # frame after lame's Info frame borrows none, or it would read the previous chunk's bytes.
    if frames and int.from_bytes(mp3[size + 4 : size + 6], "big") >> (7 if version == 3 else 8):
        raise JoinError(f"{name}'s first audio frame borrows from the frame before it: not lame's own output")
    delay_padding = int.from_bytes(info[at + _DELAY_PADDING : at + _DELAY_PADDING + 3], "big")
    return _Chunk(
        info, at, memoryview(mp3)[size:], frames, kbps, spf, delay_padding >> 12, delay_padding & 0xFFF, music_crc
    )


def _header(name: str, mp3: bytes) -> tuple[int, int, bool, int, int]:
    """(version bits, kbit/s, mono, padding bit, frame size) of the first frame, a layer III one."""
    if len(mp3) < 4:
        raise JoinError(f"{name} is too short to be an MP3 ({len(mp3)} bytes)")
    word = int.from_bytes(mp3[:4], "big")
    version, layer, unprotected = word >> 19 & 3, word >> 17 & 3, word >> 16 & 1
    bitrate_index, rate_index = word >> 12 & 0xF, word >> 10 & 3
    if word >> 21 != 0x7FF or version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        raise JoinError(f"{name} does not start with an MPEG layer III frame: not an MP3 lame wrote")
    if not unprotected:
        raise JoinError(f"{name} has CRC-protected frames (lame -p): join takes lame's default, unprotected")
    kbps = _BITRATES[1 if version == 3 else 2][bitrate_index]
    rate = _RATES[version][rate_index]
    padded = word >> 9 & 1
    size = (144 if version == 3 else 72) * kbps * 1000 // rate + padded
    return version, kbps, word >> 6 & 3 == 3, padded, size


def _settings(chunk: _Chunk) -> bytes:
    """The Info frame with the per-stream fields blanked: what equal lame settings leave equal."""
    out = bytearray(chunk.info)
    for start, end in _PER_STREAM:
        out[chunk.at + start : chunk.at + end] = bytes(end - start)
    return bytes(out)


def _toc(frames: int, kbps: int) -> bytes:
    """lame's TOC for `frames` frames of constant bit rate: lame 3.100's `addVbr` (a bag of 400
    running bit-rate sums, halved when full) and `Xing_seek_table`, in its float32 arithmetic so
    every entry rounds as lame's does."""
    bag: list[int] = []
    want, seen, total = 1, 0, 0
    for _ in range(frames):
        total += kbps
        seen += 1
        if seen < want:
            continue
        if len(bag) < _SLOTS:
            bag.append(total)
            seen = 0
        if len(bag) == _SLOTS:
            bag = bag[1::2]
            want *= 2
    toc = bytearray(_TOC_ENTRIES)
    if not bag:
        return bytes(toc)
    pos, whole = np.float32(len(bag)), np.float32(total)
    for i in range(1, _TOC_ENTRIES):
        j = np.float32(i) / np.float32(_TOC_ENTRIES)
        index = min(floor(float(j * pos)), len(bag) - 1)
        toc[i] = min(int(256.0 * float(np.float32(bag[index])) / float(whole)), 255)
    return bytes(toc)


# CRC-16/ARC (poly 0x8005 reflected as 0xA001, init 0, no final xor), as in lame's VbrTag.c.
# Hand-written rather than a library's: only the Info frame (under 200 bytes) is ever run
# through it, and the combination below (which no CRC-16 library on PyPI offers) does the rest.
def _table_entry(byte: int) -> int:
    crc = byte
    for _ in range(8):
        crc = crc >> 1 ^ (0xA001 if crc & 1 else 0)
    return crc


_CRC_TABLE = tuple(_table_entry(b) for b in range(256))


def _crc16(data: bytes | bytearray, crc: int = 0) -> int:
    for byte in data:
        crc = crc >> 8 ^ _CRC_TABLE[(crc ^ byte) & 0xFF]
    return crc


def _crc16_combine(crc_a: int, crc_b: int, length_b: int) -> int:
    """CRC of A followed by B from the CRCs of each and B's length, as zlib's crc32_combine.

    With init 0 and no final xor the CRC is linear over GF(2), so crc(A+B) = crc_b xor the
    register crc_a after `length_b` zero bytes; that shift is a 16x16 bit matrix, applied once
    per set bit of the length (under 4 GB: join checks) from the powers of two in `_ZERO_BYTES`."""
    for matrix in _ZERO_BYTES:
        if length_b & 1:
            crc_a = _apply(matrix, crc_a)
        length_b >>= 1
    return crc_a ^ crc_b


def _apply(matrix: list[int], vector: int) -> int:
    out, bit = 0, 0
    while vector:
        if vector & 1:
            out ^= matrix[bit]
        vector >>= 1
        bit += 1
    return out


def _zero_bytes() -> tuple[list[int], ...]:
    """The register's change over 2**i zero bytes, i = 0..31: each a 16x16 bit matrix (a column per
    bit), the first by running one zero byte through each bit, the next by squaring."""
    matrix = [_crc16(b"\0", 1 << bit) for bit in range(16)]
    powers = [matrix]
    for _ in range(31):
        matrix = [_apply(matrix, column) for column in matrix]
        powers.append(matrix)
    return tuple(powers)


_ZERO_BYTES = _zero_bytes()


def encode_chapters(chapters: list[tuple[bytes, float]], rate: int) -> Joined:
    """The PCM chapters, each with its gain, encoded one by one and joined: a chapter whose
    samples, gain and encoder (lame, and mp3.py that runs it) are unchanged is taken as kept (the
    writers' `mp3` folder) rather than encoded again, so an edit re-encodes only its own chapter.
    The chapters to encode go to lame ENCODERS at a time (processes: the machine's cores)."""
    lame = (stamp(shutil.which("lame") or "lame"), code_of(mp3.__file__))
    with opened("mp3") as store:
        keys = [
            hashlib.blake2b(repr((mp3.lame_command(rate, gain), lame)).encode() + pcm, digest_size=20).hexdigest()
            for pcm, gain in chapters
        ]
        kept = [store.get(key) if store else None for key in keys]
        with ThreadPoolExecutor(ENCODERS) as encoders:
            made = {
                n: encoders.submit(mp3.encode, [pcm], rate, gain)
                for n, ((pcm, gain), chunk) in enumerate(zip(chapters, kept, strict=True))
                if chunk is None
            }
            encoded = [made[n].result() if chunk is None else chunk for n, chunk in enumerate(kept)]
        if store:
            for n in made:
                store.put(keys[n], encoded[n])
    return join(encoded)
