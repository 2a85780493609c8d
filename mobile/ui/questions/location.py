"""Geopoint questions: live GPS with its accuracy improving and «Dùng vị trí này», a photo's EXIF
position, or coordinates typed by hand with the accuracy in its own numeric field (none = «vị trí nhập
tay», kept and flagged for the reviewer).

The presenter formats everything (`view.value_text`, `view.status`, `view.use_text`); the widget only
forwards taps.
"""

from kivy.uix.boxlayout import BoxLayout

from mobile.ui.questions.base import QuestionWidget
from mobile.ui.widgets import BigButton, Field, HintLine, QuietButton, TextLine


class GeopointQuestion(QuestionWidget):
    def build_body(self):
        self.value_line = TextLine()
        self.status = TextLine()
        self.gps = BigButton()
        self.gps.bind(on_release=lambda *_: self.host.locate(self.field))
        self.use = BigButton()
        self.use.bind(on_release=lambda *_: self.host.use_location(self.field))
        self.from_photo = QuietButton(text=self.tr("q.gps_from_photo"))
        self.from_photo.bind(on_release=lambda *_: self.host.geopoint_from_photo(self.field))
        self.typed_title = HintLine(text=self.tr("q.gps_typed"))
        self.typed = Field(hint_text=self.tr("q.gps_coordinates") + ": 15.5734, 108.4740")
        row = BoxLayout(orientation="horizontal", size_hint_y=None, spacing=self.spacing)
        self.accuracy = Field(hint_text=self.tr("q.gps_accuracy_field"), input_filter="float", input_type="number")
        self.typed_ok = QuietButton(text=self.tr("q.ok"), size_hint_x=0.4)
        self.typed_ok.bind(on_release=lambda *_: self.host.typed_geopoint(self.field, self.typed.text,
                                                                          self.accuracy.text))
        row.add_widget(self.accuracy)
        row.add_widget(self.typed_ok)
        row.height = self.typed_ok.height
        for w in (self.value_line, self.status, self.gps, self.from_photo, self.typed_title, self.typed, row):
            self.body.add_widget(w)

    def show_value(self, view):
        self.value_line.text = view.value_text
        self.status.text = view.status
        self.gps.text = self.tr("q.gps_stop" if view.busy else "q.gps_start")
        self.use.text = view.use_text
        if view.use_text and self.use.parent is None:
            self.body.add_widget(self.use, index=len(self.body.children) - 3)  # right under «Dừng»
        elif not view.use_text and self.use.parent is not None:
            self.body.remove_widget(self.use)
