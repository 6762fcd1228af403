//! The image check: only a real JPEG, PNG or WebP (by its bytes, not its name) is kept, and only as
//! a fresh JPEG re-encoded from its pixels, so nothing of the original file survives: no EXIF
//! (GPS, camera, time), no comments, no trailing data.

use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// The widest or tallest image decoded; past it a file is refused before its pixels are allocated.
pub const MAX_SIDE_IN: u32 = 8000;
/// The most pixels decoded, in millions; past it a file is refused the same way.
pub const MAX_MEGAPIXELS_IN: u64 = 40;
/// The most memory one decode may take, pixels and decoder buffers: with one decode at a time
/// (see [`crate::gate`]) and two Argon2 hashes, the server stays well under 300 MiB.
pub const MAX_DECODE_BYTES: u64 = 160 * 1024 * 1024;
/// The longest side of a stored photo: enough to see a piece of work on any screen.
pub const MAX_SIDE_OUT: u32 = 1280;
const JPEG_QUALITY: u8 = 80;

/// A stored photo's bytes and size.
pub struct Reencoded {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ReencodeError {
    /// Not an image in an accepted format, or a damaged one.
    #[error("not a JPEG, PNG or WebP image: {0}")]
    NotAnImage(String),
    #[error(
        "the image is larger than {MAX_SIDE_IN} pixels a side or {MAX_MEGAPIXELS_IN} megapixels, or too big to decode"
    )]
    TooBig,
    /// Writing the JPEG failed: a fault of the server, not of the file.
    #[error("cannot encode the JPEG: {0}")]
    Encode(ImageError),
}

/// Decodes `bytes` within the limits, shrinks it to at most [`MAX_SIDE_OUT`] a side, turns it
/// upright by its EXIF orientation and encodes it as a JPEG. CPU-bound: call it off the async
/// threads, one at a time.
pub fn reencode(bytes: &[u8]) -> Result<Reencoded, ReencodeError> {
    let (mut image, orientation) = decode(bytes)?;
    if image.width().max(image.height()) > MAX_SIDE_OUT {
        // Area averaging into the small image: no full-size intermediate buffer.
        image = image.thumbnail(MAX_SIDE_OUT, MAX_SIDE_OUT);
    }
    // Turned once small, since a rotation copies every pixel.
    image.apply_orientation(orientation);
    // JPEG has no alpha; grey and 16-bit images become 8-bit RGB too.
    let rgb = image.to_rgb8();
    let mut jpeg = Vec::new();
    rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY))
        .map_err(ReencodeError::Encode)?;
    Ok(Reencoded {
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
    })
}

/// Whether the start of a file is an image whose header already says it is too large: an upload
/// is refused at its first chunk rather than once it is complete. `false` when the header is not
/// all there yet, or not an image (the complete file is checked again).
pub fn header_too_large(start: &[u8]) -> bool {
    ImageReader::new(Cursor::new(start))
        .with_guessed_format()
        .ok()
        .and_then(|reader| reader.into_dimensions().ok())
        .is_some_and(|(width, height)| !fits(width, height))
}

fn fits(width: u32, height: u32) -> bool {
    width <= MAX_SIDE_IN
        && height <= MAX_SIDE_IN
        && u64::from(width) * u64::from(height) <= MAX_MEGAPIXELS_IN * 1_000_000
}

/// The pixels and the EXIF orientation, once the header has shown that they fit.
fn decode(bytes: &[u8]) -> Result<(DynamicImage, Orientation), ReencodeError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|err| ReencodeError::NotAnImage(err.to_string()))?;
    let format = match reader.format() {
        Some(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => format,
        other => return Err(ReencodeError::NotAnImage(format!("format {other:?}"))),
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE_IN);
    limits.max_image_height = Some(MAX_SIDE_IN);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    let (width, height) = decoder.dimensions();
    if !fits(width, height) || decode_bytes(&decoder, format, bytes) > MAX_DECODE_BYTES {
        return Err(ReencodeError::TooBig);
    }
    let orientation = decoder.orientation().map_err(refusal)?;
    let image = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    Ok((image, orientation))
}

/// What decoding takes, as far as the header tells: the pixels, and what the decoder keeps beside
/// them. A progressive JPEG keeps 2 bytes per sample of every component until its last scan; a
/// WebP decoder keeps up to 4 bytes a pixel of its own. (The `Limits` do not count these.)
fn decode_bytes(decoder: &impl ImageDecoder, format: ImageFormat, bytes: &[u8]) -> u64 {
    let (width, height) = decoder.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    let beside = match format {
        ImageFormat::Jpeg if !baseline_jpeg(bytes) => {
            pixels * 2 * u64::from(decoder.color_type().channel_count())
        }
        ImageFormat::WebP => pixels * 4,
        _ => 0,
    };
    decoder.total_bytes().saturating_add(beside)
}

/// Whether a JPEG's frame is sequential (decoded a band at a time), by its start-of-frame marker.
/// Anything unclear counts as progressive, the costlier case.
fn baseline_jpeg(bytes: &[u8]) -> bool {
    let mut at = 2; // past the start-of-image marker
    while let [0xFF, marker, high, low, ..] = bytes.get(at..).unwrap_or_default() {
        match *marker {
            // Fill bytes before a marker.
            0xFF => at += 1,
            // Start of frame: baseline, extended or lossless sequential (Huffman or arithmetic).
            0xC0 | 0xC1 | 0xC3 | 0xC9 | 0xCB => return true,
            // Any other start of frame (progressive), or the scan begins with no frame seen.
            0xC2 | 0xC5..=0xC7 | 0xCA | 0xCD..=0xCF | 0xDA => return false,
            _ => at += 2 + usize::from(u16::from_be_bytes([*high, *low])),
        }
    }
    false
}

/// Why a file that looked like an image could not be read.
fn refusal(err: ImageError) -> ReencodeError {
    match err {
        ImageError::Limits(_) => ReencodeError::TooBig,
        other => ReencodeError::NotAnImage(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, RgbImage};

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let pixels = RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 90]));
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(
                pixels.as_raw(),
                width,
                height,
                image::ExtendedColorType::Rgb8,
            )
            .unwrap();
        out
    }

    #[test]
    fn shrinks_a_large_png_to_a_jpeg_with_the_longest_side_at_the_limit() {
        let photo = reencode(&png(2000, 1000)).unwrap();
        assert_eq!((photo.width, photo.height), (MAX_SIDE_OUT, 640));
        assert_eq!(image::guess_format(&photo.jpeg).unwrap(), ImageFormat::Jpeg);
    }

    #[test]
    fn keeps_the_size_of_a_small_image() {
        let photo = reencode(&png(300, 200)).unwrap();
        assert_eq!((photo.width, photo.height), (300, 200));
    }

    #[test]
    fn refuses_other_formats_and_damaged_images() {
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert!(matches!(reencode(gif), Err(ReencodeError::NotAnImage(_))));
        let cut = &png(300, 200)[..60];
        assert!(matches!(reencode(cut), Err(ReencodeError::NotAnImage(_))));
    }

    /// A PNG whose header says `width` × `height` pixels of `depth` bits and `color` type, with one
    /// row of data: enough for the checks made before decoding.
    fn png_header(width: u32, height: u32, depth: u8, color: u8) -> Vec<u8> {
        fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
            let mut crc = flate2::Crc::new();
            crc.update(kind);
            crc.update(data);
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            png.extend_from_slice(kind);
            png.extend_from_slice(data);
            png.extend_from_slice(&crc.sum().to_be_bytes());
        }
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut header = [width.to_be_bytes(), height.to_be_bytes()].concat();
        header.extend_from_slice(&[depth, color, 0, 0, 0]);
        chunk(&mut png, b"IHDR", &header);
        let mut row = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut row, &vec![0; 1 + width as usize * 8]).unwrap();
        chunk(&mut png, b"IDAT", &row.finish().unwrap());
        chunk(&mut png, b"IEND", &[]);
        png
    }

    #[test]
    fn refuses_more_than_40_megapixels_from_the_header() {
        let over = png_header(6400, 6251, 8, 2);
        assert!(header_too_large(&over));
        assert!(matches!(reencode(&over), Err(ReencodeError::TooBig)));
        assert!(!header_too_large(&png_header(6400, 6250, 8, 2)));
        assert!(!header_too_large(&png(300, 200)));
    }

    #[test]
    fn refuses_what_would_take_too_much_memory_to_decode() {
        // 36 megapixels, but of RGBA at 16 bits: 275 MB of pixels.
        let deep = png_header(6000, 6000, 16, 6);
        assert!(
            !header_too_large(&deep),
            "the header alone is within the limits"
        );
        assert!(matches!(reencode(&deep), Err(ReencodeError::TooBig)));
    }

    #[test]
    fn tells_a_progressive_jpeg_from_a_baseline_one() {
        let mut jpeg = reencode(&png(64, 48)).unwrap().jpeg;
        assert!(baseline_jpeg(&jpeg));
        let frame = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        jpeg[frame + 1] = 0xC2;
        assert!(!baseline_jpeg(&jpeg));
        assert!(!baseline_jpeg(b"\xFF\xD8"), "no frame: the costlier case");
    }

    #[test]
    fn refuses_images_wider_than_the_limit_before_decoding_them() {
        let wide = png(MAX_SIDE_IN + 1, 1);
        assert!(matches!(reencode(&wide), Err(ReencodeError::TooBig)));
    }
}
