"""Sharing with the midwife: share links and tokens, the report model, its PDF, the shares page and the report view."""
