"""Web-side tests. Until the server core (app factory, models, fixtures) is in the tree, only the pure
tests (lifecycle table, funding rules, report layout) can run; the rest wait for it."""

import importlib.util

if importlib.util.find_spec("server.extensions") is None:  # pragma: no cover - temporary, see above
    collect_ignore_glob = ["test_rollup.py", "test_review_pages.py", "test_reports_exports.py",
                           "test_house_page.py", "test_lifecycle_events.py", "test_api.py"]
