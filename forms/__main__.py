"""`python -m forms check | compile | validate | example` - see forms/compile/cli.py."""

import sys

from forms.compile.cli import main

if __name__ == "__main__":
    sys.exit(main())
