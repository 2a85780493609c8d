"""The frame every question widget shares: label, hint, body, inline error.

A question widget only shows a `FieldView` (from `mobile.core.presenters.form`) and reports the
user's answer to its host (the form screen) with `host.answer(field, value)`. It never decides
anything: relevance, validation and saving live in the presenter.
"""

from kivy.uix.boxlayout import BoxLayout

from mobile.ui.widgets import Card, ErrorLine, HintLine, TitleLine


class QuestionWidget(Card):
    """Base class: subclasses fill `self.body` in `build_body()` and show values in `show_value()`."""

    def __init__(self, view, host, **kwargs):
        super().__init__(**kwargs)
        self.field = view.field
        self.host = host
        self.view = view
        self._updating = False
        self.title = TitleLine()
        self.hint = HintLine()
        self.body = BoxLayout(orientation="vertical", size_hint_y=None, height=0, spacing=self.spacing)
        self.body.bind(minimum_height=self.body.setter("height"))
        self.error = ErrorLine()
        for w in (self.title, self.hint, self.body, self.error):
            self.add_widget(w)
        self.build_body()
        self.show(view)

    def tr(self, key, **values):
        return self.host.tr(key, **values)

    # -- what subclasses implement ---------------------------------------------------------------
    def build_body(self):
        """Create the input widgets inside `self.body`."""

    def show_value(self, view):
        """Show `view.value` (and `view.choices`) without reporting it back as an answer."""

    # -- shared ----------------------------------------------------------------------------------
    def show(self, view):
        self.view = view
        self.title.text = view.label + ("  *" if view.required else "")
        self.hint.text = view.hint or ""
        self.error.text = view.error or ""
        self.disabled = bool(view.read_only)
        self._updating = True
        try:
            self.show_value(view)
        finally:
            self._updating = False

    def answer(self, value):
        """Report a new answer unless we are the ones showing a value right now."""
        if not self._updating:
            self.host.answer(self.field, value)

    def take_focus(self):
        """Put the cursor in the first input of this question (the phone opens its keyboard)."""
        for widget in self.body.walk(restrict=True):
            if hasattr(widget, "focus") and hasattr(widget, "insert_text") and not widget.disabled:
                widget.focus = True
                return True
        return False

    def show_local_error(self, text):
        """A message only the widget knows (e.g. a half-typed date); cleared by the next `show`."""
        self.error.text = text
