"""The OpenAPI document tells the truth: the error body the API really sends, the bearer token on
every operation but sign-in, and an anonymous call to any of those is a 401 before its body is read."""

import re


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "delete", "head", "patch"):
                yield method, path, op


def test_error_schema_is_the_real_one(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert schemas["Error"]["required"] == ["error"]
    detail = schemas[schemas["Error"]["properties"]["error"]["$ref"].rsplit("/", 1)[1]]
    assert set(detail["properties"]) == {"code", "message", "fields"} and set(detail["required"]) == {"code", "message"}
    real = client.get("/api/v1/houses").get_json()  # anonymous: a real error body
    assert set(real) == {"error"} and {"code", "message"} <= set(real["error"])


def test_bearer_on_every_operation_but_sign_in(client):
    from server.api import PUBLIC_ENDPOINTS

    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    public = []
    for method, path, op in _operations(spec):
        security = op.get("security", spec.get("security"))
        if security == []:
            public.append((method, path))
        else:
            assert security == [{"bearer": []}], (method, path)
            url = re.sub(r"{[^}]+}", "1", path)
            r = client.open(url, method=method.upper(), data="{}", content_type="application/json")
            assert r.status_code == 401, (method, path, r.status_code)
            if method != "head":
                assert r.get_json()["error"]["code"] == "unauthorized"
    assert sorted(public) == [("post", "/api/v1/auth/enrol"), ("post", "/api/v1/auth/password"),
                              ("post", "/api/v1/auth/token")]
    assert PUBLIC_ENDPOINTS == {"auth.create_token", "auth.change_password", "auth.enrol"}
