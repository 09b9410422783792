"""Accounts: register, log in and out, the welcome step, settings and language."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user, login_required
from peewee import IntegrityError

from diary.accounts.forms import (
    DeleteAccountForm,
    EmailChangeForm,
    LoginForm,
    PasswordChangeForm,
    PhoneNumbersForm,
    ProfileForm,
    RegisterForm,
    WelcomeForm,
)
from diary.accounts.notices import announce_password_changed, links_mailable
from diary.accounts.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password
from diary.accounts.phone_numbers import for_display, normalise
from diary.accounts.sessions import devices, end_current_session, open_session
from diary.clock import local_today
from diary.models import User
from diary.web.i18n import LANGUAGE_COOKIE, LANGUAGES, select_locale
from diary.web.limits import (
    account_key,
    failed_login,
    limiter,
    login_account_limit,
    login_limit,
    register_limit,
)
from diary.web.outcomes import back_to, flash_at

bp = Blueprint("auth", __name__)


def safe_next(target: str | None, default: str) -> str:
    """A redirect target inside this site only (a path, never another host)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return default


def _remembered() -> bool:
    """Whether she chose "remember me" when she logged in on this device (her session row says so).

    Not whether a remember cookie is present: one left from a session that ended elsewhere
    would otherwise override the box she left unticked at her next log-in.
    """
    return current_user.is_authenticated and current_user.session_row.remember


@bp.after_app_request
def keep_remembering(response):
    """Slide "remember me" forward once a day: 30 days from her last visit, not from her log-in."""
    if current_app.config["REMEMBER_COOKIE_NAME"] not in request.cookies:
        return response  # the cheap test first: a report view or a page without the cookie loads no user
    today = local_today().isoformat()
    if _remembered() and session.get("remembered_on") != today:
        session["remembered_on"] = today
        session["_remember"] = "set"  # flask-login's own after-request hook writes the cookie anew
    return response


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


def render_settings(status: int = 200, **forms):
    """The settings page with its four forms; a form that failed is passed in with its errors."""
    forms.setdefault("profile", ProfileForm(obj=current_user, prefix="profile", formdata=None))
    forms.setdefault("password", PasswordChangeForm(prefix="password", formdata=None))
    forms.setdefault(
        "email_form", EmailChangeForm(prefix="email", formdata=None, data={"email": current_user.email})
    )
    forms.setdefault("delete_form", DeleteAccountForm(prefix="delete", formdata=None))
    forms.setdefault(
        "phones", PhoneNumbersForm(prefix="phones", formdata=None, data=_saved_numbers(current_user))
    )
    return render_template(
        "accounts/settings.html",
        devices=devices(current_user),
        email_change_by_link=links_mailable(),
        **forms,
    ), status


def _saved_numbers(user) -> dict:
    """Her saved numbers as she would write them, to fill in the settings form."""
    return {
        name: for_display(number) if number else ""
        for name, number in (("maternity_phone", user.maternity_phone), ("doctor_phone", user.doctor_phone))
    }


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    if request.method == "GET":
        return render_settings()
    profile = ProfileForm(obj=current_user, prefix="profile")
    if profile.validate_on_submit():
        profile.populate_obj(current_user)  # the name is cleaned by ProfileForm's filter
        current_user.display_name = current_user.display_name or ""
        # Only the form's own fields: never the password, which may have changed since the user was loaded.
        current_user.save(
            only=[User._meta.fields[name] for name in profile.data if name in User._meta.fields]
        )
        with force_locale(current_user.language):  # said in the language she has just chosen
            flash_at("profile", gettext("Your settings are saved."))
        return back_to("auth.settings", "profile")
    return render_settings(400, profile=profile)


@bp.post("/settings/phone-numbers")
@login_required
def save_phone_numbers():
    """Save both numbers, or neither when one is not a number; then show them on the warning signs."""
    form = PhoneNumbersForm(prefix="phones")
    if not form.validate_on_submit():
        return render_settings(400, phones=form)
    current_user.maternity_phone = normalise(form.maternity_phone.data)  # E.164, or None when left empty
    current_user.doctor_phone = normalise(form.doctor_phone.data)
    current_user.save(only=[User.maternity_phone, User.doctor_phone])
    if not (current_user.maternity_phone or current_user.doctor_phone):
        flash_at("phone-numbers", gettext("Your phone numbers are removed."))
        return back_to("auth.settings", "phone-numbers")
    flash(gettext("Your numbers are saved. Here they are, one tap away."), "success")
    # To the page where she will use them: it is also the copy the app keeps for offline use. Its
    # own fragment, or the browser would carry the form's (#phone-numbers-outcome) over to it.
    return redirect(url_for("advice.item", advice_id="warning-signs", _anchor="main"))


@bp.post("/settings/password")
@login_required
def change_password():
    form = PasswordChangeForm(prefix="password")
    form.owner_email = current_user.email
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.current_password.data):
            user, remember = current_user._get_current_object(), _remembered()
            user.replace_password(hash_password(form.new_password.data))  # every device and link ends
            open_session(user, remember=remember)  # this device goes on, on a new session
            announce_password_changed(user)
            flash_at("password", gettext("Your password is changed. Other devices are logged out."))
            return back_to("auth.settings", "password")
        form.current_password.errors.append(gettext("That is not your current password."))
    return render_settings(400, password=form)


@bp.post("/language")
def choose_language():
    """Switch language; remembered in a cookie, and on the account when logged in."""
    language = request.form.get("language")
    if language not in LANGUAGES:
        abort(400)
    if current_user.is_authenticated:
        current_user.language = language
        current_user.save(only=[User.language])
    response = redirect(safe_next(request.form.get("next"), url_for("log.today")))
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["HTTPS"],
    )
    return response
