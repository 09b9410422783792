"""Sharing with a midwife: the shares page, and the report at /r/<token> (HTML and PDF)."""

from datetime import date, timedelta
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date, gettext
from flask_login import current_user, login_required

from diary.advice.rules import Profile
from diary.checkins.store import trend_points
from diary.clock import local_today
from diary.entries.store import entries_between
from diary.entries.validation import InvalidEntry
from diary.models import Share, User, utc_now
from diary.reports.model import REPORT_INSIGHTS, TREND_MIN_DAYS, TREND_THRESHOLD, build_report
from diary.reports.pdf import PdfUnavailable
from diary.reports.pdf_render import RETRY_AFTER, PdfBusy, PdfFailed, cached_pdf, render_pdf
from diary.reports.safety import LOOKBACK_DAYS, SAFETY_LABELS, safety_days
from diary.reports.share_links import share_card
from diary.reports.shares import (
    DEFAULT_EXPIRY_DAYS,
    MAX_EXPIRY_DAYS,
    REPORT_NAME_MAX,
    clean_report_name,
    count_view,
    create_share,
    default_period,
    earliest_start,
    find_share,
    form_to_share,
    is_link_preview,
    is_open,
    revoke,
    validate_share,
)
from diary.summary.chart import period_chart
from diary.web.errors import translated
from diary.web.limits import limiter, report_limit

bp = Blueprint("reports", __name__)

CHART_LABEL_FORMATS = {"day": "d/M", "month": "LLL", "year": "yyyy"}

REPORT_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}


def my_share_or_404(share_id: int) -> Share:
    share = Share.of(current_user).where(Share.id == share_id).first()
    if share is None:
        abort(404)
    return share


@bp.route("/shares", methods=["GET", "POST"])
@login_required
def shares_page():
    today = local_today()
    earliest = earliest_start(current_user, today)
    errors, values = {}, {}
    if request.method == "POST":
        values = form_to_share(request.form) | {"display_name": request.form.get("display_name", "")}
        try:
            name = clean_report_name(values["display_name"])
            clean = validate_share({k: v for k, v in values.items() if k != "display_name"}, today, earliest)
        except InvalidEntry as invalid:
            errors = translated(invalid.errors)
        else:
            if name != current_user.display_name:  # the report is titled with it; settings show the same
                current_user.display_name = name
                current_user.save(only=[User.display_name])
            share, _ = create_share(current_user, clean, current_app.config["SECRET_KEY"])
            flash(
                gettext("The report link is ready. Show the QR code or send the link to your midwife."),
                "success",
            )
            return redirect(url_for("reports.share_page", share_id=share.id))
    start, end = default_period(today)
    now, key = utc_now(), current_app.config["SECRET_KEY"]
    cards = [
        share_card(share, now, key) for share in Share.of(current_user).order_by(Share.created_at.desc())
    ]
    return render_template(
        "reports/shares.html",
        cards=cards,
        errors=errors,
        values={
            "from": start.isoformat(),
            "to": end.isoformat(),
            "expires_in_days": DEFAULT_EXPIRY_DAYS,
            "include_notes": False,
            "display_name": current_user.display_name,
        }
        | values,
        today=today,
        earliest=earliest,
        max_expiry=MAX_EXPIRY_DAYS,
        name_max=REPORT_NAME_MAX,
    ), 400 if errors else 200


@bp.get("/shares/<id:share_id>")
@login_required
def share_page(share_id: int):
    """One report link, its QR code first: the page she lands on after making it, to show across the desk."""
    share = my_share_or_404(share_id)
    return render_template(
        "reports/share.html", card=share_card(share, utc_now(), current_app.config["SECRET_KEY"])
    )


@bp.route("/shares/<id:share_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_share(share_id: int):
    """Asks once (GET: are you sure?), then revokes (POST): works without JavaScript."""
    share = my_share_or_404(share_id)
    if request.method == "GET":
        return render_template(
            "reports/revoke.html", card=share_card(share, utc_now(), current_app.config["SECRET_KEY"])
        )
    if not revoke(current_user, share_id):
        abort(404)
    flash(gettext("The link is revoked. Nobody can open the report with it any more."), "success")
    return redirect(url_for("reports.shares_page"))


def is_a_reading(share: Share) -> bool:
    """Whether this request is someone reading the report, to be counted.

    The count tells the diarist whether the midwife has looked, so it leaves out the diarist
    checking her own link, HEAD requests, and chat apps fetching the link for a preview.
    """
    if request.method != "GET" or is_link_preview(request.user_agent.string):
        return False
    return not (current_user.is_authenticated and current_user.id == share.user_id)


def open_share_or_abort(token: str) -> Share:
    """The share behind a token, counted as viewed when read; 404 if unknown, 410 if closed."""
    share = find_share(token, current_app.config["SECRET_KEY"])
    if share is None:
        abort(404)
    now = utc_now()
    if not is_open(share, now):
        abort(410)
    if is_a_reading(share):
        count_view(share, now)
    return share


def report_html(share: Share, for_pdf: bool) -> str:
    """The report page in the diarist's language."""
    owner = User.get_by_id(share.user_id)
    # The safety rules look back four weeks from each day of the period.
    entries = entries_between(owner, share.start - timedelta(days=LOOKBACK_DAYS), share.end)
    profile = Profile(due_date=owner.due_date, birth_date=owner.birth_date)
    report = build_report(
        entries,
        share.start,
        share.end,
        name=owner.display_name,
        due_date=owner.due_date,
        birth_date=owner.birth_date,
        include_notes=share.include_notes,
        made_on=local_today(),
        checkins=trend_points(owner, share.start, share.end),
        safety=safety_days(current_app.extensions["rules"], entries, share.start, share.end, profile),
    )
    with force_locale(owner.language):
        # Wide for A4 and large screens; a phone gets a taller one it can read without zooming,
        # which paper never shows, so the PDF goes without it.
        chart = period_chart(report.days, _chart_label, width=520, height=100)
        phone_chart = None if for_pdf else period_chart(report.days, _chart_label, width=360, height=220)
        return render_template(
            "reports/report.html",
            report=report,
            chart=chart,
            phone_chart=phone_chart,
            for_pdf=for_pdf,
            language=owner.language,
            trend_threshold=TREND_THRESHOLD,
            trend_min_days=TREND_MIN_DAYS,
            safety_labels=SAFETY_LABELS,
            max_insights=REPORT_INSIGHTS,
        )


def _chart_label(day: date, unit: str) -> str:
    return format_date(day, CHART_LABEL_FORMATS[unit])


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
    html = report_html(share, for_pdf=True)
    options = {
        "base_url": request.url_root,
        "static_folder": Path(current_app.static_folder),
        "static_url_path": current_app.static_url_path,
    }
    try:
        pdf = cached_pdf(share.id, html, lambda: render_pdf(html, **options))
    except (PdfUnavailable, PdfFailed) as problem:
        if isinstance(problem, PdfUnavailable):
            current_app.logger.error("PDF reports need WeasyPrint and Debian's Pango: %s", problem)
        else:
            current_app.logger.error("The PDF of report %s was not made: %s", share.id, problem)
        abort(
            503,
            description=gettext(
                "This server cannot make PDFs at the moment. The report page itself works: open it and print it."
            ),
        )
    except PdfBusy as busy:
        current_app.logger.warning("PDF report not made: %s", busy)
        if busy.timed_out:
            message = gettext(
                "This report took too long to make as a PDF. The report page itself works: open it and print it."
            )
        else:
            message = gettext("Many reports are being made right now. Please try the PDF again in a minute.")
        return (
            render_template("error.html", status=503, message=message),
            503,
            {"Retry-After": str(RETRY_AFTER)},
        )
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="baekkendagbog-{share.start}-{share.end}.pdf"'
    )
    return response
