"""The account and settings forms (Flask-WTF: CSRF and translated messages included)."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from diary.accounts import phone_numbers
from diary.accounts.passwords import MAX_LENGTH, MIN_LENGTH, NAMES_THE_APP, is_common, personal_problem
from diary.clock import local_today
from diary.sanitize import without_control_characters
from diary.web.i18n import LANGUAGES

EMAIL_PATTERN = r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$"


def _email_field():
    return EmailField(
        _l("Email"),
        validators=[
            DataRequired(_l("Enter your email address.")),
            Length(max=254, message=_l("That email address is too long.")),
            Regexp(EMAIL_PATTERN, message=_l("Enter an email address like name@example.dk.")),
        ],
    )


def not_common(form, field):
    """Refuse passwords that appear on lists of leaked passwords."""
    if field.data and is_common(field.data):
        raise ValidationError(
            _l("This password is too common: it is on lists that attackers try first. Choose another.")
        )


def not_personal(form, field):
    """Refuse passwords with the app's name or her email in them (the form's email, or owner_email)."""
    email = form.email.data if "email" in form else form.owner_email
    problem = personal_problem(field.data or "", email)
    if problem == NAMES_THE_APP:
        raise ValidationError(_l("The password may not contain the app's name. Choose another."))
    if problem:
        raise ValidationError(
            _l("The password may not contain your email address or the part before the @. Choose another.")
        )


def _new_password_field(label):
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("The password must be at least %(min)d characters long.", min=MIN_LENGTH),
            ),
            not_common,
            not_personal,
        ],
    )


def _remember_field():
    return BooleanField(_l("Keep me logged in for 30 days"), default=True)


class RegisterForm(FlaskForm):
    email = _email_field()
    password = _new_password_field(_l("Password"))
    remember = _remember_field()


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    remember = _remember_field()


class ProfileForm(FlaskForm):
    due_date = DateField(_l("Due date"), validators=[Optional()])
    birth_date = DateField(_l("Birth date (once the baby is born)"), validators=[Optional()])
    display_name = StringField(
        _l("Name or initials for reports (optional)"),
        filters=[lambda value: without_control_characters(value).strip() if value else value],
        validators=[Optional(), Length(max=60, message=_l("At most 60 characters."))],
    )
    language = SelectField(
        _l("Language"), choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()]
    )

    def validate_due_date(self, field):
        if field.data is None:
            return
        today = local_today()
        if not today - timedelta(days=400) <= field.data <= today + timedelta(days=300):
            raise ValidationError(_l("Enter a due date within the last year or the next 42 weeks."))

    def validate_birth_date(self, field):
        if field.data is None:
            return
        today = local_today()
        if field.data > today:
            raise ValidationError(_l("The birth date cannot be in the future."))
        if field.data < today - timedelta(days=730):
            raise ValidationError(_l("Enter a birth date within the last two years."))


class WelcomeForm(FlaskForm):
    due_date = ProfileForm.due_date
    validate_due_date = ProfileForm.validate_due_date


class PasswordChangeForm(FlaskForm):
    owner_email = None  # set by the view: her email, which the new password may not contain
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    new_password = _new_password_field(_l("New password"))


class EmailChangeForm(FlaskForm):
    email = _email_field()
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )


class DeleteAccountForm(FlaskForm):
    current_password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Enter your password to delete the account."))]
    )


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    owner_email = None  # set by the view: the email of the account being reset
    new_password = _new_password_field(_l("New password"))


def phone_number(form, field):
    """Accept a Danish number (8 digits, spaces and +45 allowed) or one with its country code."""
    try:
        phone_numbers.normalise(field.data)  # the view stores it normalised; shown back as she wrote it
    except phone_numbers.InvalidPhoneNumber:
        raise ValidationError(
            _l(
                "Write a Danish number with 8 digits, like 33 12 34 56, or a number from abroad with + and the country code."
            )
        ) from None


class PhoneNumbersForm(FlaskForm):
    """Her own numbers, offered as one-tap calls beside the warning signs; empty removes one."""

    maternity_phone = TelField(
        _l("The maternity reception where you will give birth"), validators=[phone_number]
    )
    doctor_phone = TelField(_l("Your own doctor"), validators=[phone_number])
