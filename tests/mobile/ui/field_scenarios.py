"""More scenarios for driver.py (same rules: a generator per scenario, results in `RESULT`): the
volunteer's field work: the layout at any size (no button cuts a word), follow-up visits from a house,
the summary's errors by page, typed GPS without accuracy, the outbox while a survey is sent.

`bind(driver_module)` returns the scenarios by name; they use the driver's RESULT, wait_for, press."""

from __future__ import annotations

D = None  # the driver module (set by bind)


def bind(driver) -> dict:
    global D
    D = driver
    return {"layout": scenario_layout}


# ---- layout -------------------------------------------------------------------------------------
def broken_words(root) -> list:
    """Buttons under `root` (shown now) whose laid-out lines cut a word: [[text, lines]]; and how many
    buttons were checked."""
    from kivy.uix.button import Button

    bad, checked = [], 0
    for widget in root.walk(restrict=True):
        if not isinstance(widget, Button) or not widget.text.strip() or widget.get_root_window() is None:
            continue
        widget.texture_update()
        lines = ["".join(word.text for word in line.words) for line in widget._label._cached_lines]
        words = set(widget.text.split())
        checked += 1
        if any(token not in words for line in lines for token in line.split()):
            bad.append([widget.text, lines])
    return [bad, checked]


def scenario_layout(app, params):
    """Every screen and every page of the assessment (filled with an example, so its pages show)."""
    from mobile.core.store import TOKEN

    RESULT = D.RESULT
    RESULT["broken"], RESULT["checked"], RESULT["screens"] = [], 0, []

    def check(where):
        yield 0.1
        bad, checked = broken_words(app.sm.current_screen)
        RESULT["checked"] += checked
        RESULT["screens"].append(where)
        RESULT["broken"] += [[where, *b] for b in bad]

    yield from check("login")
    app.store.set_setting(TOKEN, "layout-token")  # never sent: nothing syncs here
    app.show_home()
    yield from check("home")
    app.open_draft(params["draft_id"])
    screen = app.form_screen
    for index in range(screen.presenter.page_count):
        screen.presenter.index = index
        screen.show_page()
        yield from check(f"page {index + 1}")
    screen.show_summary()
    yield from check("summary")
    app.show_outbox()
    yield from check("outbox")
