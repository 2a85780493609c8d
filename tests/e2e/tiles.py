"""A map tile server on loopback for the browser tests: any /{z}/{x}/{y}.png is a 256-pixel PNG drawn here
(a pale ground, roads on a fixed world-pixel grid and a winding river, so that neighbouring tiles join, and
«test tile z/x/y» in a corner), so the maps' base layer is exercised without the internet."""

from __future__ import annotations

import io
import math
import re
import threading
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image, ImageDraw

PATH = re.compile(r"^/(\d+)/(\d+)/(\d+)\.png$")


@lru_cache(maxsize=512)
def tile(z: int, x: int, y: int) -> bytes:
    img = Image.new("RGB", (256, 256), (242, 239, 233))
    d = ImageDraw.Draw(img)
    x0, y0 = x * 256, y * 256  # world pixels of the tile's corner
    for k in (-1, 0, 1):  # a river every 512 world pixels, winding
        base = y0 - y0 % 512 + 300 + k * 512 - y0
        d.line([(px, base + 90 * math.sin((x0 + px) / 140.0)) for px in range(0, 257, 4)], fill=(170, 211, 223),
               width=14)
    for k in (-1, 0, 1):  # a park
        top = y0 - y0 % 384 + 40 + k * 384 - y0
        left = x0 - x0 % 448 + 200 - x0
        d.rectangle([left, top, left + 180, top + 120], fill=(205, 235, 176))
    for step, width in ((512, 6), (128, 2)):
        for px in range(-(x0 % step), 256, step):
            d.line([(px, 0), (px, 256)], fill=(255, 255, 255), width=width)
        for py in range(-(y0 % step), 256, step):
            d.line([(0, py), (256, py)], fill=(255, 255, 255), width=width)
    d.rectangle([0, 0, 255, 255], outline=(228, 224, 216))
    d.text((4, 242), f"test tile {z}/{x}/{y}", fill=(160, 160, 160))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


class TileServer:
    def __init__(self):
        self.requests: list[str] = []
        served = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server name
                m = PATH.match(self.path)
                served.append(self.path)
                if not m:
                    self.send_error(404)
                    return
                body = tile(*(int(v) for v in m.groups()))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.template = self.url + "/{z}/{x}/{y}.png"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> TileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
