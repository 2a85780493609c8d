"""`python -m server [--demo] [--host H] [--port P]` runs the server (upgrading the database first);
`python -m server db upgrade | import-units CSV | reorganise MAPPING.csv --effective YYYY-MM-DD [--units CSV] |
rescope USER CODE | create-user ... | set-password USER | revoke-tokens USER | publish-form FILE | seed-demo |
clean-uploads [--hours N] | check-totals | storage migrate --to s3`
runs a command."""

from __future__ import annotations

import argparse
import sys

COMMANDS = {"db", "import-units", "reorganise", "rescope", "create-user", "set-password", "revoke-tokens",
            "publish-form", "seed-demo", "clean-uploads", "check-totals", "storage", "routes", "shell"}


HELP = ["db upgrade                      create or upgrade the database",
        "import-units CSV                load units (level,code,name,parent_code)",
        "reorganise MAPPING.csv --effective YYYY-MM-DD [--units NEW_UNITS.csv] [--dry-run]\n"
        "                                change the unit tree (old_code,new_code) on its effective day",
        "rescope USERNAME CODE           give an account a unit of today's tree",
        "create-user USERNAME --role R --unit CODE", "set-password USERNAME", "revoke-tokens USERNAME",
        "publish-form XLSX", "seed-demo", "clean-uploads [--hours N]", "check-totals [--org-unit CODE]",
        "storage migrate --to s3|file      move photos between backends (resumable, sha256-checked)"]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        from flask.cli import FlaskGroup

        from server import create_app

        FlaskGroup(create_app=lambda: create_app()).main(args=argv, prog_name="python -m server")
        return 0
    parser = argparse.ArgumentParser(
        prog="python -m server", description="Mái Ấm sync server", formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="commands (python -m server COMMAND --help for each):\n  " + "\n  ".join(HELP))
    parser.add_argument("--demo", action="store_true", help="load demo data (units, accounts, forms, houses)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args(argv)

    from flask_migrate import upgrade

    from server import app_storage, create_app
    from server.errors import DomainError
    from server.extensions import db
    from server.services.demo import seed as demo

    app = create_app()
    if args.demo:
        try:
            demo.refuse_in_production(app.config["PRODUCTION"])
        except DomainError as err:
            print(f"python -m server --demo: {err.message('en')}", file=sys.stderr)
            return 2
    with app.app_context():
        upgrade()
        if args.demo:
            demo.seed(db.session, app_storage.current(), production=app.config["PRODUCTION"])
    url = f"http://{args.host}:{args.port}"
    print(f"Mái Ấm server on {url}  (database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]})")
    if args.demo:
        print("Demo logins (password 'demo'): volunteer and reviewer (Xã Tam Xuân), manager and admin "
              "(Thành phố Đà Nẵng); the tree is today's (after the 1/7/2025 reorganisation)")
    sys.stdout.flush()
    from server.services.files.photo_facts import warm_up
    from server.serving import serve

    warm_up()

    serve(args.host, args.port, app)  # werkzeug, threaded, HTTP/1.1 keep-alive
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
