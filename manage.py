#!/usr/bin/env python3
"""Operator commands for Bækkendagbog: `python manage.py --help` lists them."""

from flask.cli import FlaskGroup

from diary import create_app

cli = FlaskGroup(create_app=create_app, add_default_commands=False)

if __name__ == "__main__":
    cli()
