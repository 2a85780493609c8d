"""The string catalogue: complete in both languages, error codes mapped (never messages parsed)."""

from __future__ import annotations

import string

from mobile.core.api import api_error
from mobile.core.i18n import CATALOGUE, error_text, t
from mobile.core.transport import Response


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_core_key_exists_in_both_languages_with_the_same_placeholders():
    assert CATALOGUE.problems() == []
    for key, entry in CATALOGUE.items():
        assert set(entry) == {"vi", "en"}, key
        assert _fields(entry["vi"]) == _fields(entry["en"]), key


def test_t_formats_falls_back_and_never_raises():
    assert t("sync.progress", "vi", done=2, total=5) == "Đã gửi 2/5 phiếu"
    assert t("sync.progress", "en", done=2, total=5) == "Sent 2/5 surveys"
    assert t("sync.progress", "fr", done=1, total=1) == "Đã gửi 1/1 phiếu"  # unknown language: Vietnamese
    assert t("sync.progress", "vi") == "Đã gửi {done}/{total} phiếu"  # missing argument: raw text, no crash
    assert t("no.such.key", "vi") == "no.such.key"


def test_error_codes_map_to_plain_text_and_unknown_codes_still_read_well():
    assert error_text("conflict", "vi").startswith("Phiếu này đã được gửi trước đó")
    assert "Something went wrong (weird_code)" in error_text("weird_code", "en")


def test_server_errors_are_read_by_code_never_by_message():
    body = b'{"error": {"code": "conflict", "message": "anything at all"}}'
    err = api_error(Response(409, body, {}))
    assert (err.status, err.code, err.retryable) == (409, "conflict", False)
    assert api_error(Response(503, b"<html>proxy error</html>", {})).code == "server_error"
    assert api_error(Response(503, b"", {})).retryable
    assert api_error(
        Response(422, b'{"error": {"code": "invalid_answers", "fields": [{"field": "a"}]}}', {})
    ).fields == [{"field": "a"}]
    assert api_error(Response(418, b"", {})).code == "bad_request"
