#!/usr/bin/env python3
"""Full-page phone screenshots (360×740) of every page, light and dark, into docs/screenshots/,
and the midwife report as a phone, an A4-wide browser and the PDF's first page show it.

    .venv/bin/python scripts/screenshots.py                 # starts its own server on a temp database
    .venv/bin/python scripts/screenshots.py --base-url URL  # a running server on this DATABASE_URL
    .venv/bin/python scripts/screenshots.py --only log,settings  # only these shots (names without -light/-dark)

The demo diarist (shots@example.dk, 60 days) is made with `manage.py demo`; she logs in
through the login form like anyone else, saves her own numbers and makes one report link. A
second diarist (varsel@example.dk) wrote today that a leg is numb: her log page shows the
red-flag tip with her numbers as one-tap calls. For the log page before today is logged
("log-yesterday", and "log-filled": one 360 × 740 screen after "Same as yesterday") the demo
diarist's today is taken away and put back; "log-empty" is a newcomer. Chromium runs with the
browser tests' phone settings (360 px, da-DK) and in Danish itself, so date fields read
03.11.2026 (Debian's chromium-l10n package). The PDF page is drawn by `pdftoppm`
(poppler-utils). Only 127.0.0.1 is spoken to.
"""

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.browser.phone import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402  (one phone, as the tests use it)
from tests.support.pgcluster import free_port  # noqa: E402

A4_SCREEN = {"width": 794, "height": 1123}  # CSS px of an A4 sheet at 96 dpi
# Chromium on Linux takes its own language (which date fields follow, whatever the page's
# locale) from LANGUAGE, and needs that language's pack from chromium-l10n.
LANGUAGE = PHONE["locale"].split("-")[0]
LANGUAGE_PACK = Path("/usr/lib/chromium/locales") / f"{LANGUAGE}.pak"  # where Debian keeps them
PDF_DPI = 100
EMAIL = "shots@example.dk"
RED_FLAG_EMAIL = "varsel@example.dk"
NUMBERS = {"maternity_phone": "35 45 12 34", "doctor_phone": "70 11 31 31"}  # made-up Danish numbers
REPORT_SHOTS = ("report-phone", "report-a4", "report-pdf-page1", "report-pdf-page2")
PASSWORD = "skærmbilleder til dokumentationen"


def manage(env: dict, *args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO_ROOT, env=env, input=stdin, text=True, check=True
    )


def start_server(env: dict, port: int) -> subprocess.Popen:
    manage(env, "init-db")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped with exit code {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.05)
    server.terminate()
    raise SystemExit("the server did not answer")


def log_in(page, base_url: str, email: str = EMAIL) -> None:
    page.goto(base_url + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").click()


def save_numbers(page, base_url: str) -> None:
    """Her maternity reception's and her doctor's numbers, saved through the settings form."""
    page.goto(base_url + "/settings")
    for name, number in NUMBERS.items():
        page.fill(f"#phones-{name}", number)
    with page.expect_navigation():
        page.locator("#phone-numbers button[type=submit]").click()


def log_red_flag_today(page, base_url: str) -> None:
    """Today's entry says a leg is numb: a red flag, so the warning signs lead the tips."""
    page.goto(base_url + "/")
    headers = {"X-CSRFToken": page.locator('meta[name="csrf-token"]').get_attribute("content")}
    today = page.request.get(base_url + "/api/v1/entries").json()["entries"][-1]["date"]
    body = {
        "pain": 4,
        "locations": ["lower_back", "si_left"],
        "sensations": ["numbness", "aching"],
        "night_wakings": 1,
    }
    response = page.request.put(f"{base_url}/api/v1/entries/{today}", data=body, headers=headers)
    if response.status != 200:
        raise SystemExit(f"could not log the red flag: {response.status} {response.text()}")


def logged_day(page, base_url: str) -> date:
    """A logged earlier day (the most recent before today)."""
    href = page.request.get(base_url + "/api/v1/entries").json()["entries"][-2]["date"]
    return date.fromisoformat(href)


def report_link(page, base_url: str) -> str:
    """The demo diarist's open report link. If she has none, one is made (last four weeks, with
    her notes, which start page two), after an earlier two-week link that she revoked, so the
    shares page shows both."""
    shares = page.request.get(base_url + "/api/v1/shares").json()["shares"]
    for share in shares:
        if not share["revoked"]:
            return share["url"]
    page.goto(base_url + "/shares")
    headers = {"X-CSRFToken": page.locator('meta[name="csrf-token"]').get_attribute("content")}
    today = date.fromisoformat(page.locator("#share-to").input_value())
    earlier = {
        "from": (today - timedelta(days=20)).isoformat(),
        "to": (today - timedelta(days=7)).isoformat(),
    }
    for body in (earlier, {"include_notes": True}):
        response = page.request.post(base_url + "/api/v1/shares", data=body, headers=headers)
        if response.status != 201:
            raise SystemExit(f"could not make a report link: {response.status} {response.text()}")
        if body is earlier:
            page.request.delete(f"{base_url}/api/v1/shares/{response.json()['id']}", headers=headers)
    return response.json()["url"]


def week_path(day: date) -> str:
    """The weekly page of the ISO week that holds a day."""
    year, week, _ = day.isocalendar()
    return f"/week/{year}-W{week:02d}"


def reset_path(env: dict) -> str:
    """A password-reset page as a mailed link opens it: a fresh one-hour link for the demo diarist."""
    from diary import create_app
    from diary.accounts.resets import issue_reset_token
    from diary.db import db
    from diary.models import User

    app = create_app({"DATABASE_URL": env["DATABASE_URL"]})
    with app.app_context(), db.connection_context():
        return f"/reset/{issue_reset_token(User.by_email(EMAIL))}"


def submit_log_without_pain(page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.locator("#edit-day > summary").click()  # today is saved: its form is behind "Edit"
    page.eval_on_selector_all("input[name=pain]", "radios => radios.forEach(r => { r.checked = false; })")
    with page.expect_navigation():  # the form's own POST, as without JavaScript
        page.eval_on_selector("#log-form", "form => form.submit()")


def register_newcomer(page, base_url: str) -> None:
    """A new diarist, 28 weeks along, with nothing logged: the log page as she first sees it."""
    page.goto(base_url + "/register")
    page.fill("#email", f"ny-{secrets.token_hex(4)}@example.dk")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").click()
    page.fill("#due_date", (date.today() + timedelta(weeks=12)).isoformat())
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").click()
    page.goto(base_url + "/")  # as she opens it next time, without the welcome's thank-you


def without_today(page, base_url: str, shots) -> None:
    """Run shots(page) on the log page as it is before today is logged and after yesterday is
    (the demo leaves some days out), then put both days back as they were, so that the other
    shots show the same diary."""
    headers = {"X-CSRFToken": page.locator('meta[name="csrf-token"]').get_attribute("content")}
    entries = page.request.get(base_url + "/api/v1/entries").json()["entries"]
    today = date.fromisoformat(page.locator("#log-form").get_attribute("data-day"))
    yesterday = today - timedelta(days=1)
    kept = {
        entry["date"]: entry
        for entry in entries
        if entry["date"] in (today.isoformat(), yesterday.isoformat())
    }
    typical = {"pain": 5, "locations": ["symphysis", "groin"], "triggers": ["walking", "getting_up"]}

    def put(day: date, body: dict) -> None:
        body = {name: value for name, value in body.items() if name not in ("date", "updated_at")}
        response = page.request.put(
            f"{base_url}/api/v1/entries/{day.isoformat()}", data=body, headers=headers
        )
        if response.status not in (200, 201):
            raise SystemExit(f"could not put {day}: {response.status} {response.text()}")

    page.request.delete(f"{base_url}/api/v1/entries/{today.isoformat()}", headers=headers)
    if yesterday.isoformat() not in kept:
        put(yesterday, typical)
    try:
        page.goto(base_url + "/")
        shots(page)
    finally:
        for day in (today, yesterday):
            if day.isoformat() in kept:
                put(day, kept[day.isoformat()])
            else:
                page.request.delete(f"{base_url}/api/v1/entries/{day.isoformat()}", headers=headers)


def make_link_from_the_form(page, base_url: str) -> None:
    """Make a report link on the shares page: she lands on it, its QR code first."""
    page.goto(base_url + "/shares")
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").click()


def submit_empty_register(page, base_url: str) -> None:
    page.goto(base_url + "/register")
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").click()


def submit_wrong_current_password(page, base_url: str) -> None:
    """The settings' password form with a wrong current password: the page opens at its summary."""
    page.goto(base_url + "/settings")
    section = page.locator("#password")
    section.get_by_label("Nuværende adgangskode").fill("ikke min adgangskode")
    section.get_by_label("Ny adgangskode").fill("et helt nyt og langt kodeord")
    with page.expect_navigation():
        section.get_by_role("button", name="Skift adgangskode").click()


def save_settings_unchanged(page, base_url: str) -> None:
    """The settings' first form saved as it is: the page opens at its confirmation."""
    page.goto(base_url + "/settings")
    with page.expect_navigation():
        page.locator("#profile").get_by_role("button", name="Gem indstillinger").click()


def shoot(browser, base_url: str, out: Path, scheme: str, states: dict, reset: str, wanted) -> list[Path]:
    saved = []

    def save(page, name: str) -> None:
        """The whole page as one tall phone screen, so the fixed tab bar sits at its foot."""
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready")
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size(
            {"width": PHONE["viewport"]["width"], "height": max(height, PHONE["viewport"]["height"])}
        )
        path = out / f"{name}-{scheme}.png"
        page.screenshot(path=str(path), animations="disabled")
        page.set_viewport_size(PHONE["viewport"])
        saved.append(path)

    def visit(page, pages, actions=()) -> None:
        """Shoot the wanted pages by path, then those reached by an action (name, action(page, base_url))."""
        for name, path in pages:
            if wanted(name):
                page.goto(base_url + path)
                save(page, name)
        for name, action in actions:
            if wanted(name):
                action(page, base_url)
                save(page, name)

    anonymous = browser.new_context(**PHONE, color_scheme=scheme)
    page = anonymous.new_page()
    anonymous_pages = (
        ("landing", "/"),
        ("login", "/login"),
        ("register", "/register"),
        ("forgot", "/forgot"),
        ("reset", reset),
        ("privacy", "/privacy"),
    )
    visit(page, anonymous_pages, [("register-errors", submit_empty_register)])
    anonymous.close()

    if wanted("log-empty"):
        newcomer = browser.new_context(**PHONE, color_scheme=scheme)
        visit(newcomer.new_page(), [], [("log-empty", register_newcomer)])
        newcomer.close()

    context = browser.new_context(**PHONE, color_scheme=scheme, storage_state=states[RED_FLAG_EMAIL])
    visit(context.new_page(), [("log-red-flag", "/")])
    context.close()

    context = browser.new_context(**PHONE, color_scheme=scheme, storage_state=states[EMAIL])
    page = context.new_page()
    day = logged_day(page, base_url)
    pages = (
        ("log", "/"),
        ("welcome", "/welcome"),
        ("day", f"/entries/{day.isoformat()}"),
        ("delete", f"/entries/{day.isoformat()}/delete"),
        ("history", "/history"),
        ("week", "/week"),
        ("checkin", "/checkin"),
        ("week-empty", week_path(day - timedelta(weeks=12))),  # before the demo diary began
        ("advice", "/advice"),
        ("advice-search", "/advice?q=trappe"),
        ("advice-item", "/advice/stairs"),
        ("warning-signs", "/advice/warning-signs"),
        ("settings", "/settings"),
        ("shares", "/shares"),
        ("install", "/install"),
        ("offline-page", "/offline"),
        ("not-found", "/no-such-page"),
    )
    visit(
        page,
        pages,
        [
            ("log-errors", submit_log_without_pain),
            ("settings-error", submit_wrong_current_password),
            ("settings-saved", save_settings_unchanged),
            ("share-made", make_link_from_the_form),
        ],
    )
    if wanted("settings-error-screen"):  # the one screen she sees as the page opens, not the whole page
        submit_wrong_current_password(page, base_url)
        page.wait_for_load_state("load")
        page.screenshot(path=str(out / f"settings-error-screen-{scheme}.png"), animations="disabled")
        saved.append(out / f"settings-error-screen-{scheme}.png")
    if wanted("settings-reminder"):
        # The reminder's card as she sees it on the settings page, with the saved-reminder message.
        page.goto(base_url + "/settings")
        page.locator("#reminder-enabled").check()
        page.fill("#reminder-time", "20:30")
        page.fill("#reminder-timezone", "Europe/Copenhagen")
        with page.expect_navigation():
            page.locator("#reminder button[type=submit]").click()
        page.evaluate("document.fonts.ready")
        path = out / f"settings-reminder-{scheme}.png"
        page.locator("#reminder").screenshot(path=str(path), animations="disabled")
        saved.append(path)
    if wanted("log-yesterday") or wanted("log-filled"):

        def same_as_yesterday(page) -> None:
            """Offered, then tapped: the one screen of a typical day, filled and ready to save."""
            if wanted("log-yesterday"):
                save(page, "log-yesterday")
            page.locator("#like-yesterday-button").dispatch_event("click")  # where it is: no scrolling
            if wanted("log-filled"):
                page.screenshot(path=str(out / f"log-filled-{scheme}.png"), animations="disabled")
                saved.append(out / f"log-filled-{scheme}.png")

        page.goto(base_url + "/")
        without_today(page, base_url, same_as_yesterday)
    if wanted("week-insights"):
        page.goto(base_url + "/week")
        page.locator(".insights").screenshot(
            path=str(out / f"week-insights-{scheme}.png"), animations="disabled"
        )
        saved.append(out / f"week-insights-{scheme}.png")
    if wanted("log-top"):
        page.goto(base_url + "/")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(out / f"log-top-{scheme}.png"), animations="disabled")
        saved.append(out / f"log-top-{scheme}.png")
    context.close()
    return saved


def shoot_report(browser, link: str, out: Path) -> list[Path]:
    """The report as the midwife sees it, without an account: phone, A4-wide screen, PDF page one."""
    saved = []
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.goto(link)
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": PHONE["viewport"]["width"], "height": height})
    page.screenshot(path=str(out / "report-phone.png"), animations="disabled")
    saved.append(out / "report-phone.png")
    response = page.request.get(link + ".pdf")
    if response.status != 200:
        raise SystemExit(f"the report's PDF answered {response.status}")
    pdf = response.body()
    phone.close()

    screen = browser.new_context(viewport=A4_SCREEN, locale=PHONE["locale"])
    page = screen.new_page()
    page.goto(link)
    page.screenshot(path=str(out / "report-a4.png"), full_page=True, animations="disabled")
    saved.append(out / "report-a4.png")
    screen.close()

    with tempfile.TemporaryDirectory() as folder:
        pdf_path = Path(folder) / "report.pdf"
        pdf_path.write_bytes(pdf)
        for number in (1, 2):  # page one stands alone; her notes start page two
            name = f"report-pdf-page{number}"
            subprocess.run(
                ["pdftoppm", "-r", str(PDF_DPI), "-png", "-f", str(number), "-l", str(number), "-singlefile"]
                + [str(pdf_path), str(out / name)],
                check=True,
            )
            saved.append(out / f"{name}.png")
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a running server (the demo user is made on DATABASE_URL)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--only",
        type=lambda text: {name.strip() for name in text.split(",") if name.strip()},
        help="comma-separated shot names, e.g. log,log-red-flag,settings,warning-signs (default: all)",
    )
    args = parser.parse_args()

    def wanted(name: str) -> bool:
        return args.only is None or name in args.only

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium package")
    if not LANGUAGE_PACK.exists():
        raise SystemExit(
            f"{LANGUAGE_PACK} is missing: install Debian's chromium-l10n package (date fields in {LANGUAGE})"
        )
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is missing: install Debian's poppler-utils package")
    args.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ)
        server = None
        if args.base_url:
            base_url = args.base_url.rstrip("/")
        else:
            env |= {
                "DATABASE_URL": f"sqlite:///{folder}/screenshots.sqlite3",
                "SECRET_KEY": secrets.token_hex(20),
            }
            port = free_port()
            server = start_server(env, port)
            base_url = f"http://127.0.0.1:{port}"
        try:
            manage(env, "demo", EMAIL, "--days", "60", stdin=PASSWORD + "\n")
            manage(env, "demo", RED_FLAG_EMAIL, "--days", "14", stdin=PASSWORD + "\n")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=os.environ | {"LANGUAGE": LANGUAGE}
                )
                states = {}
                for email in (EMAIL, RED_FLAG_EMAIL):
                    context = browser.new_context(**PHONE)
                    page = context.new_page()
                    log_in(page, base_url, email)
                    save_numbers(page, base_url)
                    if email == EMAIL:
                        link = report_link(page, base_url)
                    else:
                        log_red_flag_today(page, base_url)
                    states[email] = context.storage_state()
                    context.close()
                saved = shoot_report(browser, link, args.out) if any(map(wanted, REPORT_SHOTS)) else []
                reset = reset_path(env)
                for scheme in ("light", "dark"):
                    saved += shoot(browser, base_url, args.out, scheme, states, reset, wanted)
                browser.close()
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=10)
    for path in saved:
        print(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)


if __name__ == "__main__":
    main()
