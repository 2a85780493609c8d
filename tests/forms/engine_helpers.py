"""Small definition builders for engine tests (no compiler involved)."""


def q(name, type_="text", **kw):
    node = {"name": name, "type": type_, "label": {"vi": name.upper(), "en": name}}
    node.update(kw)
    return node


def group(name, children, **kw):
    return q(name, "group", children=children, **kw)


def repeat(name, children, **kw):
    return q(name, "repeat", children=children, **kw)


def definition(*questions, choices=None, **kw):
    d = {
        "schema_version": 1,
        "form_id": kw.pop("form_id", "t"),
        "version": kw.pop("version", "1"),
        "title": {"vi": "Thử", "en": "Test"},
        "default_language": "vi",
        "languages": ["vi", "en"],
        "questions": list(questions),
        "choices": choices or {},
    }
    d.update(kw)
    return d


def yes_no():
    return [
        {"name": "yes", "label": {"vi": "Có", "en": "Yes"}},
        {"name": "no", "label": {"vi": "Không", "en": "No"}},
    ]
