"""Checks: plain functions from records (and config) to problems."""
