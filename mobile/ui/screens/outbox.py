"""The outbox: each finished survey with where it stands (a progress bar with the bytes sent and the
time left while it sends), why it failed in plain words, and «Gửi ngay» for all."""

from kivy.uix.progressbar import ProgressBar
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
        self.cards = {}  # instance id -> {"state", "bar", "bytes", "detail"} (tests read them)

    def on_pre_enter(self, *args):
        self.refresh()

    def refresh(self):
        view = self.presenter.view()
        self.ids.title.text = view.title
        self.ids.empty.text = view.empty
        self.ids.back.text = view.back
        self.ids.send_now.text = view.send_now
        self.ids.send_now.disabled = not view.can_send_now or self.app.runner.running
        items = self.ids.item_list
        items.clear_widgets()
        self.cards = {}
        for entry in view.items:
            card = Card()
            card.add_widget(TextLine(text=entry.title, bold=True))
            state = TextLine(text=entry.state, color=theme.DANGER if entry.failed else theme.PRIMARY)
            card.add_widget(state)
            parts = {"state": state}
            if entry.progress is not None:
                parts["bar"] = ProgressBar(max=1, value=entry.progress, size_hint_y=None, height=theme.GAP * 2)
                card.add_widget(parts["bar"])
                parts["bytes"] = TextLine(text="  ·  ".join(t for t in (entry.bytes_text, entry.eta) if t))
                card.add_widget(parts["bytes"])
            if entry.detail:
                parts["detail"] = HintLine(text=entry.detail)
                card.add_widget(parts["detail"])
            self.cards[entry.instance_id] = parts
            items.add_widget(card)

    def send_now(self):
        self.presenter.send_now()
        self.app.sync()
        self.refresh()
