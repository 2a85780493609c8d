"""forms.xml_instance: a survey as the XML instance ODK Collect sends, and back.

Property: for every form (both library forms and three ordinary XLSForms) and any example seed,
JSON answers -> XML instance -> parse -> the one judge gives the same validated answers as the JSON did.
The instance follows the structure of the XForm pyxform serves (every element we write is one of its
primary instance's), and untrusted XML is parsed safely (no DTD, no entities, bounded depth)."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms import xml_instance
from forms.compile import load_file
from forms.compile.xform import xform_of
from forms.example import generate
from forms.validate import validate

ROOT = Path(__file__).resolve().parents[2]
FORM_FILES = sorted((ROOT / "forms" / "library").glob("*.xlsx")) + sorted((ROOT / "tests" / "fixtures" / "xlsforms").glob("*.xlsx"))
META = {"now": "2026-11-28T10:00:00+07:00", "username": "volunteer", "deviceid": "collect:abc"}
_FORMS: dict = {}


def form_of(path: Path):
    if path not in _FORMS:
        _FORMS[path] = load_file(path)  # with its media (house_assessment-media/villages.csv)
    return _FORMS[path]


@pytest.fixture(scope="module", params=FORM_FILES, ids=lambda p: p.stem)
def form(request):
    return form_of(request.param)


def test_five_forms_two_of_them_ours():
    assert len(FORM_FILES) == 5 and {p.stem for p in FORM_FILES} >= {"house_assessment", "construction_progress"}


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10**9))
def test_json_to_xml_to_answers_is_the_same_survey(form, seed):
    answers = generate(form, seed=seed, meta=META)
    iid = str(uuid.uuid4())
    root = xml_instance.parse(xml_instance.to_xml(form, answers, iid))
    head = xml_instance.head(root)
    assert (head.form_id, head.version, head.instance_id, head.deprecated_id) == (form.form_id, form.version, iid, None)
    by_json = validate(form, answers, meta=META)
    by_xml = validate(form, xml_instance.answers_of(form, root), meta=META)
    assert by_xml.ok, by_xml.errors
    assert by_xml.answers == by_json.answers


def _paths(elem: ET.Element, prefix: str = "") -> set[str]:
    out = set()
    for child in elem:
        path = f"{prefix}/{xml_instance.local(child.tag)}"
        out.add(path)
        out |= _paths(child, path)
    return out


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: p.stem)
def test_our_instance_has_the_structure_of_the_served_xform(path):
    form = form_of(path)
    xform = ET.fromstring(xform_of(path.read_bytes(), path.name, version=form.version))
    instance = next(e for e in xform.iter() if xml_instance.local(e.tag) == "instance")
    primary = next(iter(instance))
    assert (primary.get("id"), primary.get("version")) == (form.form_id, form.version)
    answers = generate(form, seed=7, meta=META)
    ours = xml_instance.parse(xml_instance.to_xml(form, answers, str(uuid.uuid4()), root_name=xml_instance.local(primary.tag)))
    assert _paths(ours) <= _paths(primary)


def test_an_instance_as_collect_writes_it_namespaces_uuid_prefix_and_template():
    form = form_of(ROOT / "tests" / "fixtures" / "xlsforms" / "school_census.xlsx")
    xml = (
        '<?xml version="1.0"?><data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" '
        'id="school_census" version="3"><school>Trường Tam Xuân</school><opens_at>07:00:00.000+07:00</opens_at>'
        '<n_classes>1</n_classes><classroom jr:template=""><room/></classroom>'
        '<classroom><room>A1</room><pupils>30</pupils><state><roof_leaks>no</roof_leaks><roof_photo/></state>'
        '<teacher><teacher_name>Cô Lan</teacher_name></teacher></classroom><total_pupils>30</total_pupils>'
        '<orx:meta><orx:instanceID>uuid:6F9619FF-8B86-D011-B42D-00C04FC964FF</orx:instanceID>'
        '<orx:deprecatedID>uuid:0b9fa1e2-3c4d-4e5f-8a9b-0c1d2e3f4a5b</orx:deprecatedID></orx:meta></data>'
    ).encode()
    root = xml_instance.parse(xml)
    head = xml_instance.head(root)
    assert head.instance_id == "6f9619ff-8b86-d011-b42d-00c04fc964ff"
    assert head.deprecated_id == "0b9fa1e2-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
    answers = xml_instance.answers_of(form, root)
    assert answers["classroom"] == [{"room": "A1", "pupils": 30, "roof_leaks": "no",
                                     "teacher": [{"teacher_name": "Cô Lan"}]}]
    assert validate(form, answers).ok


@pytest.mark.parametrize("xml, reason", [
    (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><data id="f">&b;</data>', "dtd"),
    (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><data id="f">&x;</data>', "dtd"),
    (b'<!DOCTYPE data><data id="f"/>', "dtd"),
    (b"<data id='f'><a>", "malformed"),
    (b"", "malformed"),
    (b"not xml at all", "malformed"),
    (b"<a>" * 100 + b"</a>" * 100, "too_deep"),
])
def test_unsafe_or_broken_xml_is_refused_with_a_reason(xml, reason):
    with pytest.raises(xml_instance.InstanceError) as err:
        xml_instance.parse(xml)
    assert err.value.reason == reason and err.value.text("vi") and err.value.text("en")


@pytest.mark.parametrize("xml, reason", [
    (b"<data><meta><instanceID>uuid:6f9619ff-8b86-d011-b42d-00c04fc964ff</instanceID></meta></data>", "no_form_id"),
    (b"<data id='f'><meta><instanceID>12</instanceID></meta></data>", "no_instance_id"),
    (b"<data id='f'/>", "no_instance_id"),
    (b"<data id='f'><meta><instanceID>uuid:6f9619ff-8b86-d011-b42d-00c04fc964ff</instanceID>"
     b"<deprecatedID>x</deprecatedID></meta></data>", "bad_deprecated_id"),
])
def test_a_head_without_form_or_instance_id_is_refused(xml, reason):
    with pytest.raises(xml_instance.InstanceError) as err:
        xml_instance.head(xml_instance.parse(xml))
    assert err.value.reason == reason


SAME_NAME_IN_A_REPEAT = """| survey |
| | type | name | label |
| | begin group | head | Household head |
| | text | name | Name |
| | text | phone | Phone |
| | end group | | |
| | begin repeat | member | Member |
| | begin group | id | Identity |
| | text | name | Name |
| | end group | | |
| | begin group | contact | Contact |
| | text | name | Name |
| | end group | | |
| | end repeat | | |
"""


def test_a_name_used_in_two_groups_is_keyed_by_its_group_path_and_written_by_its_name(tmp_path):
    """The answers key 'name' by its group path below the nearest repeat (forms.definition.answer_keys);
    the instance names the elements by the XLSForm name, under their groups, as the served XForm does."""
    path = tmp_path / "same_name.md"
    path.write_text(SAME_NAME_IN_A_REPEAT, encoding="utf-8")
    form = load_file(path)
    answers = {"head/name": "An", "phone": "0905",  # a name used once stays the key
               "member": [{"id/name": "Bình", "contact/name": "Chi"}, {"id/name": "Dũng"}]}
    root = xml_instance.parse(xml_instance.to_xml(form, answers, str(uuid.uuid4())))
    assert [e.text for e in root.iter() if xml_instance.local(e.tag) == "name"] == ["An", "Bình", "Chi", "Dũng", None]
    assert _paths(root) >= {"/head/name", "/member/id/name", "/member/contact/name"}
    assert xml_instance.answers_of(form, root) == answers
    assert validate(form, xml_instance.answers_of(form, root)).answers == answers
    xform = ET.fromstring(xform_of(path.read_bytes(), path.name, version=form.version))
    primary = next(iter(next(e for e in xform.iter() if xml_instance.local(e.tag) == "instance")))
    assert _paths(root) <= _paths(primary)
