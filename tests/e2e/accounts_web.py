"""The admin's web pages driven with plain HTTP (requests): what a test needs from the accounts page
without a browser (an enrolment payload for the phone tests)."""

from __future__ import annotations

import re
from html import unescape

import requests

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def admin_session(base: str, username: str = "admin", password: str = "demo") -> requests.Session:
    s = requests.Session()
    token = CSRF.search(s.get(f"{base}/sign-in", timeout=10).text).group(1)
    r = s.post(f"{base}/sign-in", data={"username": username, "password": password, "csrf_token": token}, timeout=10)
    r.raise_for_status()
    return s


def enrolment_payload(base: str, username: str, admin: str = "admin") -> str:
    """Press «Cài đặt điện thoại bằng mã QR» on ``username``'s page; the QR code's text."""
    s = admin_session(base, admin)
    token = CSRF.search(s.get(f"{base}/accounts/{username}", timeout=10).text).group(1)
    page = s.post(f"{base}/accounts/{username}/enrol", data={"csrf_token": token}, timeout=10)
    page.raise_for_status()
    return unescape(re.search(r'data-payload="([^"]+)"', page.text).group(1))
