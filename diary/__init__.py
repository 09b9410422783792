"""Bækkendagbog: a pain diary for pregnant people with pelvic girdle pain."""

from pathlib import Path

from flask import Flask

from diary import config
from diary.config import PROJECT_ROOT


def create_app(test_config: dict | None = None) -> Flask:
    """Create the app; settings come from the environment unless test_config is given."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    instance = Path(app.instance_path)
    if test_config is None:
        app.config.update(config.from_environment(instance))
    else:
        app.config.update(config.defaults_for_tests(instance))
        app.config.update(test_config)
    config.apply_policy(app.config)
    app.json.sort_keys = False  # keep the API's documented field order

    from diary import db
    from diary.accounts import sessions
    from diary.accounts.views import auth, settings
    from diary.advice import tips
    from diary.advice import views as advice
    from diary.api import views as api
    from diary.checkins import views as checkins
    from diary.entries.views import history, log
    from diary.pwa import static_files
    from diary.pwa import views as pwa
    from diary.reminders import views as reminders
    from diary.reports import views as reports
    from diary.summary import views as week
    from diary.web import compression, converters, errors, i18n, limits, outcomes, security

    converters.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    limits.init_app(app)
    advice.init_app(app)
    tips.init_app(app)
    checkins.init_app(app)
    static_files.init_app(app)
    compression.init_app(app)
    pwa.init_app(app)
    sessions.init_app(app)
    outcomes.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(settings.bp)
    app.register_blueprint(log.bp)
    app.register_blueprint(history.bp)
    app.register_blueprint(advice.bp)
    app.register_blueprint(week.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(checkins.bp)
    app.register_blueprint(pwa.bp)
    app.register_blueprint(reminders.bp)

    from diary.ops import cli

    cli.init_app(app)
    return app
