//! The SSD1306 OLED's picture: its 1024-byte display RAM drawn on a 128x64 canvas.
//!
//! The chip stores the screen page-major: page p (0-7) holds rows 8p..8p+7, byte x of the
//! page is column x, and bit k of that byte is row 8p+k (bit 0 at the top).

use wasm_bindgen::prelude::*;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{HtmlCanvasElement, ImageData};

/// The display's width in pixels.
pub const WIDTH: usize = 128;
/// The display's height in pixels.
pub const HEIGHT: usize = 64;

/// A lit pixel (the pale blue of the common modules).
const ON: [u8; 4] = [0x9c, 0xdc, 0xff, 0xff];
/// A dark pixel (pure black: the tests tell lit pixels by any colour at all).
const OFF: [u8; 4] = [0, 0, 0, 0xff];

#[wasm_bindgen]
extern "C" {
    // web-sys types `putImageData`'s offsets differently with and without its unstable APIs
    // (which the wasm build enables); this binding is the same on every target.
    /// A canvas's 2D context, with the one method used here.
    type Context2d;

    #[wasm_bindgen(method, js_name = putImageData)]
    fn put_image_data(this: &Context2d, image: &ImageData, dx: f64, dy: f64);
}

/// RGBA pixels, row by row, for a display RAM (`None` or a short RAM: dark).
pub fn pixels(gddram: Option<&[u8]>) -> Vec<u8> {
    let mut rgba = Vec::with_capacity(WIDTH * HEIGHT * 4);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            let byte = gddram
                .and_then(|ram| ram.get((y / 8) * WIDTH + x))
                .copied()
                .unwrap_or(0);
            let lit = byte >> (y % 8) & 1 == 1;
            rgba.extend_from_slice(if lit { &ON } else { &OFF });
        }
    }
    rgba
}

/// Draws the display RAM on `canvas` (which is 128x64).
pub fn draw(canvas: &HtmlCanvasElement, gddram: Option<&[u8]>) {
    let Some(context) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .map(|c| c.unchecked_into::<Context2d>())
    else {
        return;
    };
    let rgba = pixels(gddram);
    if let Ok(image) =
        ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), WIDTH as u32, HEIGHT as u32)
    {
        context.put_image_data(&image, 0.0, 0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(rgba: &[u8], x: usize, y: usize) -> bool {
        rgba[(y * WIDTH + x) * 4..][..4] == ON
    }

    #[test]
    fn pages_are_eight_rows_and_bit_zero_is_the_top() {
        let mut ram = vec![0u8; 1024];
        ram[0] = 0b0000_0001; // page 0, column 0: row 0
        ram[5] = 0b1000_0000; // page 0, column 5: row 7
        ram[128 + 3] = 0b0000_0010; // page 1, column 3: row 9
        ram[1023] = 0b1000_0000; // page 7, column 127: row 63
        let rgba = pixels(Some(&ram));
        assert_eq!(rgba.len(), WIDTH * HEIGHT * 4);
        assert!(lit(&rgba, 0, 0));
        assert!(lit(&rgba, 5, 7));
        assert!(lit(&rgba, 3, 9));
        assert!(lit(&rgba, 127, 63));
        assert!(!lit(&rgba, 0, 1));
        assert!(!lit(&rgba, 5, 0));
        let count = (0..HEIGHT)
            .flat_map(|y| (0..WIDTH).map(move |x| (x, y)))
            .filter(|&(x, y)| lit(&rgba, x, y))
            .count();
        assert_eq!(count, 4);
    }

    #[test]
    fn no_display_is_dark() {
        let rgba = pixels(None);
        assert!(!lit(&rgba, 0, 0));
        let short = pixels(Some(&[0xff]));
        assert!(lit(&short, 0, 7));
        assert!(!lit(&short, 1, 0));
    }
}
