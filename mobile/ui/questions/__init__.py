"""One widget per question type, and the registry that picks it (`widget_for`)."""

from forms.model import HIDDEN_TYPES
from mobile.ui.questions.dates import DateQuestion, DateTimeQuestion, TimeQuestion
from mobile.ui.questions.location import GeopointQuestion
from mobile.ui.questions.media import ImageQuestion
from mobile.ui.questions.notes import AcknowledgeQuestion, NoteQuestion, UnsupportedQuestion
from mobile.ui.questions.select import SelectMultipleQuestion, SelectOneQuestion
from mobile.ui.questions.text import DecimalQuestion, IntegerQuestion, TextQuestion

REGISTRY = {
    "text": TextQuestion,
    "integer": IntegerQuestion,
    "decimal": DecimalQuestion,
    "select_one": SelectOneQuestion,
    "select_multiple": SelectMultipleQuestion,
    "date": DateQuestion,
    "time": TimeQuestion,
    "datetime": DateTimeQuestion,
    "note": NoteQuestion,
    "acknowledge": AcknowledgeQuestion,
    "geopoint": GeopointQuestion,
    "image": ImageQuestion,
    "barcode": TextQuestion,  # no scanner here: the code is typed
    "range": DecimalQuestion,
}

__all__ = ["HIDDEN_TYPES", "REGISTRY", "widget_for"]  # HIDDEN_TYPES: types the engine fills, never shown


def widget_for(view, host):
    """The widget for one question view; None for types never shown; a «not supported on this
    phone» card for the ones it cannot capture (audio, video, geotrace, geoshape, osm, file)."""
    if view.type in HIDDEN_TYPES:
        return None
    cls = REGISTRY.get(view.type, UnsupportedQuestion)
    return cls(view, host)
