"""Share links and reports as the midwife reaches them."""

import io
import re

from pypdf import PdfReader


def make_share(client, **body) -> dict:
    """A share link made through the API by the logged-in client."""
    response = client.post("/api/v1/shares", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def path_of(url: str) -> str:
    """The path of an absolute link, for the test client."""
    return re.sub(r"^https?://[^/]+", "", url)


def anonymous(app):
    """A client with no session: the midwife opening a link."""
    return app.test_client()


def pdf_text(data: bytes) -> str:
    """A PDF's text, page after page (pypdf reads some runs as UTF-16 with NULs between letters)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\x00", "")
