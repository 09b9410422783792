"""Loaded once by the PDF forkserver (report_pdf), so each render's child starts with WeasyPrint
in memory. Never imported by the web server itself: a server without Pango still starts."""

try:
    import weasyprint  # noqa: F401
except (ImportError, OSError):  # OSError: Pango's shared libraries are missing; the child reports it
    pass
