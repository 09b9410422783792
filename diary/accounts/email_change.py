"""Changing her email: confirmed by a link sent to the new address when mail is set up,
announced to the old one, and ending her other sessions."""

from flask import Blueprint, render_template
from flask_wtf import FlaskForm
from peewee import IntegrityError

from diary.accounts.notices import announce_email_changed, read_email_change
from diary.accounts.sessions import end_other_sessions
from diary.db import db
from diary.models import PasswordReset, User

bp = Blueprint("email_change", __name__)


def apply_email_change(user: User, new_email: str) -> bool:
    """Make new_email hers: open reset links end, so do her other sessions, and the old
    address is told. False, with nothing changed, when another account has the address."""
    old_email = user.email
    try:
        with db.atomic():
            # Only from the email the link was made for: of two requests with one link, one changes it.
            changed = (
                User.update(email=new_email).where((User.id == user.id) & (User.email == old_email)).execute()
            )
            PasswordReset.cancel_open(user)  # links mailed to the old address end
    except IntegrityError:
        return False
    if not changed:
        return True  # the other request made this very change a moment ago, and told her
    user.email = new_email
    end_other_sessions(user)
    announce_email_changed(user, old_email)
    return True


@bp.route("/settings/email/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
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
