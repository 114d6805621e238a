"""Reusable widgets, styles in DEFAULT_CSS."""
