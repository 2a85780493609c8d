"""ODK's lookups in a list (a choice list or a CSV/GeoJSON media file), as its docs write them:
`instance('list')/root/item[name = ${x}]/column` and `pulldata('list', 'column', 'key column', ${x})`."""

import pytest

from forms.expr import DictContext, ExprError, parse
from forms.model import Choice

HOUSES = [
    Choice("h1", {"vi": "Nhà 1"}, {"village": "2096801", "area": "40"}),
    Choice("h2", {"vi": "Nhà 2"}, {"village": "2096802", "area": "55.5"}),
    Choice("h3", {"vi": "Nhà 3"}, {"village": "2096802", "area": ""}),
]
CTX = DictContext({"house": "h2", "village": "2096802"}, instances={"houses": HOUSES})


@pytest.mark.parametrize(("text", "expected"), [
    ("instance('houses')/root/item[name = ${house}]/label", "Nhà 2"),
    ("instance('houses')/root/item[name = ${house}]/area * 2", 111.0),
    ("instance('houses')/root/item[name = 'nope']/area", ""),
    ("count(instance('houses')/root/item[village = ${village}])", 2.0),
    ("count(instance('houses')/root/item)", 3.0),
    ("sum(instance('houses')/root/item[village = ${village}]/area)", float("nan")),
    ("instance('houses')/root/item[village = ${village} and area != '']/name", "h2"),
    ("pulldata('houses', 'area', 'name', ${house})", "55.5"),
    ("pulldata('houses', 'label', 'name', 'h1')", "Nhà 1"),
    ("pulldata('houses', 'area', 'name', 'h9')", ""),
    ("pulldata('nowhere', 'area', 'name', 'h1')", ""),
])
def test_lookup(text, expected):
    value = parse(text).evaluate_string(CTX) if isinstance(expected, str) else parse(text).evaluate_number(CTX)
    if expected != expected:
        assert value != value
    else:
        assert value == expected


def test_lookups_declare_what_they_read():
    e = parse("pulldata('prices', 'p', 'name', ${x}) + count(instance('houses')/root/item[village = ${v}])")
    assert e.instances == {"prices", "houses"}
    assert e.refs == {"x", "v"}
    assert e.columns == set()  # the item's columns are not a choice_filter's


@pytest.mark.parametrize("text", ["instance('a')/root", "instance(${x})/root/item", "instance('a')/root/item[name = 1"])
def test_a_bad_lookup_is_a_clear_error(text):
    with pytest.raises(ExprError):
        parse(text)
