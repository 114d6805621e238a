"""nymble-desk: keyboard-first B2B order entry against the Nymble Commerce API."""

__version__ = "0.1.0"
