"""pyttsx3's espeak binding, run where it can neither drop audio nor hang the build.

pyttsx3's documented save_to_file path loses files, hangs on a bad directory, ignores unknown
voices and is quadratic on long text (see library-pitfalls.md). This module keeps pyttsx3's
ctypes binding (`pyttsx3.drivers._espeak`) but drives it in espeak's synchronous mode: Synth
returns only when every sample has gone through our callback, so nothing is lost or left on a
background thread. The binding lives in a child interpreter of its own (this file run as a
script: a fresh exec, lighter than multiprocessing's 'spawn', which re-imports the parent's
main module). A call that overruns its timeout kills the child, so a stuck synthesis costs one
error, never a hung build. Samples are 16-bit mono at espeak's rate (22,050 Hz).

espeak-ng carries state from one utterance to the next (intonation and flutter: the same text
comes out a few samples different after other text), and no API call resets it. So the child
initialises espeak once and never speaks itself: each utterance is spoken by a fork of it,
which starts from that untouched state and exits (about 1.5 ms a fork). The same (text, voice,
rate, volume) therefore always gives the same samples, in any order, in any process: what lets
`speechcache` keep utterances and a narration made from the cache be byte-identical to one
made without it.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import os
import signal
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
WIDTH = 2  # utterances spoken at once, each by a fork of its own


class SynthesisError(Exception):
    """Synthesis failed, timed out or used the wrong voice. The writer names the block."""


def _serve(requests: Connection, replies: Connection) -> None:
    """The child: espeak initialised, then one fork per request until the pipe closes."""
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

    def speak(voice: str, text: str, wpm: int, volume: int) -> tuple[str, object]:
        """One utterance from espeak's initial state (run in a fork)."""
        espeak.SetVoiceByName(voice.encode())
        got = espeak.GetCurrentVoice()
        name = got.contents.identifier.decode() if got and got.contents.identifier else ""
        if name.lower() != voice.lower():
            return ("error", f"espeak-ng voice {voice} is not installed (espeak kept {name or 'none'})")
        espeak.SetParameter(espeak.RATE, wpm, 0)
        espeak.SetParameter(espeak.VOLUME, volume, 0)
        status = espeak.Synth(text.encode("utf-8"), flags=espeak.CHARS_UTF8)
        return ("ok", b"".join(chunks)) if status == espeak.EE_OK else ("error", f"espeak-ng returned error {status}")

    espeak.SetSynthCallback(collect)
    replies.send(("ready", rate, (espeak.Info(None) or b"").decode("ascii", "replace")))
    _speak_in_forks(speak, requests, replies)


def _speak_in_forks(speak, requests: Connection, replies: Connection) -> None:
    """Each request spoken by a fork, up to WIDTH at once; the forks reply in the requests' order
    (each is released to send only after the one before it has finished). Ends, with every fork
    killed, when the build hangs up."""
    import select

    poll = select.poll()
    poll.register(requests.fileno(), select.POLLIN)
    running: collections.deque[_Fork] = collections.deque()
    try:
        while True:
            if running and not running[0].released:  # the first in line: may reply, and is watched
                running[0].release()
                poll.register(running[0].exited, select.POLLIN)
            poll.modify(requests.fileno(), select.POLLIN if len(running) < WIDTH else 0)  # 0: a hang-up only
            for fd, event in poll.poll():
                if fd == requests.fileno():
                    if not event & select.POLLIN:
                        return  # the build has gone
                    try:
                        request = requests.recv()
                    except EOFError:
                        return
                    running.append(_Fork(speak, request, replies))
                elif running and fd == running[0].exited:
                    poll.unregister(fd)
                    running.popleft().reap(replies)
    finally:
        for fork in running:
            fork.kill()


class _Fork:
    """One utterance spoken by a fork of the speech child, from espeak's untouched state; the
    fork sends its reply to the build itself once released, and exits."""

    def __init__(self, speak, request: tuple, replies: Connection):
        wait, self.go = os.pipe()
        self.exited, holder = os.pipe()  # the fork holds one end: its exit is the other's end-of-file
        self.released = False
        self.pid = os.fork()
        if self.pid == 0:  # the fork: exits without running the speech child's clean-up
            status = 1
            try:
                os.close(self.go)
                os.close(self.exited)
                reply = speak(*request)
                if os.read(wait, 1):  # released (end-of-file: the speech child is gone)
                    replies.send(reply)
                status = 0
            finally:
                os._exit(status)
        os.close(wait)
        os.close(holder)

    def release(self) -> None:
        """Let the fork send its reply (the one before it has sent its own)."""
        os.write(self.go, b".")
        os.close(self.go)
        self.released = True

    def reap(self, replies: Connection) -> None:
        """The fork has exited: an error in its place if it died before replying."""
        os.close(self.exited)
        _, status = os.waitpid(self.pid, 0)
        if status:
            replies.send(("error", f"the speech process crashed ({_ended(status)})"))

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)


def _ended(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


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
                process_group=0,  # not in the terminal's group: Ctrl-C is the build's to answer, in one line
            )
        finally:
            os.close(child_reads)
            os.close(child_writes)
        self.requests = Connection(to_child, readable=False)
        self.replies = Connection(from_child, writable=False)
        self.sample_rate = 0
        self.version = ""  # espeak-ng's, once ready: part of every cached utterance's key

    def wait_ready(self) -> Engine:
        """Block until the child has espeak initialised."""
        if not self.sample_rate:
            kind, value, *version = self._receive(START_TIMEOUT, "starting espeak-ng")
            if kind != "ready":
                self.close(kill=True)
                raise SynthesisError(value)
            self.sample_rate, self.version = value, version[0]
        return self

    def say(self, text: str, voice: str, wpm: int, volume: int) -> bytes:
        """Raw 16-bit mono PCM of `text`, read by `voice` (verified after it is set)."""
        with closing(self.say_all([(text, voice)], wpm, volume)) as pcm:
            return next(pcm)

    def say_all(self, requests: Iterable[tuple[str, str]], wpm: int, volume: int) -> Generator[bytes, None, None]:
        """PCM for each (text, voice) in order, raising SynthesisError at the one that fails.

        The next WIDTH requests are already being synthesised while the caller looks at this
        one's samples (if they are short enough to sit in the pipe while the child is sending).
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
                    sent == received or (sent - received <= WIDTH and len(requests[sent][0]) <= PIPELINE_CHARS)
                ):
                    text, voice = requests[sent]
                    try:
                        self.requests.send((voice, text, wpm, volume))
                    except OSError as exc:
                        self.close(kill=True)
                        raise SynthesisError(f"the speech process is gone ({exc})") from exc
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
        except (EOFError, OSError) as exc:
            self.close(kill=True)
            raise SynthesisError(f"the speech process died during {what}") from exc
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
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # the child and the fork speaking for it
            self.process.wait(timeout=5.0)


_lock = threading.Lock()
_current: Engine | None = None


class engine:
    """`with engine() as e: e.say(...)`: this process's speech child, started if there is none
    (or the last one died), lent to one caller at a time."""

    def __enter__(self) -> Engine:
        global _current
        _lock.acquire()
        try:
            if _current is None or not _current.alive:
                _current = Engine()
            return _current.wait_ready()
        except BaseException:
            _lock.release()
            raise

    def __exit__(self, *exc) -> None:
        _lock.release()


def warm_up() -> None:
    """Have the speech child started and ready, e.g. when a build worker starts."""
    with engine():
        pass


@atexit.register
def shutdown() -> None:
    """Stop the speech child (also run at exit so no process outlives the build)."""
    global _current
    with _lock:
        if _current is not None:
            _current.close(kill=True)
            _current = None


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError, EOFError):  # the parent went away mid-reply: nothing left to do
        _serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
