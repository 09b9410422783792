#!/usr/bin/env python3
"""Operator commands for Bækkendagbog: `python manage.py --help` lists them."""

import sys

from flask.cli import FlaskGroup

from diary import create_app
from diary.config import ConfigError

cli = FlaskGroup(create_app=create_app, add_default_commands=False)

if __name__ == "__main__":
    try:
        cli()
    except ConfigError as problem:  # a bad setting: say which, without a traceback
        sys.exit(f"Bækkendagbog cannot start: {problem}.")
