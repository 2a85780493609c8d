"""Image questions: take or choose a photo (through the host's camera device) and show a thumbnail."""

from kivy.metrics import dp
from kivy.uix.image import Image

from mobile.ui.questions.base import QuestionWidget
from mobile.ui.widgets import BigButton, HintLine


class ImageQuestion(QuestionWidget):
    def build_body(self):
        # the presenter gives a small preview file; nocache: no texture kept after the widget goes
        self.thumb = Image(size_hint_y=None, height=0, fit_mode="contain", nocache=True)
        self.caption = HintLine()
        self.button = BigButton()
        self.button.bind(on_release=lambda *_: self.host.take_photo(self.field))
        for w in (self.thumb, self.caption, self.button):
            self.body.add_widget(w)

    def show_value(self, view):
        path = view.media
        if path:
            self.thumb.source = path
            self.thumb.height = dp(160)
            self.caption.text = self.tr("q.photo_done")
            self.button.text = self.tr("q.photo_retake")
        else:
            self.thumb.source = ""
            self.thumb.height = 0
            self.caption.text = self.tr("q.photo_none")
            self.button.text = self.tr("q.photo_take" if self.host.has_camera else "q.photo_pick")
