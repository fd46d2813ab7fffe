"""The loudness measurement and the true-peak limiter, against pyloudnorm and scipy's resampler."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import butter, resample_poly, sosfilt

from formats.audio import loudness

RATE = 22050


def speech_like(seconds: float, seed: int = 1) -> np.ndarray:
    """Bursts of noise band-limited as espeak-ng's speech is (below 5 kHz), with a speech-like
    crest factor, between silences."""
    rng = np.random.default_rng(seed)
    out = np.zeros(int(seconds * RATE))
    at = 0
    while at < len(out):
        length, gap = rng.integers(RATE // 5, 2 * RATE), rng.integers(RATE // 10, RATE)
        burst = rng.standard_normal(length) * rng.uniform(0.02, 0.12)
        burst *= 1 + 4 * (rng.random(length) < 0.002)  # occasional peaks well above the rest
        out[at : at + length] = burst[: len(out) - at]
        at += length + gap
    out = sosfilt(butter(8, 5000, fs=RATE, output="sos"), out)
    return np.clip(np.rint(out * 32768), -32768, 32767).astype(np.int16)


def true_peak_dbtp(samples: np.ndarray) -> float:
    """The 8x-oversampled peak (finer than BS.1770's 4x), in dB of full scale."""
    return float(20 * np.log10(np.abs(resample_poly(samples.astype(np.float64) / 32768, 8, 1)).max()))


def test_integrated_loudness_is_pyloudnorms():
    x = speech_like(60)
    pieces = [
        (0, loudness.energy(x[: 30 * RATE].tobytes(), RATE)),
        (30 * RATE, loudness.energy(x[30 * RATE :].tobytes(), RATE)),
    ]
    ours = loudness.integrated(pieces, len(x), RATE)
    theirs = pyloudnorm.Meter(RATE).integrated_loudness(x / 32768)
    assert ours == pytest.approx(theirs, abs=0.02)


def test_the_limiter_reaches_the_target_under_the_true_peak_ceiling():
    x = speech_like(60, seed=2)
    measured = pyloudnorm.Meter(RATE).integrated_loudness(x / 32768)
    level = loudness.normalise(x, measured, RATE)
    out = level.samples.astype(np.float64) * level.gain
    assert pyloudnorm.Meter(RATE).integrated_loudness(out / 32768) == pytest.approx(
        loudness.TARGET_LUFS + loudness.ENCODER_LOSS, abs=0.15
    )
    assert true_peak_dbtp(out) <= loudness.CEILING_DBTP - loudness.MARGIN_DB + 0.1
    assert true_peak_dbtp(x * level.gain) > loudness.CEILING_DBTP  # without the limiter it would clip
    assert not np.array_equal(level.samples, x) and level.samples is not x


def test_true_peaks_between_samples_are_found():
    """A quarter-rate sine sampled 45 degrees off its crests: every sample is at 0.707 of the peak."""
    n = np.arange(4096)
    x = np.rint(20000 * np.sin(np.pi / 2 * n + np.pi / 4)).astype(np.int16)
    _, peaks = loudness._true_peaks(x, 10000)
    crests = np.abs(peaks - 20000) < 20000 * 0.02  # the intervals holding a crest
    assert abs(x).max() < 14200 and crests.sum() >= len(n) // 2 - 2 * 12
    assert np.all(peaks[~crests] < 15000)  # and the zero-crossing intervals have none
