"""One module per screen (`.py` + same-named `.kv`); `load_kv` reads a screen's layout once."""

from pathlib import Path

from kivy.lang import Builder

_HERE = Path(__file__).resolve().parent


def load_kv(module_file: str) -> None:
    path = str(Path(module_file).with_suffix(".kv"))
    if path not in Builder.files:
        Builder.load_file(path)
