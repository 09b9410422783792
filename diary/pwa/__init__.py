"""The installable app: manifest, service worker, offline page and fingerprinted static files."""
