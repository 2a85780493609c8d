"""`python -m mobile` opens the field app; `--screenshots DIR` renders the main screens to PNG headless."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def default_data_dir() -> Path:
    if os.environ.get("MAIAM_DATA"):
        return Path(os.environ["MAIAM_DATA"])
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "mai-am"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mobile", description="Mái Ấm field app")
    parser.add_argument("--data", help="folder for the app's database and photos")
    parser.add_argument("--screenshots", metavar="DIR", help="render the main screens to PNG files in DIR and exit")
    parser.add_argument("--size", default="360x640", help="window size for --screenshots (e.g. 720x1280)")
    parser.add_argument("--only", help="with --screenshots: a comma-separated list of screens")
    parser.add_argument("--font-scale", type=float, help="with --screenshots: the phone's font size setting (e.g. 1.3)")
    args = parser.parse_args(argv)
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    if args.screenshots:
        from mobile.ui.screenshots import render, render_all

        if args.size == "360x640" and not args.only and not args.font_scale:
            return render_all(Path(args.screenshots))
        return render(Path(args.screenshots), args.size, args.only, args.font_scale)
    width, height = 360, 640
    from mobile.ui import quiet

    quiet.install()
    from kivy.config import Config

    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    from mobile.ui.app import MaiAmApp

    data = Path(args.data) if args.data else default_data_dir()
    data.mkdir(parents=True, exist_ok=True)
    MaiAmApp(data).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
