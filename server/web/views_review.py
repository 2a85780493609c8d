"""Review pages: the queue, one survey, decisions, bulk approve, photos (auth + scope checked)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from server.app_lifecycle import current as app_lifecycle
from server.errors import DomainError
from server.extensions import db
from server.models import OrgUnit
from server.params import page_number
from server.services.accounts import access
from server.services.surveys import review as review_service
from server.services.surveys import review_queue, signals
from server.web import bp
from server.web import detail as detail_view
from server.web.guards import requires, user_unit
from server.web.i18n import lang, t


def _abort_for(err: DomainError):
    if err.status in (404, 403):
        abort(err.status)
    flash(err.message(lang()), "error")


@bp.route("/review")
@requires("review")
def queue():
    f = {k: (request.args.get(k) or "").strip() or None
         for k in ("q", "commune", "form", "date_from", "date_to", "flag", "sort")}
    page = page_number(request.args.get("page"))
    try:
        result = review_queue.queue(db.session, g.web_user, lang=lang(), page=page, **f)
    except DomainError as err:
        _abort_for(err)
        result = review_queue.QueuePage([], 0, 1, review_service.PAGE_SIZE)
    home = user_unit()
    communes = db.session.scalars(db.select(OrgUnit).where(access.in_subtree(OrgUnit.path, home.path),
                                                           OrgUnit.level == "commune").order_by(OrgUnit.name)).all()
    forms = review_queue.waiting_forms(db.session, g.web_user, lang())
    links = {k: v for k, v in f.items() if v}
    return render_template("queue.html", items=result.items, result=result, f=f, links=links, communes=communes,
                           forms=forms, flag_names=signals.FLAGS + tuple(signals.SIGNALS),
                           sorts=review_queue.QUEUE_SORTS, nav="review")


@bp.route("/review/<instance_id>")
@requires("view")
def review_detail(instance_id):
    try:
        ctx = detail_view.submission_context(g.web_user, instance_id)
    except DomainError as err:
        abort(err.status if err.status in (403, 404) else 400)
    sub = ctx.pop("sub")
    can = ctx["s"]["review_status"] == "received" and access.can(g.web_user, "decide", sub)
    return render_template("review.html", can_review=can, nav="review", **ctx)


@bp.route("/review/<instance_id>", methods=["POST"])
@requires("decide")
def review_decide(instance_id):
    action, comment = request.form.get("action", ""), request.form.get("comment")
    try:
        review_service.decide(db.session, g.web_user, instance_id, action, comment,
                              override=bool(request.form.get("override")),
                              duplicate=request.form.get("duplicate") or None, lc=app_lifecycle())
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        if err.status == 409 or err.code in ("override_reason_required", "bad_duplicate_choice"):
            # someone decided first, the house cannot move, or the form's warnings need an override: say so,
            # with the page as it is now (and what was typed)
            return _conflict(err, instance_id, comment)
        _abort_for(err)
        return redirect(url_for("web.review_detail", instance_id=instance_id))
    # straight on to the oldest survey still waiting: a district officer with hundreds to check
    # should not have to go back to the list after every decision
    following = review_queue.queue(db.session, g.web_user, lang=lang(), per_page=1).items
    if following:
        flash(t("decided_next"))
        return redirect(url_for("web.review_detail", instance_id=following[0]["instance_id"]))
    flash(t("decided"))
    return redirect(url_for("web.queue"))


def _conflict(err: DomainError, instance_id: str, comment: str | None = None):
    flash(err.message(lang()), "error")
    ctx = detail_view.submission_context(g.web_user, instance_id)
    ctx.pop("sub")
    can = ctx["s"]["review_status"] == "received"
    return render_template("review.html", can_review=can, nav="review", comment=comment, **ctx), err.status


@bp.route("/review/bulk", methods=["POST"])
@requires("decide")
def bulk_approve():
    ids = request.form.getlist("ids")
    if not ids:
        flash(t("nothing_selected"), "error")
        return redirect(url_for("web.queue"))
    try:
        result = review_service.bulk_approve(db.session, g.web_user, ids, lc=app_lifecycle())
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        _abort_for(err)
        return redirect(url_for("web.queue"))
    flash(t("bulk_done", n=result.approved))
    if result.skipped:
        flash(t("bulk_skipped", n=len(result.skipped)), "error")
    return redirect(url_for("web.queue"))


@bp.route("/photos/<instance_id>/<name>")
@requires("view")
def photo(instance_id, name):
    try:
        return detail_view.photo_response(g.web_user, instance_id, name, thumb=bool(request.args.get("thumb")))
    except DomainError:
        abort(404)
