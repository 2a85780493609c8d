"""What every response and every request share, web and API alike: the client address behind the
configured number of trusted proxies, the security headers, and a home for the audit log."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def csp(tile_url: str | None = None) -> str:
    """No inline script anywhere (app.js and Leaflet are files under /static; map data travels in a
    non-executed <script type="application/json">). Inline style attributes (progress bars, Leaflet's
    positioning) are allowed; images come from /static, data: URLs and the map's tile host only."""
    images = " ".join(["'self'", "data:"] + ([tile_origin(tile_url)] if tile_origin(tile_url) else []))
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src {images}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def tile_origin(tile_url: str | None) -> str | None:
    """The CSP source of a tile URL template: its scheme, host and port (``{s}`` as a ``*`` subdomain);
    None for no URL or one that is not http(s)."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url.replace("{s}", "s-placeholder"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.netloc.rsplit("@", 1)[-1].replace("s-placeholder", "*")
    if any(c in host for c in "{}'; ,"):
        return None
    return f"{parts.scheme}://{host}"


CSP = csp()
HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def csp_for(config) -> str:
    """The policy for an app: the map's tile host among image sources, and the bucket's origin when the
    browser fetches photos from presigned S3 URLs (MAIAM_S3_PRESIGN_SECONDS > 0)."""
    policy = csp(config.get("MAP_TILE_URL"))
    s3 = config.get("S3") or {}
    if config.get("STORAGE") != "s3" or not s3.get("presign_seconds"):
        return policy
    return policy.replace("img-src 'self' data:", f"img-src 'self' data: {bucket_origin(s3)}")


def bucket_origin(s3: dict) -> str:
    endpoint = urlsplit(s3.get("endpoint") or f"https://s3.{s3.get('region') or 'us-east-1'}.amazonaws.com")
    host = endpoint.netloc
    if (s3.get("addressing") or "path") == "virtual":
        host = f"{s3.get('bucket')}.{host}"
    return f"{endpoint.scheme}://{host}"


def register(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    headers = {**HEADERS, "Content-Security-Policy": csp_for(app.config)}

    @app.after_request
    def _security_headers(response):
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if app.config["HSTS"]:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response

    _audit_handler()


def _audit_handler() -> None:
    """Sign-ins and revocations reach stderr even when nobody configured logging (gunicorn, run_simple)."""
    log = logging.getLogger("maiam.audit")
    log.setLevel(logging.INFO)
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        log.addHandler(handler)
