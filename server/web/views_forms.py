"""The forms page (managers, admins): upload an XLSForm, read its problems by sheet / row / column, preview
every page as the phone shows it, publish it as a new version; the versions with what each received."""

from __future__ import annotations

from flask import Response, flash, g, redirect, render_template, request, url_for

from server import app_clock
from server.errors import DomainError
from server.extensions import db
from server.services.programme import form_drafts
from server.services.reports.formatting import vn_time
from server.web import bp
from server.web.guards import requires, user_unit
from server.web.i18n import lang, t

MAX_MB = form_drafts.MAX_XLSFORM_BYTES // (1024 * 1024)


@bp.route("/forms")
@requires("manage_forms")
def forms_page():
    return _forms_page()


def _forms_page(error: DomainError | None = None):
    rows = form_drafts.versions(db.session, g.web_user, now=app_clock.now())
    problems = error.fields if error is not None and error.code == "xlsform_invalid" else None
    body = render_template("forms.html", forms=rows, error=error.message(lang()) if error else None,
                           problems=problems, max_mb=MAX_MB, unit=user_unit(), when=vn_time, nav="forms")
    return body, (error.status if error is not None else 200)


@bp.route("/forms/upload", methods=["POST"])
@requires("manage_forms")
def upload_form():
    upload = request.files.get("xlsform")
    data = upload.stream.read(form_drafts.MAX_XLSFORM_BYTES + 1) if upload else None
    media = {f.filename or "": f.stream.read(form_drafts.MAX_MEDIA_BYTES + 1)
             for f in request.files.getlist("media")[:form_drafts.MAX_MEDIA_FILES + 1]}
    try:
        draft = form_drafts.stage(db.session, g.web_user, data, upload.filename if upload else "",
                                  now=app_clock.now(), media=media)
    except DomainError as err:
        db.session.rollback()
        return _forms_page(err)
    db.session.commit()
    return redirect(url_for("web.form_draft", token=draft.token))


@bp.route("/forms/drafts/<token>")
@requires("manage_forms")
def form_draft(token):
    return _draft_page(form_drafts.get_draft(db.session, g.web_user, token))


def _draft_page(draft, error: DomainError | None = None, typed: str = ""):
    form, pages = form_drafts.preview_of(draft, lang())
    used = form_drafts.clash(db.session, draft)
    message = error.message(lang()) if error else None
    if used is not None and error is None:
        message = DomainError("form_version_used", params={
            "version": used.version, "form_id": used.form_id,
            "when": vn_time(used.published_at, "%d/%m/%Y")}).message(lang())
    suggested = form_drafts.suggest_version(db.session, draft.form_id, app_clock.today())
    body = render_template("form_preview.html", draft=draft, form=form, pages=pages, used=used, error=message,
                           typed=typed, suggested=suggested, title=form.text(form.title, lang()) or draft.form_id, nav="forms")
    return body, (error.status if error is not None else 200)


@bp.route("/forms/drafts/<token>/publish", methods=["POST"])
@requires("manage_forms")
def publish_draft(token):
    typed = (request.form.get("version") or "").strip()[:80]
    try:
        form = form_drafts.publish(db.session, g.web_user, token, now=app_clock.now(), version=typed or None)
    except DomainError as err:
        db.session.rollback()
        if err.code in ("not_found", "forbidden"):
            raise
        return _draft_page(form_drafts.get_draft(db.session, g.web_user, token), err, typed)
    db.session.commit()
    flash(t("form_published", form_id=form.form_id, version=form.version))
    return redirect(url_for("web.forms_page"))


@bp.route("/forms/<form_id>/versions/<version>")
@requires("manage_forms")
def form_version(form_id, version):
    row = form_drafts.published(db.session, g.web_user, form_id, version)
    form, pages = form_drafts.preview_of(row, lang())
    return render_template("form_preview.html", draft=None, version_row=row, form=form, pages=pages, used=None,
                           error=None, typed="", title=form.text(form.title, lang()) or form_id,
                           when=vn_time, nav="forms")


@bp.route("/forms/<form_id>/versions/<version>/xlsx")
@requires("manage_forms")
def form_version_xlsx(form_id, version):
    data, filename = form_drafts.source(db.session, g.web_user, form_id, version)
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "private, no-store"})
