"""Setting the phone up with the QR code of the account's web page (docs/API.md "Phone set-up").

The QR code holds ``maiam://enrol?server=<address>&username=<username>&code=<ABCD-EFGH-JKMN>``. On a
computer the volunteer pastes that text (or types just the code, with the server address and username
in their fields); on Android the camera takes a picture of the QR code and ``decode_image`` reads it
(zxing-cpp or pyzbar, whichever the build carries). ``redeem`` exchanges the code for a device token
once (POST /api/v1/auth/enrol) and keeps it as a password sign-in would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

PAYLOAD_PREFIX = "maiam://enrol?"
CODE = re.compile(r"^[A-Za-z0-9]{4}[-\s]?[A-Za-z0-9]{4}[-\s]?[A-Za-z0-9]{4}$")


class EnrolmentTextError(ValueError):
    """The pasted or scanned text is neither a set-up QR payload nor a code (``code``: a CLIENT_ERRORS key)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class EnrolmentLink:
    code: str
    server: str | None = None  # None: a bare code (the server address and username come from their fields)
    username: str | None = None


def parse(text: str) -> EnrolmentLink:
    """A QR payload, or a bare code; ``EnrolmentTextError('enrol_unreadable')`` for anything else."""
    text = (text or "").strip()
    if text.lower().startswith(PAYLOAD_PREFIX):
        query = parse_qs(urlsplit(text).query)
        server, username, code = (query.get(k, [""])[0].strip() for k in ("server", "username", "code"))
        if not (server.startswith(("http://", "https://")) and username and CODE.match(code)):
            raise EnrolmentTextError("enrol_unreadable")
        return EnrolmentLink(code=code.upper(), server=server.rstrip("/"), username=username)
    if CODE.match(text):
        return EnrolmentLink(code=text.upper())
    raise EnrolmentTextError("enrol_unreadable")


def complete(link: EnrolmentLink, server: str, username: str) -> EnrolmentLink:
    """A bare code completed with the typed server address and username (both needed)."""
    server, username = (link.server or server or "").strip().rstrip("/"), (link.username or username or "").strip()
    if not (server and username):
        raise EnrolmentTextError("enrol_need_server")
    if not server.startswith(("http://", "https://")):
        raise EnrolmentTextError("bad_url")
    return EnrolmentLink(code=link.code, server=server, username=username)


def redeem(sync_client, link: EnrolmentLink) -> dict:
    """Exchange the code for a token, kept in the store (``SyncClient.enrol``). Raises ApiError
    (``enrolment_code_used`` ...) or TransportError."""
    assert link.server and link.username, "complete() the link first"
    return sync_client.enrol(link.server, link.username, link.code)


def decode_image(path: str) -> str | None:
    """The text of the first QR code in a picture, or None (no QR code, or no decoder in this build).
    zxing-cpp (a wheel with its own native code) first, then pyzbar (needs the zbar library: on Android
    the python-for-android ``libzbar`` + ``pyzbar`` recipes)."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is in every build (photos)
        return None
    with Image.open(path) as picture:
        picture.load()
        image = picture.convert("RGB")
    for read in (_zxing, _zbar):
        text = read(image)
        if text:
            return text
    return None


def _zxing(image) -> str | None:
    try:
        import zxingcpp
    except ImportError:
        return None
    found = zxingcpp.read_barcodes(image)
    return found[0].text if found else None


def _zbar(image) -> str | None:
    try:
        from pyzbar import pyzbar
    except (ImportError, OSError):  # the package without the zbar library raises ImportError
        return None
    found = pyzbar.decode(image)
    return found[0].data.decode("utf-8") if found else None
