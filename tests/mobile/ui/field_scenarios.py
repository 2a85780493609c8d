"""More scenarios for driver.py (same rules: a generator per scenario, results in `RESULT`): the
volunteer's field work: the layout at any size (no button cuts a word), follow-up visits from a house,
the summary's errors by page, typed GPS without accuracy, the outbox while a survey is sent.

`bind(driver_module)` returns the scenarios by name; they use the driver's RESULT, wait_for, press."""

from __future__ import annotations

D = None  # the driver module (set by bind)


def bind(driver) -> dict:
    global D
    D = driver
    return {"layout": scenario_layout, "follow_up": scenario_follow_up, "summary_jump": scenario_summary_jump,
            "gps": scenario_gps, "outbox_progress": scenario_outbox_progress, "commune_names": scenario_commune_names}


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


# ---- follow-up from a house ---------------------------------------------------------------------
def scenario_follow_up(app, params):
    """Sign in, let the first sync bring my houses, tap a house being built, «Báo cáo tiến độ», fill the
    progress report (its house facts already there), Finish; the sync sends it."""
    from forms.example import generate
    from mobile.core.outbox import Outbox

    RESULT, press, wait_for = D.RESULT, D.press, D.wait_for
    yield from D.login(app, params["server"], "volunteer", "demo")
    yield from wait_for(lambda: not app.runner.running and app.store.list_houses(), timeout=60)
    yield 0.2
    home = app.home_screen
    RESULT["hello"] = home.ids.hello.text
    RESULT["filters"] = [k for k in home.buttons if k.startswith("stage:")]
    house = next(h for h in app.store.list_houses() if h["status"] == params.get("status", "approved"))
    press(home.buttons[f"house:{house['house_id']}"])
    yield 0.1
    RESULT["offers"] = [k for k in home.buttons if k.endswith(f":{house['house_id']}")]
    press(home.buttons[f"follow_up:{house['house_id']}"])
    yield 0.1
    screen = app.form_screen
    presenter = screen.presenter
    RESULT["house_id"] = house["house_id"]
    RESULT["house_note"] = screen.ids.house.text
    RESULT["prefilled"] = {k: presenter.session.get(k) for k in ("house_id", "commune_code", "stage")}
    RESULT["read_only"] = sorted(p for p, w in screen.widgets.items() if w.disabled)
    form = app.store.load_form(presenter.draft.form_id)
    answers = generate(form, seed=params.get("seed", 3), preset=RESULT["prefilled"])
    yield from D.fill_form(app, answers)
    yield 0.1
    press(app.summary_screen.ids.finish)
    yield 0.1
    RESULT["screen_after_finish"] = app.sm.current
    yield from wait_for(lambda: not app.runner.running and all(
        i.state == "sent" for i in Outbox(app.store).items()), timeout=120)
    [item] = Outbox(app.store).items()
    RESULT["sent"] = {"instance_id": item.instance_id, "state": item.state, "house_id": item.envelope.get("house_id"),
                      "form_id": item.form_id}


# ---- page 1: the commune by name --------------------------------------------------------------
def scenario_commune_names(app, params):
    """Open a new house assessment on a phone that knows its scope's communes: what page 1 shows for the
    commune (names, the one chosen, any text field), then tap another commune and read the villages."""
    from kivy.uix.textinput import TextInput

    RESULT, press = D.RESULT, D.press
    press(app.home_screen.buttons["form:house_assessment"])
    yield 0.2
    screen = app.form_screen
    commune = screen.widgets["commune_code"]
    RESULT["type"] = type(commune).__name__
    RESULT["names"] = [row.text for row in commune.rows]
    RESULT["chosen"] = [row.text for row in commune.rows if row.state == "down"]
    RESULT["text_fields_in_commune"] = sum(isinstance(w, TextInput) for w in commune.walk(restrict=True))
    RESULT["labels"] = [w.text for w in screen.walk(restrict=True) if hasattr(w, "text") and "Mã xã" in str(w.text)]
    press(next(row for row in commune.rows if row.value == params["tap"]))
    yield 0.1
    RESULT["answer"] = screen.presenter.session.get("commune_code")
    RESULT["villages"] = [row.text for row in screen.widgets["village"].rows]


# ---- the summary's errors by page ---------------------------------------------------------------
def scenario_summary_jump(app, params):
    """Open the draft, go to the summary: errors by page; tap one: its page, its input focused."""
    RESULT, press = D.RESULT, D.press
    app.open_draft(params["draft_id"])
    yield 0.1
    app.form_screen.show_summary()
    yield 0.1
    summary = app.summary_screen
    RESULT["groups"] = [[title.text] for title in summary.group_titles]
    view = summary.presenter.summary()
    RESULT["groups"] = [[g.title, [i.field for i in g.items]] for g in view.groups]
    RESULT["shown_titles"] = [t.text for t in summary.group_titles]
    RESULT["finish"] = [summary.ids.finish.text, summary.ids.finish.disabled]
    press(summary.jumps[params["jump"]])
    yield 0.2
    screen = app.form_screen
    widget = screen.widgets[params["jump"]]
    RESULT["after_jump"] = {"screen": app.sm.current, "page": screen.presenter.index,
                            "page_text": screen.ids.page.text, "focus": bool(widget.input.focus),
                            "on_screen": widget.parent is not None}


# ---- GPS without tricks -------------------------------------------------------------------------
def scenario_gps(app, params):
    """On the assessment's GPS question: the live GPS improving then «Dùng vị trí này»; coordinates
    typed with the accuracy in its own field; typed without one (kept, «vị trí nhập tay»)."""
    from mobile.core.devices import FixedLocation
    from mobile.core.location import GpsFix

    RESULT, press = D.RESULT, D.press
    app.open_draft(app.home_presenter.new_draft("house_assessment"))
    yield 0.1
    screen = app.form_screen
    presenter = screen.presenter
    field = "gps"
    screen.jump(field)
    yield 0.1
    widget = screen.widgets[field]
    statuses = []
    original = presenter.gps_fix

    def recording(fix):
        change = original(fix)
        statuses.append(presenter.gps_status(field))
        return change

    presenter.gps_fix = recording
    app.devices.location = FixedLocation([GpsFix(15.57, 108.47, 10, acc) for acc in (60.0, 35.0, 18.0)])
    press(widget.gps)
    yield 0.2
    RESULT["improving"] = statuses
    RESULT["use_button"] = widget.use.text if widget.use.parent is not None else None
    press(widget.use)
    yield 0.1
    RESULT["used"] = [presenter.session.get(field), widget.value_line.text, widget.use.parent is None]
    results = {}
    for name, accuracy in (("typed_80", "80"), ("typed_8", "8"), ("manual", "")):
        widget.typed.text = "15,5734; 108,4740"
        widget.accuracy.text = accuracy
        press(widget.typed_ok)
        yield 0.05
        results[name] = {"answer": presenter.session.get(field), "value": widget.value_line.text,
                         "status": widget.status.text, "error": widget.error.text}
    RESULT["typed"] = results
    RESULT["accuracy_keyboard"] = [widget.accuracy.input_type, widget.accuracy.input_filter]
    screen.show_summary()
    yield 0.1
    RESULT["summary_fields"] = list(app.summary_screen.jumps)


# ---- the outbox while a survey is sent ----------------------------------------------------------
def scenario_outbox_progress(app, params):
    """The outbox screen, «Gửi ngay», then what the card shows every 0.2 s until the survey is sent."""
    from mobile.core.outbox import Outbox

    RESULT, press, wait_for = D.RESULT, D.press, D.wait_for
    app.show_outbox()
    yield 0.2
    screen = app.outbox_screen
    [iid] = list(screen.cards)
    RESULT["before"] = screen.cards[iid]["state"].text
    RESULT["send_now"] = [screen.ids.send_now.text, screen.ids.send_now.disabled]
    press(screen.ids.send_now)
    samples = []
    for _ in range(int(params.get("timeout", 90) / 0.2)):
        yield 0.2
        parts = screen.cards.get(iid, {})
        samples.append({"state": parts["state"].text if "state" in parts else None,
                        "bar": parts["bar"].value if "bar" in parts else None,
                        "bytes": parts["bytes"].text if "bytes" in parts else None})
        if Outbox(app.store).get(iid).state == "sent" and not app.runner.running:
            break
    yield from wait_for(lambda: not app.runner.running, timeout=30)
    yield 0.2
    RESULT["samples"] = samples
    RESULT["after"] = screen.cards[iid]["state"].text
