"""Incident metrics and action follow-through, computed from records.

Everything here except `inputs` is a pure function of records, config, a
window, today's date and a map of when files last changed: no git, no printing.
"""
