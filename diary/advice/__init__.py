"""The advice library and the tips engine: items, rules, reasons, warning signs and today's tips."""
