"""Helpers for the quality checks on a built site (links, HTML, headers)."""
