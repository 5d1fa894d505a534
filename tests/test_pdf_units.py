"""The PDF ingest's pure stages on tiny inline glyphs: lines, columns, zones, joins, links."""

from ingest.layout import Heading
from ingest.pdf.blocks import _Para, join_lines, paragraph_starts
from ingest.pdf.lines import Line, dedupe, gutter, make_line, page_lines, rows
from ingest.pdf.links import _Links, number_marks
from ingest.pdf.read import Glyph
from ingest.pdf.zones import fill_labels, page_number, running, zone_start


def word(text: str, x: float, bottom: float = 100.0, size: float = 10.0, raised: float = 0.0,
         font: str = "Times-Roman") -> list[Glyph]:
    """One glyph a character, 0.5 em wide, on a baseline `raised` points up."""
    out, w = [], size * 0.5
    for i, ch in enumerate(text):
        b = bottom - raised
        out.append(Glyph(ch, x + i * w, x + (i + 1) * w, b - size, b, size, font, False))
    return out


def line_of(*parts: tuple[str, float], bottom: float = 100.0) -> list[Glyph]:
    return [g for text, x in parts for g in word(text, x, bottom)]


def test_a_raised_number_after_a_word_is_a_marker_and_leaves_no_digit():
    regular = word("war.", 0) + word("In", 24)
    raised = word("2", 20.2, size=6.5, raised=4)
    line = make_line(1, 0, regular, raised)
    assert line.text == "war. In" and line.marks == ((4, "2"),) and line.exponents == ()


def test_raised_digits_glued_to_a_digit_wait_for_the_footnotes_to_decide():
    line = make_line(1, 0, word("10", 0) + word("people", 20), word("3", 10.1, 6.5, raised=4))
    assert line.text == "10 people" and line.exponents == ((2, "3"),) and line.marks == ()
    lead = make_line(1, 0, word("Kim,", 5) + word("Mike.", 30), word("1", 0, 6.5, raised=3))
    assert lead.lead == "1" and lead.text == "Kim, Mike."


def test_glyphs_printed_twice_count_once_and_rows_follow_baselines():
    glyphs = word("Hanawon", 0) + word("Hanawon", 0.2) + word("next", 0, bottom=112)
    kept = dedupe(tuple(glyphs))
    assert len(kept) == 7 + 4
    assert ["".join(g.text for g in r) for r in rows(kept)] == ["Hanawon", "next"]


def test_two_columns_are_found_by_their_gutter_and_read_left_first():
    glyphs = []
    for n in range(10):
        glyphs += line_of(("left" + "x" * 30, 0), bottom=100 + 12 * n)
        glyphs += line_of(("right" + "y" * 30, 200), bottom=100 + 12 * n + 3)
    grouped = rows(glyphs)
    assert gutter(grouped, 10.0) is not None
    lines = page_lines(1, tuple(glyphs), 10.0)
    assert [x.column for x in lines] == [1] * 10 + [2] * 10
    single = rows([g for n in range(10) for g in line_of(("full" + "z" * 70, 0),
                                                          bottom=100 + 12 * n)])
    assert gutter(single, 10.0) is None


def test_printed_page_numbers_and_running_headers():
    assert page_number(Line(1, "12 CHAPTER 1. INTRODUCTION", 0, 1, 0, 1, 9, False, ())) == "12"
    assert page_number(Line(1, "Page 3 of 10", 0, 1, 0, 1, 9, False, ())) == "3"
    assert page_number(Line(1, "iv", 0, 1, 0, 1, 9, False, ())) == "iv"
    assert fill_labels(["iii", None, "5", None]) == ("iii", "2", "5", "6")

    def page(n: int) -> list[Line]:
        return [Line(n, "Journal of Studies", 72, 300, 40, 50, 9, False, ()),
                *[Line(n, f"body text line {k}", 72, 540, 100 + 12 * k, 110 + 12 * k, 10, False,
                       ()) for k in range(5)],
                Line(n, str(40 + n), 300, 310, 740, 750, 9, False, ())]

    pages = [page(n) for n in range(1, 4)]
    ids, labels = running(pages)
    assert labels == ["41", "42", "43"]
    assert all(len(i) == 2 for i in ids)  # the header and the page number, nothing else


def test_a_footnote_zone_starts_under_a_short_rule_or_at_a_raised_mark():
    from ingest.pdf.read import Rule

    body = [Line(1, f"text {k}", 72, 540, 100 + 12 * k, 110 + 12 * k, 10, False, ())
            for k in range(5)]
    notes = [Line(1, "Kim, Mike.", 72, 400, 170, 178, 8, False, (), lead="1"),
             Line(1, "continued here.", 72, 300, 180, 188, 8, False, ())]
    assert zone_start(body + notes, (), 10.0, True) == 5
    assert zone_start(body + notes[1:], (Rule(72, 250, 167),), 10.0, True) == 5
    assert zone_start(body + notes[1:], (), 10.0, True) == 6  # small text, no mark, no rule
    assert zone_start(body + notes, (Rule(72, 540, 167),), 10.0, True) == 5  # by its mark


def test_lines_join_across_hyphens_urls_and_soft_hyphens():
    vocab = {"assimilation", "well-known"}
    assert join_lines("found assim-", "ilation slow", vocab)[0] == "found assimilation slow"
    assert join_lines("the Soviet-", "controlled North", vocab)[0] == \
        "the Soviet-controlled North"
    assert join_lines("a well-", "known school", vocab)[0] == "a well-known school"
    assert join_lines("from 1953-", "1991 on", vocab)[0] == "from 1953-1991 on"
    assert join_lines("see https://owl.", "purdue.edu/owl", vocab)[0] == \
        "see https://owl.purdue.edu/owl"
    assert join_lines("hyphen\u00ad", "ation", vocab) == ("hyphenation", 6)
    assert join_lines("two", "words", vocab) == ("two words", 4)


def test_paragraphs_start_at_indents_gaps_and_after_a_short_indented_line():
    def at(x0: float, k: int, x1: float = 540, gap: float = 0) -> Line:
        return Line(1, "words", x0, x1, 100 + 12 * k + gap, 110 + 12 * k + gap, 10, False, ())

    lines = [at(87, 0), at(72, 1), at(72, 2, x1=300), at(87, 3, x1=200), at(87, 4),
             at(72, 5), at(72, 6, gap=20)]
    assert paragraph_starts(lines, 10.0) == [True, False, False, True, True, False, True]


def test_markers_link_per_page_numbers_repeat_and_stray_symbols_drop():
    entries = [("1", 1, "First page note."), ("1", 2, "Second page note."),
               ("*", 2, "Star note.")]
    paras = [_Para("Alpha one. Beta two. Gamma.",
                   markers=[(10, "1", 1), (20, "1", 2), (27, "*", 2), (5, "\u2021", 2)],
                   page_marks=[(0, 1), (15, 2)]),
             _Para("Since 1987 it was so.", page_marks=[(0, 2)], exponents=[(10, "3", 2)])]
    blocks, notes = number_marks([Heading("Intro", 1), *paras], entries)
    assert [(n.number, n.mark, n.text) for n in notes] == [
        (1, "", "First page note."), (2, "1", "Second page note."), (3, "*", "Star note.")]
    assert blocks[1].markers == ((10, 1), (20, 2), (27, 3))  # the stray double dagger dropped
    assert blocks[2].text == "Since 1987\u00b3 it was so." and blocks[2].markers == ()
    links = _Links([("3", 5, "Note three.")])
    assert links.unclaimed("3", 5) and links.link("3", 5) == 3 and links.spent("3", 5)
