"""The first-run screen through the real widgets: Vietnamese by default, clear errors, English on tap."""

import socket

import pytest

from tests.e2e.accounts_web import enrolment_payload
from tests.e2e.conftest import live_server  # noqa: F401 - the fixture

pytestmark = pytest.mark.ui


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_login_errors_are_plain_vietnamese_and_the_password_is_not_kept(run_driver, tmp_path):
    result = run_driver("login_error", tmp_path / "phone", {"server": f"http://127.0.0.1:{closed_port()}"})
    assert result["title"] == "Đăng nhập"
    assert result["empty"] == "Hãy nhập địa chỉ máy chủ, tên đăng nhập và mật khẩu."
    assert result["unreachable"] == "Không kết nối được máy chủ. Kiểm tra mạng và địa chỉ."
    assert result["password_cleared"]
    assert result["english_title"] == "Sign in"
    assert result["screen"] == "login"


@pytest.mark.e2e
def test_a_pasted_set_up_code_signs_the_phone_in(run_driver, tmp_path, live_server):  # noqa: F811
    """Desktop: the QR code's text from the admin's page pasted on the sign-in screen; the app is
    signed in as that account on that server, with no password typed."""
    payload = enrolment_payload(live_server.url, "volunteer")
    result = run_driver("enrol", tmp_path / "phone", {"text": payload})
    assert result["message"] == "" and result["screen"] == "home" and result["has_token"]
    assert (result["server"], result["username"]) == (live_server.url, "volunteer")
    assert result["scan_button"] is False
    again = run_driver("enrol", tmp_path / "phone2", {"text": payload})
    assert again["message"] == "Mã cài đặt này đã được dùng. Hãy xin cán bộ phụ trách mã mới."
    assert again["screen"] == "login"
