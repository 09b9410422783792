"""The diary pages: logging a day (log.py) and looking back over months (history.py)."""
