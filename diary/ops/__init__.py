"""Running the app: the manage.py commands, schema migrations, backups and demo data."""
