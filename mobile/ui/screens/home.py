"""Home: new survey per cached form, drafts to continue, my houses, counts, outbox, one Sync button."""

from kivy.uix.screenmanager import Screen
from kivy.uix.stacklayout import StackLayout

from mobile.ui import theme
from mobile.ui.screens import load_kv
from mobile.ui.widgets import (
    BigButton,
    CountBox,
    ErrorLine,
    FilterChip,
    HintLine,
    QuietButton,
    TapCard,
    TextLine,
    TitleLine,
)

load_kv(__file__)


class HomeScreen(Screen):
    def __init__(self, app, presenter, **kwargs):
        super().__init__(name="home", **kwargs)
        self.app = app
        self.presenter = presenter
        self.buttons = {}  # stable names for tests: "form:<id>", "draft:<id>", "outbox", "logout"

    def on_pre_enter(self, *args):
        self.refresh()

    def refresh(self):
        view = self.presenter.view()
        ids = self.ids
        ids.hello.text = view.hello
        ids.counts.clear_widgets()
        for label, number in view.counts:
            ids.counts.add_widget(CountBox(number=str(number), label=label))
        content = ids.content
        content.clear_widgets()
        self.buttons = {}
        content.add_widget(TitleLine(text=view.forms_title))
        if view.no_forms:
            content.add_widget(TextLine(text=view.no_forms))
        for entry in view.forms:
            self._button(BigButton, f"form:{entry.form_id}", entry.text, self.app.new_survey, entry.form_id)
        for entry in view.drafts:
            self._button(QuietButton, f"draft:{entry.draft_id}", entry.text, self.app.open_draft, entry.draft_id)
            if entry.comment:
                content.add_widget(ErrorLine(text=entry.comment))
        content.add_widget(TitleLine(text=view.houses_title))
        self._houses(view)
        self._button(QuietButton, "outbox", view.outbox, self.app.show_outbox)
        self._button(QuietButton, "logout", view.logout, self.app.logout)
        self.show_sync(view)

    def show_sync(self, view=None):
        view = view or self.presenter.view()
        self.ids.sync.text = view.sync
        self.ids.sync.disabled = view.syncing
        self.ids.sync_status.text = view.sync_status
        self.ids.progress.value = view.progress

    def _houses(self, view):
        """My houses: stage filters, then a card per house; a tapped house shows what it offers."""
        content = self.ids.content
        if view.house_filters:
            chips = StackLayout(size_hint_y=None, spacing=theme.GAP)
            chips.bind(minimum_height=chips.setter("height"))
            for f in view.house_filters:
                chip = FilterChip(text=f.text, state="down" if f.active else "normal", group="house_stage")
                chip.bind(on_release=lambda *_, code=f.code: self._choose_stage(code))
                self.buttons[f"stage:{f.code}"] = chip
                chips.add_widget(chip)
            content.add_widget(chips)
        if view.houses_hint:
            content.add_widget(HintLine(text=view.houses_hint))
        if view.no_houses:
            content.add_widget(TextLine(text=view.no_houses))
        for house in view.houses:
            card = TapCard(bg=list(theme.WARN_BG if house.attention else theme.CARD))
            card.bind(on_release=lambda *_, h=house.house_id: self._tap_house(h))
            self.buttons[f"house:{house.house_id}"] = card
            card.add_widget(TextLine(text=house.title, bold=True))
            card.add_widget(TextLine(text=house.status, color=theme.DANGER if house.attention else theme.PRIMARY))
            if house.comment:
                card.add_widget(HintLine(text=house.comment))
            if house.selected:
                for action in house.actions:
                    button = BigButton(text=action.text)
                    if action.key == "follow_up":
                        button.bind(on_release=lambda *_, h=house.house_id: self.app.follow_up(h))
                    else:
                        button.bind(on_release=lambda *_, d=action.draft_id: self.app.open_draft(d))
                    self.buttons[f"{action.key}:{house.house_id}"] = button
                    card.add_widget(button)
            content.add_widget(card)

    def _choose_stage(self, code):
        self.presenter.house_list.choose_stage(code)
        self.refresh()

    def _tap_house(self, house_id):
        self.presenter.house_list.tap(house_id)
        self.refresh()

    def _button(self, cls, key, text, action, *args):
        button = cls(text=text)
        button.bind(on_release=lambda *_: action(*args))
        self.buttons[key] = button
        self.ids.content.add_widget(button)
        return button

    def sync(self):
        self.app.sync()
