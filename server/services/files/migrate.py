"""Moving stored photos between backends (`python -m server storage migrate --to s3`): every photo and its
thumbnail, each copied through a scratch file while its sha256 is computed, then read back from the target
and hashed again. Resumable: a photo the target already holds with the right size is skipped (an object or
a renamed file appears whole or not at all), so a run cut short is simply run again. The source is left
as it was; switch MAIAM_STORAGE once the run reports no failure."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field

from server.services.files.storage import Storage

_CHUNK = 1 << 20


@dataclass
class Moved:
    copied: int = 0
    present: int = 0
    thumbs: int = 0
    bytes: int = 0
    failed: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"copied {self.copied} photo(s) ({self.bytes} bytes), {self.present} already there, "
                f"{self.thumbs} thumbnail(s), {len(self.failed)} failed")


def _digest(fh) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    while block := fh.read(_CHUNK):
        h.update(block)
        size += len(block)
    return h.hexdigest(), size


def migrate(source, target, scratch: Storage, say: Callable[[str], None] = lambda _m: None) -> Moved:
    """Copy every photo of `source` blobs into `target` blobs, verified by sha256 on both sides."""
    done = Moved()
    for sha in source.shas():
        try:
            _one(source, target, scratch, sha, done)
        except Exception as err:  # one bad photo never stops the run; it is named and counted
            done.failed.append(sha)
            say(f"FAILED {sha}: {err}")
    return done


def _one(source, target, scratch: Storage, sha: str, done: Moved) -> None:
    size = source.size(sha)
    if size is not None and target.holds(sha, size):
        done.present += 1
    else:
        with scratch.scratch_file() as tmp:
            with source.open(sha) as src, open(tmp, "wb") as out:
                shutil.copyfileobj(src, out, _CHUNK)
            with open(tmp, "rb") as fh:
                digest, size = _digest(fh)
            if digest != sha:
                raise ValueError(f"the source file's sha256 is {digest}")
            target.put_file(sha, tmp)
        with target.open(sha) as fh:
            back, back_size = _digest(fh)
        if (back, back_size) != (sha, size):
            raise ValueError("the copy read back from the target differs")
        done.copied += 1
        done.bytes += size
    if source.has_thumb(sha) and not target.has_thumb(sha):
        with source.open(sha, thumb=True) as fh:
            target.put_thumb(sha, fh.read())  # a thumbnail is a few KB
        done.thumbs += 1
