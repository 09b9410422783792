"""Daily reminders: Web Push to her devices, and a calendar file where push is not available."""
