"""The form screen: one page of questions from the FormSession, Next / Back, repeats, live relevance.

Only the widgets of the fields `FormPresenter.answer` reports are shown again; the page's rows are
re-laid out (re-using the widgets) only when relevance or repeat items change.
"""

from kivy.clock import Clock, mainthread
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from mobile.core.presenters.strings import tr
from mobile.ui import theme
from mobile.ui.questions import widget_for
from mobile.ui.screens import load_kv
from mobile.ui.widgets import BigButton, QuietButton, TitleLine

load_kv(__file__)


class FormScreen(Screen):
    def __init__(self, app, **kwargs):
        super().__init__(name="form", **kwargs)
        self.app = app
        self.presenter = None
        self.widgets = {}   # field path -> question widget (this page)
        self.controls = {}  # "add:<repeat>" / "remove:<repeat>[i]" -> button

    # ---- host API used by the question widgets ------------------------------------------------
    @property
    def has_camera(self):
        return self.app.devices.has_camera

    def tr(self, key, **values):
        return tr(key, self.presenter.lang if self.presenter else self.app.lang, **values)

    def answer(self, field, value):
        self.apply(self.presenter.answer(field, value))

    def take_photo(self, field):
        def done(path):
            if path is not None:
                self._photo_taken(field, str(path))

        self.app.devices.camera.take_photo(self.app.store.photo_dir / "incoming", done)

    @mainthread
    def _photo_taken(self, field, path):
        self.apply(self.presenter.attach_photo(field, path))

    def locate(self, field):
        presenter = self.presenter
        if presenter.gps_busy(field):
            self._stop_location()
            self.apply(presenter.cancel_gps())
            return
        device = self.app.devices.location
        if device is None:
            self.apply(presenter.gps_unavailable(field))
            return
        self.apply(presenter.start_gps(field))
        device.start(self._fix)

    @mainthread
    def _fix(self, fix):
        if self.presenter is None:
            return
        change = self.presenter.gps_fix(fix)
        if not any(self.presenter.gps_busy(f) for f in self.widgets):
            self._stop_location()
        self.apply(change)

    def _stop_location(self):
        if self.app.devices.location is not None:
            self.app.devices.location.stop()

    def geopoint_from_photo(self, field):
        def done(path):
            if path:
                self._geopoint_photo(field, str(path))

        self.app.choose_file(done)

    @mainthread
    def _geopoint_photo(self, field, path):
        self.apply(self.presenter.geopoint_from_photo(field, path))

    def use_location(self, field):
        """«Dùng vị trí này»: take the best fix so far and stop the GPS."""
        self._stop_location()
        self.apply(self.presenter.stop_gps())

    def typed_geopoint(self, field, text, accuracy=""):
        self.apply(self.presenter.typed_geopoint(field, text, accuracy))

    # ---- showing ------------------------------------------------------------------------------
    def open(self, presenter):
        self.presenter = presenter
        self.show_page()

    def show_page(self, scroll_top=True):
        p = self.presenter
        ids = self.ids
        ids.home.text = tr("form.home", p.lang)
        ids.review.text = tr("form.summary", p.lang)
        ids.back.text = tr("form.back", p.lang)
        ids.next.text = tr("summary.title" if p.at_last_page() else "form.next", p.lang)
        ids.back.disabled = p.index == 0
        ids.page.text = p.page_text()
        ids.form_title.text = p.reviewer_note() or p.heading()
        ids.form_title.color = theme.DANGER if p.reviewer_note() else theme.PRIMARY
        ids.house.text = p.house_note()
        ids.message.text = p.message
        rows = p.rows()
        keep = {}
        ids.rows.clear_widgets()
        self.controls = {}
        for row in rows:
            if row.kind == "question":
                widget = self.widgets.get(row.key)
                if widget is None or widget.view.type != row.view.type:
                    widget = widget_for(row.view, self)
                else:
                    widget.show(row.view)
                if widget is None:
                    continue
                keep[row.key] = widget
                if row.view.relevant:
                    ids.rows.add_widget(widget)
            elif row.kind == "repeat_item":
                ids.rows.add_widget(self._repeat_header(row))
            else:
                button = BigButton(text=row.text)
                button.bind(on_release=lambda *_, r=row.repeat: self.apply(self.presenter.add_repeat(r)))
                self.controls[f"add:{row.repeat}"] = button
                ids.rows.add_widget(button)
        self.widgets = keep
        if scroll_top:
            ids.scroll.scroll_y = 1

    def _repeat_header(self, row):
        box = BoxLayout(size_hint_y=None, height=theme.BUTTON_H, spacing=theme.GAP)
        box.add_widget(TitleLine(text=row.text, size_hint_x=0.6, height=theme.BUTTON_H, valign="middle"))
        remove = QuietButton(text=tr("form.remove_repeat", self.presenter.lang, n=row.index), size_hint_x=0.4)
        remove.bind(on_release=lambda *_: self.apply(self.presenter.remove_repeat(row.repeat, row.index)))
        self.controls[f"remove:{row.key}"] = remove
        box.add_widget(remove)
        return box

    def apply(self, change):
        """Show what an action changed: only the reported widgets, or the page's layout."""
        if change.relayout:
            self.show_page(scroll_top=False)
            return
        for path in change.fields:
            widget = self.widgets.get(path)
            if widget is not None:
                widget.show(self.presenter.view(path))
        self.ids.message.text = self.presenter.message

    # ---- navigation ---------------------------------------------------------------------------
    def next(self):
        p = self.presenter
        if p.at_last_page():
            if p.next():
                self.show_summary()
            else:
                self.show_page(scroll_top=False)
                self._scroll_to_error()
            return
        if p.next():
            self.show_page()
        else:
            self.show_page(scroll_top=False)
            self._scroll_to_error()

    def _scroll_to_error(self):
        for path, widget in self.widgets.items():
            if self.presenter.shown_errors.get(path) and widget.parent is not None:
                self.ids.scroll.scroll_to(widget, padding=theme.PAD, animate=False)
                return

    def back(self):
        if self.presenter.back():
            self.show_page()

    def go_home(self):
        self._stop_location()
        self.app.show_home()

    def show_summary(self):
        self.app.show_summary(self.presenter)

    def jump(self, path):
        """Open the page of `path`, scroll to its question and put the cursor in it (keyboard open)."""
        self.presenter.go_to(path)
        self.show_page()
        widget = self.widgets.get(path)
        if widget is not None and widget.parent is not None:
            self.ids.scroll.scroll_to(widget, padding=theme.PAD, animate=False)
            Clock.schedule_once(lambda _dt: widget.take_focus(), 0)
