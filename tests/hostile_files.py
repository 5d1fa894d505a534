"""Hostile files made at test time: PDFs that are encrypted, damaged, too long, or a
decompression bomb (a small file whose page content inflates to a gigabyte)."""

from __future__ import annotations

import zlib

from tests.pdf_cases import Page, document


def flate_bomb(size: int) -> bytes:
    """A FlateDecode stream of one line of text and then `size` bytes of spaces."""
    c = zlib.compressobj(1)
    block = b" " * (1 << 22)
    out = [c.compress(b"BT /F1 12 Tf 72 720 Td (A page that hides a bomb.) Tj ET\n")]
    out += [c.compress(block) for _ in range(size >> 22)]
    return b"".join(out) + c.flush()


def bomb_pdf(size: int = 1 << 30) -> bytes:
    """A one-page PDF (about 4.7 MB for the default gigabyte) whose content stream inflates
    to `size` bytes."""
    stream = flate_bomb(size)
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                    b"/Resources << /Font << /F1 5 0 R >> >> >>",
                    b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
                    + b"\nendstream",
                    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 is the catalog), with a correct cross-reference table."""
    out, offsets = [b"%PDF-1.4\n"], []
    for i, body in enumerate(objects, start=1):
        offsets.append(sum(map(len, out)))
        out.append(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = sum(map(len, out))
    out.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out += [b"%010d 00000 n \n" % o for o in offsets]
    out.append(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
               % (len(objects) + 1, xref))
    return b"".join(out)


def slow_pdf(depth: int = 24) -> bytes:
    """A few KB whose page draws form 1 twice, form 1 draws form 2 twice, ...: 2^depth
    draws of a glyph, minutes of parsing, held only by the parse's limits."""
    content = b"BT /F1 12 Tf 72 720 Td (slow) Tj ET /X1 Do /X1 Do"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for level in range(1, depth + 1):
        draw = (b"BT /F1 9 Tf 1 0 0 1 10 10 Tm (x) Tj ET /X1 Do /X1 Do" if level < depth
                else b"BT /F1 9 Tf 10 10 Td (x) Tj ET")
        inner = b" /XObject << /X1 %d 0 R >>" % (7 + level - 1) if level < depth else b""
        objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources "
                       b"<< /Font << /F1 5 0 R >>" + inner + b" >> /Length %d >>\nstream\n"
                       % len(draw) + draw + b"\nendstream")
    return raw_pdf(objects)


def one_line(p: Page) -> None:
    p.line(["A", "page", "of", "text."])


def encrypted_pdf() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    return document([one_line], encrypt=StandardEncryption("secret", "owner"))


def long_pdf(pages: int = 501) -> bytes:
    return document([one_line] * pages)


DAMAGED = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n" + b"\x00" * 50


def text_pdf(content: bytes, height: int = 792) -> bytes:
    """One page of the given content stream (Helvetica as /F1), `height` points tall."""
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 %d] /Contents 4 0 R "
                    b"/Resources << /Font << /F1 5 0 R >> >> >>" % height,
                    b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
                    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"])


REAL = b"BT /F1 12 Tf 72 720 Td (Some real text on the page.) Tj ET "
FAR_GLYPHS = {  # issue 22: each took minutes and gigabytes, or ended in a traceback
    "x = 3e8": REAL + b"BT /F1 12 Tf 300000000 700 Td (far away) Tj ET",
    "x = 1e15": REAL + b"BT /F1 12 Tf 1000000000000000 700 Td (far away) Tj ET",
    "a 400-digit text matrix": REAL + b"BT /F1 12 Tf 1 0 0 1 " + b"9" * 400
    + b" 700 Tm (huge) Tj ET",
}


def rows_pdf(rows: int = 20000) -> bytes:
    """One tall page of `rows` one-glyph rows (2 points apart)."""
    content = b"BT /F1 1 Tf " + b" ".join(
        b"1 0 0 1 %d %d Tm (x) Tj" % (72 + (i % 7) * 50, 2 * rows - 10 - 2 * i)
        for i in range(rows)) + b" ET"
    return text_pdf(content, 2 * rows)

