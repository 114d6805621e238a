"""The outbox runner and the Desk facade the TUI talks to (never imports Textual)."""
