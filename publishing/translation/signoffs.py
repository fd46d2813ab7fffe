"""The project's own record of review packs issued and of sign-offs given (`reviews/`).

A pack's metadata can be copied into any PDF in a few lines, so a pack proves nothing by what
it says about itself. What proves it is that the project issued it: `review-pack` records each
pack it writes (a random pack id, the leaflet and language, the fingerprints it was made for,
and the sha256 of each file) in `reviews/packs.jsonl`, and `signoff --pack` accepts only a file
whose exact bytes are in that record, made for the translation as it is now. Each sign-off is
kept in the catalog's header and appended to `reviews/signoffs.jsonl` (who, role, when, which
pack), the project's history of them, committed with the catalogs.

Both files are append-only JSON lines, opened without following links. Anyone who can edit the
repository could add a line to the record; where the trust keeps a key outside it (the file named
by LEAFLET_REVIEW_KEY, readable only by the people who make packs), each pack's line carries an
HMAC-SHA256 made with that key, and `signoff --pack` then accepts only lines whose HMAC checks.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from leaflets import catalogs, review
from leaflets.errors import LeafletError
from leaflets.project import Project
from leaflets.version import version

KEY_ENV = "LEAFLET_REVIEW_KEY"  # the path of a file holding the trust's key (outside the repository)
FOLDER = "reviews"
PACKS = "packs.jsonl"
SIGNOFFS = "signoffs.jsonl"


class NotIssued(LeafletError):
    """A pack that `review-pack` did not issue, or issued for something else."""


@dataclass(frozen=True)
class Pack:
    """A review pack as the record holds it."""

    id: str
    leaflet: str
    language: str
    made: str  # UTC time
    source: str  # fingerprints of the English and the translation it shows
    translation: str
    files: dict[str, str]  # file name -> sha256
    mac: str = ""  # HMAC-SHA256 of the rest with the trust's key, where one is kept (KEY_ENV)

    def signed(self, key: bytes) -> str:
        fields = {k: v for k, v in vars(self).items() if k != "mac"}
        return hmac.new(key, json.dumps(fields, sort_keys=True).encode("utf-8"), hashlib.sha256).hexdigest()


def new_id() -> str:
    """A pack id nobody can guess (it is printed in the pack, so it names the pack in hand)."""
    return secrets.token_hex(8)


def record_pack(project: Project, pack: Pack) -> None:
    key = _key()
    _append(project.root / FOLDER / PACKS, vars(replace(pack, mac=pack.signed(key) if key else "")))


def packs(project: Project) -> list[Pack]:
    """The packs recorded (with a key kept, only those whose HMAC checks)."""
    key = _key()
    found = [Pack(**row) for row in _read(project.root / FOLDER / PACKS) if set(row) <= set(Pack.__annotations__)]
    return [p for p in found if not key or hmac.compare_digest(p.mac, p.signed(key))]


def _key() -> bytes:
    """The trust's key, from the file LEAFLET_REVIEW_KEY names; b"" where none is kept."""
    name = os.environ.get(KEY_ENV, "")
    if not name:
        return b""
    try:
        key = Path(name).read_bytes().strip()
    except OSError as exc:
        raise LeafletError(f"cannot read the review key: {exc.strerror}", name, fix=f"check {KEY_ENV}") from exc
    if len(key) < 16:
        raise LeafletError("the review key is too short", name, fix="use 32 random bytes, e.g. `openssl rand -hex 32`")
    return key


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def issued_pack(project: Project, lid: str, code: str, path: Path) -> tuple[Pack, str]:
    """The record of the pack file at `path` and its sha256, if `review-pack` issued exactly
    these bytes for this leaflet and language, made for the translation as it is now."""
    path = Path(path)
    try:
        digest = sha256(path)
    except OSError as exc:
        raise LeafletError(f"cannot read the pack: {exc.strerror}", path) from exc
    pack = next((p for p in packs(project) if digest in p.files.values()), None)
    if pack is None:
        raise NotIssued(
            "is not a review pack this project issued (its bytes are in no record of `review-pack`; "
            "a pack that was changed, re-saved or made elsewhere is refused)",
            path,
            fix=f"give the file `pipeline.py review-pack {lid} {code}` wrote, unchanged, or make and review a new one",
        )
    if (pack.leaflet, pack.language) != (lid, code):
        raise NotIssued(
            f"is the review pack of {pack.leaflet} in {pack.language}, not of {lid} in {code}",
            path,
            fix=f"give the pack of {lid} in {code}",
        )
    po, common = (catalogs.load(catalogs.po_path(project.locales_dir, code, d)) for d in (lid, catalogs.COMMON))
    if review.fingerprints(po, common, review.pictures_of(project, lid, code)) != (pack.source, pack.translation):
        raise NotIssued(
            f"was made for another version of {lid} in {code}",
            path,
            fix=f"make a new pack (pipeline.py review-pack {lid} {code}) and review that",
        )
    return pack, digest


def sign(project: Project, lid: str, code: str, by: str, today: date, pack_path: Path | None) -> dict[str, object]:
    """Record a sign-off in the catalog's header and in the project's history; the entry kept."""
    pack, digest = issued_pack(project, lid, code, pack_path) if pack_path is not None else (None, "")
    header = review.signoff(
        catalogs.po_path(project.locales_dir, code, lid),
        catalogs.po_path(project.locales_dir, code, catalogs.COMMON),
        by,
        today,
        f"sha256:{digest} {Path(pack_path).name}" if pack_path is not None else "",
        review.pictures_of(project, lid, code),
    )
    name, _, role = header[review.BY].partition(",")
    entry: dict[str, object] = {
        "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "on": header[review.DATE],
        "leaflet": lid,
        "language": code,
        "by": name.strip(),
        "role": role.strip(),
        "pack": {"id": pack.id, "sha256": digest, "file": Path(pack_path).name} if pack and pack_path else None,
        "source": header[review.SOURCE_HASH],
        "translation": header[review.TRANSLATION_HASH],
        "version": version(project.leaflet(lid)),
    }
    _append(project.root / FOLDER / SIGNOFFS, entry)
    return entry


def history(project: Project) -> list[dict]:
    return _read(project.root / FOLDER / SIGNOFFS)


def _append(path: Path, row: dict) -> None:
    """One JSON line added at the end (O_APPEND: concurrent writers never interleave a line)."""
    if path.parent.is_symlink():
        raise LeafletError("is a symbolic link; the review record is not written through links", path.parent)
    path.parent.mkdir(exist_ok=True)
    line = (json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise LeafletError(f"cannot write the review record: {exc.strerror}", path) from exc
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def _read(path: Path) -> list[dict]:
    if not path.is_file() or path.is_symlink():
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise LeafletError(
                "is not a JSON line", path, n, fix="restore the file from git (it is append-only)"
            ) from exc
        if isinstance(row, dict):
            rows.append(row)
    return rows
