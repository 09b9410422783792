"""The daily entry: its codes and validation, storage, the log page, the history calendar and pregnancy weeks."""
