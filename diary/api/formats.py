"""The string formats the API's JSON uses for days and times, shared by its schemas."""

DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
TIMESTAMP = {"type": "string", "format": "date-time"}
