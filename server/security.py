"""What every response and every request share, web and API alike: the client address behind the
configured number of trusted proxies, the security headers, and a home for the audit log."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script anywhere (app.js and Leaflet are files under /static; map data travels in a
# non-executed <script type="application/json">). Inline style attributes (progress bars, Leaflet's
# positioning) are allowed; Leaflet's images come from /static or data: URLs.
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def csp_for(config) -> str:
    """The policy, with the bucket's origin among image sources when the browser fetches photos from
    presigned S3 URLs (MAIAM_S3_PRESIGN_SECONDS > 0)."""
    s3 = config.get("S3") or {}
    if config.get("STORAGE") != "s3" or not s3.get("presign_seconds"):
        return CSP
    return CSP.replace("img-src 'self' data:", f"img-src 'self' data: {bucket_origin(s3)}")


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
