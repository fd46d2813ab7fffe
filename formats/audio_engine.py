"""pyttsx3's espeak binding, run where it can neither drop audio nor hang the build.

pyttsx3's documented save_to_file path loses files, hangs on a bad directory, ignores unknown
voices and is quadratic on long text (see library-pitfalls.md). This module keeps pyttsx3's
ctypes binding (`pyttsx3.drivers._espeak`) but drives it in espeak's synchronous mode: Synth
returns only when every sample has gone through our callback, so nothing is lost or left on a
background thread. The binding lives in a child process started with 'spawn' (espeak hangs
after fork and allows one engine per process); one child reads a whole document, segment
after segment, and any call that overruns its timeout kills it, so a stuck synthesis costs
one error, never a hung build. Samples are 16-bit mono at espeak's rate (22,050 Hz).
"""
from __future__ import annotations

import atexit
import multiprocessing
import threading
from contextlib import closing
from typing import Iterable, Iterator

START_TIMEOUT = 30.0        # seconds for the child to import and initialise espeak
CALL_TIMEOUT = 20.0         # seconds for one synthesis, plus PER_CHAR for each character
PER_CHAR = 0.01
BUFFER_MS = 500             # espeak hands us audio in buffers this long


class SynthesisError(Exception):
    """Synthesis failed, timed out or used the wrong voice. The writer names the block."""


def _serve(conn) -> None:
    """The child: espeak in synchronous mode, one request at a time until the pipe closes."""
    import ctypes

    from pyttsx3.drivers import _espeak as espeak

    rate = espeak.Initialize(espeak.AUDIO_OUTPUT_SYNCHRONOUS, BUFFER_MS, None, 0)
    if rate <= 0:
        conn.send(("error", "espeak-ng could not be initialised"))
        return
    chunks: list[bytes] = []

    def collect(wav, count, events):
        if wav and count > 0:
            chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    espeak.SetSynthCallback(collect)
    conn.send(("ready", rate))
    current = {"voice": None, espeak.RATE: None, espeak.VOLUME: None}
    while True:
        try:
            voice, text, wpm, volume = conn.recv()
        except EOFError:
            return
        if voice != current["voice"]:
            espeak.SetVoiceByName(voice.encode())
            got = espeak.GetCurrentVoice()
            name = got.contents.identifier.decode() if got and got.contents.identifier else ""
            if name.lower() != voice.lower():
                current["voice"] = None
                conn.send(("error", f"espeak-ng voice {voice} is not installed (espeak kept {name or 'none'})"))
                continue
            current["voice"] = voice
        for parameter, value in ((espeak.RATE, wpm), (espeak.VOLUME, volume)):
            if current[parameter] != value:
                espeak.SetParameter(parameter, value, 0)
                current[parameter] = value
        chunks.clear()
        status = espeak.Synth(text.encode("utf-8"), flags=espeak.CHARS_UTF8)
        if status != espeak.EE_OK:
            conn.send(("error", f"espeak-ng returned error {status}"))
        else:
            conn.send(("ok", b"".join(chunks)))


class Engine:
    """One speech child process. Not thread-safe by itself: use `engine()`, which locks."""

    def __init__(self):
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child,), daemon=True, name="espeak-ng")
        self.process.start()
        child.close()
        self.sample_rate = 0

    def wait_ready(self) -> "Engine":
        """Block until the child has espeak initialised (started in the background by __init__)."""
        if not self.sample_rate:
            kind, value = self._receive(START_TIMEOUT, "starting espeak-ng")
            if kind != "ready":
                self.close()
                raise SynthesisError(value)
            self.sample_rate = value
        return self

    def say(self, text: str, voice: str, wpm: int, volume: int) -> bytes:
        """Raw 16-bit mono PCM of `text`, read by `voice` (verified after it is set)."""
        with closing(self.say_all([(text, voice)], wpm, volume)) as pcm:
            return next(pcm)

    def say_all(self, requests: Iterable[tuple[str, str]], wpm: int, volume: int) -> Iterator[bytes]:
        """PCM for each (text, voice) in order, raising SynthesisError at the one that fails.

        The next request is already being synthesised while the caller looks at this one's
        samples. Close the iterator (contextlib.closing) if you stop early: it collects the
        reply still in flight so the next call gets its own answers.
        """
        queue = iter(requests)
        in_flight: list[str] = []

        def send_next():
            request = next(queue, None)
            if request is not None:
                text, voice = request
                try:
                    self.conn.send((voice, text, wpm, volume))
                except OSError as exc:
                    self.close(kill=True)
                    raise SynthesisError(f"the speech process is gone ({exc})") from None
                in_flight.append(text)

        try:
            send_next()
            while in_flight:
                send_next()
                kind, value = self._receive(CALL_TIMEOUT + PER_CHAR * len(in_flight.pop(0)), "synthesis")
                if kind != "ok":
                    raise SynthesisError(value)
                yield value
        finally:
            try:
                while in_flight and self.alive:
                    self._receive(CALL_TIMEOUT + PER_CHAR * len(in_flight.pop(0)), "synthesis")
            except SynthesisError:
                pass                    # the child is gone; the next call starts a new one

    def _receive(self, timeout: float, what: str):
        try:
            if self.conn.poll(timeout):
                return self.conn.recv()
        except (EOFError, OSError):
            self.close(kill=True)
            raise SynthesisError(f"the speech process died during {what}") from None
        self.close(kill=True)
        raise SynthesisError(f"{what} took longer than {timeout:.0f} s and was stopped")

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def close(self, kill: bool = False) -> None:
        """Let the child see the closed pipe and exit; kill it if it is stuck (or `kill`)."""
        self.conn.close()
        if not kill:
            self.process.join(timeout=2.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5.0)


_lock = threading.Lock()
_spare: Engine | None = None


class engine:
    """`with engine() as e: e.say(...)`: a speech child whose espeak has read nothing yet.

    espeak-ng carries state from one utterance to the next (the same text comes out a few
    samples longer or shorter), so each document gets a fresh child and identical input gives
    identical audio. The next child is started in the background as this one is retired, so
    the start-up overlaps the caller's MP3 encoding instead of adding to it.
    """

    def __enter__(self) -> Engine:
        global _spare
        _lock.acquire()
        try:
            current, _spare = (_spare if _spare is not None and _spare.alive else Engine()), None
            self.current = current.wait_ready()
        except BaseException:
            _lock.release()
            raise
        return self.current

    def __exit__(self, *exc) -> None:
        global _spare
        try:
            self.current.close()
            _spare = Engine()
        finally:
            _lock.release()


@atexit.register
def shutdown() -> None:
    """Stop the spare speech child (also run at exit so no process outlives the build)."""
    global _spare
    with _lock:
        if _spare is not None:
            _spare.close(kill=True)
            _spare = None
