import base64
import json

import pytest

from forms.envelope import canonical_json, envelope_hash
from forms.sync import classify, decode_cursor, decode_cursor_pair, encode_cursor

ENV = {
    "instance_id": "0b7c1f7e-0000-4000-8000-000000000001",
    "form_id": "house_assessment",
    "form_version": "1",
    "created_at": "2025-01-01T00:00:00+07:00",
    "answers": {"b": 1, "a": "Nhà"},
    "attachments": [{"name": "b.jpg", "sha256": "AB", "size": 2}, {"name": "a.jpg", "sha256": "cd", "size": 1}],
}


def test_canonical_json_is_sorted_compact_utf8():
    assert canonical_json({"b": 1, "a": "Nhà"}) == '{"a":"Nhà","b":1}'.encode()
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_hash_ignores_order_and_client_time_but_not_content():
    same = dict(ENV, attachments=list(reversed(ENV["attachments"])), created_at="2030-01-01T00:00:00Z",
                answers={"a": "Nhà", "b": 1})
    assert envelope_hash(same) == envelope_hash(ENV)
    assert envelope_hash(dict(ENV, answers={"a": "Nhà", "b": 2})) != envelope_hash(ENV)
    other_photo = dict(ENV, attachments=[{"name": "a.jpg", "sha256": "ff", "size": 1}])
    assert envelope_hash(other_photo) != envelope_hash(ENV)


def test_classify():
    assert classify(None, "x") == "new"
    assert classify("x", "x") == "duplicate"
    assert classify("x", "y") == "conflict"


@pytest.mark.parametrize("bad", ["!!!", "eyJ4IjoxfQ", encode_cursor(5)[:-2] + "zz", "bnVsbA"])
def test_cursor_round_trip_and_garbage(bad):
    assert decode_cursor(encode_cursor(42)) == 42
    assert decode_cursor(None) == 0
    with pytest.raises(ValueError):
        decode_cursor(bad)


def _raw_cursor(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def test_cursor_with_a_transaction_and_older_cursors():
    assert decode_cursor_pair(encode_cursor(42, 1234)) == (1234, 42)
    assert decode_cursor_pair(encode_cursor(42)) == (0, 42)  # a cursor made before tx was recorded
    assert decode_cursor_pair(_raw_cursor({"p": 42})) == (0, 42)
    assert decode_cursor(encode_cursor(42, 1234)) == 42
    assert decode_cursor_pair(None) == (0, 0)
    for bad in ({"p": 1, "t": -1}, {"p": 1, "t": "x"}, {"p": 1, "t": True}, [1]):
        with pytest.raises(ValueError):
            decode_cursor_pair(_raw_cursor(bad))
