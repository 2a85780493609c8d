"""The built-in forms are valid XLSForm for ODK and Kobo too: pyxform's own XForm conversion succeeds
and gives well-formed XML (the role attribute's namespace is declared)."""

import xml.dom.minidom

import pytest
from pyxform.xls2xform import convert

from forms.compile.library import SOURCES, library_path


@pytest.mark.parametrize("form_id", sorted(SOURCES))
def test_pyxform_converts_the_library_form_to_an_xform(form_id):
    xform = convert(xlsform=str(library_path(form_id)), validate=False).xform
    document = xml.dom.minidom.parseString(xform.encode("utf-8"))  # raises on an unbound prefix
    assert document.getElementsByTagName("h:title")[0].firstChild.data  # one title, in Vietnamese
    roles = [b.getAttribute("maiam:role") for b in document.getElementsByTagName("bind")]
    assert "house_location" in roles
