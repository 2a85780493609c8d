"""The accounts page (admins): the accounts of the subtree (search, filters, export), one account (edit
role / unit / name / phone, reset the password, set up a phone by QR code), a new account, and the bulk
import from the XLSX template. A one-time password or enrolment code is shown once, in the answer to
the POST that made it (never flashed: the flash would travel in the session cookie)."""

from __future__ import annotations

import base64

import segno
from flask import current_app, g, render_template, request, url_for

from server.app_clock import now
from server.errors import DomainError
from server.extensions import db
from server.params import page_number
from server.services.accounts import access, account_sheets, bulk_import, enrolment, users
from server.services.accounts import devices as devices_service
from server.services.reports.formatting import vn_time
from server.web import bp
from server.web.guards import requires
from server.web.i18n import lang, t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters() -> dict:
    return {"q": (request.args.get("q") or "").strip()[:80], "role": request.args.get("role") or "",
            "unit_code": (request.args.get("unit") or "").strip()[:20]}


def _xlsx(data: bytes, filename: str):
    return current_app.response_class(data, mimetype=XLSX,
                                      headers={"Content-Disposition": f"attachment; filename={filename}"})


def _form_values() -> dict:
    return {key: (request.form.get(key) or "").strip() for key in ("username", "full_name", "phone", "role", "unit")}


def _page(template: str, status: int = 200, **context):
    finder = users.UnitFinder(db.session, g.web_user)
    return render_template(template, roles=access.assignable_roles(g.web_user), units=finder.choices(),
                           nav="accounts", **context), status


# ---- the list ------------------------------------------------------------------------------------------
@bp.route("/accounts")
@requires("manage_accounts")
def accounts():
    f = _filters()
    result = users.search(db.session, g.web_user, page=page_number(request.args.get("page")), **f)
    return _page("accounts.html", result=result, f=f, status_of=account_sheets.status_key)[0]


@bp.route("/accounts/export.xlsx")
@requires("manage_accounts")
def accounts_export():
    rows = users.every(db.session, g.web_user, **_filters())
    return _xlsx(account_sheets.export(rows, lang()), f"tai-khoan-{now():%Y%m%d}.xlsx")


@bp.route("/accounts/template.xlsx")
@requires("manage_accounts")
def accounts_template():
    units = users.UnitFinder(db.session, g.web_user).choices()
    return _xlsx(account_sheets.template(units), "mau-nhap-tai-khoan.xlsx")


# ---- a new account -------------------------------------------------------------------------------------
@bp.route("/accounts/new", methods=["GET", "POST"])
@requires("manage_accounts")
def account_new():
    if request.method == "GET":
        return _page("account_new.html", v={"role": "volunteer"})[0]
    v = _form_values()
    try:
        user, password = users.create(db.session, g.web_user, username=v["username"], full_name=v["full_name"],
                                      phone=v["phone"], role=v["role"], unit=v["unit"])
    except DomainError as err:
        db.session.rollback()
        return _page("account_new.html", err.status, v=v, error=err.message(lang()), field=err.field)
    db.session.commit()
    return _secret_page(user, password, "account_created")


def _secret_page(user, password: str, headline: str):
    page = render_template("account_secret.html", account=user, password=password, headline=headline,
                           nav="accounts")
    return page, 200, {"Cache-Control": "no-store"}


# ---- the bulk import -----------------------------------------------------------------------------------
@bp.route("/accounts/import", methods=["GET", "POST"])
@requires("manage_accounts")
def accounts_import():
    if request.method == "GET":
        return render_template("accounts_import.html", nav="accounts")
    upload = request.files.get("file")
    try:
        created = bulk_import.import_accounts(db.session, g.web_user, upload.read() if upload else b"")
    except bulk_import.ImportRefused as err:
        db.session.rollback()
        problems = [t("row_problem", row=p.row, message=p.error.message(lang())) for p in err.problems]
        return render_template("accounts_import.html", nav="accounts", error=err.message(lang()),
                               problems=problems), 422
    except DomainError as err:
        db.session.rollback()
        return render_template("accounts_import.html", nav="accounts", error=err.message(lang())), 422
    db.session.commit()
    sheet = account_sheets.passwords([(c.username, c.full_name, c.unit_name, c.password) for c in created])
    link = f"data:{XLSX};base64," + base64.b64encode(sheet).decode()
    page = render_template("accounts_imported.html", nav="accounts", created=created, sheet_link=link,
                           filename=f"mat-khau-{now():%Y%m%d-%H%M}.xlsx")
    return page, 200, {"Cache-Control": "no-store"}


# ---- one account ---------------------------------------------------------------------------------------
def _account_page(user, status: int = 200, **context):
    v = context.pop("v", None) or {"full_name": user.full_name or "", "phone": user.phone or "", "role": user.role,
                                   "unit": user.org_unit.code if user.org_unit else ""}
    phones = devices_service.phones_of(db.session, g.web_user, user)
    return _page("account.html", status, account=user, v=v, phones=phones, when=vn_time, **context)


@bp.route("/accounts/<username>", methods=["GET", "POST"])
@requires("manage_accounts")
def account(username):
    user = users.get(db.session, g.web_user, username)
    if request.method == "GET":
        return _account_page(user)[0]
    v = _form_values()
    try:
        users.update(db.session, g.web_user, username, full_name=v["full_name"], phone=v["phone"], role=v["role"],
                     unit=v["unit"])
    except DomainError as err:
        db.session.rollback()
        return _account_page(users.get(db.session, g.web_user, username), err.status, v=v,
                             error=err.message(lang()), field=err.field)
    db.session.commit()
    return _account_page(user, saved=True)[0]


@bp.route("/accounts/<username>/password", methods=["GET", "POST"])
@requires("manage_accounts")
def account_password(username):
    """GET: the confirmation step; POST: a new one-time password, shown once."""
    user = users.get(db.session, g.web_user, username)
    if request.method == "GET" or request.form.get("confirmed") != "1":
        return render_template("confirm.html", nav="accounts", question=t("confirm_reset", user=username),
                               action=url_for("web.account_password", username=username), button=t("reset_password"),
                               back=url_for("web.account", username=username))
    user, password = users.reset_password(db.session, g.web_user, username)
    db.session.commit()
    return _secret_page(user, password, "password_reset_done")


@bp.route("/accounts/<username>/enrol", methods=["POST"])
@requires("manage_accounts")
def account_enrol(username):
    """A new enrolment code for setting up a phone, as a QR code (and as text to type), shown once."""
    server_url = current_app.config.get("PUBLIC_URL") or request.url_root
    code = enrolment.issue(db.session, g.web_user, username, server_url, now=now())
    db.session.commit()
    qr = segno.make(code.payload, error="m")
    page = render_template("account_enrol.html", nav="accounts", enrol=code, qr_png=qr.png_data_uri(scale=6, border=4),
                           server=server_url.rstrip("/"), expires=vn_time(code.expires_at),
                           hours=enrolment.VALID_HOURS)
    return page, 200, {"Cache-Control": "no-store"}
