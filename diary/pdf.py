"""The report as PDF, made by WeasyPrint from the same HTML and CSS as the page."""

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class StaticFilesOnly(URLFetcher):
    """Serves the app's own static files from disk and fetches nothing from any network."""

    def __init__(self, static_folder: Path, static_url_path: str):
        super().__init__(fail_on_errors=True)
        self.root = static_folder.resolve()
        self.prefix = static_url_path.rstrip("/") + "/"

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = urlsplit(url).path
        file = (self.root / path.removeprefix(self.prefix)).resolve()
        if not path.startswith(self.prefix) or self.root not in file.parents or not file.is_file():
            raise ValueError(f"the report may only use the app's static files, not {url}")
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=file.read_bytes(), headers={"Content-Type": content_type})


def render_pdf(html: str, base_url: str, static_folder: Path, static_url_path: str) -> bytes:
    """Render HTML (with its stylesheets from the static folder) to PDF bytes."""
    fetcher = StaticFilesOnly(static_folder, static_url_path)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
