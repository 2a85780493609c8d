"""Pre-generate the identical workload for both servers.

For every set (warm-up, and runs 1..3 of phases A and B) and every seed:
  answers  = forms.example.generate(house_assessment, seed, meta={"username": "volunteer"})
             (what `python -m forms example forms/library/house_assessment.xlsx --seed i` prints,
             with the username meta that the project's bench/ingest.py passes);
             the optional `photo_damage` answer is dropped so that every survey has exactly three
             photos (re-validated with forms.validate afterwards);
  env_json = the project's submission envelope (as bench/ingest.py builds it);
  xml      = the same answers as an XForm instance for Central (nesting from the XForm's
             primary instance: groups, repeats, meta/instanceID = uuid:<same uuid>);
  photos   = three (name, tag) pairs: the bytes are bench/ingest.py's unique_jpeg(base_photo(), tag),
             i.e. the same ~300 KB picture with a distinct JPEG comment, identical on both sides.

Output: $ODK_BENCH_DIR/data/sets/<name>.pkl and data/base_photo.jpg.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(os.environ.get("PROJECT_DIR", Path.cwd()))
S = Path(os.environ.get("ODK_BENCH_DIR", "/tmp/odk-bench"))
sys.path.insert(0, str(REPO))

from bench.ingest import base_photo, unique_jpeg  # noqa: E402  (project code, unmodified)
from forms.compile import compile_file, media_files  # noqa: E402
from forms.definition import load  # noqa: E402
from forms.example import generate  # noqa: E402
from forms.validate import validate  # noqa: E402

DATA = S / "data"
XF = "{http://www.w3.org/2002/xforms}"
JR = "{http://openrosa.org/javarosa}"

N_A, N_B, RUNS = 800, 120, 3
WARM_A, WARM_B = 40, 8


def instance_template():
    root = ET.parse(DATA / "house_assessment.xml").getroot()
    inst = root.find(f".//{XF}model/{XF}instance")
    return list(inst)[0]


def local(tag: str) -> str:
    return tag.split("}", 1)[-1]


def fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return " ".join(str(x) for x in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def build_xml(template, answers: dict, iid: str, used: set) -> bytes:
    out = ET.Element(local(template.tag), {"id": template.get("id"), "version": template.get("version")})

    def walk(tpl, values, dst):
        seen_repeats = set()
        for child in tpl:
            name = local(child.tag)
            if child.get(f"{JR}template") is not None or name in seen_repeats:
                # a repeat: its template (and pyxform's default copy) -> one element per answered item
                if name in seen_repeats:
                    continue
                seen_repeats.add(name)
                items = values.get(name) or []
                used.add(name)
                for item in items:
                    el = ET.SubElement(dst, name)
                    walk(child, item, el)
                continue
            if name == "meta":
                el = ET.SubElement(dst, "meta")
                ET.SubElement(el, "instanceID").text = f"uuid:{iid}"
                village = values.get("village_other") or values.get("village") or ""
                ET.SubElement(el, "instanceName").text = f"{values.get('head_name', '')} - {village}"
                continue
            if len(child):  # a group
                el = ET.SubElement(dst, name)
                walk(child, values, el)
                continue
            el = ET.SubElement(dst, name)
            if name in values:
                used.add(name)
                el.text = fmt(values[name])

    walk(template, answers, out)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(out, encoding="utf-8", xml_declaration=False)


def main():
    xlsx = REPO / "forms/library/house_assessment.xlsx"
    media = media_files(xlsx)  # villages.csv: the village list the phone gets with the form
    definition = compile_file(xlsx)  # the media folder beside it
    form = load(definition, media)
    template = instance_template()
    assert template.get("id") == form.form_id and template.get("version") == str(form.version), (
        template.attrib, form.form_id, form.version)
    photo = base_photo()
    (DATA / "base_photo.jpg").write_bytes(photo)
    (DATA / "sets").mkdir(parents=True, exist_ok=True)
    print("form", form.form_id, form.version, "base photo", len(photo), "bytes")

    def make(seed: int, with_photos: bool):
        answers = generate(form, seed=seed, meta={"username": "volunteer"})
        answers.pop("photo_damage", None)  # optional question: exactly three photos per survey
        res = validate(form, answers, meta={"username": "volunteer"})
        assert res.ok, (seed, res.error_dicts())
        answers = res.answers
        names = form.image_files(answers)
        assert names == ["photo_front.jpg", "photo_roof.jpg", "photo_inside.jpg"], names
        iid = str(uuid.uuid4())
        photos, attachments = [], []
        for i, name in enumerate(names):
            tag = f"{seed}-{i}"
            data = unique_jpeg(photo, tag) if with_photos else b"\xff\xd8" + bytes(16)  # A: never uploaded
            photos.append((name, tag))
            attachments.append({"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                                "content_type": "image/jpeg"})
        env = {"instance_id": iid, "form_id": definition["form_id"], "form_version": definition["version"],
               "created_at": datetime.now(UTC).isoformat(), "answers": answers, "attachments": attachments}
        used: set = set()
        xml = build_xml(template, answers, iid, used)
        unused = set(answers) - used
        assert not unused, unused  # every answer lands in the XML
        return {"iid": iid, "seed": seed, "env_json": json.dumps(env, ensure_ascii=False).encode(),
                "xml": xml, "photos": photos if with_photos else []}

    runs = [int(x) for x in sys.argv[1:]] or list(range(1, RUNS + 1))  # e.g. `gen_data.py 4 5 6`: more runs only
    sets = {} if sys.argv[1:] else {"warm_A": [make(90_000 + i, False) for i in range(WARM_A)],
                                    "warm_B": [make(95_000 + i, True) for i in range(WARM_B)]}
    for r in runs:
        sets[f"r{r}_A"] = [make(10_000 + (r - 1) * N_A + i, False) for i in range(N_A)]
        sets[f"r{r}_B"] = [make(50_000 + (r - 1) * N_B + i, True) for i in range(N_B)]
    for name, items in sets.items():
        with open(DATA / "sets" / f"{name}.pkl", "wb") as f:
            pickle.dump(items, f)
        js = sum(len(x["env_json"]) for x in items) / len(items)
        xs = sum(len(x["xml"]) for x in items) / len(items)
        print(f"{name}: {len(items)} items, mean JSON envelope {js:.0f} B, mean XML instance {xs:.0f} B")
    if "r1_B" in sets:
        (DATA / "sample_instance.xml").write_bytes(sets["r1_B"][0]["xml"])
        (DATA / "sample_envelope.json").write_bytes(sets["r1_B"][0]["env_json"])


if __name__ == "__main__":
    main()
