"""A user row is only ever written field by field: a profile save that loaded the user before
a password change cannot write the old password back (issue 10, finding 1)."""

import ast
from pathlib import Path

import pytest

from diary.accounts.passwords import hash_password
from diary.accounts.views import auth as auth_views
from diary.accounts.views import settings as settings_views
from diary.models import User
from tests.conftest import PASSWORD, Auth
from tests.support.database import in_app

DIARY = Path(__file__).resolve().parents[2] / "diary"
NEW_PASSWORD = "a brand new sentence"


def test_a_profile_save_racing_a_password_change_does_not_undo_it(app, client, alice, monkeypatch):
    """Load the user for a profile save (A), change the password meanwhile (B), then let A save."""
    validate = settings_views.ProfileForm.validate_on_submit

    def password_changes_meanwhile(form):
        # The settings view has loaded current_user (A) by now; another device changes the
        # password through its own freshly loaded user object (B) before A writes.
        with app.app_context():
            User.get(User.email == "alice@example.dk").replace_password(hash_password(NEW_PASSWORD))
        return validate(form)

    monkeypatch.setattr(settings_views.ProfileForm, "validate_on_submit", password_changes_meanwhile)
    response = client.post("/settings", data={"profile-language": "en", "profile-display_name": "Alice"})
    assert response.status_code == 302

    assert Auth(app.test_client()).login(password=PASSWORD).status_code == 400  # the old password stays gone
    assert Auth(app.test_client()).login(password=NEW_PASSWORD).status_code == 302
    with in_app(app):
        assert User.by_email("alice@example.dk").display_name == "Alice"  # and the profile is saved too


def test_a_password_rehash_at_log_in_cannot_undo_a_password_change(app, auth, monkeypatch):
    """A log-in that upgrades the old hash while the password changes writes nothing back."""
    auth.register()
    auth.logout()
    monkeypatch.setattr(auth_views, "needs_rehash", lambda stored: True)
    real_hash = auth_views.hash_password

    def password_changes_meanwhile(password):
        with app.app_context():
            User.get(User.email == "alice@example.dk").replace_password(real_hash(NEW_PASSWORD))
        return real_hash(password)

    monkeypatch.setattr(auth_views, "hash_password", password_changes_meanwhile)
    auth.login()
    monkeypatch.undo()
    assert Auth(app.test_client()).login(password=PASSWORD).status_code == 400
    assert Auth(app.test_client()).login(password=NEW_PASSWORD).status_code == 302


def test_a_whole_row_save_of_a_user_is_refused(app, alice):
    with in_app(app):
        user = User.by_email("alice@example.dk")
        user.display_name = "Alice"
        with pytest.raises(TypeError):
            user.save()
        with pytest.raises(TypeError):
            user.save(only=[User.display_name, User.password_hash])  # passwords go through replace_password


def _saves_without_only(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "save":
            if not any(keyword.arg == "only" for keyword in node.keywords):
                yield node


# The one save without only= that is not of a user: an entry, written whole on purpose.
NOT_A_USER = {("store.py", "entry")}


def test_no_code_saves_a_user_without_naming_its_fields():
    found = []
    for path in sorted(DIARY.rglob("*.py")):
        for call in _saves_without_only(ast.parse(path.read_text(), str(path))):
            receiver = ast.unparse(call.func.value)
            if (path.name, receiver) not in NOT_A_USER:
                found.append(f"{path.relative_to(DIARY.parent)}:{call.lineno}: {receiver}.save()")
    assert found == [], "save a user with only=[...] (passwords through User.replace_password)"
