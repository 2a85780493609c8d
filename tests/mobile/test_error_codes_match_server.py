"""The phone has its own words for every error code the server sends, and none for a code it never sends.

The phone cannot import server/ (it ships alone); this test, which sees both, keeps the lists equal.
"""

from __future__ import annotations

from mobile.core.api import STATUS_CODES
from mobile.core.error_texts import CLIENT_ERRORS, SERVER_ERRORS
from mobile.core.i18n import error_text
from mobile.core.sync_client import RETRY_CODES
from server.errors import _HTTP_CODES, CATALOGUE


def test_the_phone_covers_exactly_the_servers_codes():
    assert sorted(set(CATALOGUE) - set(SERVER_ERRORS)) == []  # a code the phone could not explain
    assert sorted(set(SERVER_ERRORS) - set(CATALOGUE)) == []  # a code the server never sends


def test_the_phones_own_codes_are_not_server_codes():
    assert set(CLIENT_ERRORS) & set(CATALOGUE) == set()


def test_every_code_the_phone_acts_on_exists():
    known = set(CATALOGUE) | set(CLIENT_ERRORS)
    assert set(RETRY_CODES) - known == set()
    assert set(STATUS_CODES.values()) - set(CATALOGUE) == set()  # what a bare HTTP status is read as
    assert set(_HTTP_CODES.values()) - set(SERVER_ERRORS) == set()


def test_every_server_code_reads_as_plain_text_in_both_languages():
    for code in CATALOGUE:
        for lang in ("vi", "en"):
            text = error_text(code, lang)
            assert text and code not in text and "Something went wrong" not in text and "Có lỗi" not in text, code
    assert SERVER_ERRORS.problems() == [] and CLIENT_ERRORS.problems() == []
