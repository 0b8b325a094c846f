"""``python -m filiere <command>``: every Django management command of the platform."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filiere.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["python -m filiere", *sys.argv[1:]])


if __name__ == "__main__":
    main()
