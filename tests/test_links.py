"""Reading a link's address (`app.links.parse`): what a shared answer's URL carries, and that
anything malformed reads as no link rather than an error (an address is typed by anyone)."""

from __future__ import annotations

from app.links import MAX_LINK, Link, parse


def test_a_link_carries_the_paper_the_question_and_the_passage():
    got = parse("?paper=tea-and-exile&q=How+many+growers%3F#p4-s2-c17")
    assert got == Link("tea-and-exile", "How many growers?", "p4-s2-c17") and not got.empty


def test_a_bare_address_or_a_paper_alone():
    assert parse("").empty and parse(None).empty and parse("#").empty
    assert parse("?paper=bundled") == Link("bundled", None, None)


def test_malformed_parts_are_left_out_not_raised():
    assert parse("?q=x#<script>alert(1)</script>").passage is None  # not a passage id
    assert parse("?q=%zz&paper=").question == "%zz" and parse("?paper=").paper is None
    assert parse("?q=" + "a" * (2 * MAX_LINK)).question == "a" * (MAX_LINK - 3)  # cut, read
    assert parse("?" + "&".join(f"x{i}=1" for i in range(100))).empty  # too many fields: none
