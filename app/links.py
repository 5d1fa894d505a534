"""Links to an answer: the page's address carries the paper, the question and the open passage
(`?paper=NAME&q=QUESTION#p4-s2-c17`), so an answer can be shared, bookmarked and reached
again with Back and Forward.

`parse(text)` reads the query and fragment the browser sends (`location.search` +
`location.hash`, at most `MAX_LINK` characters) into a `Link`; anything malformed reads as no
link, never an error: an address is typed by anyone. `PUSH_JS`, `NAV_JS` and `FOLLOW_JS` are
the browser's side (write the address after a question, ask again on Back and Forward,
scroll to the linked passage). The handlers that show a link are `library_view.Shelf`'s.
Leaves out answering (`Shelf.ask`) and the layout (`web`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs

MAX_LINK = 4000  # characters of query and fragment read; a question is at most 1,000
PASSAGE = re.compile(r"^p\d{1,5}(?:-[a-z]?\d{1,6}){1,4}$")  # a passage id: p4-s2-c17


@dataclass(frozen=True)
class Link:
    paper: str | None = None
    question: str | None = None
    passage: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.paper or self.question or self.passage)


def parse(text: str | None) -> Link:
    """The link in `?paper=...&q=...#passage`; unknown or malformed parts are left out."""
    if not isinstance(text, str):
        return Link()
    text = text[:MAX_LINK]
    query, _, fragment = text.partition("#")
    try:
        fields = parse_qs(query.lstrip("?"), keep_blank_values=False, max_num_fields=8)
    except ValueError:  # more fields than any link of ours has
        return Link()

    def one(name: str) -> str | None:
        got = fields.get(name) or [None]
        value = got[0]
        return value.strip() or None if isinstance(value, str) else None

    passage = fragment.strip()
    return Link(one("paper"), one("q"), passage if PASSAGE.match(passage) else None)


# After a question is asked: its paper and question in the address, as a new history entry.
PUSH_JS = """(q, paper) => {
  if (!q || !q.trim()) return;
  const u = new URL(location.href);
  u.search = ''; u.searchParams.set('paper', paper); u.searchParams.set('q', q); u.hash = '';
  if (u.href !== location.href) history.pushState(null, '', u.href);
}"""

# After a paper is picked: the address names it alone.
PICK_JS = """(paper) => {
  const u = new URL(location.href);
  u.search = ''; u.searchParams.set('paper', paper); u.hash = '';
  if (u.href !== location.href) history.pushState(null, '', u.href);
}"""

# On load: Back and Forward press the hidden navigation button (once per page); the address
# goes to the server as the handler's input.
NAV_JS = """(x) => {
  if (!window.__fnNav) {
    window.__fnNav = true;
    addEventListener('popstate', () => document.getElementById('fn-nav')?.click());
  }
  return [location.search + location.hash];
}"""

# After a link is shown: the linked passage scrolled into view (its card, else the Paper view).
FOLLOW_JS = """() => {
  let tries = 0;
  const go = () => {
    const card = document.querySelector('#answer-view .card.linked');
    const hl = document.querySelector('#paper-view .hl');
    if (card && card.offsetParent !== null) { card.scrollIntoView({block: 'center'}); return; }
    if (!card && location.hash && hl && hl.offsetParent !== null) {
      hl.scrollIntoView({block: 'center'}); return;
    }
    if (tries++ < 40) setTimeout(go, 100);
  };
  if (location.hash) go();
}"""
