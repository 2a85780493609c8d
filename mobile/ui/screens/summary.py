"""The summary before Finish: what is still missing or wrong (tap one to jump to it), then Finish."""

from kivy.uix.screenmanager import Screen

from mobile.ui import theme
from mobile.ui.screens import load_kv
from mobile.ui.widgets import QuietButton, TitleLine

load_kv(__file__)


class SummaryScreen(Screen):
    def __init__(self, app, **kwargs):
        super().__init__(name="summary", **kwargs)
        self.app = app
        self.presenter = None
        self.jumps = {}  # field path -> button (tests press them)

    def open(self, presenter):
        self.presenter = presenter
        self.ids.message.text = ""
        self.refresh()

    def refresh(self):
        view = self.presenter.summary()
        ids = self.ids
        ids.title.text = view.title
        ids.answered.text = view.answered
        ids.heading.text = view.heading
        ids.heading.color = theme.PRIMARY if view.ready else theme.DANGER
        ids.back.text = view.back
        ids.finish.text = view.finish
        ids.finish.disabled = not view.ready
        ids.item_list.clear_widgets()
        self.jumps = {}
        self.group_titles = []
        for group in view.groups:  # by page, under the page's title; a tap opens the question
            title = TitleLine(text=group.title, color=theme.PRIMARY)
            self.group_titles.append(title)
            ids.item_list.add_widget(title)
            for item in group.items:
                button = QuietButton(text=f"{item.label} — {item.message}", halign="left")
                button.bind(on_release=lambda *_, f=item.field: self.app.jump_to(f))
                self.jumps[item.field] = button
                ids.item_list.add_widget(button)

    def back(self):
        self.app.show_form()

    def finish(self):
        ok, message = self.presenter.finish()
        if ok:
            self.app.finished(message)
        else:
            self.refresh()
            self.ids.message.text = message
