"""Notes (text only), acknowledge questions (one 'I understand' toggle), and the question this phone
cannot capture (audio, video, a traced line or shape, a file): its label and «not supported here»."""

from mobile.ui.questions.base import QuestionWidget
from mobile.ui.widgets import ChoiceRow, HintLine


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


class UnsupportedQuestion(QuestionWidget):
    """A type the form may use but this phone cannot capture: the form still opens and the question
    says so (an answer to it comes from another tool, e.g. ODK Collect or the web)."""

    def build_body(self):
        self.note = HintLine(text=self.tr("q.unsupported"))
        self.body.add_widget(self.note)
