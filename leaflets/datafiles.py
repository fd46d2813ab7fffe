"""The small YAML tables in leaflets/data/ (unit words, number words, negators, length bands):
data no library has, read once per process with libyaml's fast loader where it is installed."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

DIR = Path(__file__).with_name("data")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load(name: str) -> dict:
    """leaflets/data/<name>.yaml as a dict ({} if empty)."""
    return yaml.load((DIR / f"{name}.yaml").read_text(encoding="utf-8"), Loader=_LOADER) or {}


def for_locale(name: str, code: str) -> dict:
    """A table's block for a locale code, else for its language, else {}."""
    data = load(name)
    return data.get(code) or data.get(code.split("_")[0]) or {}
