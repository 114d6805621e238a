"""A bad local file or setting found at start: the one line that names it, and what can be done.

``LocalProblemScreen(problem, move_aside=True)`` is shown for a damaged drafts
file (F2 renames it aside, keeping every byte, and starts with an empty one);
``continue_on_defaults=True`` for a settings mistake (F3 runs on the defaults).
F10 quits: the app then ends with exit code 2 and the same line on stderr.
Nothing is changed until the rep chooses.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from nymble_desk.startup_errors import LocalProblem
from nymble_desk.tui.keymap import LOCAL_PROBLEM_BINDINGS
from nymble_desk.tui.widgets.fit_footer import FitFooter

Choice = str  # "move-aside" | "continue"


class LocalProblemScreen(Screen[Choice]):
    CSS_PATH = "local_problem.tcss"
    BINDINGS = LOCAL_PROBLEM_BINDINGS
    TITLE = "Problem"

    def __init__(self, problem: LocalProblem, *, move_aside: bool = False, continue_on_defaults: bool = False) -> None:
        super().__init__()
        self.problem = problem
        self.offers = {"move-aside": move_aside, "continue": continue_on_defaults}

    def compose(self) -> ComposeResult:
        with Vertical(id="problem-box"):
            yield Static(self.problem.subject, id="problem-subject", markup=False)
            yield Static(self.problem.what, id="problem-what", markup=False)
            yield Static(self.problem.fix, id="problem-fix", markup=False)
            keys = []
            if self.offers["move-aside"]:
                keys.append("F2  move the file aside (kept as it is) and start with no drafts")
            if self.offers["continue"]:
                keys.append("F3  continue on the default settings for this session")
            keys.append("F10 quit and fix it first")
            yield Static("\n".join(keys), id="problem-keys", markup=False)
        yield FitFooter(show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters:
            return self.offers.get(str(parameters[0]), False)
        return True

    def action_choose(self, choice: str) -> None:
        if self.offers.get(choice):
            self.dismiss(choice)
