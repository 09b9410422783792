"""Sharing with a midwife: the shares page, and the report at /r/<token> (HTML and PDF)."""

from datetime import date
from pathlib import Path

import segno
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date, gettext
from flask_login import current_user, login_required
from markupsafe import Markup

from .chart import daily_chart
from .clock import local_today
from .entries import entries_between
from .limits import limiter, report_limit
from .links import external_url
from .models import Share, User, utc_now
from .pdf import render_pdf
from .report_model import build_report
from .shares import (
    DEFAULT_EXPIRY_DAYS,
    MAX_EXPIRY_DAYS,
    count_view,
    create_share,
    default_period,
    find_share,
    form_to_share,
    is_open,
    revoke,
    share_facts,
    validate_share,
)
from .share_tokens import token_for
from .validation import InvalidEntry

bp = Blueprint("reports", __name__)

REPORT_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}


def share_token(share: Share) -> str:
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
    return Markup(code.svg_inline(scale=5, border=4, dark="#000", light="#fff", svgclass="qr-code", omitsize=True))


@bp.route("/shares", methods=["GET", "POST"])
@login_required
def shares_page():
    today = local_today()
    errors, values = {}, {}
    if request.method == "POST":
        values = form_to_share(request.form)
        try:
            clean = validate_share(values, today)
        except InvalidEntry as invalid:
            errors = {field: gettext(message) for field, message in invalid.errors.items()}
        else:
            create_share(current_user, clean, current_app.config["SECRET_KEY"])
            flash(gettext("The report link is ready. Show the QR code or send the link to your midwife."), "success")
            return redirect(url_for("reports.shares_page"))
    start, end = default_period(today)
    shares = []
    for share in Share.of(current_user).order_by(Share.created_at.desc()):
        shown = share_as_dict(share)
        shares.append(shown | {"qr": qr_svg(shown["url"]), "open": is_open(share, utc_now())})
    return render_template(
        "shares.html",
        shares=shares,
        errors=errors,
        values={"from": start.isoformat(), "to": end.isoformat(), "expires_in_days": DEFAULT_EXPIRY_DAYS,
                "include_notes": False} | values,
        today=today,
        max_expiry=MAX_EXPIRY_DAYS,
    ), 400 if errors else 200


@bp.post("/shares/<int(max=2147483647):share_id>/revoke")
@login_required
def revoke_share(share_id: int):
    if not revoke(current_user, share_id):
        abort(404)
    flash(gettext("The link is revoked. Nobody can open the report with it any more."), "success")
    return redirect(url_for("reports.shares_page"))


def open_share_or_abort(token: str) -> Share:
    """The share behind a token, counted as viewed; 404 if unknown, 410 if closed.

    The diarist opening her own report (to check it, or to download the PDF) is not counted:
    the count tells her whether the midwife has looked.
    """
    share = find_share(token)
    if share is None:
        abort(404)
    now = utc_now()
    if not is_open(share, now):
        abort(410)
    if not (current_user.is_authenticated and current_user.id == share.user_id):
        count_view(share, now)
    return share


def report_html(share: Share, for_pdf: bool) -> str:
    """The report page in the diarist's language."""
    owner = User.get_by_id(share.user_id)
    entries = entries_between(owner, share.start, share.end)
    report = build_report(
        entries, share.start, share.end, name=owner.display_name, due_date=owner.due_date,
        birth_date=owner.birth_date, include_notes=share.include_notes, made_on=local_today(),
    )
    with force_locale(owner.language):
        labels = [_chart_label(day["date"], index, len(report.days)) for index, day in enumerate(report.days)]
        chart = daily_chart(report.days, labels, width=680, height=140)
        return render_template("report.html", report=report, chart=chart, for_pdf=for_pdf, language=owner.language)


def _chart_label(day: date, index: int, count: int) -> str:
    every = 1 if count <= 10 else 7
    return format_date(day, "d/M") if index % every == 0 else ""


@bp.after_request
def _report_headers(response: Response) -> Response:
    """No referrer, no indexing, no caching for report pages, their errors included."""
    if request.endpoint in ("reports.report", "reports.report_pdf"):
        response.headers.update(REPORT_HEADERS)
    return response


@bp.get("/r/<token>")
@limiter.limit(report_limit)
def report(token: str):
    share = open_share_or_abort(token)
    return report_html(share, for_pdf=False)


@bp.get("/r/<token>.pdf")
@limiter.limit(report_limit)
def report_pdf(token: str):
    share = open_share_or_abort(token)
    pdf = render_pdf(
        report_html(share, for_pdf=True),
        base_url=request.url_root,
        static_folder=Path(current_app.static_folder),
        static_url_path=current_app.static_url_path,
    )
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="baekkendagbog-{share.start}-{share.end}.pdf"'
    return response
