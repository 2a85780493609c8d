"""The ingest path's round trips to the database, counted: each statement costs the worker ~0.3–0.5 ms of
CPU (bench/odk_central: CPU per survey is what a province's two cores run out of). A change that adds a
query to the hot path must raise the budget here, deliberately."""

import sqlalchemy as sa

from server import app_storage
from server.extensions import db
from tests.server.world import envelope, publish

# statements for one new assessment (no photos held yet), and for each whole photo PUT after it
POST_BUDGET = 10
PUT_BUDGET = {"file": 4, "database": 6}  # PostgreSQL partials: + the advisory lock and the held bytes


class Counter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, params, context, executemany):
        self.statements.append(statement.split("\n")[0][:120])

    def take(self) -> list[str]:
        out, self.statements = self.statements, []
        return out


def test_a_new_survey_and_its_photos_stay_within_their_round_trips(app, client, make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    headers = auth_header("volunteer")
    form_row = publish()
    env, blobs = envelope(form_row, seed=5)
    assert blobs, "the seed must answer photos"
    client.get("/api/v1/forms", headers=headers)  # the token's first use records when it was seen
    with app.app_context():
        app_storage.current().clean_partials(3600)  # the hourly sweep of old uploads is not counted
    counter = Counter()
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", counter)
    try:
        assert client.post("/api/v1/submissions", json=env, headers=headers).status_code == 201
        post = counter.take()
        puts = []
        for name, data in blobs.items():
            r = client.put(f"/api/v1/submissions/{env['instance_id']}/attachments/{name}", data=data, headers=headers)
            assert r.status_code == 200 and r.get_json()["received"] is True
            puts.append(counter.take())
    finally:
        with app.app_context():
            sa.event.remove(db.engine, "before_cursor_execute", counter)
    with app.app_context():
        kind = app_storage.current().partials.kind
    assert len(post) <= POST_BUDGET, "\n".join(post)
    for i, stmts in enumerate(puts):
        extra = 2 if i == len(puts) - 1 else 0  # the last photo: the survey is complete, its flag dropped
        assert len(stmts) <= PUT_BUDGET[kind] + extra, "\n".join(stmts)
