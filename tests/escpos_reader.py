"""Reads ESC/POS bytes back the way a printer would: text in its code pages, raster
images, QR codes, the cut; and draws the result as a picture to look at.

Understands the commands python-escpos sends for our tickets; anything else stops
the reading with the offset, so a test never passes over bytes it did not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
ARGS = {  # ESC x / GS x: how many argument bytes follow
    0x1B: {b"!": 1, b"E": 1, b"a": 1, b"d": 1, b"t": 1, b"-": 1, b"M": 1, b"G": 1, b"J": 1,
           b"{": 1, b"3": 1, b"2": 0, b"@": 0, b"V": 1, b"r": 1, b"R": 1},
    0x1D: {b"!": 1, b"B": 1, b"b": 1, b"L": 2, b"W": 2},
}  # fmt: skip


@dataclass
class Printout:
    blocks: list[tuple[str, Any]] = field(default_factory=list)  # (kind, value) in order
    sizes: dict[int, tuple[int, int]] = field(default_factory=dict)  # text block: (w, h) x

    @property
    def lines(self) -> list[str]:
        """The printed text, line by line (images and codes left out)."""
        text = "".join(value for kind, value in self.blocks if kind == "text")
        return [line for line in text.split("\n") if line.strip()]

    @property
    def images(self) -> list[Any]:
        return [value for kind, value in self.blocks if kind == "image"]

    @property
    def qr_codes(self) -> list[str]:
        return [value for kind, value in self.blocks if kind == "qr"]

    @property
    def kinds(self) -> list[str]:
        """The order of what was printed, runs of text counted once."""
        order: list[str] = []
        for kind, value in self.blocks:
            if kind == "text" and not value.strip():
                continue
            if not order or order[-1] != kind or kind != "text":
                order.append(kind)
        return order

    def picture(self, width: int | None = None) -> Any:
        """The ticket as this printer would print it (text in a monospaced font), as wide
        as its widest image (80 mm paper when it has none)."""
        import qrcode
        from PIL import Image, ImageDraw, ImageFont

        width = width or max((image.width for image in self.images), default=576)
        parts: list[Any] = []
        text, scale = "", (1, 1)

        def flush() -> None:
            nonlocal text
            if not text:
                return
            across, high = scale
            columns = 32 if width <= 384 else 42  # font A across the paper
            font = ImageFont.truetype(FONT, int(width / columns / 0.6) * high)
            for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
                wide = width * high // across  # drawn at the height's size, then squeezed
                image = Image.new("L", (wide, 30 * high), 255)
                draw = ImageDraw.Draw(image)
                draw.text((wide // 2, 2), line, font=font, fill=0, anchor="ma")
                parts.append(image.resize((width, 30 * high)))
            text = ""

        for index, (kind, value) in enumerate(self.blocks):
            if kind == "text":
                size = self.sizes.get(index, (1, 1))
                if size != scale:
                    flush()
                    scale = size
                text += value
                continue
            flush()
            if kind == "image":
                parts.append(value.convert("L"))
            elif kind == "qr":
                code = qrcode.make(value, box_size=6, border=2).get_image().convert("L")
                strip = Image.new("L", (width, code.height), 255)
                strip.paste(code, ((width - code.width) // 2, 0))
                parts.append(strip)
            elif kind == "cut":
                line = Image.new("L", (width, 12), 255)
                ImageDraw.Draw(line).line((0, 6, width, 6), fill=0, width=1)
                parts.append(line)
        flush()
        sheet = Image.new("L", (width, sum(p.height for p in parts)), 255)
        y = 0
        for part in parts:
            sheet.paste(part, (0, y))
            y += part.height
        return sheet

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.picture().save(path)
        return path


def _code_pages(profile: str | None) -> dict[int, str]:
    from escpos.capabilities import get_profile

    return {int(k): v for k, v in get_profile(profile).codePages.items()}


def _decoder(name: str) -> Any:
    from escpos.codepages import CodePages

    page = CodePages.get_encoding(name)
    if "python_encode" in page:
        return lambda byte: bytes([byte]).decode(page["python_encode"], errors="replace")
    table = "".join(page["data"])
    return lambda byte: table[byte - 128]


def read(data: bytes, profile: str | None = None) -> Printout:
    """The printout of one job's bytes."""
    from PIL import Image

    pages = _code_pages(profile)
    decode = _decoder(pages[0])
    out = Printout()
    text: list[str] = []
    qr_data = ""
    size = (1, 1)
    bands: list[Any] = []  # a column image's bands so far

    def flush() -> None:
        if text:
            out.sizes[len(out.blocks)] = size
            out.blocks.append(("text", "".join(text)))
            text.clear()

    i = 0
    while i < len(data):
        byte = data[i]
        if byte == 0x0A:
            text.append("\n")
            i += 1
        elif byte >= 0x20:
            text.append(chr(byte) if byte < 0x80 else decode(byte))
            i += 1
        elif byte == 0x10 and data[i + 1 : i + 2] == b"\x04":  # DLE EOT n: a status request
            i += 3
        elif byte == 0x1B and data[i + 1 : i + 2] == b"*":  # a band of a column bit image
            mode, columns = data[i + 2], data[i + 3] + data[i + 4] * 256
            high = 24 if mode >= 32 else 8
            length = columns * high // 8
            band = Image.new("1", (columns, high), 1)
            for x in range(columns):
                for part, value in enumerate(
                    data[i + 5 + x * high // 8 : i + 5 + (x + 1) * high // 8]
                ):
                    for bit in range(8):
                        if value & (0x80 >> bit):
                            band.putpixel((x, part * 8 + bit), 0)
            flush()
            bands.append(band)
            i += 5 + length
            if data[i : i + 1] == b"\n":  # each band ends its line
                i += 1
            if data[i : i + 2] == b"\x1b2":  # the last band: line spacing back
                image = Image.new(
                    "1", (max(b.width for b in bands), sum(b.height for b in bands)), 1
                )
                for n, piece in enumerate(bands):
                    image.paste(piece, (0, n * high))
                out.blocks.append(("image", image))
                bands.clear()
        elif byte == 0x1B and data[i + 1 : i + 2] in ARGS[0x1B]:
            command = data[i + 1 : i + 2]
            count = ARGS[0x1B][command]
            if command == b"!":  # print mode: bit 4 double height, bit 5 double width
                flush()
                mode = data[i + 2]
                size = (2 if mode & 0x20 else 1, 2 if mode & 0x10 else 1)
            if command == b"t":
                decode = _decoder(pages[data[i + 2]])
            if command == b"d":
                text.append("\n" * data[i + 2])
            i += 2 + count
        elif byte == 0x1D and data[i + 1 : i + 2] in ARGS[0x1D]:
            if data[i + 1 : i + 2] == b"!":  # character size: width, height multipliers
                flush()
                size = ((data[i + 2] >> 4) + 1, (data[i + 2] & 0x0F) + 1)
            i += 2 + ARGS[0x1D][data[i + 1 : i + 2]]
        elif byte == 0x1D and data[i + 1 : i + 2] == b"V":  # the cut
            mode = data[i + 2]
            flush()
            out.blocks.append(("cut", None))
            i += 4 if mode in (65, 66) else 3
        elif byte == 0x1D and data[i + 1 : i + 3] == b"v0":  # raster bit image
            x_bytes = data[i + 4] + data[i + 5] * 256
            rows = data[i + 6] + data[i + 7] * 256
            start = i + 8
            bits = data[start : start + x_bytes * rows]
            image = Image.frombytes("1", (x_bytes * 8, rows), bytes(b ^ 0xFF for b in bits))
            flush()
            out.blocks.append(("image", image))
            i = start + x_bytes * rows
        elif byte == 0x1D and data[i + 1 : i + 3] == b"(k":  # 2D code
            length = data[i + 3] + data[i + 4] * 256
            body = data[i + 5 : i + 5 + length]
            if body[:2] == b"1P":
                qr_data = body[3:].decode("utf-8")
            elif body[:2] == b"1Q":
                flush()
                out.blocks.append(("qr", qr_data))
            i += 5 + length
        else:
            raise ValueError(f"unread ESC/POS at byte {i}: {data[i : i + 8]!r}")
    flush()
    return out
