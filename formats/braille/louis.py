"""A small ctypes binding to liblouis (Debian's liblouis20), the braille translator.

Why ctypes and not the alternatives: Debian's `python3-louis` imports only under the system
interpreter, not in the project's virtual environment, and the `lou_translate` program costs a
process start and a table compile per call (a leaflet has a hundred segments, each translated
and, in the tests, back-translated). In-process, liblouis compiles each table once and keeps it,
so a leaflet translates in milliseconds; the bench compares the two.

Only what the writer needs is bound: translation to Unicode braille cells (U+2800 + dots, so the
layout counts cells exactly), back-translation, the version, the table metadata queries
(lou_findTable, lou_getTableInfo) that choose a code by language instead of a hand-kept list, a
table's bold class (lou_getTypeformForEmphClass) and the display table's characters for BRF
(lou_dotsToChar).
"""

from __future__ import annotations

import ctypes
import unicodedata
from functools import cache

from leaflets.errors import InstallationError

LIBRARY = "liblouis.so.20"
PACKAGE = "liblouis20"

# lou_translateString modes (liblouis.h)
_DOTS_IO = 4
_UC_BRL = 64
_NO_UNDEFINED = 128


@cache
def _lib() -> ctypes.CDLL:
    try:
        lib = ctypes.CDLL(LIBRARY)
    except OSError as exc:
        raise InstallationError(
            f"the braille translator {LIBRARY} is not installed ({exc})", fix=f"make debs (Debian package {PACKAGE})"
        ) from exc
    lib.lou_version.restype = ctypes.c_char_p
    lib.lou_charSize.restype = ctypes.c_int
    lib.lou_findTable.restype = ctypes.c_void_p
    lib.lou_findTable.argtypes = [ctypes.c_char_p]
    lib.lou_getTableInfo.restype = ctypes.c_void_p
    lib.lou_getTableInfo.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.lou_getTable.restype = ctypes.c_void_p
    lib.lou_getTable.argtypes = [ctypes.c_char_p]
    lib.lou_getTypeformForEmphClass.restype = ctypes.c_ushort
    lib.lou_getTypeformForEmphClass.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    lib.lou_setLogLevel.argtypes = [ctypes.c_int]
    lib.lou_setLogLevel(60000)  # LOU_LOG_OFF: failures are reported by return values, as errors here
    if lib.lou_charSize() != 4:
        raise InstallationError(
            f"{LIBRARY} was built with {lib.lou_charSize()}-byte characters; this binding expects UCS-4",
            fix=f"install Debian's {PACKAGE}",
        )
    return lib


@cache
def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]
    return libc


def _free(pointer: int) -> None:
    """Free what liblouis allocated for its caller (lou_findTable, lou_getTableInfo: "free it yourself")."""
    _libc().free(pointer)


def version() -> str:
    """liblouis's version, e.g. "3.24.0"."""
    return (_lib().lou_version() or b"").decode()


def _owned_string(pointer: int | None) -> str | None:
    """A string liblouis allocated for us, copied and freed."""
    if not pointer:
        return None
    try:
        return ctypes.string_at(pointer).decode()
    finally:
        _free(pointer)


def find_table(query: str) -> str | None:
    """The best table for a metadata query ("language:cy type:literary contraction:full"), or None."""
    return _owned_string(_lib().lou_findTable(query.encode()))


def table_info(table: str, key: str) -> str | None:
    """One metadata field of a table (`#+contraction:full` -> "full"), or None."""
    return _owned_string(_lib().lou_getTableInfo(table.encode(), key.encode()))


def compiles(table: str) -> bool:
    """True if liblouis can compile the table with everything it includes."""
    return bool(_lib().lou_getTable(table.encode()))


def undefined_characters(table: str, text: str) -> list[str]:
    """The characters of `text` the table has no braille sign for (each translated once per process)."""
    known = _known_defined(table)
    new = set(text) - known
    known.update(c for c in new if _defined(table, c))
    return [c for c in dict.fromkeys(text) if c in new and c not in known]


@cache
def _known_defined(table: str) -> set[str]:
    return set()


@cache
def _defined(table: str, char: str) -> bool:
    """False for a character liblouis escapes, and for one it turns into blank cells (Chinese braille
    does that to Bengali letters): both would lose text. Spaces and format characters (ZWJ) write nothing."""
    if char.isspace() or unicodedata.category(char) == "Cf":
        return True
    cells = translate(table, char)
    return cells == translate(table, char, undefined=False) and cells.strip("\u2800") != ""


def _buffer(text: str) -> tuple[ctypes.Array[ctypes.c_uint32], ctypes.c_int]:
    """UCS-4 characters for liblouis (widechar is 4 bytes on Debian, checked in `_lib`)."""
    return (ctypes.c_uint32 * max(len(text), 1)).from_buffer_copy((text or "\0").encode("utf-32-le")), ctypes.c_int(
        len(text)
    )


def _text(buffer: ctypes.Array[ctypes.c_uint32], length: int) -> str:
    return ctypes.string_at(buffer, 4 * length).decode("utf-32-le")


@cache
def emphasis(table: str, name: str) -> int:
    """The typeform bit of a table's emphasis class ("bold"), or 0 if the code has none."""
    return int(_lib().lou_getTypeformForEmphClass(table.encode(), name.encode()))


def translate(table: str, text: str, *, typeform: int = 0, undefined: bool = True) -> str:
    """`text` in braille, as Unicode braille patterns (U+2800 + dots), one character per cell;
    `typeform` (from `emphasis`) marks the whole text, e.g. bold, with the code's indicators.

    A character the table has no sign for comes out as liblouis's escape ('\\x2022' in braille),
    or as nothing with `undefined=False`; `undefined_characters` finds them."""
    lib = _lib()
    mode = _UC_BRL | _DOTS_IO | (0 if undefined else _NO_UNDEFINED)
    inbuf, inlen = _buffer(text)
    room = 4 * len(text) + 64
    while True:
        outbuf, outlen = (ctypes.c_uint32 * room)(), ctypes.c_int(room)
        # liblouis writes the output's typeforms back into this array: it must be as long as the output
        forms = (ctypes.c_ushort * room)(*[typeform] * len(text)) if typeform else None
        ok = lib.lou_translateString(
            table.encode(), inbuf, ctypes.byref(inlen), outbuf, ctypes.byref(outlen), forms, None, mode
        )
        if not ok:
            raise InstallationError(f"liblouis could not translate with {table}", fix="make debs (liblouis-data)")
        if inlen.value >= len(text):
            return _text(outbuf, outlen.value)
        room, inlen = room * 2, ctypes.c_int(len(text))  # output filled up before the input was used


def back_translate(table: str, cells: str) -> str:
    """Print text from braille cells (Unicode braille patterns): what a reader of the code would read."""
    lib = _lib()
    inbuf, inlen = _buffer("".join(chr(0x8000 | (ord(c) - 0x2800)) for c in cells))  # dotsIO input
    room = 4 * len(cells) + 64
    outbuf, outlen = (ctypes.c_uint32 * room)(), ctypes.c_int(room)
    ok = lib.lou_backTranslateString(
        table.encode(), inbuf, ctypes.byref(inlen), outbuf, ctypes.byref(outlen), None, None, _DOTS_IO
    )
    if not ok:
        raise InstallationError(f"liblouis could not back-translate with {table}", fix="make debs (liblouis-data)")
    return _text(outbuf, outlen.value)


def to_ascii(display_table: str, cells: str) -> str:
    """Unicode braille cells as the characters a display table gives them (BRF: North American Braille ASCII)."""
    return cells.translate(_display(display_table))


@cache
def _display(display_table: str) -> dict[int, int]:
    """The display table's character for each of the 64 six-dot cells, asked of liblouis once."""
    lib = _lib()
    inbuf = (ctypes.c_uint32 * 64)(*(0x8000 | dots for dots in range(64)))
    outbuf = (ctypes.c_uint32 * 64)()
    if not lib.lou_dotsToChar(display_table.encode(), inbuf, outbuf, 64, 0):
        raise InstallationError(
            f"liblouis could not use the display table {display_table}", fix="make debs (liblouis-data)"
        )
    return {0x2800 + dots: outbuf[dots] for dots in range(64)}
