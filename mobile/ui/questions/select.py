"""Select one / select multiple: one large toggle row per choice (already filtered by the presenter)."""

from mobile.ui.questions.base import QuestionWidget
from mobile.ui.widgets import ChoiceRow


class SelectOneQuestion(QuestionWidget):
    multiple = False

    def build_body(self):
        self.rows: list[ChoiceRow] = []
        self._choices = None

    def show_value(self, view):
        choices = [(c[0], c[1]) for c in view.choices]
        if choices != self._choices:
            self._build_rows(choices)
        selected = self.selected(view.value)
        for row in self.rows:
            row.state = "down" if row.value in selected else "normal"

    def _build_rows(self, choices):
        self._choices = choices
        self.body.clear_widgets()
        self.rows = []
        group = None if self.multiple else f"q-{id(self)}"
        for name, label in choices:
            row = ChoiceRow(text=label, value=name, group=group, allow_no_selection=True)
            row.bind(state=self._toggled)
            self.rows.append(row)
            self.body.add_widget(row)

    def selected(self, value):
        return {value} if value not in (None, "") else set()

    def _toggled(self, row, state):
        if self._updating:
            return
        if self.multiple:
            self.answer([r.value for r in self.rows if r.state == "down"] or None)
        elif state == "down":
            self.answer(row.value)
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
