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
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
               + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
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


def one_line(p: Page) -> None:
    p.line(["A", "page", "of", "text."])


def encrypted_pdf() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    return document([one_line], encrypt=StandardEncryption("secret", "owner"))


def long_pdf(pages: int = 501) -> bytes:
    return document([one_line] * pages)


DAMAGED = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n" + b"\x00" * 50
