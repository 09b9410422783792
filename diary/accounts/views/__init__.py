"""The account pages: getting in and out (auth.py), and her settings (settings.py)."""
