"""Desktop stand-in for the camera: a file chooser popup (large buttons, images only)."""

from pathlib import Path

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.filechooser import FileChooserListView
from kivy.uix.popup import Popup

from mobile.core.presenters.strings import tr
from mobile.ui import theme
from mobile.ui.widgets import BigButton, QuietButton

IMAGE_FILTERS = ["*.jpg", "*.jpeg", "*.JPG", "*.JPEG", "*.png", "*.PNG"]


class PhotoChooser(Popup):
    """Choose one image file; calls `on_path(path or None)` exactly once."""

    def __init__(self, on_path, lang="vi", start_dir=None, **kwargs):
        super().__init__(title=tr("q.photo_pick", lang), title_size=theme.FONT_LARGE, size_hint=(0.96, 0.92),
                         auto_dismiss=False, **kwargs)
        self.on_path = on_path
        box = BoxLayout(orientation="vertical", spacing=theme.GAP)
        self.chooser = FileChooserListView(path=str(start_dir or Path.home()), filters=IMAGE_FILTERS)
        self.ok = BigButton(text=tr("q.photo_pick", lang))
        self.cancel = QuietButton(text=tr("q.photo_cancel", lang))
        self.ok.bind(on_release=lambda *_: self._done(self.chooser.selection[0] if self.chooser.selection else None))
        self.cancel.bind(on_release=lambda *_: self._done(None))
        for w in (self.chooser, self.ok, self.cancel):
            box.add_widget(w)
        self.content = box

    def _done(self, path):
        self.dismiss()
        self.on_path(path)


def choose_photo(on_path, lang="vi"):
    from kivy.app import App

    app = App.get_running_app()
    start = getattr(app, "photo_dir_hint", None)
    chooser = PhotoChooser(on_path, lang=getattr(app, "lang", lang), start_dir=start)
    chooser.open()
    return chooser
