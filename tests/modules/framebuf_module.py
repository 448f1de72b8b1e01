# framebuf: every format, drawing primitives, text in the 8x8 font, blit with key and palette.
import framebuf, array


def show(fb, w, h):
    for y in range(h):
        print("".join("%x" % fb.pixel(x, y) for x in range(w)))


for name in ("MONO_VLSB", "MONO_HLSB", "MONO_HMSB", "GS2_HMSB", "GS4_HMSB", "GS8", "RGB565"):
    fmt = getattr(framebuf, name)
    buf = bytearray(16 * 10 * 2)
    fb = framebuf.FrameBuffer(buf, 16, 10, fmt)
    fb.fill(0)
    fb.rect(0, 0, 16, 10, 1)
    fb.line(1, 8, 14, 1, 1)
    fb.ellipse(8, 5, 4, 3, 1)
    fb.text("A", 4, 1, 1)
    print(name)
    show(fb, 16, 10)

# Colours are masked per format.
fb = framebuf.FrameBuffer(bytearray(8), 4, 4, framebuf.GS4_HMSB)
fb.fill_rect(1, 1, 2, 2, 0x1F)
show(fb, 4, 4)

# Filled shapes and polygons.
fb = framebuf.FrameBuffer(bytearray(12 * 12), 12, 12, framebuf.GS8)
fb.ellipse(5, 5, 5, 3, 2, True, 0b0101)
fb.poly(0, 0, array.array("h", [1, 1, 10, 2, 6, 10]), 3, True)
fb.rect(8, 8, 4, 4, 4, True)
show(fb, 12, 12)

# Scrolling and blitting with a transparent key and a palette.
fb.scroll(-2, 1)
src = framebuf.FrameBuffer(bytearray(b"\x00\x01\x01\x00"), 2, 2, framebuf.GS8)
pal = framebuf.FrameBuffer(bytearray(b"\x07\x09"), 2, 1, framebuf.GS8)
fb.blit(src, 0, 0, 0)
fb.blit(src, 4, 0, -1, pal)
fb.blit((b"\x05\x05\x05\x05", 2, 2, framebuf.GS8), 10, 10)
show(fb, 12, 12)

# The buffer protocol hands back the underlying buffer; a view can be drawn into.
a = array.array("H", [0] * 6)
fb = framebuf.FrameBuffer(memoryview(a)[2:], 2, 2, framebuf.RGB565)
fb.fill(0xABCD)
print(a, len(memoryview(fb)), bytes(fb)[:2])
print(framebuf.FrameBuffer1(bytearray(8), 8, 8).pixel(9, 9))

for args in ((bytearray(1), 2, 1, framebuf.GS8), (bytearray(9), 1, 1, 99), (b"ro", 1, 1, framebuf.GS8)):
    try:
        framebuf.FrameBuffer(*args)
    except (ValueError, TypeError) as e:
        print(type(e).__name__)
