"""The authorisation matrix: every route of ``app.url_map`` (every method but HEAD/OPTIONS) x the four
roles x (a thing in the caller's own subtree / just outside it), against the table below. A route
without an entry in the table fails the test, so a new endpoint must declare who may use it.

Outcomes: ``OK`` = the gate let the request through (any answer but 401/403/404/5xx and not the
sign-in redirect: mutating cells send a payload that the view then refuses, or that changes nothing
that matters), or the exact status 403 / 404. Anonymous requests are checked too (401 for the API and
OpenRosa, the sign-in redirect for pages). OpenRosa routes (ODK Collect) are called over HTTPS with each
role's password (HTTP Basic) or, under ``/openrosa/key/<token>``, with each role's Collect key."""

from __future__ import annotations

import base64
import io
import re

import pytest
from flask import url_for

from server.extensions import db
from server.services.accounts import collect_keys
from tests.server import access_world
from tests.server.access_world import OTHER, OWN, PHOTO, ROLES
from tests.server.world import envelope, jpeg, publish

OK = "ok"
V, R, M, A = ROLES


def everyone(own=OK, other=404) -> dict:
    return {role: (own, other) for role in ROLES}


def only(*roles, own=OK, other=404) -> dict:
    """The roles named get (own, other); the rest are refused for their role: 403 whatever the thing."""
    return {role: (own, other) if role in roles else (403, 403) for role in ROLES}


def upload_rule() -> dict:
    """A survey's photos: its author (the volunteer owns the survey in 20968) or an admin of the subtree."""
    return {V: (OK, 404), R: (404, 404), M: (404, 404), A: (OK, 404)}


PUBLIC = {  # no sign-in needed (static files, the API description, signing in, the language switch)
    ("GET", "/static/<path:filename>"), ("GET", "/static/web/<path:filename>"), ("GET", "/api/v1/openapi.json"),
    ("POST", "/api/v1/auth/token"), ("POST", "/api/v1/auth/password"), ("POST", "/api/v1/auth/enrol"),
    ("GET", "/sign-in"), ("POST", "/sign-in"), ("POST", "/sign-out"),
    ("GET", "/lang/<code>"), ("GET", "/favicon.ico"),
}

# (method, rule) -> {role: (own subtree, other subtree)}
EXPECTED = {
    # the phone's API
    ("DELETE", "/api/v1/auth/token"): everyone(OK, OK),
    ("GET", "/api/v1/forms"): everyone(OK, OK),
    ("GET", "/api/v1/forms/<form_id>"): everyone(OK, OK),
    ("GET", "/api/v1/forms/<form_id>/media/<file>"): everyone(OK, OK),
    ("POST", "/api/v1/submissions"): everyone(OK, 403),  # outside one's subtree: outside_unit
    ("GET", "/api/v1/submissions/<instance_id>"): everyone(),
    ("PUT", "/api/v1/submissions/<instance_id>/attachments/<path:name>"): upload_rule(),
    ("GET", "/api/v1/submissions/<instance_id>/attachments/<path:name>"): upload_rule(),
    ("GET", "/api/v1/sync"): everyone(OK, OK),
    ("POST", "/api/v1/submissions/<instance_id>/review"): only(R, A),
    ("POST", "/api/v1/review/bulk"): only(R, A),
    ("GET", "/api/v1/houses"): everyone(),
    ("GET", "/api/v1/houses/<id:house_id>"): everyone(),
    ("GET", "/api/v1/progress"): only(R, M, A),
    # the web pages
    ("GET", "/"): everyone(OK, OK),
    ("GET", "/mine"): everyone(OK, OK),
    ("GET", "/collect"): everyone(OK, OK),  # one's own Collect set-up and keys
    ("POST", "/collect/keys"): everyone(OK, OK),
    ("POST", "/collect/keys/<id:key_id>/revoke"): everyone(404, 404),  # another account's token: never

    ("GET", "/password"): everyone(OK, OK),
    ("POST", "/password"): everyone(OK, OK),
    ("GET", "/devices"): only(A, other=OK),
    ("GET", "/devices/<id:token_id>/revoke"): only(A),  # the confirmation step
    ("POST", "/devices/<id:token_id>/revoke"): only(A),
    ("GET", "/accounts/<username>/revoke"): only(A),
    ("POST", "/accounts/<username>/revoke"): only(A),
    ("GET", "/accounts/<username>/active"): only(A),
    ("POST", "/accounts/<username>/active"): only(A),
    ("GET", "/accounts"): only(A),
    ("GET", "/accounts/export.xlsx"): only(A),
    ("GET", "/accounts/template.xlsx"): only(A, other=OK),
    ("GET", "/accounts/new"): only(A, other=OK),
    ("POST", "/accounts/new"): only(A, other=403),  # a unit outside the subtree: unit_outside_scope
    ("GET", "/accounts/import"): only(A, other=OK),
    ("POST", "/accounts/import"): only(A, other=OK),
    ("GET", "/accounts/<username>"): only(A),
    ("POST", "/accounts/<username>"): only(A),
    ("GET", "/accounts/<username>/password"): only(A),
    ("POST", "/accounts/<username>/password"): only(A),
    ("POST", "/accounts/<username>/enrol"): only(A),
    ("GET", "/review"): only(R, A),
    ("GET", "/review/<instance_id>"): everyone(),
    ("POST", "/review/<instance_id>"): only(R, A),
    ("POST", "/review/bulk"): only(R, A),
    ("GET", "/photos/<instance_id>/<name>"): everyone(),
    ("GET", "/dashboard"): only(R, M, A),
    ("GET", "/houses"): everyone(),
    ("GET", "/houses/<id:house_id>"): everyone(),
    ("GET", "/houses/<id:house_id>/record"): everyone(),
    ("POST", "/houses/<id:house_id>/funding"): only(R, M, A),
    ("POST", "/houses/<id:house_id>/status"): only(R, M, A),
    ("POST", "/targets/poor-district/<code>"): only(M, A),
    ("GET", "/targets"): only(M, A, other=OK),
    ("POST", "/targets"): only(M, A),
    ("GET", "/reports"): only(R, M, A),  # a reviewer reports on their district and its communes
    ("GET", "/reports/download"): only(R, M, A),
    ("GET", "/reports/view"): only(R, M, A),
    ("GET", "/exports/<what>.<fmt>"): only(M, A),
    # the forms page: forms are the whole programme's (both subtrees see the same versions); a draft belongs
    # to its uploader's unit (a draft uploaded in the other subtree is not found)
    ("GET", "/forms"): only(M, A, other=OK),
    ("POST", "/forms/upload"): only(M, A, other=OK),
    ("GET", "/forms/drafts/<token>"): only(M, A),
    ("POST", "/forms/drafts/<token>/publish"): only(M, A),
    ("GET", "/forms/<form_id>/versions/<version>"): only(M, A, other=OK),
    ("GET", "/forms/<form_id>/versions/<version>/xlsx"): only(M, A, other=OK),
    # OpenRosa (ODK Collect): HTTP Basic over HTTPS, or a Collect key in the URL; the unit of the URL
    # must lie in the account's subtree (404 otherwise), and a survey's own unit in that one
    **{(method, prefix + rule): everyone()
       for prefix in ("/openrosa/<scope>", "/openrosa/key/<token>/<scope>")
       for method, rule in (("GET", "/formList"), ("GET", "/forms/<form_id>/<version>/xform"),
                            ("GET", "/forms/<form_id>/<version>/manifest"),
                            ("GET", "/forms/<form_id>/<version>/media/<file>"), ("GET", "/submission"),
                            ("POST", "/submission"))},
    ("GET", "/units"): only(A, other=OK),
    ("POST", "/units/import"): only(A, other=OK),  # an empty upload: refused, nothing written
    ("POST", "/units/add"): only(A),
    ("POST", "/units/<id:unit_id>/rename"): only(A),
    ("POST", "/units/reorganise/preview"): only(A),
    ("POST", "/units/reorganise/apply"): only(A),  # the mapping is refused after the gate (422)
    ("POST", "/units/accounts/<id:user_id>/rescope"): only(A),
    ("GET", "/map/houses"): only(R, M, A),  # the houses of one map view of a unit
    ("GET", "/boundaries"): only(A, other=OK),
    ("POST", "/boundaries"): only(A, other=OK),  # a file that is not GeoJSON: refused (422), nothing stored
}

# what each cell sends, beyond the path values: query string, JSON body or form fields
UNIT_QUERY = {("GET", "/api/v1/houses"): "org_unit", ("GET", "/api/v1/progress"): "org_unit",
              ("GET", "/dashboard"): "unit", ("GET", "/houses"): "unit", ("GET", "/review"): "commune",
              ("GET", "/reports"): "unit", ("GET", "/accounts"): "unit", ("GET", "/accounts/export.xlsx"): "unit", ("GET", "/reports/download"): "unit", ("GET", "/reports/view"): "unit", ("GET", "/exports/<what>.<fmt>"): "unit",
              ("GET", "/map/houses"): "unit"}


def routes(app) -> set[tuple[str, str]]:
    return {(m, r.rule) for r in app.url_map.iter_rules() for m in r.methods - {"HEAD", "OPTIONS"}}


def _endpoint(app, method, rule):
    return next(r.endpoint for r in app.url_map.iter_rules() if r.rule == rule and method in r.methods)


JSON_BODIES = {  # each refused after the gate, so nothing changes
    ("POST", "/api/v1/submissions/<instance_id>/review"): lambda w, code: {"action": "request_changes"},  # 422
    ("POST", "/api/v1/review/bulk"): lambda w, code: {"instance_ids": [w["decided"][code].instance_id]},  # 409
}
FORM_BODIES = {
    ("POST", "/review/<instance_id>"): lambda w, code: {"action": ""},  # an unknown action
    ("POST", "/review/bulk"): lambda w, code: {"ids": [w["decided"][code].instance_id]},  # already decided: 409
    ("POST", "/houses/<id:house_id>/funding"): lambda w, code: {"source": ""},
    ("POST", "/houses/<id:house_id>/status"): lambda w, code: {"to": "approved", "reason": ""},
    ("POST", "/targets/poor-district/<code>"): lambda w, code: {"flag": "0"},
    ("POST", "/targets"): lambda w, code: {"unit": code, "houses": "not a number", "effective_from": "2026-01-01"},
    ("POST", "/accounts/<username>/active"): lambda w, code: {"active": "1"},  # no confirm=1: the question
    ("POST", "/password"): lambda w, code: {"new_password": "one-password", "new_password_again": "another"},
    ("POST", "/accounts/new"): lambda w, code: {"username": f"matrix_{code}", "role": "volunteer", "unit": code},
    ("POST", "/accounts/<username>"): lambda w, code: {"role": "volunteer", "unit": code},  # no change
    ("POST", "/accounts/import"): lambda w, code: {},  # no file: bad_spreadsheet (422)
    ("POST", "/forms/upload"): lambda w, code: {},  # no file: refused (422), nothing stored
    ("POST", "/forms/drafts/<token>/publish"): lambda w, code: {},  # the same file as published: form_unchanged (409)
    ("POST", "/units/add"): lambda w, code: {"parent_code": code, "code": "", "name": "", "level": ""},
    ("POST", "/units/<id:unit_id>/rename"): lambda w, code: {"name": ""},
    ("POST", "/units/reorganise/preview"): lambda w, code: _mapping(code),
    ("POST", "/units/reorganise/apply"): lambda w, code: _mapping(code),
    ("POST", "/units/accounts/<id:user_id>/rescope"): lambda w, code: {"unit": code},  # where the account is
    ("POST", "/boundaries"): lambda w, code: {"property": "code"},  # no file
}


def _mapping(code: str) -> dict:
    """A mapping naming the commune: its own code again is refused (a unit both retired and a successor)."""
    return {"mapping_text": f"old_code,new_code\n{code},{code}\n", "effective": "2025-07-01"}


def _request(app, w, key, code: str, csrf: str | None, collect_key: str = "no-such-key") -> tuple[str, dict]:
    """(url, client kwargs) for one cell: the things of commune ``code``."""
    method, rule = key
    sub, house, spare = w["survey"][code], w["house"][code], w["spare"][code]
    values = {"instance_id": sub.instance_id, "name": PHOTO, "house_id": house.id, "token_id": w["token"][code].id,
              "key_id": w["token"][code].id,
              "username": spare.username, "code": code, "form_id": "house_assessment", "what": "houses", "fmt": "csv",
              "scope": code, "unit_id": w["units"][code].id, "user_id": spare.id, "file": "villages.csv", "version": w["form_row"].version,
              # <token>: a Collect key in the OpenRosa URLs, a draft's token on the forms page
              "token": collect_key if rule.startswith("/openrosa") else w["draft"][code].token}
    args = {}
    with app.test_request_context():
        endpoint = _endpoint(app, method, rule)
        rule_args = next(r for r in app.url_map.iter_rules() if r.rule == rule).arguments
        params = {k: v for k, v in values.items() if k in rule_args}
        if key in UNIT_QUERY:
            params[UNIT_QUERY[key]] = code
        if key == ("GET", "/map/houses"):
            params.update(bbox="-90,-180,90,180", zoom="5")
        if key in (("GET", "/reports/download"), ("GET", "/reports/view")):
            params["kind"] = "no-such-report"  # refused after the gate (400): no report is built
        url = url_for(endpoint, **params)
    form = {"csrf_token": csrf} if csrf else {}
    if key == ("POST", "/api/v1/submissions"):
        w["seed"] = w.get("seed", 0) + 1
        env, _ = envelope(w["form_row"], seed=w["seed"])
        if code != OWN:
            env["house_id"] = w["house"][code].uuid  # a follow-up of a house outside the subtree
        args["json"] = env
    elif key == ("PUT", "/api/v1/submissions/<instance_id>/attachments/<path:name>"):
        args["data"] = jpeg(0)  # already stored: the answer is the status, nothing changes
    elif key[0] == "POST" and rule.startswith("/openrosa/"):  # an instance that cannot be read: 400 after the gate
        args["data"] = {"xml_submission_file": (io.BytesIO(b"<data"), "submission.xml", "text/xml")}
        args["content_type"] = "multipart/form-data"
    elif key in JSON_BODIES:
        args["json"] = JSON_BODIES[key](w, code)
    elif key in FORM_BODIES:
        args["data"] = form | FORM_BODIES[key](w, code)
    elif method == "POST" and not rule.startswith("/api/"):
        args["data"] = form
    return url, args


def _outcome(resp) -> object:
    if resp.status_code >= 500:
        return resp.status_code
    if resp.status_code in (401, 403, 404):
        return resp.status_code
    if resp.status_code == 302 and "/sign-in" in resp.headers.get("Location", ""):
        return "sign-in"
    return OK


def test_every_route_is_in_the_table(app):
    have = routes(app)
    assert not have - set(EXPECTED) - PUBLIC, f"routes with no access entry: {sorted(have - set(EXPECTED) - PUBLIC)}"
    assert not (set(EXPECTED) | PUBLIC) - have, f"entries for routes that are gone: {sorted((set(EXPECTED) | PUBLIC) - have)}"


def _client_kind(rule: str) -> str:
    return "openrosa" if rule.startswith("/openrosa/") else "api" if rule.startswith("/api/") else "web"


def test_authz_matrix(app):
    w = access_world.build(app)
    w["form_row"] = publish()
    access_world.drafts(w, w["form_row"])
    clients = {}
    for role in ROLES:
        api = app.test_client()
        web, csrf = access_world.web_client(app, role)
        clients[role] = (api, access_world.api_token(api, role), web, csrf)
    keys = {role: collect_keys.create(db.session, w["users"][role])[0] for role in ROLES}
    db.session.commit()
    basic = {role: {"Authorization": "Basic " + base64.b64encode(f"{role}:demo".encode()).decode()} for role in ROLES}
    wrong, cells = [], 0
    for key in sorted(EXPECTED):
        method, rule = key
        for role in ROLES:
            api, token, web, csrf = clients[role]
            for where, code, want in (("own", OWN, EXPECTED[key][role][0]), ("other", OTHER[role], EXPECTED[key][role][1])):
                kind = _client_kind(rule)
                headers = dict(token) if kind == "api" else dict(basic[role]) if kind == "openrosa" else {}
                if key == ("DELETE", "/api/v1/auth/token"):
                    headers = access_world.api_token(api, role)  # a token of its own: this cell revokes it
                url, kwargs = _request(app, w, key, code, csrf if kind == "web" else None, keys[role])
                if kind == "openrosa":
                    kwargs["base_url"] = "https://localhost"
                resp = (web if kind == "web" else api).open(url, method=method, headers=headers, **kwargs)
                got = _outcome(resp)
                resp.close()
                cells += 1
                if got != want:
                    wrong.append(f"{method} {url} as {role} ({where}): got {got} ({resp.status_code}), want {want}")
                db.session.rollback()
    anonymous = 0
    anon = app.test_client()
    anon_csrf = re.search(r'name="csrf_token" value="([^"]+)"', anon.get("/sign-in").get_data(as_text=True)).group(1)
    for key in sorted(EXPECTED):
        method, rule = key
        kind = _client_kind(rule)
        url, kwargs = _request(app, w, key, OWN, anon_csrf if kind == "web" else None)
        if kind == "openrosa":
            kwargs["base_url"] = "https://localhost"
        resp = anon.open(url, method=method, **kwargs)
        want = "sign-in" if kind == "web" else 401
        resp.close()
        anonymous += 1
        if _outcome(resp) != want:
            wrong.append(f"{method} {url} anonymous: got {resp.status_code}, want {want}")
    print(f"\nauthz matrix: {len(EXPECTED)} routes x {len(ROLES)} roles x 2 subtrees = {cells} cells, "
          f"+ {anonymous} anonymous, {len(PUBLIC)} public routes")
    assert cells == len(EXPECTED) * len(ROLES) * 2
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_table_is_total(role):
    for key, row in EXPECTED.items():
        assert set(row) == set(ROLES), key
        assert all(v in (OK, 403, 404) for v in row[role]), key


def test_a_new_route_without_an_entry_fails_the_table_check(app):
    app.add_url_rule("/api/v1/something-new", "something_new", lambda: "{}", methods=["GET", "POST"])
    with pytest.raises(AssertionError, match="something-new"):
        test_every_route_is_in_the_table(app)
