"""The first-run screen through the real widgets: Vietnamese by default, clear errors, English on tap."""

import socket

import pytest

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
