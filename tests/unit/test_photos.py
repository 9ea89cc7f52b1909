"""Photo uploads: type by content, no metadata left, orientation applied, every bad file refused."""

from __future__ import annotations

import errno
import random
import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from app.errors import InvalidInput, NotFound, TooLarge, Unavailable, UnsupportedMedia
from app.services.zelfbeheer import fotos_opslag as photo_store
from app.services.zelfbeheer.fotos import (
    ANIMATED,
    NOT_AN_IMAGE,
    WRONG_TYPE,
    PhotoStore,
    ProcessedPhoto,
    process_upload,
)

SECRET = "Dorpsstraat 1 GEHEIM"


def pixels(width: int, height: int, mode: str = "RGB", seed: int = 1) -> Image.Image:
    """Deterministic noise, so encoders have real work and outputs are the same every run."""
    channels = len(mode)
    data = random.Random(seed).randbytes(width * height * channels)
    return Image.frombytes(mode, (width, height), data)


def encode(img: Image.Image, fmt: str, **kwargs: object) -> bytes:
    out = BytesIO()
    img.save(out, fmt, **kwargs)
    return out.getvalue()


def exif_with_gps(orientation: int = 6) -> Image.Exif:
    """EXIF as a phone writes it: orientation, camera, description and a GPS position."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SpionCam"
    exif[0x010E] = SECRET
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (5.0, 7.0, 12.0),
                27: b"ASCII\x00\x00\x00GPS"})
    return exif


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG that claims enormous dimensions: the classic decompression bomb."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))


def reopened(data: bytes) -> Image.Image:
    img = Image.open(BytesIO(data))
    img.load()
    return img


def assert_no_metadata(data: bytes) -> None:
    img = reopened(data)
    assert dict(img.getexif()) == {}
    assert "exif" not in img.info and "xmp" not in img.info and "icc_profile" not in img.info
    for needle in (b"Exif", b"GPS", b"SpionCam", SECRET.encode(), b"xmpmeta", b"ICC_PROFILE"):
        assert needle not in data, needle


def test_jpeg_loses_exif_gps_and_xmp_and_is_turned_upright() -> None:
    original = encode(pixels(300, 200), "JPEG", exif=exif_with_gps(orientation=6),
                      xmp=b"<x:xmpmeta>GPSLatitude 52.08</x:xmpmeta>")
    assert b"GPS" in original and reopened(original).getexif().get_ifd(0x8825)
    photo = process_upload(original)
    assert photo.mime == "image/jpeg" and photo.extension == "jpg"
    assert (photo.width, photo.height) == (200, 300)  # orientation 6: rotated a quarter turn
    assert reopened(photo.data).size == (200, 300) and reopened(photo.data).format == "JPEG"
    assert_no_metadata(photo.data)
    assert_no_metadata(photo.thumbnail)


def test_png_and_webp_keep_their_type_and_alpha_without_metadata() -> None:
    rgba = pixels(320, 240, "RGBA")
    png = encode(rgba, "PNG", exif=exif_with_gps(orientation=1))
    webp = encode(rgba, "WEBP", exif=exif_with_gps(orientation=1), lossless=True)
    for data, mime in ((png, "image/png"), (webp, "image/webp")):
        assert b"GPS" in data
        photo = process_upload(data)
        assert photo.mime == mime and (photo.width, photo.height) == (320, 240)
        assert reopened(photo.data).mode == "RGBA"
        assert_no_metadata(photo.data)


def test_comments_text_chunks_and_trailing_payloads_do_not_survive() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", SECRET)
    payload = b"<html><script>alert(1)</script></html>"
    uploads = [encode(pixels(60, 40), "JPEG", comment=SECRET.encode()) + payload,
               encode(pixels(60, 40), "PNG", pnginfo=info) + payload]
    for data in uploads:
        assert SECRET.encode() in data
        photo = process_upload(data)
        for needle in (SECRET.encode(), b"<script>", b"Location"):
            assert needle not in photo.data and needle not in photo.thumbnail


def test_icc_profile_is_applied_then_dropped() -> None:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(pixels(100, 80), "JPEG", icc_profile=icc)
    assert reopened(data).info.get("icc_profile")
    photo = process_upload(data)
    assert "icc_profile" not in reopened(photo.data).info


def test_cmyk_jpeg_becomes_rgb() -> None:
    photo = process_upload(encode(pixels(60, 40, "CMYK"), "JPEG"))
    assert reopened(photo.data).mode == "RGB" and photo.mime == "image/jpeg"


def test_large_photo_is_downscaled_and_thumbnail_is_small_webp() -> None:
    photo = process_upload(encode(pixels(3000, 1000), "PNG"))
    assert (photo.width, photo.height) == (2048, 683)
    thumb = reopened(photo.thumbnail)
    assert thumb.format == "WEBP" and max(thumb.size) <= 400 and thumb.size == (400, 133)


def test_grey_16_bit_png_is_scaled_not_clipped() -> None:
    photo = process_upload(encode(Image.new("I;16", (10, 10), 32768), "PNG"))
    assert reopened(photo.data).getpixel((0, 0)) == (128, 128, 128)


def gif_animation() -> bytes:
    frames = [pixels(40, 40, seed=i).convert("P") for i in range(3)]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)


def animated(fmt: str) -> bytes:
    frames = [pixels(40, 40, seed=i) for i in range(3)]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100)


def truncated_jpeg() -> bytes:
    data = encode(pixels(200, 200), "JPEG", quality=95)
    return data[: len(data) // 2]


BAD_FILES = {
    "gif": (lambda: encode(pixels(40, 40).convert("P"), "GIF"), UnsupportedMedia, WRONG_TYPE),
    "animated gif": (gif_animation, UnsupportedMedia, WRONG_TYPE),
    "animated webp": (lambda: animated("WEBP"), InvalidInput, ANIMATED),
    "animated png": (lambda: animated("PNG"), InvalidInput, ANIMATED),
    "bmp": (lambda: encode(pixels(40, 40), "BMP"), UnsupportedMedia, WRONG_TYPE),
    "text renamed .jpg": (lambda: b"Dit is gewoon tekst, ook al heet het foto.jpg\n",
                          UnsupportedMedia, WRONG_TYPE),
    "html": (lambda: b"<!doctype html><script>alert(document.cookie)</script>",
             UnsupportedMedia, WRONG_TYPE),
    "svg": (lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            UnsupportedMedia, WRONG_TYPE),
    "empty": (lambda: b"", UnsupportedMedia, WRONG_TYPE),
    "jpeg magic, html body": (lambda: b"\xff\xd8\xff<html><script>alert(1)</script>",
                              InvalidInput, NOT_AN_IMAGE),
    "truncated jpeg": (truncated_jpeg, InvalidInput, NOT_AN_IMAGE),
    "png header only": (lambda: png_header(40, 40)[:40], InvalidInput, NOT_AN_IMAGE),
    "bomb 48 megapixel": (lambda: png_header(8000, 6000), TooLarge,
                          "De foto heeft te veel pixels (maximaal 40 megapixel)"),
    "bomb 10 gigapixel": (lambda: png_header(100_000, 100_000), TooLarge,
                          "De foto heeft te veel pixels (maximaal 40 megapixel)"),
    "11 MB": (lambda: b"\xff\xd8\xff" + bytes(11_000_000), TooLarge,
              "De foto is groter dan 10 MB"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_are_refused_with_a_dutch_message(name: str) -> None:
    make, error, message = BAD_FILES[name]
    with pytest.raises(error) as caught:
        process_upload(make())
    assert str(caught.value) == message
    assert isinstance(caught.value, InvalidInput)


def test_limits_are_parameters() -> None:
    data = encode(pixels(100, 100), "PNG")
    with pytest.raises(TooLarge, match="groter dan 0 MB"):
        process_upload(data, max_bytes=100)
    with pytest.raises(TooLarge, match="te veel pixels"):
        process_upload(data, max_pixels=9_999)


def test_store_round_trip_and_delete(tmp_path: Path) -> None:
    store = PhotoStore(tmp_path / "uploads")
    photo = process_upload(encode(pixels(50, 40), "WEBP"))
    key = store.save(photo)
    assert len(key) == 32 and key == key.lower() and int(key, 16) >= 0
    path, mime = store.open(key)
    assert mime == "image/webp" and path.read_bytes() == photo.data
    assert path == tmp_path / "uploads" / key[:2] / f"{key}.webp"
    thumb, thumb_mime = store.open(key, thumb=True)
    assert thumb_mime == "image/webp" and thumb.read_bytes() == photo.thumbnail
    assert not list(path.parent.glob(".upload-*")), "no temp files left"
    assert store.save(photo) != key
    store.delete(key)
    with pytest.raises(NotFound):
        store.open(key)
    with pytest.raises(NotFound):
        store.open(key, thumb=True)
    store.delete(key)  # twice is fine


@pytest.mark.parametrize("key", [
    "../../etc/passwd", "..", "/etc/passwd", "0" * 31, "0" * 33, "A" * 32, "g" * 32,
    "00/" + "0" * 29, "0" * 31 + "\x00", "0" * 32 + "\n", "", "..%2f..%2fetc%2fpasswd",
])
def test_store_refuses_keys_it_could_not_have_made(tmp_path: Path, key: str) -> None:
    store = PhotoStore(tmp_path)
    (tmp_path / "secret.jpg").write_bytes(b"x")
    with pytest.raises(NotFound):
        store.open(key)
    with pytest.raises(NotFound):
        store.open(key, thumb=True)
    with pytest.raises(NotFound):
        store.delete(key)
    assert (tmp_path / "secret.jpg").exists()


def test_failed_thumbnail_write_leaves_nothing(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    real = photo_store._write_atomically

    def write(path: Path, data: bytes) -> None:
        if path.name.endswith("-thumb.webp"):
            raise OSError(errno.EIO, "schijf kapot")
        real(path, data)

    monkeypatch.setattr(photo_store, "_write_atomically", write)
    photo = ProcessedPhoto(data=b"main", mime="image/jpeg", width=1, height=1, thumbnail=b"t")
    with pytest.raises(Unavailable) as caught:
        PhotoStore(tmp_path).save(photo)
    assert str(caught.value) == photo_store.DISK_BROKEN
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
