"""The component schemas of the OpenAPI document: the shapes the API sends and accepts."""

from diary.accounts.importing import ADVICE_ID, MAX_IMPORT_CHECKINS, MAX_IMPORT_ENTRIES, MAX_IMPORT_FEEDBACK
from diary.api.checkin_schemas import checkin_schemas
from diary.api.formats import DATE, TIMESTAMP
from diary.api.reminder_schemas import reminder_schemas
from diary.entries.codes import (
    ALLOWED,
    CODE_SETS,
    NIGHT_WAKINGS_MAX,
    NOTE_MAX_LENGTH,
    PAIN_MAX,
    PAIN_MIN,
    RED_FLAGS,
)
from diary.entries.entry import ENTRY_FIELDS
from diary.summary.insights import INSIGHT_FIELDS, MIN_DAYS

#: What POST /import answers (the fields of diary.accounts.importing.ImportCounts).
IMPORT_COUNTS = {
    "created": "days new to the diary",
    "updated": "days replaced by a newer edit from the file",
    "skipped": "days the diary already had in the same or a newer edit",
    "feedback_added": "tip feedback new to the diary",
    "feedback_unknown": "tip feedback on advice the library no longer has: left out",
    "checkins_created": "weekly checks new to the diary",
    "checkins_updated": "weekly checks replaced by a newer edit from the file",
    "checkins_skipped": "weekly checks the diary already had in the same or a newer edit",
}
#: One side-by-side of an insight: mean pain (0-10, one decimal) on days with and without.
COMPARISON = {
    "days_with": {"type": "integer", "minimum": MIN_DAYS},
    "days_without": {"type": "integer", "minimum": MIN_DAYS},
    "mean_with": {"type": "number", "minimum": PAIN_MIN, "maximum": PAIN_MAX},
    "mean_without": {"type": "number", "minimum": PAIN_MIN, "maximum": PAIN_MAX},
}


def _code_list(field: str) -> dict:
    schema = {
        "type": "array",
        "items": {"type": "string", "enum": [code.code for code in CODE_SETS[field]]},
        "uniqueItems": True,
        "maxItems": len(ALLOWED[field]),
    }
    if RED_FLAGS[field]:
        names = " and ".join(f"`{code}`" for code in RED_FLAGS[field])
        schema["description"] = (
            f"{names} are not pelvic girdle pain: logged for today, they make the warning signs the first tip."
        )
    return schema


#: The schema of each of an entry's fields that is not a code set.
ENTRY_SCALARS = {
    "date": DATE,
    "pain": {"type": "integer", "minimum": PAIN_MIN, "maximum": PAIN_MAX},
    "night_wakings": {"type": "integer", "minimum": 0, "maximum": NIGHT_WAKINGS_MAX},
    "note": {"type": "string", "maxLength": NOTE_MAX_LENGTH},
    "updated_at": TIMESTAMP,
}


def _entry_properties() -> dict:
    """An entry's properties in the order of ENTRY_FIELDS; a field without a schema stops start-up."""
    return {name: _code_list(name) if name in CODE_SETS else ENTRY_SCALARS[name] for name in ENTRY_FIELDS}


def component_schemas() -> dict:
    """Every named schema, by name."""
    return {
        "EntryInput": {
            "type": "object",
            "additionalProperties": False,
            "required": ["pain"],
            "properties": _entry_properties(),
        },
        "Entry": {
            "type": "object",
            "additionalProperties": False,
            "required": list(_entry_properties()),
            "properties": _entry_properties(),
        },
        "EntryList": {
            "type": "object",
            "required": ["entries"],
            "properties": {"entries": {"type": "array", "items": {"$ref": "#/components/schemas/Entry"}}},
        },
        "Tip": {
            "type": "object",
            "required": ["id", "title", "reason", "url"],
            "properties": {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "summary": {"type": "string"},
                "reason": {"type": "string"},
                "url": {"type": "string"},
                "safety": {"type": "boolean"},
                "weekly": {"type": "boolean", "description": "Dismissing it hides it for the ISO week only."},
            },
        },
        "TipList": {
            "type": "object",
            "required": ["tips"],
            "properties": {
                "tips": {"type": "array", "maxItems": 3, "items": {"$ref": "#/components/schemas/Tip"}}
            },
        },
        "CodeCount": {
            "type": "object",
            "required": ["code", "days"],
            "properties": {
                "code": {"type": "string"},
                "days": {"type": "integer", "minimum": 1, "maximum": 7},
            },
        },
        "Summary": {
            "type": "object",
            "required": [
                "week",
                "start",
                "end",
                "days_logged",
                "pain",
                "nights_disrupted",
                "night_wakings",
                "triggers",
                "locations",
                "sensations",
                "relief",
                "gestational_week",
                "tips",
                "function",
                "insights",
            ],
            "properties": {
                "week": {"type": "string"},
                "start": DATE,
                "end": DATE,
                "days_logged": {"type": "integer", "minimum": 0, "maximum": 7},
                "pain": {
                    "type": "object",
                    "required": ["mean", "max", "min", "previous_mean", "change"],
                    "properties": {
                        name: {"type": ["number", "null"]}
                        for name in ("mean", "max", "min", "previous_mean", "change")
                    },
                },
                "nights_disrupted": {"type": "integer", "minimum": 0},
                "night_wakings": {"type": "integer", "minimum": 0},
                **{
                    name: {"type": "array", "items": {"$ref": "#/components/schemas/CodeCount"}}
                    for name in ("triggers", "locations", "sensations", "relief")
                },
                "gestational_week": {"type": ["string", "null"]},
                "days": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "date": DATE,
                            "pain": {"type": ["integer", "null"]},
                            "night_wakings": {"type": ["integer", "null"]},
                        },
                    },
                },
                "tips": {"type": "array", "items": {"$ref": "#/components/schemas/Tip"}},
                "function": {
                    "type": "object",
                    "required": ["score", "previous_score", "leg_raise_sum", "previous_leg_raise_sum"],
                    "description": "The week's weekly check and the latest one before it with each figure.",
                    "properties": {
                        "score": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
                        "previous_score": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
                        "leg_raise_sum": {"type": ["integer", "null"], "minimum": 0, "maximum": 10},
                        "previous_leg_raise_sum": {"type": ["integer", "null"], "minimum": 0, "maximum": 10},
                    },
                },
                "insights": {
                    "type": "array",
                    "description": "What seems to help: over the four weeks up to the week's last day, mean pain "
                    "on days with and without each relief measure and trigger noted on 3 days or more and "
                    "missing on 3 days or more. A pattern in her diary, not proof.",
                    "items": {"$ref": "#/components/schemas/Insight"},
                },
            },
        },
        "Comparison": {
            "type": "object",
            "required": list(COMPARISON),
            "properties": COMPARISON,
        },
        "Insight": {
            "type": "object",
            "required": ["field", "code", *COMPARISON, "day_after"],
            "properties": {
                "field": {"type": "string", "enum": list(INSIGHT_FIELDS)},
                "code": {"type": "string"},
                **COMPARISON,
                "day_after": {
                    "description": "The same for the day after each day, when enough following days were logged.",
                    "oneOf": [{"$ref": "#/components/schemas/Comparison"}, {"type": "null"}],
                },
            },
        },
        **checkin_schemas(),
        "FeedbackInput": {
            "type": "object",
            "additionalProperties": False,
            "required": ["kind"],
            "properties": {"kind": {"type": "string", "enum": ["helpful", "dismissed"]}},
        },
        "Feedback": {
            "type": "object",
            "required": ["id", "kind"],
            "properties": {
                "id": {"type": "string"},
                "kind": {"type": "string", "enum": ["helpful", "dismissed"]},
            },
        },
        "ImportCounts": {
            "type": "object",
            "required": list(IMPORT_COUNTS),
            "properties": {
                name: {"type": "integer", "minimum": 0, "description": meaning}
                for name, meaning in IMPORT_COUNTS.items()
            },
        },
        "Export": {
            "type": "object",
            "required": ["format", "version", "entries"],
            "properties": {
                "format": {"const": "baekkendagbog-export"},
                "version": {"type": "integer"},
                "profile": {"type": "object"},
                "entries": {
                    "type": "array",
                    "maxItems": MAX_IMPORT_ENTRIES,
                    "items": {"$ref": "#/components/schemas/Entry"},
                },
                "checkins": {
                    "type": "array",
                    "maxItems": MAX_IMPORT_CHECKINS,
                    "items": {"$ref": "#/components/schemas/Checkin"},
                },
                "shares": {"type": "array", "items": {"type": "object"}},
                "reminder": {
                    "$ref": "#/components/schemas/Reminder",
                    "description": "Her reminder settings; her devices' push subscriptions are not exported.",
                },
                "tip_feedback": {
                    "type": "array",
                    "maxItems": MAX_IMPORT_FEEDBACK,
                    "items": {
                        "type": "object",
                        "required": ["advice", "kind", "created_at"],
                        "properties": {
                            "advice": {"type": "string", "pattern": f"^{ADVICE_ID.pattern}$"},
                            "kind": {"type": "string", "enum": ["helpful", "dismissed"]},
                            "created_at": TIMESTAMP,
                        },
                    },
                },
            },
        },
        "ShareInput": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "from": DATE,
                "to": DATE,
                "include_notes": {"type": "boolean"},
                "expires_in_days": {"type": "integer", "minimum": 1, "maximum": 90},
            },
        },
        "NewShare": {
            "type": "object",
            "required": ["id", "url", "pdf_url", "expires_at", "include_notes"],
            "properties": {
                "id": {"type": "integer"},
                "url": {"type": "string", "format": "uri"},
                "pdf_url": {"type": "string", "format": "uri"},
                "from": DATE,
                "to": DATE,
                "expires_at": TIMESTAMP,
                "include_notes": {"type": "boolean"},
            },
        },
        "Share": {
            "allOf": [
                {"$ref": "#/components/schemas/NewShare"},
                {
                    "type": "object",
                    "required": ["views", "last_viewed_at", "revoked", "revoked_at", "created_at"],
                    "properties": {
                        "views": {"type": "integer", "minimum": 0},
                        "last_viewed_at": {"type": ["string", "null"], "format": "date-time"},
                        "revoked": {"type": "boolean"},
                        "revoked_at": {
                            "type": ["string", "null"],
                            "format": "date-time",
                            "description": "When she revoked the link (an extension of API.md); null while not revoked.",
                        },
                        "created_at": TIMESTAMP,
                    },
                },
            ]
        },
        "ShareList": {
            "type": "object",
            "required": ["shares"],
            "properties": {"shares": {"type": "array", "items": {"$ref": "#/components/schemas/Share"}}},
        },
        **reminder_schemas(),
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                }
            },
        },
        "Conflict": {
            "allOf": [
                {"$ref": "#/components/schemas/Error"},
                {
                    "type": "object",
                    "required": ["entry"],
                    "properties": {"entry": {"$ref": "#/components/schemas/Entry"}},
                },
            ]
        },
    }
