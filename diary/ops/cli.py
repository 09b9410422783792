"""Operator commands (manage.py): database, users, demo data and the production server."""

import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from diary.accounts.passwords import MIN_LENGTH, hash_password, is_common, personal_problem
from diary.checkins.store import save_checkin
from diary.clock import local_today
from diary.db import db
from diary.entries.store import save_entry
from diary.models import User, create_tables, utc_now
from diary.ops.backup import BackupError, backup, restore
from diary.ops.demo import demo_checkins, demo_entries
from diary.ops.migrations import migrate
from diary.reminders.sender import send_due, start_loop
from diary.reminders.vapid import instance_keys
from diary.reports.shares import purge_closed


def _read_password(email: str) -> str:
    """A new password from a hidden prompt, or from standard input when piped: never an argument."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < MIN_LENGTH:
        raise click.ClickException(f"The password must be at least {MIN_LENGTH} characters long.")
    if is_common(password):
        raise click.ClickException("That password is on the list of common passwords; choose another.")
    if personal_problem(password, email):
        raise click.ClickException(
            "That password contains the app's name or the user's email; choose another."
        )
    return password


def _user(email: str) -> User:
    user = User.by_email(email)
    if user is None:
        raise click.ClickException(f"No user has the email {email}.")
    return user


def _migrate() -> str:
    with db.connection_context():
        before, after = migrate()
    if before is None:
        return f"Created a new database at schema version {after}."
    if before == after:
        return f"The database is at schema version {after}, the latest."
    return f"Upgraded the database from schema version {before} to {after}."


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create the database, or upgrade it to the latest schema."""
    click.echo(_migrate())
    click.echo("The database is ready.")


@click.command("migrate")
@with_appcontext
def migrate_command():
    """Upgrade an older database in place to the latest schema version."""
    click.echo(_migrate())


@click.command("create-user")
@with_appcontext
@click.argument("email")
def create_user_command(email: str):
    """Create a user; the password is read from a prompt or standard input."""
    create_tables()
    with db.connection_context():
        if User.by_email(email):
            raise click.ClickException(f"A user with the email {email} exists already.")
        User.create(email=User.normalize_email(email), password_hash=hash_password(_read_password(email)))
    click.echo(f"Created {User.normalize_email(email)}.")


@click.command("reset-password")
@with_appcontext
@click.argument("email")
def reset_password_command(email: str):
    """Set a new password for a user and end all of their sessions."""
    with db.connection_context():
        user = _user(email)
        user.replace_password(hash_password(_read_password(user.email)))  # ends every session
    click.echo(f"The password of {user.email} is changed; every session and reset link of theirs has ended.")


@click.command("demo")
@with_appcontext
@click.argument("email")
# At most two years of days: the diary takes nothing older (validation.lower_bound), so a
# longer demo could not be exported and imported again.
@click.option(
    "--days", default=60, show_default=True, type=click.IntRange(1, 730), help="How many days to fill in."
)
def demo_command(email: str, days: int):
    """Fill a user's diary with realistic demo entries; a missing user is created (password prompted)."""
    create_tables()
    with db.connection_context():
        user = User.by_email(email)
        if user is None:
            user = User.create(
                email=User.normalize_email(email), password_hash=hash_password(_read_password(email))
            )
        today = local_today()
        if user.due_date is None:
            user.due_date = today + timedelta(days=12 * 7 - 3)
            user.save(only=[User.due_date])
        entries = demo_entries(days, today, user.due_date)
        checkins = demo_checkins(days, today, user.due_date)
        with db.atomic():
            for entry in entries:
                save_entry(user, entry)
            for checkin in checkins:
                save_checkin(user, checkin)
    click.echo(f"Logged {len(entries)} demo days and {len(checkins)} weekly checks for {user.email}.")


#: The headers the README's nginx sets; waitress applies them only from TRUSTED_PROXY.
FORWARDED_HEADERS = frozenset({"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"})


def serve_options(config) -> dict:
    """waitress's settings for the reverse proxy in front of it (PROXY_COUNT, TRUSTED_PROXY).

    waitress alone applies X-Forwarded-For/-Proto/-Host, and only when the peer is the
    trusted proxy: it sees the connection, so a client that reaches the port directly cannot
    choose its own address or scheme. Every proxy header from any other peer is removed
    before the app sees it, and the app adds no second layer (no ProxyFix): one place, so
    the headers are never applied twice.
    """
    options = {"clear_untrusted_proxy_headers": True}
    if config["PROXY_COUNT"]:
        options |= {
            "trusted_proxy": config["TRUSTED_PROXY"],
            "trusted_proxy_count": config["PROXY_COUNT"],
            "trusted_proxy_headers": set(FORWARDED_HEADERS),
        }
    return options


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option("--reminders", is_flag=True, help="Also send the daily reminders, checking every minute.")
def serve_command(host: str, port: int, threads: int, reminders: bool):
    """Serve the app with the production WSGI server (waitress)."""
    from waitress import serve

    click.echo(_migrate())
    if reminders:
        _check_reminders_can_go()
        start_loop(current_app._get_current_object())
        click.echo("Sending the daily reminders that are due, every minute.")
    options = serve_options(current_app.config)
    if "trusted_proxy" in options:
        click.echo(
            f"Trusting {options['trusted_proxy_count']} proxy at {options['trusted_proxy']} "
            "for X-Forwarded-For, -Proto and -Host."
        )
    click.echo(f"Bækkendagbog is serving on http://{host}:{port}/")
    serve(
        current_app._get_current_object(),
        host=host,
        port=port,
        threads=threads,
        ident="baekkendagbog",
        **options,
    )


@click.command("purge-shares")
@with_appcontext
def purge_shares_command():
    """Delete report links that have expired or were revoked."""
    with db.connection_context():
        count = purge_closed(utc_now())
    click.echo(f"Deleted {count} expired or revoked report links.")


def _check_reminders_can_go() -> None:
    """Stop with the setting to fix when reminders could not be sent (PUBLIC_URL, VAPID_SUBJECT)."""
    from diary.config import ConfigError
    from diary.reminders.sender import reminder_url
    from diary.reminders.vapid import subject

    try:
        reminder_url(current_app.config)
        subject(current_app.config)
    except ConfigError as problem:
        raise click.ClickException(str(problem)) from None


@click.command("send-reminders")
@with_appcontext
def send_reminders_command():
    """Send the daily reminders that are due now (run every few minutes from cron or a timer)."""
    _check_reminders_can_go()
    with db.connection_context():
        report = send_due()
    click.echo(
        f"Sent {report.reminders} reminder(s) in {report.sent} push(es); "
        f"removed {report.removed} gone subscription(s); {report.failed} push(es) failed."
    )


@click.command("vapid-keys")
@with_appcontext
def vapid_keys_command():
    """Make the key pair that signs reminders (once), and print its public key."""
    keys = current_app.config.get("VAPID_KEYS")
    if keys:
        click.echo("The keys come from VAPID_PRIVATE_KEY in the environment.")
    else:
        keys, made = instance_keys(Path(current_app.instance_path))
        where = Path(current_app.instance_path) / "vapid_private_key"
        click.echo(f"Made a new key pair in {where}." if made else f"The key pair is kept in {where}.")
    click.echo(f"Public key (the browsers' application server key): {keys.public}")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path):
    """Back up the database to PATH; safe while the server runs."""
    with db.connection_context():
        try:
            backup(path, current_app.config["DATABASE_URL"])
        except BackupError as problem:
            raise click.ClickException(str(problem)) from None
    click.echo(f"Backed up the database to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_appcontext
def restore_command(path: Path, yes: bool):
    """Replace the database with the backup at PATH (stop the server first)."""
    if not yes:
        click.confirm("This replaces everything in the database with the backup. Go on?", abort=True)
    with db.connection_context():
        try:
            restore(path, current_app.config["DATABASE_URL"])
        except BackupError as problem:
            raise click.ClickException(str(problem)) from None
    click.echo(f"Restored the database from {path}. Run migrate if the backup is from an older version.")


COMMANDS = (
    init_db_command,
    migrate_command,
    backup_command,
    restore_command,
    create_user_command,
    reset_password_command,
    demo_command,
    purge_shares_command,
    send_reminders_command,
    vapid_keys_command,
    serve_command,
)


def init_app(app) -> None:
    """Register the operator commands on the app's CLI."""
    for command in COMMANDS:
        app.cli.add_command(command)
