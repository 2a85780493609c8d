"""Rules both sides share for syncing: new / duplicate / conflict, and the sync-feed cursor."""

from __future__ import annotations

import base64
import binascii
import json


def classify(stored_hash: str | None, incoming_hash: str) -> str:
    """'new' when nothing is stored, 'duplicate' when identical, 'conflict' otherwise."""
    if stored_hash is None:
        return "new"
    return "duplicate" if stored_hash == incoming_hash else "conflict"


def encode_cursor(position: int, tx: int = 0) -> str:
    """An opaque feed cursor: the last event id seen and, when non-zero, its writing transaction."""
    data = {"p": int(position)}
    if tx:
        data["t"] = int(tx)
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor_pair(cursor: str | None) -> tuple[int, int]:
    """(tx, position); (0, 0) for no cursor; ValueError for a cursor that was not made by encode_cursor.
    A cursor without ``t`` (made before transactions were recorded) reads as tx 0."""
    if not cursor:
        return 0, 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        position = data["p"]
        tx = data.get("t", 0)
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeError, AttributeError):
        raise ValueError("bad cursor") from None
    for value in (position, tx):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError("bad cursor")
    return tx, position


def decode_cursor(cursor: str | None) -> int:
    """The position (last event id) of a cursor; 0 for no cursor; ValueError for a bad one."""
    return decode_cursor_pair(cursor)[1]
