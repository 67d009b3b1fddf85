#!/usr/bin/env python
"""Django's command-line utility for HBS."""

import os
import sys


def main() -> None:
    # No default: a server started without it must not come up on the local settings (DEBUG, test card).
    # `make run` and `make test` name theirs; anything else names one, e.g. hbs.settings.production.
    if not os.environ.get("DJANGO_SETTINGS_MODULE") and not any(arg.startswith("--settings") for arg in sys.argv):
        sys.exit(
            "DJANGO_SETTINGS_MODULE is not set. Use hbs.settings.production on a server, hbs.settings.local on a "
            "laptop (`make run` sets it for you)."
        )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
