"""``python -m glossator`` (and ``python -m glossator.tui``) runs the ``glossator`` command."""

import sys

from glossator.tui.cli import main

if __name__ == "__main__":
    sys.exit(main())
