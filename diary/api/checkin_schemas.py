"""The OpenAPI schemas of the weekly check, built from its questionnaire files."""

from diary.api.formats import TIMESTAMP
from diary.checkins.questionnaires import function_check, leg_raise

WEEK = {"type": "string", "pattern": r"^\d{4}-W\d{2}$"}
NULLABLE_SCORE = {"type": ["integer", "null"], "minimum": 0}


def _answers() -> dict:
    """The function check's answers, one per item of its questionnaire file; null: does not apply."""
    check = function_check()
    answer = {"type": ["integer", "null"], "minimum": 0, "maximum": check.highest}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(check.item_ids),
        "properties": dict.fromkeys(check.item_ids, answer),
        "description": "Each activity 0 no difficulty, 1 some, 2 a lot, 3 cannot, or null: does not apply.",
    }


def _leg_side() -> dict:
    return {"type": "integer", "minimum": 0, "maximum": leg_raise().highest}


def checkin_schemas() -> dict:
    """The weekly check's input and answer (GET/PUT /checkins/{week})."""
    return {
        "CheckinInput": {
            "type": "object",
            "additionalProperties": False,
            "required": ["answers"],
            "properties": {
                "answers": _answers(),
                "leg_raise": {
                    "type": ["object", "null"],
                    "additionalProperties": False,
                    "required": ["left", "right"],
                    "properties": {"left": _leg_side(), "right": _leg_side(), "sum": {"type": "integer"}},
                    "description": "The self-rated leg raise, each leg 0-5; null when not done this week.",
                },
                "week": WEEK,
                "function_score": NULLABLE_SCORE,
                "updated_at": TIMESTAMP,
            },
        },
        "Checkin": {
            "type": "object",
            "additionalProperties": False,
            "required": ["week", "answers", "leg_raise", "function_score", "updated_at"],
            "properties": {
                "week": WEEK,
                "answers": _answers(),
                "leg_raise": {
                    "type": ["object", "null"],
                    "required": ["left", "right", "sum"],
                    "properties": {
                        "left": _leg_side(),
                        "right": _leg_side(),
                        "sum": {"type": "integer", "minimum": 0, "maximum": 2 * leg_raise().highest},
                    },
                },
                "function_score": {
                    "type": ["integer", "null"],
                    "minimum": 0,
                    "maximum": 100,
                    "description": "Sum ÷ (3 × items answered) × 100, halves rounded up; higher is more "
                    "limited; null when no item applies. The diary's own check, not a validated questionnaire.",
                },
                "updated_at": TIMESTAMP,
            },
        },
    }
