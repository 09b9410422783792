"""The account's own rights: change the email, forgotten passwords, importing a file, and
deleting it all."""

import secrets
import threading
from dataclasses import asdict
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user, login_required, logout_user
from peewee import IntegrityError

from .auth import render_settings
from .clock import local_today
from .db import db, write_transaction
from .errors import translate
from .forms import DeleteAccountForm, EmailChangeForm, ForgotPasswordForm, ResetPasswordForm
from .importing import IMPORT_MAX_BYTES, import_export, read_export_file
from .limits import limiter, reset_limit
from .links import external_url, public_url_set
from .mail import mail_configured, send_mail
from .models import PasswordReset, User, utc_now
from .passwords import hash_password, verify_password
from .security import accepts_up_to
from .share_tokens import token_hash
from .validation import InvalidEntry

bp = Blueprint("account", __name__)

RESET_LIFETIME = timedelta(hours=1)


@bp.post("/settings/email")
@login_required
def change_email():
    form = EmailChangeForm(prefix="email")
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(gettext("That is not your current password."))
        else:
            old_email = current_user.email
            try:
                with db.atomic():
                    current_user.email = User.normalize_email(form.email.data)
                    current_user.save(only=[User.email])
                    PasswordReset.cancel_open(current_user)  # links mailed to the old address end
            except IntegrityError:
                current_user.email = old_email
                form.email.errors.append(gettext("Another account uses that email."))
            else:
                flash(gettext("Your email is changed."), "success")
                return redirect(url_for("auth.settings"))
    return render_settings(400, email_form=form)


@bp.post("/settings/delete")
@login_required
def delete_account():
    form = DeleteAccountForm(prefix="delete")
    if form.validate_on_submit() and verify_password(current_user.password_hash, form.current_password.data):
        user = current_user._get_current_object()
        with db.atomic():
            user.delete_instance()  # entries, codes, tips, shares and resets go with it (ON DELETE CASCADE)
        session.clear()
        logout_user()
        response = current_app.make_response(render_template("account_deleted.html"))
        response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response
    if form.current_password.data:
        form.current_password.errors.append(gettext("That is not your password. Nothing was deleted."))
    return render_settings(400, delete_form=form)


@bp.post("/settings/import")
@accepts_up_to(IMPORT_MAX_BYTES)
@login_required
def import_file():
    """Bring an export file back in from the settings page: the API's import, as a plain form."""
    upload = request.files.get("file")
    try:
        data = read_export_file(upload.read() if upload else b"")
        counts = import_export(current_user, data, local_today(), utc_now())
    except InvalidEntry as invalid:
        return render_settings(400, import_problems=_import_problems(invalid.errors))
    flash(gettext("The file is imported. New days: %(created)d. Updated days: %(updated)d. "
                  "Skipped, because the diary already had the same or a newer edit: %(skipped)d.", **asdict(counts)),
          "success")
    return redirect(url_for("auth.settings"))


IMPORT_PROBLEMS_SHOWN = 5


def _import_problems(errors: dict[str, str]) -> list[str]:
    """What was wrong with an import file, in words: the first few problems, then how many more."""
    shown = []
    for field, message in list(errors.items())[:IMPORT_PROBLEMS_SHOWN]:
        if field.startswith("entries["):
            number = int(field[len("entries["):field.index("]")]) + 1
            shown.append(gettext("Day %(number)d in the file: %(problem)s", number=number, problem=translate(message)))
        else:
            shown.append(translate(message))
    if len(errors) > IMPORT_PROBLEMS_SHOWN:
        shown.append(gettext("…and %(count)d more problems.", count=len(errors) - IMPORT_PROBLEMS_SHOWN))
    return shown


def reset_mail_possible() -> bool:
    """Whether reset links can be mailed: SMTP is set up, and PUBLIC_URL to build the links on."""
    return mail_configured() and public_url_set()


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def forgot_password():
    if not reset_mail_possible():
        return render_template("auth/forgot.html", form=None)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = User.by_email(form.email.data)
        if user is not None:
            _send_reset_link(user)
        # The same answer whether or not the email has an account.
        return render_template("auth/forgot_sent.html")
    return render_template("auth/forgot.html", form=form), 400 if form.errors else 200


def issue_reset_token(user: User) -> str:
    """A new single-use reset token for the user, good for an hour; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    now = utc_now()
    PasswordReset.create(user=user, token_hash=token_hash(token), created_at=now, expires_at=now + RESET_LIFETIME)
    return token


def _send_reset_link(user: User) -> None:
    token = issue_reset_token(user)
    link = external_url("account.reset_password", token=token)  # on PUBLIC_URL, never the Host header
    with force_locale(user.language):
        subject = gettext("Set a new password for Bækkendagbog")
        body = render_template("email/reset_password.txt", link=link, hours=int(RESET_LIFETIME.total_seconds() // 3600))
    _send_in_background(user.email, subject, body)


def _send_in_background(to: str, subject: str, body: str) -> None:
    """Hand the email to SMTP on its own thread.

    /forgot then answers as fast for an email with an account as for one without (no
    timing tells them apart), and a slow or broken mail server costs the person nothing:
    its error is logged for the operator, and she sees the same page.
    """
    app = current_app._get_current_object()

    def deliver():
        with app.app_context():
            try:
                send_mail(to, subject, body)
            except OSError:  # smtplib's errors included
                app.logger.exception("could not send a password-reset email")

    threading.Thread(target=deliver, name="reset-mail", daemon=True).start()


def _open_reset(token: str) -> PasswordReset | None:
    reset = PasswordReset.get_or_none(PasswordReset.token_hash == token_hash(token))
    if reset is None or reset.used_at is not None or reset.expires_at <= utc_now():
        return None
    return reset


def _claim(reset: PasswordReset) -> bool:
    """Mark the link used if it still is open; of two requests with one link, only one wins."""
    now = utc_now()
    claimed = PasswordReset.update(used_at=now).where(
        (PasswordReset.id == reset.id) & PasswordReset.used_at.is_null() & (PasswordReset.expires_at > now)
    ).execute()
    return claimed == 1


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def reset_password(token: str):
    reset = _open_reset(token)
    if reset is None:
        abort(410)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        new_hash = hash_password(form.new_password.data)  # slow on purpose: before the write lock
        with write_transaction():
            claimed = _claim(reset)
            if claimed:
                User.get_by_id(reset.user_id).replace_password(new_hash)  # old sessions and links end
        if not claimed:
            abort(410)
        flash(gettext("Your new password is set. Log in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 400 if form.errors else 200


@bp.get("/privacy")
def privacy():
    return render_template("privacy.html")
