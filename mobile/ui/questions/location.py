"""Geopoint questions: live GPS with its accuracy, a photo's EXIF position, or typed coordinates.

The presenter formats everything (`view.value_text`, `view.status`); the widget only forwards taps.
"""

from kivy.uix.boxlayout import BoxLayout

from mobile.ui.questions.base import QuestionWidget
from mobile.ui.widgets import BigButton, Field, QuietButton, TextLine


class GeopointQuestion(QuestionWidget):
    def build_body(self):
        self.value_line = TextLine()
        self.status = TextLine()
        self.gps = BigButton()
        self.gps.bind(on_release=lambda *_: self.host.locate(self.field))
        self.from_photo = QuietButton(text=self.tr("q.gps_from_photo"))
        self.from_photo.bind(on_release=lambda *_: self.host.geopoint_from_photo(self.field))
        row = BoxLayout(orientation="horizontal", size_hint_y=None, spacing=self.spacing)
        self.typed = Field(hint_text="15.5734, 108.4740 ±8")
        self.typed_ok = QuietButton(text=self.tr("q.ok"), size_hint_x=0.3)
        self.typed_ok.bind(on_release=lambda *_: self.host.typed_geopoint(self.field, self.typed.text))
        row.add_widget(self.typed)
        row.add_widget(self.typed_ok)
        row.height = self.typed_ok.height
        for w in (self.value_line, self.status, self.gps, self.from_photo, row):
            self.body.add_widget(w)

    def show_value(self, view):
        self.value_line.text = view.value_text
        self.status.text = view.status
        self.gps.text = self.tr("q.gps_stop" if view.busy else "q.gps_start")
