"""The Textual user interface of nymble-desk (imports no httpx; the sandbox only lazily)."""
