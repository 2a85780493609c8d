"""One widget per question type, and the registry that picks it (`widget_for`)."""

from mobile.ui.questions.dates import DateQuestion, DateTimeQuestion, TimeQuestion
from mobile.ui.questions.location import GeopointQuestion
from mobile.ui.questions.media import ImageQuestion
from mobile.ui.questions.notes import AcknowledgeQuestion, NoteQuestion
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
}

# Types the engine fills by itself: never shown.
HIDDEN_TYPES = frozenset({"calculate", "hidden", "start", "end", "today", "deviceid", "username"})


def widget_for(view, host):
    """The widget for one question view, or None for types that are not shown."""
    cls = REGISTRY.get(view.type)
    return cls(view, host) if cls else None
