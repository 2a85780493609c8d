"""Filling a form through the real widgets as a user would (typing, tapping, the GPS button, the camera):
used by driver.py's scenarios, in the driver's process (Kivy is configured before this is imported)."""

from __future__ import annotations

from forms.model import value_at
from mobile.ui.driving import press


def repeat_count(answers, repeat_path):
    """How many items the example has for a repeat path ('members' or 'a[1]/b')."""
    parent, _, name = repeat_path.rpartition("/")
    node = answers
    if parent:
        for part in parent.split("/"):
            base, index = part[:-1].split("[")
            node = (node.get(base) or [{}])[int(index) - 1]
    return len(node.get(name) or [])


def enter(widget, value):
    """Give `value` to a question widget the way a user would (typing, tapping)."""
    qtype = widget.view.type
    if value in (None, "", []):
        return
    enterer = _ENTERERS.get(qtype)
    if enterer is None:
        raise AssertionError(f"no way to enter a {qtype}")
    enterer(widget, value)


def _enter_typed(widget, value):
    widget.input.text = str(value)


def _enter_choices(widget, value):
    qtype = widget.view.type
    wanted = set(value.split()) if isinstance(value, str) and qtype == "select_multiple" else (
        set(value) if isinstance(value, list) else {value})
    if widget.opener is not None:
        press(widget.opener)  # a long list opens in a popup
    for row in list(widget.rows):
        if (row.value in wanted) != (row.state == "down"):
            press(row)


def _enter_parts(parts_name):
    """A date/time/datetime widget: one entry box per part, as presenters.values splits the value."""
    def enter_parts(widget, value):
        from mobile.core.presenters import values

        for entry, text in zip(widget.entries, getattr(values, parts_name)(value), strict=True):
            entry.text = text
    return enter_parts


def _enter_acknowledge(widget, value):
    if widget.toggle.state != "down":
        press(widget.toggle)


def _enter_geopoint(widget, value):
    # the phone's GPS (the desktop fake device) delivers the example's point with its accuracy
    from kivy.app import App

    from mobile.core.devices import FixedLocation
    from mobile.core.location import GpsFix

    lat, lon, alt, acc = (float(x) for x in str(value).split())
    App.get_running_app().devices.location = FixedLocation([GpsFix(lat, lon, alt, min(acc, 9.0))])
    press(widget.gps)


def _enter_image(widget, value):
    press(widget.button)


_ENTERERS = {
    "text": _enter_typed, "integer": _enter_typed, "decimal": _enter_typed,
    "select_one": _enter_choices, "select_multiple": _enter_choices,
    "date": _enter_parts("date_parts"), "time": _enter_parts("time_parts"),
    "datetime": _enter_parts("datetime_parts"),
    "acknowledge": _enter_acknowledge, "geopoint": _enter_geopoint, "image": _enter_image,
}


def fill_form(app, answers, result: dict):
    """Page by page: add repeat items, answer every visible question, press Next; then the summary. The
    questions answered go to ``result["filled"]``."""
    screen = app.form_screen
    presenter = screen.presenter
    filled = []
    for _guard in range(500):
        # add repeat items the example has
        for key, button in list(screen.controls.items()):
            if key.startswith("add:"):
                repeat = key[4:]
                shown = sum(1 for k in screen.controls if k.startswith(f"remove:{repeat}["))
                if shown < repeat_count(answers, repeat):
                    press(button)
                    yield 0
                    break
        else:
            for path, widget in list(screen.widgets.items()):
                if widget.parent is None or widget.view.type in ("note",) or not widget.view.relevant:
                    continue
                current = presenter.session.get(path)
                value = value_at(answers, path)
                if value in (None, "", []) or current == value:
                    continue
                enter(widget, value)
                filled.append(path)
                yield 0
            at_last = presenter.at_last_page()
            press(screen.ids.next)
            yield 0
            if app.sm.current == "summary":
                break
            if presenter.message:
                raise AssertionError(f"page {presenter.index + 1} refused: {presenter.shown_errors}")
            if at_last:
                break
            continue
    result["filled"] = filled
