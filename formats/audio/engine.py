"""pyttsx3's espeak binding, run where it can neither drop audio nor hang the build.

pyttsx3's documented save_to_file path loses files, hangs on a bad directory, ignores unknown
voices and is quadratic on long text (see library-pitfalls.md). This module keeps pyttsx3's
ctypes binding (`pyttsx3.drivers._espeak`) but drives it in espeak's synchronous mode: Synth
returns only when every sample has gone through our callback, so nothing is lost or left on a
background thread. The binding lives in a child interpreter of its own (this file run as a
script: a fresh exec, never a fork, which espeak does not survive, and lighter than
multiprocessing's 'spawn', which re-imports the parent's main module). One child reads one
document, segment after segment; a call that overruns its timeout kills it, so a stuck
synthesis costs one error, never a hung build. Samples are 16-bit mono at espeak's rate
(22,050 Hz).
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
from collections.abc import Generator, Iterable
from contextlib import closing
from multiprocessing.connection import Connection

START_TIMEOUT = 30.0  # seconds for the child to start and initialise espeak
CALL_TIMEOUT = 20.0  # seconds for one synthesis, plus PER_CHAR for each character
PER_CHAR = 0.01
BUFFER_MS = 500  # espeak hands us audio in buffers this long
PIPELINE_CHARS = 8000  # a request this short fits a 64 KB pipe while the child still sends


class SynthesisError(Exception):
    """Synthesis failed, timed out or used the wrong voice. The writer names the block."""


def _serve(requests: Connection, replies: Connection) -> None:
    """The child: espeak in synchronous mode, one request at a time until the pipe closes."""
    import ctypes

    from pyttsx3.drivers import _espeak as espeak

    rate = espeak.Initialize(espeak.AUDIO_OUTPUT_SYNCHRONOUS, BUFFER_MS, None, 0)
    if rate <= 0:
        replies.send(("error", "espeak-ng could not be initialised"))
        return
    chunks: list[bytes] = []

    def collect(wav, count, events):
        if wav and count > 0:
            chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    espeak.SetSynthCallback(collect)
    replies.send(("ready", rate))
    current = {"voice": None, espeak.RATE: None, espeak.VOLUME: None}
    while True:
        try:
            voice, text, wpm, volume = requests.recv()
        except EOFError:
            return
        if voice != current["voice"]:
            espeak.SetVoiceByName(voice.encode())
            got = espeak.GetCurrentVoice()
            name = got.contents.identifier.decode() if got and got.contents.identifier else ""
            if name.lower() != voice.lower():
                current["voice"] = None
                replies.send(("error", f"espeak-ng voice {voice} is not installed (espeak kept {name or 'none'})"))
                continue
            current["voice"] = voice
        for parameter, value in ((espeak.RATE, wpm), (espeak.VOLUME, volume)):
            if current[parameter] != value:
                espeak.SetParameter(parameter, value, 0)
                current[parameter] = value
        chunks.clear()
        status = espeak.Synth(text.encode("utf-8"), flags=espeak.CHARS_UTF8)
        replies.send(
            ("ok", b"".join(chunks)) if status == espeak.EE_OK else ("error", f"espeak-ng returned error {status}")
        )


class Engine:
    """One speech child process, started in the background. Use it through `engine()`."""

    def __init__(self):
        child_reads, to_child = os.pipe()
        from_child, child_writes = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, os.path.abspath(__file__), str(child_reads), str(child_writes)],
                pass_fds=(child_reads, child_writes),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )
        finally:
            os.close(child_reads)
            os.close(child_writes)
        self.requests = Connection(to_child, readable=False)
        self.replies = Connection(from_child, writable=False)
        self.sample_rate = 0

    def wait_ready(self) -> Engine:
        """Block until the child has espeak initialised."""
        if not self.sample_rate:
            kind, value = self._receive(START_TIMEOUT, "starting espeak-ng")
            if kind != "ready":
                self.close(kill=True)
                raise SynthesisError(value)
            self.sample_rate = value
        return self

    def say(self, text: str, voice: str, wpm: int, volume: int) -> bytes:
        """Raw 16-bit mono PCM of `text`, read by `voice` (verified after it is set)."""
        with closing(self.say_all([(text, voice)], wpm, volume)) as pcm:
            return next(pcm)

    def say_all(self, requests: Iterable[tuple[str, str]], wpm: int, volume: int) -> Generator[bytes, None, None]:
        """PCM for each (text, voice) in order, raising SynthesisError at the one that fails.

        The next request is already being synthesised while the caller looks at this one's
        samples (if it is short enough to sit in the pipe while the child is still sending).
        Close the iterator (contextlib.closing) if you stop early: it collects the reply still
        in flight so the next call gets its own answers.
        """
        requests = list(requests)
        sent = received = 0

        def timeout(n: int) -> float:
            return CALL_TIMEOUT + PER_CHAR * len(requests[n][0])

        try:
            while received < len(requests):
                while sent < len(requests) and (
                    sent == received or (sent == received + 1 and len(requests[sent][0]) <= PIPELINE_CHARS)
                ):
                    text, voice = requests[sent]
                    try:
                        self.requests.send((voice, text, wpm, volume))
                    except OSError as exc:
                        self.close(kill=True)
                        raise SynthesisError(f"the speech process is gone ({exc})") from None
                    sent += 1
                kind, value = self._receive(timeout(received), "synthesis")
                received += 1
                if kind != "ok":
                    raise SynthesisError(value)
                yield value
        finally:
            try:
                while received < sent and self.alive:
                    self._receive(timeout(received), "synthesis")
                    received += 1
            except SynthesisError:
                pass  # the child is gone; the next call starts a new one

    def _receive(self, timeout: float, what: str):
        try:
            if self.replies.poll(timeout):
                return self.replies.recv()
        except (EOFError, OSError):
            self.close(kill=True)
            raise SynthesisError(f"the speech process died during {what}") from None
        self.close(kill=True)
        raise SynthesisError(f"{what} took longer than {timeout:.0f} s and was stopped")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None and not self.requests.closed

    def close(self, kill: bool = False) -> None:
        """Close the pipes: the child sees end-of-input and exits. `kill` if it may be stuck."""
        for conn in (self.requests, self.replies):
            if not conn.closed:
                conn.close()
        if kill and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5.0)


_lock = threading.Lock()
_spare: Engine | None = None


class engine:
    """`with engine() as e: e.say(...)`: a speech child whose espeak has read nothing yet.

    espeak-ng carries state from one utterance to the next (the same text comes out a few
    samples longer or shorter; no API call resets it), so each document gets a fresh child and
    identical input gives identical audio. The next child is started in the background as
    this one is retired, so its start-up overlaps the caller's MP3 encoding.
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


def warm_up() -> None:
    """Have a speech child started and ready, e.g. when a build worker starts."""
    global _spare
    with _lock:
        if _spare is None or not _spare.alive:
            _spare = Engine()
        _spare.wait_ready()


@atexit.register
def shutdown() -> None:
    """Stop the spare speech child (also run at exit so no process outlives the build)."""
    global _spare
    with _lock:
        if _spare is not None:
            _spare.close(kill=True)
            _spare = None


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
