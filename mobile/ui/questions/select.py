"""Select one / select multiple: one large toggle row per choice (already filtered by the presenter).

Appearances: `horizontal` with at most three short choices puts them side by side (yes / no);
`minimal` (long lists such as ethnicities) shows one button that opens a scrolling list.
"""

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.popup import Popup
from kivy.uix.scrollview import ScrollView

from mobile.ui import theme
from mobile.ui.questions.base import QuestionWidget
from mobile.ui.widgets import ChoiceRow, QuietButton


class SelectOneQuestion(QuestionWidget):
    multiple = False

    def build_body(self):
        self.rows: list[ChoiceRow] = []
        self._choices = None
        self.popup = None
        self.opener = None
        appearance = self.view.appearance or ""
        self.minimal = "minimal" in appearance and not self.multiple
        self.horizontal = "horizontal" in appearance

    def show_value(self, view):
        choices = [(c[0], c[1]) for c in view.choices]
        if choices != self._choices:
            self._build_rows(choices)
        selected = self.selected(view.value)
        for row in self.rows:
            row.state = "down" if row.value in selected else "normal"
        if self.opener is not None:
            labels = [label for name, label in choices if name in selected]
            self.opener.text = labels[0] if labels else "…"

    def _build_rows(self, choices):
        self._choices = choices
        self.body.clear_widgets()
        self.rows = []
        group = None if self.multiple else f"q-{id(self)}"
        for name, label in choices:
            row = ChoiceRow(text=label, value=name, group=group, allow_no_selection=True)
            row.bind(state=self._toggled)
            self.rows.append(row)
        if self.minimal:
            self._build_list_popup()
        elif self.horizontal and len(self.rows) <= 3 and all(len(label) <= 14 for _, label in choices):
            line = BoxLayout(size_hint_y=None, height=theme.BUTTON_H, spacing=theme.GAP)
            for row in self.rows:
                line.add_widget(row)
            self.body.add_widget(line)
        else:
            for row in self.rows:
                self.body.add_widget(row)

    def _build_list_popup(self):
        self.opener = QuietButton(text="…")
        self.opener.bind(on_release=lambda *_: self.popup.open())
        self.body.add_widget(self.opener)
        column = BoxLayout(orientation="vertical", size_hint_y=None, spacing=2)
        column.bind(minimum_height=column.setter("height"))
        for row in self.rows:
            column.add_widget(row)
        scroll = ScrollView(do_scroll_x=False)
        scroll.add_widget(column)
        self.popup = Popup(title=self.view.label, title_size=theme.FONT_LARGE, content=scroll, size_hint=(0.96, 0.9))

    def selected(self, value):
        return {value} if value not in (None, "") else set()

    def _toggled(self, row, state):
        if self._updating:
            return
        if self.multiple:
            self.answer([r.value for r in self.rows if r.state == "down"] or None)
        elif state == "down":
            self.answer(row.value)
            if self.popup is not None:
                self.popup.dismiss()
        elif not any(r.state == "down" for r in self.rows):
            self.answer(None)


class SelectMultipleQuestion(SelectOneQuestion):
    multiple = True

    def selected(self, value):
        if value in (None, ""):
            return set()
        if isinstance(value, str):
            return set(value.split())
        return set(value)
