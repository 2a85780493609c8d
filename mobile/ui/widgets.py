"""Small reusable widgets (styled in widgets.kv): big buttons, wrapping labels, toggle rows, cards."""

from kivy.properties import ListProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.textinput import TextInput
from kivy.uix.togglebutton import ToggleButton


class BigButton(Button):
    """A 56dp high button with the primary colour: the one clear action of a screen."""


class QuietButton(Button):
    """A 56dp high secondary button (Back, Cancel…)."""


class ChoiceRow(ToggleButton):
    """One answer of a select question: a full-width toggle row."""

    value = StringProperty("")


class TextLine(Label):
    """A label that wraps to its width and grows to its text's height."""


class TitleLine(TextLine):
    """A screen or question title."""


class HintLine(TextLine):
    """A hint under a question."""


class ErrorLine(TextLine):
    """A red message under a question (empty = hidden)."""


class Field(TextInput):
    """A single-line text input with large text."""


class CountBox(BoxLayout):
    """A number with its caption (home screen counters)."""

    number = StringProperty("")
    label = StringProperty("")


class Card(BoxLayout):
    """A white box with padding that grows with its content."""

    bg = ListProperty([1, 1, 1, 1])
