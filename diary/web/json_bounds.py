"""The bound on JSON the app reads, from a request body or an import file: not too deep, only
Unicode text. No Flask here, so an import file is checked the same way outside a request."""

# No body the API takes is nested deeper than an export (object, entries, entry, codes: 4);
# anything much deeper is an attack on the parser or on code that walks the value.
MAX_JSON_DEPTH = 16


def check_json(value, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise ValueError if lists and objects nest deeper than limit, or a string is no Unicode
    text (a lone surrogate, which JSON's \\u escapes allow but no database can store)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            item.encode("utf-8")  # UnicodeEncodeError is a ValueError
        elif isinstance(item, (list, dict)):
            if depth > limit:
                raise ValueError("JSON nested too deeply")
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
