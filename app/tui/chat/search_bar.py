"""The chat's search bar: find text anywhere in the transcript shown, from the newest output back.

``ctrl+f`` anywhere in the chat, or ``/`` in the transcript (``chat.search``), opens a one-line bar
under the transcript. Typing searches at once (plain text, any case) through every block of the
transcript, mounted or not, that the transcript's filter admits (see
:mod:`app.api.transcript_search`), and shows the newest match: its block is brought on screen
(:meth:`~app.tui.chat.transcript_view.TranscriptView.reveal`; a tool call matched in its input or
output is expanded) and the occurrences are highlighted in the blocks on screen. The bar counts
from the newest match back: "1/17", or "no match". In the bar, ``enter`` / ``up`` go to the next
match (older) and ``shift+enter`` / ``down`` to the previous one (newer); in the transcript, ``n``
and ``N`` do the same while the search is open. ``escape`` closes it and clears the highlights,
leaving the transcript where it is. While the bar is open, new output (or another session or
thread shown) is counted again within :data:`RECOUNT_SECONDS`, keeping the current match and the
view where they are.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from app.api.transcript import Transcript
from app.api.transcript_search import Filter, Finder, Match
from app.tui.chat.transcript_view import FILTER_LABELS, TranscriptView

#: Fields whose match shows only in an expanded tool call (or unreadable event).
EXPANDS = frozenset({"input", "output", "denied", "raw"})
_HINT = "↑ older · ↓ newer · esc close"
#: At most one recount this often while new output arrives with the bar open.
RECOUNT_SECONDS = 0.5


class SearchBar(Horizontal):
    """Search the transcript of ``view``; hidden until :meth:`open`."""

    BINDINGS = [
        Binding("escape", "close", "Close search", id="search.close"),
        Binding("up", "step(1)", "Older match", id="search.older"),
        Binding("down,shift+enter", "step(-1)", "Newer match", id="search.newer"),
    ]

    def __init__(self, view: TranscriptView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._view = view
        self._finder = Finder()
        #: The matches, newest first, and the index of the current one.
        self._matches: list[Match] = []
        self._at = 0
        #: What the matches were found in: the transcript and its filter.
        self._searched: tuple[Transcript | None, Filter] = (None, "all")
        #: Where the focus was when the bar opened (it goes back there on close).
        self._came_from: Widget | None = None
        self._recount_timer: Timer | None = None
        self._input = Input(placeholder="Search the transcript", id="search-input")
        self._count = Static(id="search-count")
        self.display = False

    def compose(self) -> Iterator[Widget]:
        yield Static(Content("⌕"), id="search-glyph")
        yield self._input
        yield self._count

    @property
    def active(self) -> bool:
        """The bar is open."""
        return self.display

    @property
    def text(self) -> str:
        """What is searched for (not ``query``: that name is Textual's DOM query)."""
        return self._input.value

    @property
    def current(self) -> Match | None:
        """The current match, if any."""
        return self._matches[self._at] if self._matches else None

    def open(self) -> None:
        """Show the bar and put the cursor in it (the last query still searched for)."""
        focused = self.app.focused
        if not self.display:
            self._came_from = focused if focused is not self._input else None
            self.display = True
        self._input.focus()
        self._search()

    def action_close(self) -> None:
        """Close the bar and clear the highlights; the transcript stays where it is."""
        self.display = False
        if self._recount_timer is not None:
            self._recount_timer.stop()
            self._recount_timer = None
        self._input.value = ""
        self._matches, self._at = [], 0
        self._finder = Finder()  # its copy of the texts goes
        self._view.mark("", (), None)
        back = self._came_from
        (back if back is not None and back.is_attached else self._view).focus()

    def action_step(self, step: int) -> None:
        """Go to the next match back (1, older) or forward (-1, newer), round at the ends."""
        if self._searched != (self._view.transcript, self._view.only):
            self._search(keep=self.current)  # new output or a new filter since
        if self._matches:
            self._at = (self._at + step) % len(self._matches)
            self._show()

    def recount(self) -> None:
        """The transcript changed: count the matches again soon (see :data:`RECOUNT_SECONDS`)."""
        if self.display and self.text and self._recount_timer is None:
            self._recount_timer = self.set_timer(RECOUNT_SECONDS, self._recount)

    def _recount(self) -> None:
        self._recount_timer = None
        if self.display and self.text:
            self._search(keep=self.current, reveal=False)

    def refilter(self) -> None:
        """The transcript's filter changed: search again (from the newest match)."""
        if self.display:
            self._search()

    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._search()

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_step(1)

    def _search(self, keep: Match | None = None, *, reveal: bool = True) -> None:
        """Find the query again; the current match is ``keep`` when it is still found, else the
        newest; ``reveal`` brings it on screen."""
        view = self._view
        if view.transcript is not self._searched[0]:
            self._finder = Finder()  # another session or thread: the texts kept are of no use
        self._searched = (view.transcript, view.only)
        found = self._finder.find(view.transcript or (), self.text, view.only)
        found.reverse()
        self._matches = found
        self._at = found.index(keep) if keep is not None and keep in found else 0
        self._show(reveal=reveal)

    def _show(self, *, reveal: bool = True) -> None:
        """The count, the marks, and (with ``reveal``) the current match on screen."""
        view, current = self._view, self.current
        if not self.text:
            self._count.update(Content.styled(_HINT, "$text-muted"))
        elif current is None:
            self._count.update(Content.styled("no match", "$text-error"))
        else:
            where = f" in {FILTER_LABELS[view.only].removesuffix(' only')}" if view.only != "all" else ""
            self._count.update(Content(f"{self._at + 1}/{len(self._matches)}{where}"))
        self.set_class(bool(self.text) and current is None, "-none")
        if current is None:
            view.mark(self.text.lower(), (), None)
            return
        view.mark(self.text.lower(), {match.block_id for match in self._matches}, current.block_id)
        if reveal:
            view.reveal(current.block_id, expand=current.field in EXPANDS)
