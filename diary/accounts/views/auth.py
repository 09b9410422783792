"""Getting in and out: register, log in and out, the welcome step, a forgotten password,
confirming a new email, and the privacy page."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from peewee import IntegrityError

from diary.accounts.email_change import apply_email_change
from diary.accounts.forms import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm, WelcomeForm
from diary.accounts.notices import announce_password_changed, links_mailable, read_email_change
from diary.accounts.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password
from diary.accounts.resets import claim, open_reset, send_reset_link
from diary.accounts.sessions import end_current_session, open_session
from diary.db import write_transaction
from diary.models import User
from diary.web.i18n import select_locale
from diary.web.limits import (
    account_key,
    failed_login,
    limiter,
    login_account_limit,
    login_limit,
    register_limit,
    reset_limit,
)
from diary.web.links import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(register_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("log.today"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = User.create(
                email=User.normalize_email(form.email.data),
                password_hash=hash_password(form.password.data),
                language=select_locale(),
            )
        except IntegrityError:
            form.email.errors.append(gettext("An account with this email already exists. Log in instead?"))
        else:
            open_session(user, remember=form.remember.data)
            return redirect(url_for("auth.welcome"))
    return render_template("accounts/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@limiter.limit(login_account_limit, key_func=account_key, deduct_when=failed_login, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("log.today"))
    form = LoginForm()
    if form.validate_on_submit():
        user = User.by_email(form.email.data)
        if user is None:
            verify_password(DUMMY_HASH, form.password.data)  # same cost as a wrong password
        elif verify_password(user.password_hash, form.password.data):
            if needs_rehash(user.password_hash):
                user.upgrade_password_hash(user.password_hash, hash_password(form.password.data))
            open_session(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next"), url_for("log.today")))
        form.password.errors.append(gettext("The email or the password is not right."))
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
def logout():
    end_current_session()  # a copy of this device's cookies opens nothing any more
    flash(gettext("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/welcome", methods=["GET", "POST"])
@login_required
def welcome():
    form = WelcomeForm(obj=current_user)
    if form.validate_on_submit():
        current_user.due_date = form.due_date.data
        current_user.save(only=[User.due_date])
        return redirect(url_for("log.today"))
    return render_template("accounts/welcome.html", form=form), 400 if form.errors else 200


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def forgot_password():
    if not links_mailable():
        return render_template("accounts/forgot.html", form=None)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        send_reset_link(User.by_email(form.email.data))
        # The same answer whether or not the email has an account.
        return render_template("accounts/forgot_sent.html")
    return render_template("accounts/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(reset_limit, methods=["POST"])
def reset_password(token: str):
    reset = open_reset(token)
    if reset is None:
        abort(410)
    form = ResetPasswordForm()
    form.owner_email = reset.user.email
    if form.validate_on_submit():
        new_hash = hash_password(form.new_password.data)  # slow on purpose: before the write lock
        with write_transaction():
            claimed = claim(reset)
            if claimed:
                owner = User.get_by_id(reset.user_id)
                owner.replace_password(new_hash)  # old sessions and links end
        if not claimed:
            abort(410)
        announce_password_changed(owner)
        flash(gettext("Your new password is set. Log in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("accounts/reset.html", form=form), 400 if form.errors else 200


@bp.route("/settings/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """The link in the email: a page with a button, since mail scanners open links too.

    It works logged in or not: the token proves she reads the new address, and the
    request behind it needed her password. Many phones open mail links in a browser
    where she is not logged in.
    """
    found = read_email_change(token)
    if found is None:
        return render_template("accounts/confirm_email.html", state="gone"), 410
    user, new_email = found
    form = FlaskForm()
    if not form.validate_on_submit():
        return render_template("accounts/confirm_email.html", state="ask", form=form, new_email=new_email)
    if not apply_email_change(user, new_email):
        return render_template("accounts/confirm_email.html", state="taken", new_email=new_email), 409
    return render_template("accounts/confirm_email.html", state="done", new_email=new_email)


@bp.get("/privacy")
def privacy():
    return render_template("accounts/privacy.html")
