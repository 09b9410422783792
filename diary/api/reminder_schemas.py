"""The OpenAPI schemas of the daily reminder and the phone's push subscription."""

from diary.reminders.endpoints import MAX_ENDPOINT_LENGTH


def reminder_schemas() -> dict:
    """Her reminder settings, a push subscription as the browser gives it, and the server's key."""
    return {
        "Reminder": {
            "type": "object",
            "additionalProperties": False,
            "required": ["enabled", "time", "timezone"],
            "properties": {
                "enabled": {"type": "boolean"},
                "time": {
                    "type": "string",
                    "pattern": r"^([01]\d|2[0-3]):[0-5]\d$",
                    "description": "Her local time.",
                },
                "timezone": {
                    "type": "string",
                    "description": "An IANA time zone name, such as Europe/Copenhagen.",
                },
            },
        },
        "PushSubscriptionInput": {
            "type": "object",
            "required": ["endpoint", "keys"],
            "properties": {
                "endpoint": {"type": "string", "format": "uri", "maxLength": MAX_ENDPOINT_LENGTH},
                "expirationTime": {"type": ["number", "null"]},
                "keys": {
                    "type": "object",
                    "required": ["p256dh", "auth"],
                    "properties": {
                        "p256dh": {
                            "type": "string",
                            "description": "base64url of a 65-byte P-256 public key",
                        },
                        "auth": {"type": "string", "description": "base64url of a 16-byte secret"},
                    },
                },
            },
        },
        "PushSubscription": {
            "type": "object",
            "required": ["endpoint"],
            "properties": {"endpoint": {"type": "string"}},
        },
        "PushKey": {
            "type": "object",
            "required": ["public_key"],
            "properties": {"public_key": {"type": "string", "description": "base64url, 65 bytes"}},
        },
    }
