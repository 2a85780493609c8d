"""Small reusable widgets (styled in widgets.kv): big buttons, wrapping labels, toggle rows, cards.

Buttons never break a word: their text wraps between words only, and their font shrinks (`fit_font`,
down to MIN_FONT_SCALE of its size) until the longest word fits the button's width.
"""

from kivy.core.text import Label as CoreLabel
from kivy.properties import ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.textinput import TextInput
from kivy.uix.togglebutton import ToggleButton

MIN_FONT_SCALE = 0.6
_word_widths: dict = {}


def word_width(word: str, font_size: float, bold: bool = False) -> float:
    key = (word, round(font_size, 1), bold)
    if key not in _word_widths:
        _word_widths[key] = CoreLabel(font_size=font_size, bold=bold).get_extents(word)[0]
    return _word_widths[key]


def fit_font(text: str, width: float, base: float, bold: bool = False) -> float:
    """The largest font size <= `base` at which every word of `text` fits in `width` on its own line
    (so wrapping, which Kivy does between words, never has to cut a word)."""
    words = str(text or "").split()
    if not words or width <= 0:
        return base
    size = base
    while size > base * MIN_FONT_SCALE:
        if max(word_width(w, size, bold) for w in set(words)) <= width:
            return size
        size -= base * 0.05
    return base * MIN_FONT_SCALE


class FitButton(Button):
    """A button with `base_font` as its preferred font size (widgets.kv fits it to the words)."""

    base_font = NumericProperty(0)


class BigButton(FitButton):
    """A 56dp high button with the primary colour: the one clear action of a screen."""


class QuietButton(FitButton):
    """A 56dp high secondary button (Back, Cancel…)."""


class ChoiceRow(ToggleButton):
    """One answer of a select question: a full-width toggle row."""

    value = StringProperty("")
    base_font = NumericProperty(0)


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


class TapCard(ButtonBehavior, Card):
    """A card the whole of which is one tap target (a house on the home screen)."""


class FilterChip(ToggleButton):
    """A small toggle as wide as its words (a stage filter); chips wrap in a StackLayout."""
