"""search: houses.search_text, submissions.search_text (folded name | CCCD | village [| volunteer]), indexed
(a btree for the name sort; on PostgreSQL a pg_trgm GIN index for the substring search), filled for
existing rows

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 10:00:00

"""
import json

from alembic import op
import sqlalchemy as sa

from forms.definition import load
from forms.display import choice_label
from forms.search import search_text

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

TRIGRAM = {"houses": "ix_houses_search_trgm", "submissions": "ix_submissions_search_trgm"}
BATCH = 5000


def upgrade():
    for table in ("houses", "submissions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('search_text', sa.String(length=400), nullable=True))
            batch_op.create_index(f'ix_{table}_search_text', ['search_text'], unique=False)
    conn = op.get_bind()
    _fill_houses(conn)
    _fill_submissions(conn)
    if conn.dialect.name == "postgresql":
        _trigram(conn)


def _trigram(conn):
    try:
        with conn.begin_nested():
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
    except sa.exc.DBAPIError:
        pass  # no right to install it: searches scan the table
    for table, name in TRIGRAM.items():
        try:
            with conn.begin_nested():
                conn.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                                     "USING gin (search_text public.gin_trgm_ops)"))
        except sa.exc.DBAPIError:
            pass


def _village_names(conn) -> dict:
    return dict(conn.execute(sa.text("SELECT code, name FROM org_units WHERE level = 'village'")).all())


def _fill_houses(conn):
    villages = _village_names(conn)
    last = 0
    while True:
        rows = conn.execute(sa.text("SELECT id, head_name, id_number, village FROM houses WHERE id > :last "
                                    "ORDER BY id LIMIT :n"), {"last": last, "n": BATCH}).all()
        if not rows:
            return
        conn.execute(sa.text("UPDATE houses SET search_text = :t WHERE id = :id"),
                     [{"id": r.id, "t": search_text(r.head_name, r.id_number, villages.get(r.village, r.village))[:400] or None}
                      for r in rows])
        last = rows[-1].id


def _form(conn, cache, form_id, version):
    key = (form_id, version)
    if key not in cache:
        d = conn.execute(sa.text("SELECT definition FROM forms WHERE form_id = :f AND version = :v"),
                         {"f": form_id, "v": version}).scalar()
        media = dict(conn.execute(sa.text(  # the version's media files (a villages.csv list), 0009
            "SELECT m.name, m.content FROM form_media m JOIN forms f ON f.id = m.form_pk "
            "WHERE f.form_id = :f AND f.version = :v"), {"f": form_id, "v": version}).all())
        try:
            cache[key] = load(d if isinstance(d, dict) else json.loads(d), media or None) if d else None
        except Exception:  # a definition this engine cannot read: the survey keeps no search text
            cache[key] = None
    return cache[key]


def _village(form, answers):
    code = form.answer_for("village", answers)
    if code == "other":
        return form.answer_for("village_name", answers)
    node = form.node_for("village")
    return choice_label(form, node, code, "vi") if node is not None and code else code


def _fill_submissions(conn):
    forms: dict = {}
    last = 0
    while True:
        rows = conn.execute(sa.text(
            "SELECT s.id, s.form_id, s.form_version, s.answers, u.full_name, u.username FROM submissions s "
            "LEFT JOIN users u ON u.id = s.user_id WHERE s.id > :last ORDER BY s.id LIMIT :n"),
            {"last": last, "n": BATCH}).all()
        if not rows:
            return
        out = []
        for r in rows:
            form = _form(conn, forms, r.form_id, r.form_version)
            answers = r.answers if isinstance(r.answers, dict) else json.loads(r.answers or "{}")
            if form is not None:
                text = search_text(form.answer_for("head_name", answers), form.answer_for("id_number", answers),
                                   _village(form, answers), r.full_name, r.username)
                out.append({"id": r.id, "t": text[:400] or None})
        if out:
            conn.execute(sa.text("UPDATE submissions SET search_text = :t WHERE id = :id"), out)
        last = rows[-1].id


def downgrade():
    conn = op.get_bind()
    for table, name in TRIGRAM.items():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_search_text')
            batch_op.drop_column('search_text')
