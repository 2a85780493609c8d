"""How well the perceptual hash finds "the same photo": copies caught, false positives, per threshold.

    PYTHONPATH=. python bench/photo_signals.py

Originals: the 9 fixture JPEGs (tests/fixtures/photos) plus generated pictures (Pillow-drawn random
scenes, noise and gradients, and crops of the fixtures). Copies: each fixture resized to half and
re-encoded at JPEG quality 60. Prints pairs compared, copies caught and false positives per threshold,
hashing through the server's own path (server.services.files.photo_facts.phash of a 320x240 thumbnail).
"""

from __future__ import annotations

import io
import itertools
import random
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from server.services.files import photo_facts  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "photos"


def fixtures() -> list[Image.Image]:
    out = []
    for p in sorted(FIXTURES.glob("*.jpg")):
        try:
            with Image.open(p) as img:
                out.append(ImageOps.exif_transpose(img).convert("RGB"))
        except OSError:
            continue
    return out


def scene(rng: random.Random) -> Image.Image:
    img = Image.new("RGB", (640, 480), tuple(rng.randrange(256) for _ in range(3)))
    d = ImageDraw.Draw(img)
    for _ in range(rng.randrange(3, 15)):
        box = sorted(rng.sample(range(640), 2)), sorted(rng.sample(range(480), 2))
        shape = rng.choice((d.rectangle, d.ellipse))
        shape([box[0][0], box[1][0], box[0][1], box[1][1]], fill=tuple(rng.randrange(256) for _ in range(3)))
    return img


def noise(rng: random.Random) -> Image.Image:
    return Image.frombytes("RGB", (160, 120), rng.randbytes(160 * 120 * 3)).resize((640, 480))


def gradient(rng: random.Random) -> Image.Image:
    a, b = rng.random() * 4 - 2, rng.random() * 4 - 2
    img = Image.linear_gradient("L").rotate(rng.randrange(360)).resize((640, 480))
    return Image.merge("RGB", [img.point(lambda v, k=k: int(v * abs(a + k)) % 256) for k in (0, b, 1)])


def crops(fx: list[Image.Image], rng: random.Random, n: int) -> list[Image.Image]:
    out = []
    for _ in range(n):
        img = rng.choice(fx)
        w, h = img.size
        cw, ch = w // 3, h // 3
        x, y = rng.randrange(w - cw), rng.randrange(h - ch)
        out.append(img.crop((x, y, x + cw, y + ch)))
    return out


def stored_hash(img: Image.Image, tmp: Path, name: str, quality: int = 90, scale: float = 1.0) -> str:
    """Encode as a phone would, thumbnail as the server does, hash the thumbnail."""
    from server.services.files.images import check_and_thumbnail

    if scale != 1.0:
        img = img.resize((max(8, int(img.width * scale)), max(8, int(img.height * scale))))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    photo = tmp / f"{name}.jpg"
    photo.write_bytes(buf.getvalue())
    _, thumb = check_and_thumbnail(photo, 10**9)
    (tmp / f"{name}.thumb.jpg").write_bytes(thumb)
    return photo_facts.phash(tmp / f"{name}.thumb.jpg")


def main(generated: int = 300, seed: int = 7) -> dict:
    rng = random.Random(seed)
    fx = fixtures()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        originals = [stored_hash(img, tmp, f"fx{i}") for i, img in enumerate(fx)]
        copies = [stored_hash(img, tmp, f"copy{i}", quality=60, scale=0.5) for i, img in enumerate(fx)]
        makers = [scene, noise, gradient]
        pictures = [makers[i % 3](rng) for i in range(generated - generated // 4)] + crops(fx, rng, generated // 4)
        others = [stored_hash(img, tmp, f"gen{i}") for i, img in enumerate(pictures)]
    every = originals + others
    pairs = list(itertools.combinations(range(len(every)), 2))
    dists = [photo_facts.distance(every[i], every[j]) for i, j in pairs]
    copy_d = [photo_facts.distance(a, b) for a, b in zip(originals, copies, strict=True)]
    fx_pairs = list(itertools.combinations(originals, 2))
    print(f"photos: {len(fx)} fixtures + {len(others)} generated ({generated // 4} crops); "
          f"pairs of different photos compared: {len(pairs)}")
    print(f"copies (half size, JPEG q60): distances {copy_d}")
    print(f"closest different pair: {min(dists)} bits; closest fixture pair: "
          f"{min(photo_facts.distance(a, b) for a, b in fx_pairs)} bits")
    for t in (2, 4, 6, 8, 10, 12):
        fp = sum(d <= t for d in dists)
        caught = sum(d <= t for d in copy_d)
        mark = "  <- PHASH_MAX_DISTANCE" if t == photo_facts.PHASH_MAX_DISTANCE else ""
        print(f"threshold {t:2d}: copies caught {caught}/{len(copy_d)}, false positives {fp}/{len(pairs)}{mark}")
    return {"pairs": len(pairs), "copy_distances": copy_d, "min_distance": min(dists)}


if __name__ == "__main__":
    main()
