"""Where things are: the leaflet sources, the shared strings and the catalogs of one project."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from . import catalogs, locales, reader
from .catalogs import SharedString
from .errors import LeafletError
from .model import Leaflet
from .translate import REQUIRED_SHARED


@dataclass
class Project:
    root: Path

    def __post_init__(self):
        self.root = Path(self.root)
        self._leaflets: dict[str, Leaflet] = {}

    @property
    def source_dir(self) -> Path:
        return self.root / "source"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def common_path(self) -> Path:
        return self.source_dir / "common.yaml"

    @cached_property
    def source_files(self) -> dict[str, Path]:
        """Leaflet id -> source file; two files with one id are an error."""
        found: dict[str, Path] = {}
        for path in sorted(self.source_dir.glob("*.md")):
            m = reader.FILENAME.match(path.name)
            if not m:
                raise reader.SourceError(
                    "file name must be <ID>-<slug>.md", path, fix="e.g. RAD_0009-vertebroplasty.md"
                )
            if m.group("id") in found:
                raise reader.SourceError(
                    f"leaflet id {m.group('id')} is also used by {found[m.group('id')].name}",
                    path,
                    fix="give each leaflet its own id",
                )
            found[m.group("id")] = path
        return found

    def leaflet_ids(self) -> list[str]:
        return list(self.source_files)

    def domains(self) -> list[str]:
        """The gettext domains: one catalog per leaflet, and the shared strings'."""
        return [*self.leaflet_ids(), catalogs.COMMON]

    def leaflet(self, leaflet_id: str) -> Leaflet:
        if leaflet_id not in self._leaflets:
            self._leaflets[leaflet_id] = reader.read(self.source_files[self.resolve_leaflet(leaflet_id)])
        return self._leaflets[leaflet_id]

    def resolve_leaflet(self, leaflet_id: str) -> str:
        if leaflet_id in self.source_files:
            return leaflet_id
        raise LeafletError(
            f"unknown leaflet {leaflet_id!r}",
            fix="known leaflets: " + (", ".join(self.source_files) or "none in source/"),
        )

    def locale_codes(self) -> list[str]:
        """Every build locale: the source language first, then each catalog directory
        (not the odd folders: see `odd_locale_folders`)."""
        return [locales.SOURCE_CODE] + [c for c in self._catalog_codes[0] if c != locales.SOURCE_CODE]

    def odd_locale_folders(self) -> list[LeafletError]:
        """Folders under locales/ that are not a locale's catalogs (a stray `PL/`, a typo):
        skipped, so one of them never blocks the other languages; say each once."""
        return self._catalog_codes[1]

    @cached_property
    def _catalog_codes(self) -> tuple[list[str], list[LeafletError]]:
        codes = catalogs.locale_codes(self.locales_dir)
        folders = sorted(p.name for p in self.locales_dir.iterdir() if p.is_dir()) if self.locales_dir.is_dir() else []
        good, odd = [], []
        for name in folders:
            if name == catalogs.TEMPLATES or name.startswith("."):
                continue
            why = _not_a_locale(name) if name in codes else "it has no LC_MESSAGES folder of catalogs"
            if why:
                fix = (
                    "rename the folder to a locale code such as pl, ur or zh_Hans, or move it out of locales/"
                    if name in codes
                    else f"run `pipeline.py init {name}` to start that language, or move the folder out of locales/"
                )
                odd.append(LeafletError(f"skipped: {why}", Path("locales") / name, fix=fix))
            else:
                good.append(name)
        return good, odd

    def resolve_locale(self, code: str) -> str:
        locales.info(code)  # refuses codes that are not locales at all
        if code not in self.locale_codes():
            raise LeafletError(
                f"no catalogs for locale {code!r}",
                fix=f"run `pipeline.py init {code}` first; existing: " + ", ".join(self.locale_codes()),
            )
        return code

    @cached_property
    def shared_strings(self) -> tuple[SharedString, ...]:
        return read_shared_strings(self.common_path)


def _not_a_locale(code: str) -> str:
    """Why a catalog folder's name is not a locale code, or "" (cheap: locales.info loads CLDR data)."""
    from babel import localedata

    if locales._CODE.match(code) and localedata.exists(code):
        return ""
    try:
        locales.info(code)
    except LeafletError as exc:
        return exc.reason
    return ""


def read_shared_strings(path: Path, raw: bytes | None = None) -> tuple[SharedString, ...]:
    """source/common.yaml: key -> {text, plural?, note} (from `raw`, its bytes, when already read)."""
    try:
        text = reader.decode(Path(path).read_bytes() if raw is None else raw)
        data = yaml.safe_load(text) or {}
    except FileNotFoundError as exc:
        raise LeafletError("shared strings file is missing", path, fix="restore source/common.yaml") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LeafletError(f"invalid YAML: {getattr(exc, 'problem', exc)}", path, mark.line + 1 if mark else 0) from exc
    lines = {
        line.split(":")[0]: i + 1
        for i, line in enumerate(text.split("\n"))
        if line and not line[0].isspace() and not line.startswith("#")
    }
    if not isinstance(data, dict):
        raise LeafletError("shared strings must be 'key:' entries, each with a 'text:'", path, 1)
    out = []
    for key, value in data.items():
        if not isinstance(value, dict) or not isinstance(value.get("text"), str):
            raise LeafletError(f"shared string '{key}' needs a 'text:'", path, lines.get(key, 0))
        out.append(
            SharedString(
                key,
                value["text"],
                value.get("plural", ""),
                value.get("note", ""),
                lines.get(key, 0),
                value.get("optional") is True,
            )
        )
    missing = [key for key in REQUIRED_SHARED if key not in data]  # writers' own labels: checked when used
    if missing:
        raise LeafletError(
            f"shared string '{missing[0]}' is missing",
            path,
            fix="every leaflet's closing section and notices need it; restore it from git",
        )
    return tuple(out)
