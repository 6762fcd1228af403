//! The image check: only a real JPEG, PNG or WebP (by its bytes, not its name) is kept, and only as
//! a fresh JPEG re-encoded from its pixels, so nothing of the original file survives: no EXIF
//! (GPS, camera, time), no comments, no trailing data.

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// The widest or tallest image decoded; past it a file is refused before its pixels are allocated.
pub const MAX_SIDE_IN: u32 = 8000;
/// The most memory one decode may take.
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
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
    #[error("the image is larger than {MAX_SIDE_IN} pixels a side or too big to decode")]
    TooBig,
    /// Writing the JPEG failed: a fault of the server, not of the file.
    #[error("cannot encode the JPEG: {0}")]
    Encode(ImageError),
}

/// Decodes `bytes` within the limits, turns it upright by its EXIF orientation, shrinks it to at
/// most [`MAX_SIDE_OUT`] a side and encodes it as a JPEG. CPU-bound: call it off the async threads.
pub fn reencode(bytes: &[u8]) -> Result<Reencoded, ReencodeError> {
    let mut image = decode_upright(bytes)?;
    if image.width().max(image.height()) > MAX_SIDE_OUT {
        image = image.resize(MAX_SIDE_OUT, MAX_SIDE_OUT, FilterType::Triangle);
    }
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

fn decode_upright(bytes: &[u8]) -> Result<DynamicImage, ReencodeError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|err| ReencodeError::NotAnImage(err.to_string()))?;
    let format = reader.format();
    if !matches!(
        format,
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(ReencodeError::NotAnImage(format!("format {format:?}")));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE_IN);
    limits.max_image_height = Some(MAX_SIDE_IN);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    let orientation = decoder.orientation().map_err(refusal)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    image.apply_orientation(orientation);
    Ok(image)
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

    #[test]
    fn refuses_images_wider_than_the_limit_before_decoding_them() {
        let wide = png(MAX_SIDE_IN + 1, 1);
        assert!(matches!(reencode(&wide), Err(ReencodeError::TooBig)));
    }
}
