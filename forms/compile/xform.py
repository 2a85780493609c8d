"""The XForm (ODK's XML form) of an XLSForm, as pyxform writes it: what ODK Collect, KoboCollect, Enketo
and ODK Web Forms download. Server and CLI only (pyxform).

    xml = xform_of(data, "house_assessment.xlsx", version="2026112801")

``version`` replaces the XLSForm's own (a file published again under an unchanged version gets a new
one: server.services.programme.forms), so the instance a phone sends names the version stored here.
"""

from io import BytesIO
from pathlib import Path

from pyxform.builder import create_survey_element_from_dict
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from forms.compile.problems import CompileError, from_pyxform

ROOT_NAME = "data"  # the instance's root element (as forms.compile names it)


def xform_of(data: bytes, filename: str, version: str | None = None) -> str:
    """The XForm XML text; CompileError when pyxform refuses the file."""
    try:
        workbook = get_xlsform(BytesIO(data), file_type=Path(filename).suffix.lower())
        pyx = workbook_to_json(workbook, form_name=ROOT_NAME, fallback_form_name=Path(filename).stem, warnings=[])
        if version is not None:
            pyx["version"] = version
        survey = create_survey_element_from_dict(pyx)
        return survey.to_xml(validate=False, pretty_print=False, warnings=[])
    except PyXFormError as err:
        raise CompileError([from_pyxform(err)]) from None
    except Exception as err:  # noqa: BLE001 - pyxform bugs on odd input must not become tracebacks
        raise CompileError([from_pyxform(f"{type(err).__name__}: {err}")]) from None
