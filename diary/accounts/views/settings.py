"""Her settings: the settings page and each of its forms (her profile, phone numbers,
password, email, language, an import, deleting it all), and her signed-in devices."""

from dataclasses import asdict

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale, gettext, ngettext
from flask_login import current_user, login_required, logout_user

from diary.accounts.email_change import apply_email_change
from diary.accounts.forms import (
    DeleteAccountForm,
    EmailChangeForm,
    PasswordChangeForm,
    PhoneNumbersForm,
    ProfileForm,
)
from diary.accounts.importing import IMPORT_MAX_BYTES, import_export, read_export_file
from diary.accounts.notices import (
    EMAIL_CHANGE_HOURS,
    announce_password_changed,
    links_mailable,
    send_email_change_link,
)
from diary.accounts.passwords import hash_password, verify_password
from diary.accounts.phone_numbers import normalise
from diary.accounts.sessions import (
    current_session,
    end_current_session,
    end_sessions,
    open_session,
    remembered,
)
from diary.accounts.settings_page import import_problems, render_settings
from diary.clock import local_today
from diary.db import db
from diary.entries.validation import InvalidEntry
from diary.models import PasswordReset, Session, User, utc_now
from diary.reminders.store import forget_devices
from diary.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from diary.web.limits import import_limit, limiter, reset_limit
from diary.web.links import safe_next
from diary.web.outcomes import back_to, flash_at
from diary.web.security import accepts_up_to

bp = Blueprint("settings", __name__)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def page():
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
        return back_to("settings.page", "profile")
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
        return back_to("settings.page", "phone-numbers")
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
            user, remember = current_user._get_current_object(), remembered()
            user.replace_password(hash_password(form.new_password.data))  # every device and link ends
            open_session(user, remember=remember)  # this device goes on, on a new session
            announce_password_changed(user)
            flash_at("password", gettext("Your password is changed. Other devices are logged out."))
            return back_to("settings.page", "password")
        form.current_password.errors.append(gettext("That is not your current password."))
    return render_settings(400, password=form)


@bp.post("/settings/email")
@limiter.limit(reset_limit)  # each request mails an address she typed
@login_required
def change_email():
    """A new email: with mail set up, the link mailed to it makes the change (auth.confirm_email)."""
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
            return back_to("settings.page", "email")
        elif apply_email_change(current_user._get_current_object(), new_email):
            flash_at("email", gettext("Your email is changed. Other devices are logged out."))
            return back_to("settings.page", "email")
        else:
            form.email.errors.append(gettext("Another account uses that email."))
    return render_settings(400, email_form=form)


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


@bp.post("/settings/import")
@accepts_up_to(IMPORT_MAX_BYTES)
@import_limit
@login_required
def import_file():
    """Bring an export file back in from the settings page: the API's import, as a plain form."""
    upload = request.files.get("file")
    try:
        data = read_export_file(upload.read() if upload else b"", gettext)
        counts = import_export(current_user, data, local_today(), utc_now(), current_app.extensions["advice"])
    except InvalidEntry as invalid:
        return render_settings(400, import_problems=import_problems(invalid.errors))
    message = gettext(
        "The file is imported. New days: %(created)d. Updated days: %(updated)d. "
        "Skipped, because the diary already had the same or a newer edit: %(skipped)d.",
        **asdict(counts),
    )
    brought_in = counts.checkins_created + counts.checkins_updated
    if brought_in:
        message += " " + ngettext(
            "%(num)d weekly check was brought in.", "%(num)d weekly checks were brought in.", brought_in
        )
    if counts.feedback_unknown:
        message += " " + ngettext(
            "%(num)d piece of feedback on a tip was left out: that advice is no longer in the library.",
            "%(num)d pieces of feedback on tips were left out: that advice is no longer in the library.",
            counts.feedback_unknown,
        )
    flash_at("your-data", message)
    return back_to("settings.page", "your-data")


@bp.post("/settings/delete")
@login_required
def delete_account():
    form = DeleteAccountForm(prefix="delete")
    if form.validate_on_submit() and verify_password(current_user.password_hash, form.current_password.data):
        user = current_user._get_current_object()
        with db.atomic():
            user.delete_instance()  # entries, tips, shares, resets, reminder and push subscriptions go too (CASCADE)
        session.clear()
        logout_user()
        response = current_app.make_response(render_template("accounts/account_deleted.html"))
        response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response
    if form.current_password.data:
        form.current_password.errors.append(gettext("That is not your password. Nothing was deleted."))
    return render_settings(400, delete_form=form)


@bp.post("/settings/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session of hers, this device's too; no logged-out device gets her reminders."""
    forget_devices(Session.of(current_user).select(Session.id))
    end_sessions(current_user)
    end_current_session()
    flash(gettext("You are logged out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/settings/sessions/<id:session_id>/end")
@login_required
def end_device(session_id: int):
    """Log out one of her other devices, and stop its reminders."""
    forget_devices(Session.of(current_user).where(Session.id == session_id).select(Session.id))
    if not Session.delete().where((Session.id == session_id) & (Session.user == current_user.id)).execute():
        abort(404)
    if session_id == current_session().id:
        end_current_session()
        return redirect(url_for("auth.login"))
    flash_at("devices", gettext("That device is logged out."))
    return back_to("settings.page", "devices")
