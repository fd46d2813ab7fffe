"""16-bit mono PCM: trimming, silence, duration and the WAV container.

numpy for the sample scans, so that trimming every part of a ten-minute recording costs
milliseconds and the parent keeps up with the speech engine synthesising the next part.
"""

from __future__ import annotations

import io
import wave

import numpy as np

SILENCE_THRESHOLD = 64  # |sample| below this (-54 dBFS) counts as silence at the edges


def silence(seconds: float, rate: int) -> bytes:
    return bytes(2 * round(seconds * rate))


def trim(pcm: bytes, threshold: int = SILENCE_THRESHOLD) -> bytes:
    """The PCM without the near-silence espeak leaves before and after speech."""
    loud = np.flatnonzero(np.abs(np.frombuffer(pcm, "<i2").astype(np.int32)) >= threshold)
    if not len(loud):
        return b""
    return pcm[2 * int(loud[0]) : 2 * (int(loud[-1]) + 1)]


def wav(pcm: bytes, rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
    return out.getvalue()


def seconds(pcm: bytes, rate: int) -> float:
    return len(pcm) / 2 / rate
