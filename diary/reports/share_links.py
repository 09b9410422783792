"""A share's links as she sees them: the report and its PDF, absolute, and a QR code of the link."""

import segno
from flask import current_app
from markupsafe import Markup

from diary.models import Share
from diary.reports.shares import share_facts
from diary.reports.tokens import token_for
from diary.web.links import external_url


def share_token(share: Share) -> str:
    """The token in a share's links, made from its nonce and the secret key (never stored)."""
    return token_for(current_app.config["SECRET_KEY"], share.nonce)


def share_as_dict(share: Share) -> dict:
    """A share as the API shows it; links are absolute."""
    token = share_token(share)
    return {
        "id": share.id,
        "url": external_url("reports.report", token=token),
        "pdf_url": external_url("reports.report_pdf", token=token),
        **share_facts(share),
    }


def qr_svg(url: str) -> Markup:
    """A QR code of the link as inline SVG, dark on white so phones scan it in any theme."""
    code = segno.make(url, error="m")
    return Markup(
        code.svg_inline(scale=5, border=4, dark="#000", light="#fff", svgclass="qr-code", omitsize=True)
    )
