"""The account's own rights: change the email, forgotten passwords, and deleting it all."""

import secrets
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user, login_required, logout_user
from peewee import IntegrityError

from .auth import render_settings
from .db import db
from .forms import DeleteAccountForm, EmailChangeForm, ForgotPasswordForm, ResetPasswordForm
from .limits import limiter, reset_limit
from .mail import mail_configured, send_mail
from .models import PasswordReset, User, new_session_token, utc_now
from .passwords import hash_password, verify_password
from .share_tokens import token_hash

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
            try:
                current_user.email = User.normalize_email(form.email.data)
                current_user.save(only=[User.email])
            except IntegrityError:
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


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def forgot_password():
    if not mail_configured():
        return render_template("auth/forgot.html", form=None)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = User.by_email(form.email.data)
        if user is not None:
            _send_reset_link(user)
        # The same answer whether or not the email has an account.
        return render_template("auth/forgot_sent.html")
    return render_template("auth/forgot.html", form=form), 400 if form.errors else 200


def _send_reset_link(user: User) -> None:
    token = secrets.token_urlsafe(32)
    now = utc_now()
    PasswordReset.create(user=user, token_hash=token_hash(token), created_at=now, expires_at=now + RESET_LIFETIME)
    link = url_for("account.reset_password", token=token, _external=True)
    with force_locale(user.language):
        send_mail(
            user.email,
            gettext("Set a new password for Bækkendagbog"),
            render_template("email/reset_password.txt", link=link, hours=int(RESET_LIFETIME.total_seconds() // 3600)),
        )


def _open_reset(token: str) -> PasswordReset | None:
    reset = PasswordReset.get_or_none(PasswordReset.token_hash == token_hash(token))
    if reset is None or reset.used_at is not None or reset.expires_at <= utc_now():
        return None
    return reset


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def reset_password(token: str):
    reset = _open_reset(token)
    if reset is None:
        abort(410)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with db.atomic():
            user = User.get_by_id(reset.user_id)
            user.password_hash = hash_password(form.new_password.data)
            user.session_token = new_session_token()  # every old session and remember cookie ends
            user.save(only=[User.password_hash, User.session_token])
            PasswordReset.update(used_at=utc_now()).where(
                (PasswordReset.user == user) & PasswordReset.used_at.is_null()
            ).execute()
        flash(gettext("Your new password is set. Log in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 400 if form.errors else 200


@bp.get("/privacy")
def privacy():
    return render_template("privacy.html")
