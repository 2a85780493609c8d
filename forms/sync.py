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


def encode_cursor(position: int) -> str:
    raw = json.dumps({"p": int(position)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """0 for no cursor; ValueError for a cursor that was not made by encode_cursor."""
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        position = data["p"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeError):
        raise ValueError("bad cursor") from None
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        raise ValueError("bad cursor")
    return position
