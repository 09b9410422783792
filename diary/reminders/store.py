"""Her reminder settings and her devices' push subscriptions, read and written for one user."""

from datetime import date
from zoneinfo import ZoneInfo

from diary.db import write_transaction
from diary.models import PushSubscription, Reminder
from diary.reminders.endpoints import CleanSubscription
from diary.reminders.schedule import DEFAULT_TIMEZONE, ReminderSettings, parse_time, parse_timezone


def settings_from_row(row: Reminder | None) -> ReminderSettings:
    """A stored row as settings; no row is a reminder that is off, at 20:00 Copenhagen time."""
    if row is None:
        return ReminderSettings()
    return ReminderSettings(
        enabled=row.enabled,
        at=parse_time(row.time),
        zone=parse_timezone(row.timezone) or ZoneInfo(DEFAULT_TIMEZONE),
        last_sent_on=row.last_sent_on,
    )


def settings_of(user) -> ReminderSettings:
    """The user's reminder settings."""
    return settings_from_row(Reminder.of(user).first())


def settings_as_dict(settings: ReminderSettings) -> dict:
    """The settings as the API and the export show them."""
    return {"enabled": settings.enabled, "time": settings.at.strftime("%H:%M"), "timezone": settings.zone.key}


def save_settings(user, enabled: bool, at, zone: ZoneInfo) -> ReminderSettings:
    """Store her settings; the day the last reminder went out is kept, so a change never brings a second."""
    values = {"enabled": enabled, "time": at.strftime("%H:%M"), "timezone": zone.key}
    with write_transaction():
        if not Reminder.update(**values).where(Reminder.user == user).execute():
            Reminder.insert(user=user, **values).on_conflict(
                conflict_target=[Reminder.user], update=values
            ).execute()
    return settings_of(user)


def subscribe(user, subscription: CleanSubscription, session_id: int | None = None) -> bool:
    """Keep a device's subscription, tied to its session; the same endpoint again updates it (True when new)."""
    values = {"user": user, "p256dh": subscription.p256dh, "auth": subscription.auth, "session": session_id}
    with write_transaction():
        stored = PushSubscription.get_or_none(PushSubscription.endpoint == subscription.endpoint)
        if stored is None:
            PushSubscription.insert(endpoint=subscription.endpoint, **values).on_conflict_ignore().execute()
            return True
        # The same browser, re-subscribed (new keys, a new log-in), or now used by another account: hers now.
        PushSubscription.update(**values).where(PushSubscription.id == stored.id).execute()
        return stored.user_id != user.id


def forget_devices(session_ids) -> int:
    """Forget the subscriptions made on these signed-in devices, as they are logged out: no reminder reaches them."""
    return PushSubscription.delete().where(PushSubscription.session.in_(session_ids)).execute()


def unsubscribe(user, endpoint) -> int:
    """Forget one of her devices' subscriptions; how many rows went (0 or 1)."""
    if not isinstance(endpoint, str):
        return 0
    return (
        PushSubscription.delete()
        .where((PushSubscription.user == user) & (PushSubscription.endpoint == endpoint))
        .execute()
    )


def claim_day(reminder_id: int, day: date, before: date | None) -> bool:
    """Mark the day's reminder as sent, unless another sender did it first: never two a day."""
    unsent = Reminder.last_sent_on.is_null() if before is None else Reminder.last_sent_on == before
    return Reminder.update(last_sent_on=day).where((Reminder.id == reminder_id) & unsent).execute() == 1


def release_day(reminder_id: int, day: date, before: date | None) -> None:
    """Undo claim_day when no device could be reached, so the next pass within the hour tries again."""
    Reminder.update(last_sent_on=before).where(
        (Reminder.id == reminder_id) & (Reminder.last_sent_on == day)
    ).execute()


def reminder_form(user, submitted: dict | None = None, errors: dict | None = None) -> dict:
    """What the settings page's reminder form shows: her values (or what she sent), errors, her devices."""
    row = Reminder.of(user).first()
    values = submitted or settings_as_dict(settings_from_row(row))
    return {
        "values": values,
        "errors": errors or {},
        "saved": row is not None,  # never saved: the page's script may offer the phone's own time zone
        "devices": PushSubscription.of(user).count(),
    }
