"""The installable app: manifest, service worker, offline page and versioned static files."""
