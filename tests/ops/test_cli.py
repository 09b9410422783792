"""manage.py: the operator's commands."""

from datetime import timedelta

from diary.accounts.passwords import verify_password
from diary.models import Entry, EntryCode, PasswordReset, Session, User, utc_now
from tests.support.database import in_app


def stored(app, email):
    with in_app(app):
        return User.by_email(email)


def test_init_db_creates_the_tables(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "ready" in result.output


def test_create_user_reads_the_password_from_stdin_never_an_argument(app, runner):
    result = runner.invoke(args=["create-user", "Midwife@Example.dk"], input="a long password here\n")
    assert result.exit_code == 0, result.output
    user = stored(app, "midwife@example.dk")
    assert verify_password(user.password_hash, "a long password here")
    again = runner.invoke(args=["create-user", "midwife@example.dk"], input="a long password here\n")
    assert again.exit_code != 0 and "exists" in again.output


def test_create_user_refuses_a_short_password(app, runner):
    result = runner.invoke(args=["create-user", "a@example.dk"], input="short\n")
    assert result.exit_code != 0
    assert stored(app, "a@example.dk") is None


def test_reset_password_sets_a_new_password_and_ends_sessions(app, runner, client, alice):
    result = runner.invoke(args=["reset-password", "alice@example.dk"], input="the operator's new one\n")
    assert result.exit_code == 0, result.output
    user = stored(app, "alice@example.dk")
    assert verify_password(user.password_hash, "the operator's new one")
    assert client.get("/history").status_code == 302
    with in_app(app):
        assert Session.select().count() == 0


def test_reset_password_also_ends_a_mailed_reset_link(app, runner, alice):
    with in_app(app):
        user = User.by_email("alice@example.dk")
        link = PasswordReset.create(user=user, token_hash="0" * 64, expires_at=utc_now() + timedelta(hours=1))
    runner.invoke(args=["reset-password", "alice@example.dk"], input="the operator's new one\n")
    with in_app(app):
        assert PasswordReset.get_by_id(link.id).used_at is not None


def test_reset_password_of_an_unknown_user_fails_clearly(runner):
    result = runner.invoke(args=["reset-password", "nobody@example.dk"], input="whatever long\n")
    assert result.exit_code != 0 and "No user" in result.output


def test_demo_fills_a_realistic_diary(app, runner, today):
    result = runner.invoke(args=["demo", "demo@example.dk", "--days", "90"], input="quiet mornings 1\n")
    assert result.exit_code == 0, result.output
    with in_app(app):
        user = User.by_email("demo@example.dk")
        entries = list(Entry.of(user).order_by(Entry.date))
    assert 60 <= len(entries) <= 90
    assert entries[-1].date == today and entries[0].date >= today - timedelta(days=89)
    pains = [entry.pain for entry in entries]
    assert len(set(pains)) >= 4  # varied, not one value
    assert sum(pains[-20:]) / 20 > sum(pains[:20]) / 20  # pain drifts up with gestation
    assert any(entry.night_wakings >= 2 for entry in entries)  # a few bad nights
    with in_app(app):
        days_with = {
            code: {row.date for row in EntryCode.of(user).where(EntryCode.code == code)}
            for code in ("stairs", "walking", "turning_in_bed", "getting_up")
        }
    # Triggers cluster: a day with one of a pair has the other far more often than days in general.
    for first, second in (("stairs", "walking"), ("turning_in_bed", "getting_up")):
        together = len(days_with[first] & days_with[second]) / len(days_with[first])
        assert together > 1.5 * len(days_with[second]) / len(entries), (first, second)
    # Running it again replaces the days instead of doubling them.
    runner.invoke(args=["demo", "demo@example.dk", "--days", "90"])
    with in_app(app):
        assert Entry.of(user).count() == len(entries)


def test_demo_fills_no_more_than_the_two_years_the_diary_takes(app, runner):
    result = runner.invoke(args=["demo", "demo@example.dk", "--days", "731"], input="quiet mornings 1\n")
    assert result.exit_code == 2 and "731 is not in the range 1<=x<=730" in result.output
