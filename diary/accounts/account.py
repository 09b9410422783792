"""The account's own rights: change the email, forgotten passwords, importing a file, and
deleting it all."""

import secrets
from dataclasses import asdict
from datetime import timedelta
from functools import partial

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required, logout_user

from diary.accounts.auth import render_settings
from diary.accounts.email_change import apply_email_change
from diary.accounts.forms import DeleteAccountForm, EmailChangeForm, ForgotPasswordForm, ResetPasswordForm
from diary.accounts.importing import IMPORT_MAX_BYTES, import_export, read_export_file
from diary.accounts.mail import compose, queue_mail
from diary.accounts.notices import (
    EMAIL_CHANGE_HOURS,
    announce_password_changed,
    links_mailable,
    send_email_change_link,
)
from diary.accounts.passwords import hash_password, verify_password
from diary.clock import local_today
from diary.db import db, write_transaction
from diary.entries.codes import N_
from diary.entries.validation import InvalidEntry
from diary.models import PasswordReset, User, utc_now
from diary.reports.tokens import token_hash
from diary.web.errors import translate
from diary.web.i18n import select_locale
from diary.web.limits import import_limit, limiter, reset_limit
from diary.web.links import external_url
from diary.web.outcomes import back_to, flash_at
from diary.web.security import accepts_up_to

bp = Blueprint("account", __name__)

RESET_LIFETIME = timedelta(hours=1)
RESET_HOURS = int(RESET_LIFETIME.total_seconds() // 3600)


@bp.post("/settings/email")
@limiter.limit(reset_limit)  # each request mails an address she typed
@login_required
def change_email():
    """A new email: with mail set up, a link to the new address makes the change (email_change.py)."""
    form = EmailChangeForm(prefix="email")
    if form.validate_on_submit():
        new_email = User.normalize_email(form.email.data)
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(gettext("That is not your current password."))
        elif new_email == current_user.email:
            form.email.errors.append(gettext("That is already your email."))
        elif User.by_email(new_email) is not None:
            form.email.errors.append(gettext("Another account uses that email."))
        elif links_mailable():
            PasswordReset.cancel_open(current_user)  # she is logged in: links mailed earlier are not needed
            send_email_change_link(current_user, new_email)
            flash_at(
                "email",
                ngettext(
                    "We have sent a link to %(email)s. Open it within %(num)d hour to finish the change. "
                    "Until then, you log in with your current email.",
                    "We have sent a link to %(email)s. Open it within %(num)d hours to finish the change. "
                    "Until then, you log in with your current email.",
                    EMAIL_CHANGE_HOURS,
                    email=new_email,
                ),
                "info",
            )
            return back_to("auth.settings", "email")
        elif apply_email_change(current_user._get_current_object(), new_email):
            flash_at("email", gettext("Your email is changed. Other devices are logged out."))
            return back_to("auth.settings", "email")
        else:
            form.email.errors.append(gettext("Another account uses that email."))
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
        response = current_app.make_response(render_template("accounts/account_deleted.html"))
        response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response
    if form.current_password.data:
        form.current_password.errors.append(gettext("That is not your password. Nothing was deleted."))
    return render_settings(400, delete_form=form)


@bp.post("/settings/import")
@accepts_up_to(IMPORT_MAX_BYTES)
@import_limit
@login_required
def import_file():
    """Bring an export file back in from the settings page: the API's import, as a plain form."""
    upload = request.files.get("file")
    try:
        data = read_export_file(upload.read() if upload else b"")
        counts = import_export(current_user, data, local_today(), utc_now(), current_app.extensions["advice"])
    except InvalidEntry as invalid:
        return render_settings(400, import_problems=_import_problems(invalid.errors))
    message = gettext(
        "The file is imported. New days: %(created)d. Updated days: %(updated)d. "
        "Skipped, because the diary already had the same or a newer edit: %(skipped)d.",
        **asdict(counts),
    )
    if counts.feedback_unknown:
        message += " " + ngettext(
            "%(num)d piece of feedback on a tip was left out: that advice is no longer in the library.",
            "%(num)d pieces of feedback on tips were left out: that advice is no longer in the library.",
            counts.feedback_unknown,
        )
    flash_at("your-data", message)
    return back_to("auth.settings", "your-data")


IMPORT_PROBLEMS_SHOWN = 5


def _import_problems(errors: dict[str, str]) -> list[str]:
    """What was wrong with an import file, in words: the first few problems, then how many more."""
    shown = []
    for field, message in list(errors.items())[:IMPORT_PROBLEMS_SHOWN]:
        if field.startswith("entries["):
            number = int(field[len("entries[") : field.index("]")]) + 1
            shown.append(
                gettext("Day %(number)d in the file: %(problem)s", number=number, problem=translate(message))
            )
        elif field.startswith("tip_feedback["):
            number = int(field[len("tip_feedback[") : field.index("]")]) + 1
            shown.append(
                gettext(
                    "Tip feedback %(number)d in the file: %(problem)s",
                    number=number,
                    problem=translate(message),
                )
            )
        else:
            shown.append(translate(message))
    if len(errors) > IMPORT_PROBLEMS_SHOWN:
        shown.append(
            ngettext(
                "…and %(num)d more problem.",
                "…and %(num)d more problems.",
                len(errors) - IMPORT_PROBLEMS_SHOWN,
            )
        )
    return shown


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def forgot_password():
    if not links_mailable():
        return render_template("accounts/forgot.html", form=None)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        _send_reset_link(User.by_email(form.email.data))
        # The same answer whether or not the email has an account.
        return render_template("accounts/forgot_sent.html")
    return render_template("accounts/forgot.html", form=form), 400 if form.errors else 200


def _store_reset(user_id: int, digest: str) -> None:
    now = utc_now()
    PasswordReset.create(user=user_id, token_hash=digest, created_at=now, expires_at=now + RESET_LIFETIME)


def issue_reset_token(user: User) -> str:
    """A new single-use reset token for the user, good for an hour; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    _store_reset(user.id, token_hash(token))
    return token


def _send_reset_link(user: User | None) -> None:
    """Mail a reset link to the user; for no user, do the very same work and send nothing.

    A known and an unknown address run the same steps here, in the same order: a token,
    its hash, the link, the email in a language, and the mail queue. Only on the mail
    queue's own thread does a known address store the token and reach the SMTP server,
    after the page has been answered (bench/forgot_timing.py measures the two).
    """
    token = secrets.token_urlsafe(32)
    digest = token_hash(token)
    link = external_url("account.reset_password", token=token)  # on PUBLIC_URL, never the Host header
    subject, body = compose(
        user.language if user else select_locale(),
        "accounts/email/reset_password.txt",
        N_("Set a new password for Bækkendagbog"),
        link=link,
        hours=RESET_HOURS,
    )
    queue_mail(
        user.email if user else None,
        subject,
        body,
        "a password-reset email",
        prepare=partial(_store_reset, user.id, digest) if user else None,
    )


def _open_reset(token: str) -> PasswordReset | None:
    reset = PasswordReset.get_or_none(PasswordReset.token_hash == token_hash(token))
    if reset is None or reset.used_at is not None or reset.expires_at <= utc_now():
        return None
    return reset


def _claim(reset: PasswordReset) -> bool:
    """Mark the link used if it still is open; of two requests with one link, only one wins."""
    now = utc_now()
    claimed = (
        PasswordReset.update(used_at=now)
        .where(
            (PasswordReset.id == reset.id)
            & PasswordReset.used_at.is_null()
            & (PasswordReset.expires_at > now)
        )
        .execute()
    )
    return claimed == 1


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def reset_password(token: str):
    reset = _open_reset(token)
    if reset is None:
        abort(410)
    form = ResetPasswordForm()
    form.owner_email = reset.user.email
    if form.validate_on_submit():
        new_hash = hash_password(form.new_password.data)  # slow on purpose: before the write lock
        with write_transaction():
            claimed = _claim(reset)
            if claimed:
                owner = User.get_by_id(reset.user_id)
                owner.replace_password(new_hash)  # old sessions and links end
        if not claimed:
            abort(410)
        announce_password_changed(owner)
        flash(gettext("Your new password is set. Log in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("accounts/reset.html", form=form), 400 if form.errors else 200


@bp.get("/privacy")
def privacy():
    return render_template("accounts/privacy.html")
