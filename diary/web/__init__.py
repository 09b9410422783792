"""Request plumbing every feature shares: security headers, rate limits, errors, languages, compression, URL converters, links."""
