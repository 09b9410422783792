"""The report as PDF, made by WeasyPrint from the same HTML and CSS as the page.

WeasyPrint is imported when a PDF is asked for, not when the app starts: it needs Debian's
Pango (libpango-1.0-0, libpangoft2-1.0-0), and a server without it should still serve the
diary and the report page, answering only the PDF with PdfUnavailable.
"""

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit


class PdfUnavailable(RuntimeError):
    """WeasyPrint, or the system libraries it needs, cannot be loaded on this server."""


def _static_files_only(static_folder: Path, static_url_path: str):
    """A WeasyPrint URL fetcher that serves the app's own static files from disk and nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = static_folder.resolve()
    prefix = static_url_path.rstrip("/") + "/"

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = urlsplit(url).path
            file = (root / path.removeprefix(prefix)).resolve()
            if not path.startswith(prefix) or root not in file.parents or not file.is_file():
                raise ValueError(f"the report may only use the app's static files, not {url}")
            content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=file.read_bytes(), headers={"Content-Type": content_type})

    return StaticFilesOnly(fail_on_errors=True)


def render_pdf(html: str, base_url: str, static_folder: Path, static_url_path: str) -> bytes:
    """Render HTML (with its stylesheets and fonts from the static folder) to PDF bytes."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as missing:  # OSError: Pango's shared libraries are not installed
        raise PdfUnavailable(str(missing)) from missing
    fetcher = _static_files_only(static_folder, static_url_path)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
