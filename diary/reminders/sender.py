"""Sending the reminders that are due: `manage.py send-reminders`, or `serve --reminders` every minute.

Each pass looks at every reminder that is on, and for each one due (schedule.due_day) claims
the day in the database before sending, so two senders (a timer and the server's thread)
never send twice. A subscription the push service calls gone (404 or 410) is deleted; when
no device could be reached for another reason, the day is released and the next pass within
the hour tries again.
"""

import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import requests
from flask import current_app
from flask_babel import force_locale, gettext
from pywebpush import WebPushException, webpush

from diary.config import ConfigError
from diary.db import db
from diary.models import Entry, PushSubscription, Reminder, User
from diary.reminders.endpoints import endpoint_problem
from diary.reminders.schedule import due_day, local_day, time_to_live
from diary.reminders.store import claim_day, release_day, settings_from_row
from diary.reminders.vapid import server_keys, subject

log = logging.getLogger(__name__)

GONE = {404, 410}
URGENCY = "normal"  # a daily nudge: delivered at once on a phone that is awake, not worth waking one
SEND_TIMEOUT = 10  # seconds per push service
LOOP_SECONDS = 60
REMINDER_PATH = "/?source=reminder"


@dataclass
class SendReport:
    sent: int = 0  # pushes the push services accepted
    removed: int = 0  # subscriptions they called gone
    failed: int = 0  # pushes that failed for another reason
    reminders: int = 0  # users reminded


class NoRedirects(requests.Session):
    """A session that never follows a redirect: the endpoint checked is the only address called."""

    def request(self, *args, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(*args, **kwargs)


def reminder_url(config) -> str:
    """The absolute address the notification opens: today's log page on PUBLIC_URL."""
    if not config.get("PUBLIC_URL"):
        raise ConfigError("PUBLIC_URL must be set to send reminders: the notification opens the diary there")
    return config["PUBLIC_URL"] + REMINDER_PATH


def reminder_payload(language: str, url: str, day) -> dict:
    """The push message: the service worker's fields, and the declarative ones iOS 18.4+ shows itself."""
    with force_locale(language):
        title = gettext("How was your day?")
        body = gettext("Log today in a few taps.")
    return {
        # Declarative Web Push (WebKit): shown by the browser even if the worker fails.
        "web_push": 8030,
        "notification": {
            "title": title,
            "body": body,
            "navigate": url,
            "lang": language,
            "dir": "ltr",
            "silent": False,
            "tag": "daily-reminder",
        },
        # The same, for the worker's push handler in the other browsers (static/js/sw.js).
        "title": title,
        "body": body,
        "url": url,
        "day": day.isoformat(),
    }


def push_one(subscription: PushSubscription, payload: dict, ttl: int, config, keys) -> int:
    """Send one push; the push service's status, or 0 when it could not be reached."""
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    try:
        response = webpush(
            info,
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=keys.private,
            vapid_claims={"sub": subject(config)},  # a new dict each time: webpush adds this endpoint's aud
            ttl=ttl,
            headers={"Urgency": URGENCY},
            timeout=SEND_TIMEOUT,
            requests_session=NoRedirects(),
        )
    except WebPushException as failure:
        return failure.response.status_code if failure.response is not None else 0
    except (requests.RequestException, ValueError) as failure:  # ValueError: keys it cannot encrypt to
        log.warning("A push could not be sent: %s", type(failure).__name__)
        return 0
    return response.status_code


def send_due(now: datetime | None = None) -> SendReport:
    """Send every reminder due at now (UTC); run inside an app context with a connection."""
    config = current_app.config
    now = now or datetime.now(timezone.utc)
    url = reminder_url(config)
    subject(config)  # a missing subject stops the pass before anything is claimed
    keys = server_keys(config, Path(current_app.instance_path))
    report = SendReport()
    rows = Reminder.select().where(
        Reminder.enabled & Reminder.user.in_(PushSubscription.select(PushSubscription.user))
    )
    for row in rows:
        settings = settings_from_row(row)
        day = local_day(now, settings.zone)
        # Her own day, and the diary's today (DIARY_TIMEZONE), which the log page opens: either logged is enough.
        days = {day, local_day(now, config["DIARY_TIMEZONE"])}
        logged = Entry.of(row.user_id).where(Entry.date.in_(days)).exists()
        if due_day(settings, now, logged) is None or not claim_day(row.id, day, row.last_sent_on):
            continue
        user = User.get_by_id(row.user_id)
        payload = reminder_payload(user.language, url, day)
        ttl = time_to_live(now, settings.zone)
        delivered, failures = False, 0
        for subscription in PushSubscription.of(user):
            if endpoint_problem(subscription.endpoint, config["PUSH_ALLOW_PRIVATE_ENDPOINTS"]):
                failures += 1  # its name points somewhere private now: not called, kept for a later pass
                continue
            status = push_one(subscription, payload, ttl, config, keys)
            if status in GONE:
                subscription.delete_instance()
                report.removed += 1
            elif 200 <= status < 300:
                delivered = True
                report.sent += 1
            else:
                failures += 1
        report.failed += failures
        if delivered:
            report.reminders += 1
        elif failures:
            release_day(row.id, day, row.last_sent_on)
    return report


def start_loop(app, interval: float = LOOP_SECONDS) -> threading.Thread:
    """Run send_due every interval seconds in a daemon thread (`serve --reminders`)."""
    stop = threading.Event()

    def loop():
        while True:
            try:
                with app.app_context(), db.connection_context():
                    report = send_due()
                if report.sent or report.removed or report.failed:
                    log.info("Reminders: %s", report)
            except Exception:  # one bad pass must not end the loop; the next minute tries again
                log.exception("Sending reminders failed")
            if stop.wait(interval):
                return

    thread = threading.Thread(target=loop, name="reminders", daemon=True)
    thread.stop = stop
    thread.start()
    return thread
