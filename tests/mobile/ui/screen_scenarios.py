"""The form screen's behaviours for driver.py (same rules as field_scenarios.py: a generator per scenario,
results in the driver's `RESULT`): inline messages, live relevance, the choice filter, GPS, repeats and the
summary's jump back, on the small test form.

`bind(driver_module)` returns the scenarios by name."""

from __future__ import annotations

D = None  # the driver module (set by bind)


def bind(driver) -> dict:
    global D
    D = driver
    return {"behaviours": scenario_behaviours}


def scenario_behaviours(app, params):
    """The small test form: inline messages, live relevance, choice filter, GPS, repeats, summary jump."""
    RESULT, press = D.RESULT, D.press
    from mobile.ui.questions.base import QuestionWidget

    shown = []
    original = QuestionWidget.show

    def counting_show(widget, view):
        shown.append(view.field)
        return original(widget, view)

    QuestionWidget.show = counting_show
    press(app.home_screen.buttons["form:small"])
    yield 0.1
    screen = app.form_screen
    presenter = screen.presenter
    RESULT["first_page"] = list(screen.widgets)
    press(screen.ids.next)  # the note page
    yield 0
    press(screen.ids.next)  # head_name empty
    yield 0
    RESULT["required_error"] = screen.widgets["head_name"].error.text
    RESULT["page_message"] = screen.ids.message.text
    screen.widgets["head_name"].input.text = "Phạm Thị Mai"
    press(screen.ids.next)
    yield 0
    screen.widgets["members"].input.text = "25"
    yield 0
    RESULT["constraint_error"] = screen.widgets["members"].error.text
    screen.widgets["members"].input.text = "4"
    RESULT["constraint_cleared"] = screen.widgets["members"].error.text
    press(screen.ids.next)
    yield 0
    pages_before = presenter.page_count
    shown.clear()
    yes = next(r for r in screen.widgets["has_roof"].rows if r.value == "yes")
    press(yes)
    RESULT["shown_after_yes"] = sorted(set(shown))
    RESULT["pages_added"] = presenter.page_count - pages_before
    press(screen.ids.next)
    yield 0
    RESULT["relevant_page"] = list(screen.widgets)
    press(screen.widgets["roof_material"].rows[0])
    press(screen.ids.next)
    yield 0
    press(next(r for r in screen.widgets["commune"].rows if r.value == "20971"))
    press(screen.ids.next)
    yield 0
    RESULT["villages"] = [r.text for r in screen.widgets["village"].rows]
    press(screen.widgets["village"].rows[0])
    press(screen.ids.next)
    yield 0
    press(screen.widgets["visit_date"].body.children[0])  # "Hôm nay"
    RESULT["visit_date"] = presenter.session.get("visit_date")
    press(screen.ids.next)
    yield 0
    hour, minute = screen.widgets["visit_time"].entries
    hour.text = "7"
    RESULT["half_time"] = [presenter.session.get("visit_time"), screen.widgets["visit_time"].error.text]
    minute.text = "5"
    RESULT["visit_time"] = presenter.session.get("visit_time")
    press(screen.ids.next)
    yield 0
    gps = screen.widgets["location"]
    press(gps.gps)
    yield 0.05
    RESULT["gps_value"] = gps.value_line.text
    RESULT["gps_status"] = gps.status.text
    RESULT["gps_answer"] = presenter.session.get("location")
    press(screen.ids.next)
    yield 0
    press(screen.ids.next)  # the photo is not required
    yield 0
    press(screen.controls["add:rooms"])
    yield 0
    RESULT["repeat_rows"] = sorted(screen.controls)
    screen.widgets["rooms[1]/room_area"].input.text = "12,5"
    press(screen.controls["add:rooms"])
    yield 0
    press(screen.controls["remove:rooms[2]"])
    yield 0
    RESULT["repeat_after_remove"] = sorted(screen.controls)
    RESULT["rooms"] = presenter.session.answers.get("rooms")
    press(screen.ids.review)
    yield 0.05
    RESULT["summary_ready"] = not app.summary_screen.ids.finish.disabled
    RESULT["summary_heading"] = app.summary_screen.ids.heading.text
    screen.widgets.clear()
    presenter.answer("head_name", None)
    app.summary_screen.refresh()
    RESULT["summary_items"] = list(app.summary_screen.jumps)
    press(app.summary_screen.jumps["head_name"])
    yield 0.05
    RESULT["jumped_to"] = [app.sm.current, list(screen.widgets)]
