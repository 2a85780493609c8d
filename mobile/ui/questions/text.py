"""Text, integer and decimal questions: one large input with the fitting keyboard."""

from mobile.ui.questions.base import QuestionWidget
from mobile.ui.widgets import Field


class TextQuestion(QuestionWidget):
    input_filter = None
    input_type = "text"

    def build_body(self):
        appearance = self.view.appearance or ""
        multiline = "multiline" in appearance
        numbers = "numbers" in appearance  # digits typed as text (ID card numbers, phone numbers)
        self.input = Field(
            input_filter="int" if numbers else self.input_filter,
            input_type="number" if numbers else self.input_type,
            multiline=multiline,
        )
        if multiline:
            self.input.height = self.input.height * 2.5
        self.input.bind(text=self._typed)
        self.body.add_widget(self.input)

    def show_value(self, view):
        text = "" if view.value in (None, "") else self.format(view.value)
        if self.input.text != text and not (self.input.focus and self.same_number(self.input.text, view.value)):
            self.input.text = text

    def format(self, value):
        return str(value)

    def same_number(self, typed, value):
        return typed == self.format(value) if value not in (None, "") else typed == ""

    def _typed(self, _input, text):
        self.answer(self.parse(text))

    def parse(self, text):
        return text if text.strip() else None


class IntegerQuestion(TextQuestion):
    input_filter = "int"
    input_type = "number"

    def parse(self, text):
        text = text.strip()
        if text in ("", "-"):
            return None
        return int(text)

    def same_number(self, typed, value):
        try:
            return int(typed) == int(value)
        except (TypeError, ValueError):
            return False


class DecimalQuestion(IntegerQuestion):
    input_filter = "float"

    def format(self, value):
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)

    def parse(self, text):
        text = text.strip().replace(",", ".")
        if text in ("", "-", ".", "-."):
            return None
        try:
            return float(text)
        except ValueError:
            return None

    def same_number(self, typed, value):
        try:
            return float(typed.replace(",", ".")) == float(value)
        except (TypeError, ValueError):
            return False
