"""Check an uploaded file by its content, not only by its name (pure, no Flask)."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
    "mp3": "audio/mpeg",
    "webm": "audio/webm",
    "ogg": "audio/ogg",
}
_OOXML_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
_MAGIC = {"pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",),
          "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"), "webm": (b"\x1a\x45\xdf\xa3",), "ogg": (b"OggS",)}


class RefusedFile(ValueError):
    """Why a file is refused: a reason code and its parameters, translated by the caller."""

    def __init__(self, reason: str, **params):
        self.reason, self.params = reason, params
        super().__init__(reason, params)


def safe_filename(name: str) -> str:
    """Keep letters (accents included), digits, dot, dash, underscore; refuse what cannot be saved safely."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").split("/")[-1]).strip()
    name = re.sub(r"[^\w.\- ]", "_", name).strip(" .")
    if not name or name.startswith(".") or len(name) > 200:
        raise RefusedFile("name")
    return name


def extension_of(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return "jpg" if ext == "jpeg" else ext


def _zip_names(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except zipfile.BadZipFile:
        return set()


def _matches(ext: str, data: bytes) -> bool:
    if ext in _MAGIC:
        return data.startswith(_MAGIC[ext])
    if ext in _OOXML_PART:
        return data.startswith(b"PK\x03\x04") and _OOXML_PART[ext] in _zip_names(data)
    if ext in ("odt", "ods", "odp"):
        return data.startswith(b"PK\x03\x04") and MEDIA_TYPES[ext].encode() in data[:200]
    if ext in ("csv", "txt"):
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                data.decode("cp1252")
            except UnicodeDecodeError:
                return False
        return True
    return False


def check_upload(filename: str, data: bytes, allowed: list[str], max_bytes: int) -> tuple[str, str]:
    """Return (safe name, media type) or raise RefusedFile with the reason."""
    name = safe_filename(filename)
    ext = extension_of(name)
    if ext not in allowed:
        raise RefusedFile("type", ext=ext or "?", allowed=", ".join(allowed))
    if not data:
        raise RefusedFile("empty")
    if len(data) > max_bytes:
        raise RefusedFile("size", size=f"{len(data) / 1e6:.1f}", limit=f"{max_bytes / 1e6:.0f}")
    if not _matches(ext, data):
        raise RefusedFile("content", ext=ext)
    return name, MEDIA_TYPES[ext]
