"""Peak memory of judging a photo and making its thumbnail, each case in a fresh process.

    .venv/bin/python bench/photo_memory.py

Cases: the thumbnail as the review page made it before (Image.open, exif_transpose, thumbnail,
convert, on every cache miss) and as `server.services.files.images.check_and_thumbnail` makes it once at
upload, for a 49 Mpx PNG (refused over MAIAM_MAX_IMAGE_PIXELS before a pixel is decoded), a PNG at
the 24 Mpx limit, and a 24 Mpx JPEG (decoded at reduced scale with Image.draft). Pillow allocates
pixels outside Python's allocator (tracemalloc does not see them), so the number is the process's
peak RSS (ru_maxrss) minus its peak just before the case ran; the test images are made in other
processes, since a child inherits its parent's peak RSS on Linux.
"""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

CASES = {
    "old_thumbnail_49mpx_png": ("png", (7000, 7000), "old"),
    "new_upload_49mpx_png": ("png", (7000, 7000), "new"),
    "old_thumbnail_24mpx_png": ("png", (6000, 4000), "old"),
    "new_upload_24mpx_png": ("png", (6000, 4000), "new"),
    "old_thumbnail_24mpx_jpeg": ("jpeg", (6000, 4000), "old"),
    "new_upload_24mpx_jpeg": ("jpeg", (6000, 4000), "new"),
}


def _make(kind: str, size: tuple[int, int], path: Path) -> None:
    from PIL import Image

    # a gradient, so that the file is small but decodes to full-size RGB
    img = Image.linear_gradient("L").resize(size).convert("RGB")
    img.save(path, "PNG" if kind == "png" else "JPEG", quality=85)


def _old(path: Path) -> None:
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im)
        im.thumbnail((320, 240))
        buf = io.BytesIO()
        im.convert("RGB").save(buf, "JPEG", quality=80)


def _new(path: Path) -> str:
    from server.errors import DomainError
    from server.services.files.images import check_and_thumbnail

    try:
        check_and_thumbnail(path, 24_000_000)
        return "stored"
    except DomainError as err:
        return err.code


def _child(case: str, path: str) -> None:
    import PIL.Image  # noqa: F401  (imports counted in the baseline)

    import server.services.files.images  # noqa: F401

    kind, size, how = CASES[case]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome = _old(Path(path)) if how == "old" else _new(Path(path))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{case:28s} {(peak - before) / 1024:8.1f} MB  {outcome or ''}")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--make":
        kind, size, _ = CASES[sys.argv[2]]
        _make(kind, size, Path(sys.argv[3]))
        return
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for case, (kind, size, _) in CASES.items():
            path = Path(tmp) / f"{kind}_{size[0]}x{size[1]}.{kind}"
            if not path.exists():  # in its own process: Linux children inherit the peak RSS of their parent
                subprocess.run([sys.executable, __file__, "--make", case, str(path)], check=True)
            files[case] = path
        print(f"{'case':28s} {'peak RSS over baseline':>11s}")
        for case, path in files.items():
            subprocess.run([sys.executable, __file__, "--child", case, str(path)], check=True,
                           cwd=root, env={"PYTHONPATH": str(root)})


if __name__ == "__main__":
    main()
