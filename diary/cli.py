"""Operator commands (manage.py): database, users, demo data and the production server."""

import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from .clock import local_today
from .db import db
from .models import User, create_tables, new_session_token, utc_now
from .demo import demo_entries
from .entries import save_entry
from .passwords import MIN_LENGTH, hash_password, is_common
from .shares import purge_closed


def _read_password() -> str:
    """A new password from a hidden prompt, or from standard input when piped: never an argument."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < MIN_LENGTH:
        raise click.ClickException(f"The password must be at least {MIN_LENGTH} characters long.")
    if is_common(password):
        raise click.ClickException("That password is on the list of common passwords; choose another.")
    return password


def _user(email: str) -> User:
    user = User.by_email(email)
    if user is None:
        raise click.ClickException(f"No user has the email {email}.")
    return user


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create the database tables that do not exist yet."""
    create_tables()
    click.echo("The database is ready.")


@click.command("create-user")
@with_appcontext
@click.argument("email")
def create_user_command(email: str):
    """Create a user; the password is read from a prompt or standard input."""
    create_tables()
    with db.connection_context():
        if User.by_email(email):
            raise click.ClickException(f"A user with the email {email} exists already.")
        User.create(email=User.normalize_email(email), password_hash=hash_password(_read_password()))
    click.echo(f"Created {User.normalize_email(email)}.")


@click.command("reset-password")
@with_appcontext
@click.argument("email")
def reset_password_command(email: str):
    """Set a new password for a user and end all of their sessions."""
    with db.connection_context():
        user = _user(email)
        user.password_hash = hash_password(_read_password())
        user.session_token = new_session_token()
        user.save(only=[User.password_hash, User.session_token])
    click.echo(f"The password of {user.email} is changed; every session of theirs has ended.")


@click.command("demo")
@with_appcontext
@click.argument("email")
@click.option("--days", default=60, show_default=True, type=click.IntRange(1, 3650), help="How many days to fill in.")
def demo_command(email: str, days: int):
    """Fill a user's diary with realistic demo entries; a missing user is created (password prompted)."""
    create_tables()
    with db.connection_context():
        user = User.by_email(email)
        if user is None:
            user = User.create(email=User.normalize_email(email), password_hash=hash_password(_read_password()))
        today = local_today()
        if user.due_date is None:
            user.due_date = today + timedelta(days=12 * 7 - 3)
            user.save(only=[User.due_date])
        entries = demo_entries(days, today, user.due_date)
        with db.atomic():
            for entry in entries:
                save_entry(user, entry)
    click.echo(f"Logged {len(entries)} demo days for {user.email}.")


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve_command(host: str, port: int, threads: int):
    """Serve the app with the production WSGI server (waitress)."""
    from waitress import serve

    create_tables()
    click.echo(f"Bækkendagbog is serving on http://{host}:{port}/")
    serve(current_app._get_current_object(), host=host, port=port, threads=threads, ident="baekkendagbog")


@click.command("purge-shares")
@with_appcontext
def purge_shares_command():
    """Delete report links that have expired or were revoked."""
    with db.connection_context():
        count = purge_closed(utc_now())
    click.echo(f"Deleted {count} expired or revoked report links.")


COMMANDS = (init_db_command, create_user_command, reset_password_command, demo_command, purge_shares_command, serve_command)


def init_app(app) -> None:
    """Register the operator commands on the app's CLI."""
    for command in COMMANDS:
        app.cli.add_command(command)
