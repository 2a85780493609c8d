"""Commands: `flask --app server ...` and `python -m server ...` (import-units, reorganise, rescope, create-user,
set-password, revoke-tokens, publish-form, seed-demo, clean-uploads, check-totals, storage migrate; `db upgrade` comes from Flask-Migrate)."""

from __future__ import annotations

import json

import click
from flask import current_app

from server.errors import DomainError


def register(app) -> None:
    _register_data_commands(app)
    _register_account_commands(app)
    _register_unit_commands(app)


def _register_unit_commands(app) -> None:
    """reorganise, rescope."""

    @app.cli.command("reorganise")
    @click.argument("mapping_csv", type=click.Path(exists=True, dir_okay=False))
    @click.option("--effective", required=True, help="YYYY-MM-DD: the day the new tree takes effect")
    @click.option("--units", "units_csv", type=click.Path(exists=True, dir_okay=False), default=None,
                  help="the new units (level,code,name,parent_code), in force from the effective day")
    @click.option("--dry-run", is_flag=True, help="print what would change, write nothing")
    def reorganise_command(mapping_csv, effective, units_csv, dry_run):
        """Apply a reorganisation of the unit tree (old_code,new_code mapping) on its effective day."""
        from server import app_clock
        from server.extensions import db
        from server.params import parse_day
        from server.services.programme import reorganise

        try:
            day = parse_day(effective)
        except ValueError:
            raise click.ClickException(f"--effective {effective!r}: expected YYYY-MM-DD") from None
        with open(mapping_csv, encoding="utf-8") as fh:
            mapping = fh.read()
        units = ""
        if units_csv:
            with open(units_csv, encoding="utf-8") as fh:
                units = fh.read()
        plan = reorganise.plan(db.session, mapping, day, units)
        for text in plan.problem_texts("en"):
            click.echo(text, err=True)
        if plan.problems:
            raise click.ClickException(f"{len(plan.problems)} problem(s); nothing written")
        click.echo(json.dumps(plan.counts(), ensure_ascii=False))
        for user, reason in plan.flagged_users:
            click.echo(f"needs re-scoping: {user.username} ({user.role}, {user.unit_name}): {reason}")
        if dry_run:
            return
        try:
            reorganise.apply(db.session, plan, today=app_clock.today())
        except DomainError as err:
            db.session.rollback()
            raise click.ClickException(err.message("en")) from None
        db.session.commit()
        click.echo(f"reorganisation in force from {day.isoformat()}")

    @app.cli.command("rescope")
    @click.argument("username")
    @click.argument("unit_code")
    def rescope_command(username, unit_code):
        """Give an account a unit of today's tree (after a reorganisation flagged it)."""
        import sqlalchemy as sa

        from server.extensions import db
        from server.models import User
        from server.services.programme import reorganise

        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is None:
            raise click.ClickException(f"no user {username}")
        try:
            reorganise.rescope(db.session, None, user, unit_code, reason="command line")
        except DomainError:
            raise click.ClickException(f"no unit {unit_code} in force today") from None
        db.session.commit()
        click.echo(f"{username} now in {user.unit_name}")


def _register_account_commands(app) -> None:
    """create-user, set-password, revoke-tokens."""

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice(["volunteer", "reviewer", "manager", "admin"]), required=True)
    @click.option("--unit", "unit_code", required=True, help="org-unit code")
    @click.option("--name", "full_name", default=None)
    @click.password_option()
    def create_user(username, role, unit_code, full_name, password):
        """Create a user in an org unit."""
        import sqlalchemy as sa

        from server.extensions import db
        from server.models import User
        from server.services.accounts import auth
        from server.services.programme import unit_history

        unit = unit_history.by_code(db.session, unit_code)
        if unit is None or unit.valid_to is not None:
            raise click.ClickException(f"no org unit {unit_code}")
        if db.session.scalar(sa.select(User).where(User.username == username)):
            raise click.ClickException(f"user {username} exists")
        try:
            auth.check_new_password(password, username)
        except DomainError as err:
            raise click.ClickException(f"{err.message('en')} ({', '.join(err.fields['password'])})") from None
        user = User(username=username, role=role, org_unit_id=unit.id, full_name=full_name)
        user.password = password
        db.session.add(user)
        db.session.commit()
        click.echo(f"created {role} {username} in {unit.name}")

    @app.cli.command("set-password")
    @click.argument("username")
    @click.password_option()
    def set_password(username, password):
        """Give a user a new password; every phone and browser of theirs is signed out."""
        import sqlalchemy as sa

        from server.extensions import db
        from server.models import User
        from server.services.accounts import auth

        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is None:
            raise click.ClickException(f"no user {username}")
        try:
            auth.change_password(db.session, user, password, actor="command line")
        except DomainError as err:
            raise click.ClickException(f"{err.message('en')} ({', '.join(err.fields['password'])})") from None
        db.session.commit()
        click.echo(f"new password set for {username}; signed out everywhere")

    @app.cli.command("revoke-tokens")
    @click.argument("username")
    def revoke_tokens(username):
        """Sign a user out of every phone (a lost phone, someone leaving)."""
        from server.extensions import db
        from server.services.accounts import devices

        try:
            n = devices.revoke_user(db.session, None, username)
        except DomainError:
            raise click.ClickException(f"no user {username}") from None
        db.session.commit()
        click.echo(f"revoked {n} sign-in(s) of {username}")


def _register_data_commands(app) -> None:
    """import-units, publish-form, seed-demo, clean-uploads."""

    @app.cli.command("import-units")
    @click.argument("csv_path", type=click.Path(exists=True, dir_okay=False))
    def import_units(csv_path):
        """Load org units from a CSV (level,code,name,parent_code)."""
        from server.extensions import db
        from server.services.programme import org_units

        with open(csv_path, encoding="utf-8") as fh:
            text = fh.read()
        try:
            counts = org_units.import_csv(db.session, text)
        except DomainError as err:
            db.session.rollback()
            raise click.ClickException(f"{err.message('en')}: {err.fields}") from None
        db.session.commit()
        click.echo(f"created {counts['created']}, updated {counts['updated']}")

    @app.cli.command("publish-form")
    @click.argument("xlsform", type=click.Path(exists=True, dir_okay=False))
    @click.option("--media", "media", multiple=True, type=click.Path(exists=True, dir_okay=False),
                  help="a media file of the form (CSV, GeoJSON); default: the files in <form>-media/ beside it")
    def publish_form(xlsform, media):
        """Compile an XLSForm and publish it with its media files (a changed file becomes a new version)."""
        from server.extensions import db
        from server.services.programme import forms as forms_service

        try:
            form, created = forms_service.publish_file(db.session, xlsform, list(media) or None)
        except DomainError as err:
            db.session.rollback()
            raise click.ClickException(f"{err.message('en')}: {err.fields}") from None
        db.session.commit()
        click.echo(f"{'published' if created else 'unchanged'} {form.form_id} version {form.version}")

    @app.cli.command("seed-demo")
    def seed_demo():
        """Demo units, accounts, forms and houses (idempotent)."""
        from server import app_storage
        from server.extensions import db
        from server.services.demo import seed as demo

        try:
            done = demo.seed(db.session, app_storage.current(), production=current_app.config["PRODUCTION"])
        except DomainError as err:
            raise click.ClickException(err.message("en")) from None
        click.echo("demo data created" if done else "demo data already present")

    @app.cli.command("clean-uploads")
    @click.option("--hours", type=float, default=None,
                  help="remove unfinished uploads untouched this long (default MAIAM_PARTIAL_MAX_AGE_HOURS)")
    def clean_uploads(hours):
        """Remove expired unfinished photo uploads (MEDIA_ROOT/partial/ or the database) and stale lock files."""
        from server import app_storage

        hours = current_app.config["PARTIAL_MAX_AGE_HOURS"] if hours is None else hours
        done = app_storage.current().clean_partials(hours * 3600)
        click.echo(f"removed {done.partial_files} unfinished upload(s) ({done.partial_bytes} bytes), "
                   f"{done.locks} stale lock(s), {done.folders} empty folder(s), "
                   f"{done.multipart} abandoned multipart upload(s) in the bucket")

    @app.cli.group("storage")
    def storage_group():
        """Photo storage: `storage migrate --to s3` moves stored photos between the disk and a bucket."""

    @storage_group.command("migrate")
    @click.option("--to", "to", type=click.Choice(["s3", "file"]), required=True,
                  help="s3: MEDIA_ROOT -> the MAIAM_S3_* bucket; file: the bucket -> MEDIA_ROOT")
    def storage_migrate(to):
        """Copy every stored photo and thumbnail, verified by sha256; resumable (run it again after a cut)."""
        from server.services.files import blobs as blob_stores
        from server.services.files import migrate, s3
        from server.services.files.storage import Storage

        cfg = current_app.config
        disk, bucket = blob_stores.LocalBlobs(cfg["MEDIA_ROOT"]), s3.blobs(cfg.get("S3") or {})
        source, target = (disk, bucket) if to == "s3" else (bucket, disk)
        done = migrate.migrate(source, target, Storage(cfg["MEDIA_ROOT"]), say=click.echo)
        click.echo(done.line())
        if to == "s3" and not done.failed:
            click.echo("now set MAIAM_STORAGE=s3 on every node (the files in MEDIA_ROOT are left as they were)")
        raise SystemExit(1 if done.failed else 0)

    @app.cli.command("check-totals")
    @click.option("--org-unit", "code", default=None, help="recount only this unit's subtree (org-unit code)")
    def check_totals(code):
        """Recount every level from the raw rows and compare with the dashboard, /progress and the report."""
        from server import app_clock
        from server.app_lifecycle import current as app_lifecycle
        from server.extensions import db
        from server.services.reports import recount

        try:
            bad, summary = recount.check(db.session, code, lc=app_lifecycle(), today=app_clock.today())
        except LookupError:
            raise click.ClickException(f"no org unit {code}") from None
        for m in bad:
            click.echo(str(m))
        click.echo(summary)
        raise SystemExit(1 if bad else 0)
