"""A test stand-in for ODK Collect: the requests it makes, in the shapes it makes them (OpenRosa 1.0).

- every request carries ``X-OpenRosa-Version: 1.0`` and a ``Date``;
- with a username/password it sends the first request bare, answers the 401 challenge
  (``WWW-Authenticate: Basic``) and then sends the header with every request;
- ``HEAD /submission`` first (204 and ``X-OpenRosa-Accept-Content-Length``), then one POST of
  ``multipart/form-data`` with ``xml_submission_file`` and the photos, or several POSTs when the photos
  exceed the accepted length: each with the instance and the photos that fit, ``*isIncomplete*=yes``
  on every one but the last.
"""

from __future__ import annotations

import base64
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

XFORMS_LIST = "{http://openrosa.org/xforms/xformsList}"
MANIFEST = "{http://openrosa.org/xforms/xformsManifest}"
RESPONSE = "{http://openrosa.org/http/response}"


@dataclass
class Collect:
    client: object
    server_url: str  # what the volunteer types: .../openrosa/20968 or .../openrosa/key/<key>/20968
    username: str | None = None
    password: str | None = None
    secure: bool = True
    challenged: bool = False
    log: list = field(default_factory=list)

    def _headers(self) -> dict:
        h = {"X-OpenRosa-Version": "1.0", "Date": "Sat, 28 Nov 2026 03:00:00 GMT", "Accept-Language": "en"}
        if self.challenged and self.username is not None:
            raw = f"{self.username}:{self.password}".encode()
            h["Authorization"] = "Basic " + base64.b64encode(raw).decode()
        return h

    def request(self, method: str, url: str, **kwargs):
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        base = "https://localhost" if self.secure else "http://localhost"
        resp = self.client.open("/" + path, method=method, base_url=base, headers=self._headers(), **kwargs)
        self.log.append((method, "/" + path, resp.status_code))
        if resp.status_code == 401 and not self.challenged and self.username is not None \
                and resp.headers.get("WWW-Authenticate", "").startswith("Basic"):
            self.challenged = True
            for value in kwargs.values():
                if isinstance(value, dict):
                    for v in value.values():
                        if isinstance(v, tuple) and hasattr(v[0], "seek"):
                            v[0].seek(0)
            resp = self.client.open("/" + path, method=method, base_url=base, headers=self._headers(), **kwargs)
            self.log.append((method, "/" + path, resp.status_code))
        return resp

    # ---- forms ------------------------------------------------------------------------------------
    def form_list(self) -> list[dict]:
        resp = self.request("GET", self.server_url + "/formList")
        assert resp.status_code == 200, resp.get_data(as_text=True)
        assert resp.headers["X-OpenRosa-Version"] == "1.0"
        root = ET.fromstring(resp.get_data())
        assert root.tag == XFORMS_LIST + "xforms"
        return [{child.tag.replace(XFORMS_LIST, ""): child.text for child in x} for x in root]

    def manifest(self, url: str) -> list[dict]:
        """The form's media files as the manifest lists them: [{filename, hash, downloadUrl}]."""
        resp = self.request("GET", url)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        assert resp.headers["X-OpenRosa-Version"] == "1.0"
        root = ET.fromstring(resp.get_data())
        assert root.tag == MANIFEST + "manifest"
        return [{child.tag.replace(MANIFEST, ""): child.text for child in m} for m in root.findall(MANIFEST + "mediaFile")]

    def download(self, url: str) -> bytes:
        resp = self.request("GET", url)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return resp.get_data()

    # ---- submission -------------------------------------------------------------------------------
    def accepted_length(self) -> int:
        resp = self.request("HEAD", self.server_url + "/submission")
        assert resp.status_code == 204, resp.status_code
        return int(resp.headers["X-OpenRosa-Accept-Content-Length"])

    def submit(self, xml: bytes, photos: dict[str, bytes] | None = None) -> list:
        """HEAD, then the POST(s); returns the responses."""
        limit = self.accepted_length()
        batches, batch, size = [], [], len(xml)
        for name, data in (photos or {}).items():
            if batch and size + len(data) > limit:
                batches.append(batch)
                batch, size = [], len(xml)
            batch.append((name, data))
            size += len(data)
        batches.append(batch)
        out = []
        for i, batch in enumerate(batches):
            data = {"xml_submission_file": (io.BytesIO(xml), "submission.xml", "text/xml")}
            for name, blob in batch:
                data[name] = (io.BytesIO(blob), name, "image/jpeg")
            if i < len(batches) - 1:
                data["*isIncomplete*"] = "yes"
            out.append(self.request("POST", self.server_url + "/submission", data=data,
                                    content_type="multipart/form-data"))
        return out


def message(resp) -> tuple[str, str]:
    """(nature, text) of an OpenRosaResponse."""
    root = ET.fromstring(resp.get_data())
    assert root.tag == RESPONSE + "OpenRosaResponse", resp.get_data(as_text=True)
    msg = root.find(RESPONSE + "message")
    return msg.get("nature"), msg.text
