"""Forbidden characters in a translation (the list and why: leaflets/characters.py): only those
the English does not have (the reader refuses them in the English already)."""

from __future__ import annotations

from collections.abc import Iterator

from ..characters import bad_characters, name, visible
from ..words import listing

__all__ = ["check_characters", "visible"]


def check_characters(source: str, target: str) -> Iterator[tuple[str, str]]:
    odd = [c for c in bad_characters(target) if c not in source]
    if odd:
        yield (
            "error",
            f"invisible {listing([name(c) for c in odd])} in the translation: delete it (a copy-paste "
            "from another program often brings it; Word cannot even store some of them)",
        )
