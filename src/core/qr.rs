//! QR codes: a group's invite link and the codes phones swap at a meeting,
//! drawn here as SVG (no network, no script), and read back from a camera
//! frame or a photo where the browser cannot read them itself.

use std::fmt::Write;

use qrcodegen::{QrCode, QrCodeEcc};

/// The blank margin around the code, in modules: the standard's minimum, which
/// scanners need to find the code against whatever surrounds it.
const QUIET_ZONE: i32 = 4;

/// The QR code for `text` as a standalone SVG, or `None` if `text` is too long
/// for any QR code.
///
/// The SVG has no width or height: CSS sizes it, and `crispEdges` keeps the
/// modules sharp at any scale.
///
/// ```
/// use common_ground::core::qr;
///
/// let svg = qr::svg("http://127.0.0.1:8080/#/join/automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu");
/// assert!(svg.is_some_and(|svg| svg.starts_with("<svg") && svg.ends_with("</svg>")));
/// assert!(qr::svg(&"x".repeat(3000)).is_none());
/// ```
pub fn svg(text: &str) -> Option<String> {
    // Medium error correction is plenty for a code read off a screen, and keeps
    // it smaller (so bigger modules, easier to scan) than the higher levels.
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = qr.size();
    // The code and its quiet zone on every side.
    let canvas = size + 2 * QUIET_ZONE;
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {canvas} {canvas}" shape-rendering="crispEdges"><rect width="{canvas}" height="{canvas}" fill="#fff"/><path fill="#000" d=""##
    );
    for y in 0..size {
        let mut run_start = None;
        // One step past the edge, where `get_module` answers light, so that a
        // run touching the right edge is ended and written too.
        for x in 0..=size {
            match (qr.get_module(x, y), run_start) {
                (true, None) => run_start = Some(x),
                (false, Some(start)) => {
                    // A whole run of dark modules is one 1-module-high
                    // rectangle, far shorter than one per module. No `z`: a
                    // fill closes the subpath anyway.
                    let (left, top, width) = (start + QUIET_ZONE, y + QUIET_ZONE, x - start);
                    // Writing to a String cannot fail.
                    let _ = write!(svg, "M{left} {top}h{width}v1h-{width}");
                    run_start = None;
                }
                _ => {}
            }
        }
    }
    svg.push_str(r#""/></svg>"#);
    Some(svg)
}

/// The QR version (1 to 40) `text` needs: the code is 17 + 4 × version
/// modules wide.
pub fn version(text: &str) -> Option<u8> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    Some(qr.version().value())
}

/// The text of the first QR code found in a greyscale image (one byte a
/// pixel, rows top to bottom), or `None`.
pub fn read(width: usize, height: usize, luma: &[u8]) -> Option<String> {
    if width == 0 || luma.len() < width * height {
        return None;
    }
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| luma[y * width + x]);
    image
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    const INVITE: &str = "http://127.0.0.1:8080/#/join/automerge:4NMNnkMhL8jXrdJ9jamS58PAVdXu";

    /// A 100-character invite link, the long end of what members share.
    fn long_invite() -> String {
        let id = "4NMNnkMhL8jXrdJ9jamS58PAVdXu".repeat(2);
        let mut link = format!("https://common-ground.example.org/#/join/automerge:{id}");
        link.truncate(100);
        link
    }

    fn encode(text: &str) -> QrCode {
        QrCode::encode_text(text, QrCodeEcc::Medium).unwrap()
    }

    /// The side of the square `viewBox`.
    fn view_box_side(svg: &str) -> i32 {
        let view_box = svg.split(r#"viewBox="0 0 "#).nth(1).unwrap();
        let (width, rest) = view_box.split_once(' ').unwrap();
        let height = rest.split('"').next().unwrap();
        assert_eq!(width, height, "the viewBox is square");
        width.parse().unwrap()
    }

    /// Reads the path back into the set of dark modules, in viewBox units.
    fn dark_modules(svg: &str) -> HashSet<(i32, i32)> {
        let path = svg
            .split(r#" d=""#)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut dark = HashSet::new();
        for run in path.split('M').skip(1) {
            let (x, rest) = run.split_once(' ').unwrap();
            let (y, rest) = rest.split_once('h').unwrap();
            let (width, back) = rest.split_once("v1h-").unwrap();
            assert_eq!(width, back, "the run {run:?} is not a rectangle");
            let (x, y, width): (i32, i32, i32) = (
                x.parse().unwrap(),
                y.parse().unwrap(),
                width.parse().unwrap(),
            );
            for x in x..x + width {
                assert!(dark.insert((x, y)), "({x}, {y}) is drawn twice");
            }
        }
        dark
    }

    #[test]
    fn an_invite_link_is_a_well_formed_svg_sized_by_css() {
        let svg = svg(INVITE).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" "));
        assert!(svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<path").count(), 1);
        assert!(svg.contains(r#"shape-rendering="crispEdges""#));
        let svg_tag = svg.split('>').next().unwrap();
        assert!(!svg_tag.contains("width") && !svg_tag.contains("height"));
    }

    #[test]
    fn the_view_box_is_the_code_plus_a_quiet_zone_on_each_side() {
        for text in [INVITE, &long_invite()] {
            let qr = encode(text);
            // The standard's size for a version: 17 modules plus 4 per version.
            let size = 17 + 4 * i32::from(qr.version().value());
            assert_eq!(qr.size(), size);
            assert_eq!(view_box_side(&svg(text).unwrap()), size + 8);
        }
    }

    #[test]
    fn the_path_draws_exactly_the_encoders_modules() {
        for text in ["a", INVITE, &long_invite(), &"Common Ground ".repeat(60)] {
            let qr = encode(text);
            let svg = svg(text).unwrap();
            let dark = dark_modules(&svg);
            let side = view_box_side(&svg);
            let mut dark_in_view = 0;
            // Out of bounds, `get_module` answers light: this checks that the
            // quiet zone is blank too.
            for y in 0..side {
                for x in 0..side {
                    let expected = qr.get_module(x - QUIET_ZONE, y - QUIET_ZONE);
                    assert_eq!(
                        dark.contains(&(x, y)),
                        expected,
                        "module ({x}, {y}) of {text:?}"
                    );
                    dark_in_view += usize::from(expected);
                }
            }
            assert_eq!(
                dark.len(),
                dark_in_view,
                "a module is drawn outside the viewBox"
            );
        }
    }

    /// Draws the SVG the app shows into a greyscale image, `scale` pixels a
    /// module, the way a screen shows it.
    fn render(svg: &str, scale: i32) -> (usize, Vec<u8>) {
        let side = view_box_side(svg);
        let dark = dark_modules(svg);
        let pixels = side * scale;
        let mut luma = Vec::new();
        for y in 0..pixels {
            for x in 0..pixels {
                let on = dark.contains(&(x / scale, y / scale));
                luma.push(if on { 20 } else { 235 });
            }
        }
        (usize::try_from(pixels).unwrap(), luma)
    }

    #[test]
    fn a_drawn_code_reads_back_to_its_text() {
        let code = "GEBAFBMHBQ6VKNL7OZNUSAGIAHMU43YHB2M7AAAAAEHQQRJXHHVXPLTXDDXVD27A7DROPK2N7OAI";
        for text in [INVITE, code] {
            let (side, luma) = render(&svg(text).unwrap(), 4);
            assert_eq!(read(side, side, &luma).as_deref(), Some(text));
        }
        assert_eq!(read(10, 10, &[255; 100]), None);
        assert_eq!(read(10, 10, &[0; 5]), None);
    }

    #[test]
    fn text_too_long_for_any_qr_code_is_none() {
        // 2331 bytes is the most a QR code holds at medium error correction.
        assert!(svg(&"x".repeat(2331)).is_some());
        assert!(svg(&"x".repeat(2332)).is_none());
    }
}
