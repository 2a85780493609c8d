"""Date, time and date-time questions: day / month / year (and hour / minute) number boxes."""

from kivy.uix.boxlayout import BoxLayout

from mobile.core.presenters import values
from mobile.ui.questions.base import QuestionWidget
from mobile.ui.widgets import Field, HintLine, QuietButton


def _box(label, hint_text, width_hint):
    column = BoxLayout(orientation="vertical", size_hint_x=width_hint, size_hint_y=None)
    caption = HintLine(text=label)
    entry = Field(input_filter="int", input_type="number", hint_text=hint_text)
    column.add_widget(caption)
    column.add_widget(entry)
    column.height = entry.height + caption.font_size * 1.5
    return column, entry


class _PartsQuestion(QuestionWidget):
    """Number boxes in one row plus a 'today' / 'now' button."""

    boxes: tuple = ()  # (string key, hint, relative width)
    quick_key = "q.today"

    def build_body(self):
        row = BoxLayout(orientation="horizontal", size_hint_y=None, spacing=self.spacing)
        self.entries = []
        for key, hint, width in self.boxes:
            column, entry = _box(self.tr(key), hint, width)
            entry.bind(text=self._typed)
            self.entries.append(entry)
            row.add_widget(column)
        row.height = max(c.height for c in row.children)
        self.body.add_widget(row)
        quick = QuietButton(text=self.tr(self.quick_key))
        quick.bind(on_release=lambda *_: self.fill_now())
        self.body.add_widget(quick)

    def show_value(self, view):
        if view.value in (None, ""):
            return  # keep half-typed parts on screen
        for entry, text in zip(self.entries, self.parts(view.value), strict=False):
            if entry.text != text:
                entry.text = text

    def _typed(self, *_):
        if self._updating:
            return
        try:
            value = self.value([e.text for e in self.entries])
        except ValueError:
            self.answer(None)  # shows the field again (clearing messages) ...
            self.show_local_error(self.tr(self.bad_key))  # ... so the widget's own message comes after
            return
        self.show_local_error("")
        self.answer(value)

    def fill(self, parts):
        self._updating = True
        try:
            for entry, text in zip(self.entries, parts, strict=False):
                entry.text = text
        finally:
            self._updating = False
        self._typed()


class DateQuestion(_PartsQuestion):
    boxes = (("q.day", "28", 0.28), ("q.month", "11", 0.28), ("q.year", "2026", 0.44))
    bad_key = "q.bad_date"

    def parts(self, value):
        return values.date_parts(value)

    def value(self, texts):
        return values.date_value(*texts)

    def fill_now(self):
        self.fill(values.today_parts())


class TimeQuestion(_PartsQuestion):
    boxes = (("q.hour", "7", 0.5), ("q.minute", "30", 0.5))
    bad_key = "q.bad_time"
    quick_key = "q.now"

    def parts(self, value):
        return values.time_parts(value)

    def value(self, texts):
        return values.time_value(*texts)

    def fill_now(self):
        self.fill(values.now_parts())


class DateTimeQuestion(_PartsQuestion):
    boxes = (("q.day", "28", 0.18), ("q.month", "11", 0.18), ("q.year", "2026", 0.28),
             ("q.hour", "7", 0.18), ("q.minute", "30", 0.18))
    bad_key = "q.bad_date"
    quick_key = "q.now"

    def parts(self, value):
        return values.datetime_parts(value)

    def value(self, texts):
        return values.datetime_value(*texts)

    def fill_now(self):
        self.fill(values.today_parts() + values.now_parts())
