"""Spoken-word loudness: -19 LUFS integrated (EBU R128 / ITU-R BS.1770-4, mono), true peak <= -1 dBTP.

The measurement is BS.1770-4 with pyloudnorm's K-weighting filters; the gating is done here on
energies kept per 64-sample chunk, because pyloudnorm's own block loop is Python (0.5 s for ten
minutes of speech, more than all the rest of the audio step) and because each spoken part is
weighed on its own, from rest, so a chapter's parts are weighed only when it is levelled. A test checks
the figure against pyloudnorm's `integrated_loudness` and the MP3 against FFmpeg's ebur128.

espeak-ng's speech has a high crest factor (peaks 19-22 dB above its loudness), so reaching
-19 LUFS needs a true-peak limiter: 4x oversampled peaks (windowed-sinc interpolation between
every two samples of which one is within OVERSHOOT of the ceiling, as BS.1770's true-peak meter
oversamples), a gain that holds for HOLD seconds around each peak and moves smoothly (a moving
average no wider than the hold, so it is never above what the peak needs), applied only where a
peak would pass the ceiling. The ceiling is MARGIN below -1 dBTP because
MP3 encoding adds overshoot of its own. The loudness the limiter takes away is measured and
given back, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyloudnorm
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import sosfilt

TARGET_LUFS = -19.0  # mono speech (AES TD1004: -16 LUFS stereo, -19 mono)
# lame's low-pass at 64 kbit/s takes away high frequencies that K-weighting counts: the MP3 measures
# 0.40-0.45 LU below its PCM (FFmpeg's ebur128, all ten sample locales), so the PCM aims this much higher
ENCODER_LOSS = 0.4  # (a WAV, not encoded, is given that much less: `uncoded`)
CEILING_DBTP = -1.0
MARGIN_DB = 1.0  # the PCM is limited this far below the ceiling: MP3 encoding adds overshoot
CHUNK = 64  # samples per energy chunk: block edges move by at most 1.5 ms at 22,050 Hz
HOLD = 0.010  # seconds the limiter's gain holds around a peak (and takes to recover)
GIVE_BACK = 1.0  # dB at most of loudness lost to the limiter that is given back
# How far a true peak can rise above both samples beside it, in dB: 2.4 dB for a 5 kHz tone at
# 22,050 Hz; espeak-ng's loud peaks are voiced speech well below that (FFmpeg's test confirms)
OVERSHOOT = 3.0
OVERSAMPLE = 4
# A constant this small (-180 dBFS, removed by the high-pass) keeps the filter's state out of
# float32's denormal range in silences, where it would otherwise run four times slower.
DENORMAL_GUARD = 1e-9
_BLOCK, _HOPS, _ABSOLUTE, _RELATIVE = 0.4, 4, -70.0, -10.0  # BS.1770-4 gating
FULL_SCALE = 32768.0


@cache
def _k_weighting(rate: int) -> np.ndarray:
    """pyloudnorm's K-weighting (its two biquads, passband gains included) as second-order sections."""
    meter = pyloudnorm.Meter(rate)
    sections = [np.hstack([f.b * f.passband_gain, f.a]) for f in meter._filters.values()]
    return np.vstack(sections).astype(np.float32)  # float32 throughout: twice as fast, 1e-4 LU


def energy(pcm: bytes, rate: int) -> np.ndarray:
    """K-weighted energy of 16-bit mono samples, summed per CHUNK samples (the last chunk shorter).
    The filter starts at rest: every part is weighed on its own, after a pause."""
    x = np.frombuffer(pcm, "<i2").astype(np.float32) / np.float32(FULL_SCALE) + np.float32(DENORMAL_GUARD)
    y = sosfilt(_k_weighting(rate), x)
    y *= y
    whole = len(y) // CHUNK * CHUNK
    chunks = y[:whole].reshape(-1, CHUNK).sum(axis=1, dtype=np.float64)
    return np.append(chunks, y[whole:].sum(dtype=np.float64)) if whole < len(y) else chunks


def integrated(pieces: list[tuple[int, np.ndarray]], samples: int, rate: int) -> float:
    """Integrated loudness (LUFS) of a recording `samples` long made of silence and the pieces
    (start sample, chunk energies from `energy`)."""
    hop = rate // 10
    hops = samples // hop + 1
    starts = np.concatenate([start + CHUNK * np.arange(len(e)) for start, e in pieces])
    per_hop = np.bincount(starts // hop, weights=np.concatenate([e for _, e in pieces]), minlength=hops)[:hops]
    blocks = round((samples / rate - _BLOCK) / (_BLOCK / _HOPS)) + 1  # as pyloudnorm counts them
    z: np.ndarray = np.sum([per_hop[i : i + blocks] for i in range(_HOPS)], axis=0) / (_BLOCK * rate)
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(z)
    gated = z[loud >= _ABSOLUTE]
    if not len(gated):
        return float("-inf")
    relative = -0.691 + 10 * np.log10(gated.mean()) + _RELATIVE
    return float(-0.691 + 10 * np.log10(z[(loud > relative) & (loud > _ABSOLUTE)].mean()))


@dataclass(frozen=True)
class Levelled:
    """The recording limited in place where needed, and the gain that then brings it to target."""

    samples: np.ndarray  # int16, peaks already reduced where the gain would take them over the ceiling
    gain: float  # to apply to every sample for the MP3 (lame's --scale); `uncoded` for a WAV


def normalise(samples: np.ndarray, loudness: float, rate: int) -> Levelled:
    """Gain to TARGET_LUFS from the measured `loudness`, with the peaks that gain would take past
    the ceiling limited in `samples` (a copy); the loudness lost in limiting is given back once."""
    if not np.isfinite(loudness):
        return Levelled(samples, 1.0)
    gain = 10 ** ((TARGET_LUFS + ENCODER_LOSS - loudness) / 20)
    # every peak the gain (with up to GIVE_BACK dB more) could take past the ceiling, found once
    at, peaks = _true_peaks(samples, _ceiling(gain * 10 ** (GIVE_BACK / 20)) * 10 ** (-OVERSHOOT / 20))
    as_float = samples.astype(np.float32)
    energy = float(np.dot(as_float, as_float))  # BLAS: the sum of squares in milliseconds
    out = samples.copy()
    lost = limit(out, at, peaks, _ceiling(gain), rate, energy)
    if lost > 0.05:
        gain *= 10 ** (min(lost, GIVE_BACK) / 20)
        out = samples.copy()
        limit(out, at, peaks, _ceiling(gain), rate, energy)
    return Levelled(out, gain)


def uncoded(gain: float) -> float:
    """The gain for the same recording not encoded to MP3 (a WAV)."""
    return gain * 10 ** (-ENCODER_LOSS / 20)


def _ceiling(gain: float) -> float:
    """The highest true peak, in sample units before `gain`, that stays under the ceiling."""
    return 10 ** ((CEILING_DBTP - MARGIN_DB) / 20) * FULL_SCALE / gain


def limit(samples: np.ndarray, at: np.ndarray, peaks: np.ndarray, ceiling: float, rate: int, energy: float) -> float:
    """Reduce, in place, the stretches around the true peaks (at sample `at`, `peaks` high) that
    are over `ceiling`; returns the loudness taken away, in dB, estimated from the share of the
    recording's `energy` (its sum of squares) removed.

    The stretches are processed as one array laid end to end: each has `reach` samples of unit
    gain at both ends, more than the filters see, so no stretch's gain leaks into the next."""
    over = peaks > ceiling
    at, needs = at[over], (ceiling / peaks[over]).astype(np.float32)
    if not len(at):
        return 0.0
    hold = max(1, round(HOLD * rate))
    reach = 2 * hold + 1
    breaks = np.flatnonzero(np.diff(at) > 2 * reach)
    firsts = np.maximum(np.concatenate([[at[0]], at[breaks + 1]]) - reach, 0)
    lasts = np.minimum(np.concatenate([at[breaks], [at[-1]]]) + reach + 1, len(samples))
    lengths = lasts - firsts
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])  # where each stretch begins, end to end
    where = np.repeat(firsts - starts, lengths) + np.arange(lengths.sum())  # the sample at each position
    stretch = np.repeat(np.arange(len(firsts)), np.diff(np.concatenate([[0], breaks + 1, [len(at)]])))
    needed = np.ones(len(where), dtype=np.float32)
    needed[at - firsts[stretch] + starts[stretch]] = needs
    held = minimum_filter1d(needed, 2 * hold + 1, mode="nearest")
    gains = np.minimum(uniform_filter1d(held, hold | 1, mode="nearest"), needed)  # within the hold: never above
    region = samples[where].astype(np.float32)
    limited = np.rint(region * gains)
    removed = float(np.dot(region, region) - np.dot(limited, limited))
    samples[where] = limited.astype(np.int16)
    return float(-10 * np.log10(1 - removed / energy)) if energy > removed else 0.0


_TAPS = 12  # samples either side used to interpolate between two samples


@cache
def _interpolators() -> np.ndarray:
    """Kaiser-windowed sinc filters for the OVERSAMPLE - 1 points between a sample and the next
    (BS.1770-4's true peak is 4x oversampled), applied to the _TAPS samples either side."""
    k = np.arange(-_TAPS + 1, _TAPS + 1)
    window = np.kaiser(2 * _TAPS, 8.0)
    offsets = [o / OVERSAMPLE for o in range(1, OVERSAMPLE)]
    return np.stack([np.sinc(k - f) * window for f in offsets], axis=1).astype(np.float32)


def _true_peaks(samples: np.ndarray, above: float) -> tuple[np.ndarray, np.ndarray]:
    """For each sample n next to one over `above`: the 4x-oversampled peak from n to n + 1
    (the higher of the two samples and the points interpolated between them)."""
    limit = int(min(above, FULL_SCALE - 1))
    high = (samples > limit) | (samples < -limit)
    n = np.flatnonzero(high[:-1] | high[1:])
    n = n[(n >= _TAPS - 1) & (n < len(samples) - _TAPS)]
    if not len(n):
        return n, np.zeros(0, dtype=np.float32)
    n = n.astype(np.int32)
    windows = samples[n[:, None] + np.arange(-_TAPS + 1, _TAPS + 1, dtype=np.int32)].astype(np.float32)
    between = np.abs(windows @ _interpolators()).max(axis=1)
    ends = np.abs(windows[:, _TAPS - 1 : _TAPS + 1]).max(axis=1)  # the samples n and n + 1
    return n, np.maximum(between, ends)
