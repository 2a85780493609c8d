"""The outbox: each finished survey with its state and, when it failed, why (in plain words)."""

from kivy.uix.screenmanager import Screen

from mobile.ui import theme
from mobile.ui.screens import load_kv
from mobile.ui.widgets import Card, HintLine, TextLine

load_kv(__file__)


class OutboxScreen(Screen):
    def __init__(self, app, presenter, **kwargs):
        super().__init__(name="outbox", **kwargs)
        self.app = app
        self.presenter = presenter

    def on_pre_enter(self, *args):
        self.refresh()

    def refresh(self):
        view = self.presenter.view()
        self.ids.title.text = view.title
        self.ids.empty.text = view.empty
        self.ids.back.text = view.back
        items = self.ids.item_list
        items.clear_widgets()
        for entry in view.items:
            card = Card()
            card.add_widget(TextLine(text=entry.title, bold=True))
            card.add_widget(TextLine(text=entry.state, color=theme.DANGER if entry.failed else theme.PRIMARY))
            if entry.detail:
                card.add_widget(HintLine(text=entry.detail))
            items.add_widget(card)
