"""The one line a pasted batch (or the order guide's lines) leaves in the cart's entry field."""

from __future__ import annotations

from nymble_desk.tui.cart_entries import EntryOutcome, batch_summary


def test_one_line_is_one_line_not_one_lines() -> None:
    assert batch_summary([EntryOutcome("WDG-BLU-L*2", None)]) == "1 line: 1 added, 0 merged, 0 refused"


def test_a_batch_counts_added_merged_and_names_the_refused() -> None:
    batch = [EntryOutcome("WDG-BLU-L*2", None), EntryOutcome("WDG-RED-M", None, merged=True),
             EntryOutcome("NOPE*3", "No product NOPE")]
    text = batch_summary(batch)
    assert text.startswith("! 3 lines: 1 added, 1 merged, 1 refused (NOPE*3: No product NOPE)"), text
