"""A share's links as she sees them: the report and its PDF, absolute, a QR code of the link, and
the card that shows them with whether the link still opens."""

import segno
from flask import current_app
from markupsafe import Markup

from diary.models import Share
from diary.reports.shares import is_open, link_works, share_facts
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


def share_card(share: Share, now, key: str) -> dict:
    """A share as its card shows it: the Share itself (the template writes its dates), its links,
    its QR code, and whether it still opens."""
    links = share_as_dict(share)
    works = link_works(share, key)
    return {
        "share": share,
        "url": links["url"],
        "pdf_url": links["pdf_url"],
        "qr": qr_svg(links["url"]),
        "open": is_open(share, now) and works,
        "key_changed": not works,
    }
