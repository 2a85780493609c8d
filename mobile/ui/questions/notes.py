"""Notes (text only) and acknowledge questions (one 'I understand' toggle)."""

from mobile.ui.questions.base import QuestionWidget
from mobile.ui.widgets import ChoiceRow


class NoteQuestion(QuestionWidget):
    def show(self, view):
        super().show(view)
        self.title.text = view.label  # a note is never required


class AcknowledgeQuestion(QuestionWidget):
    def build_body(self):
        self.toggle = ChoiceRow(text=self.tr("q.acknowledge"), value="OK")
        self.toggle.bind(state=lambda _row, state: self.answer("OK" if state == "down" else None))
        self.body.add_widget(self.toggle)

    def show_value(self, view):
        self.toggle.state = "down" if view.value == "OK" else "normal"
