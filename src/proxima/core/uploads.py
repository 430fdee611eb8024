"""Files people attach: which routes take them, and what a file really is.

A route takes files only when its view says so (`accepts_files`): the request guard
(core.middleware) then allows that route's larger body and binary parts, and still
checks every text field of the form. What a file is comes from its content (the
`filetype` library reads its signature), never from its name or the browser's word;
the name's extension must agree with it.
"""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import wraps

import filetype
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Kinds of documents an agreement or a meeting may carry: what the content says, the
# extensions its name may have, and the media type it is served as.
DOCUMENT_KINDS = {
    "pdf": (("pdf",), "application/pdf", gettext_lazy("PDF")),
    "docx": (
        ("docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        gettext_lazy("Word document"),
    ),
    "xlsx": (
        ("xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        gettext_lazy("Excel spreadsheet"),
    ),
    "odt": (("odt",), "application/vnd.oasis.opendocument.text", gettext_lazy("OpenDocument text")),
    "ods": (
        ("ods",),
        "application/vnd.oasis.opendocument.spreadsheet",
        gettext_lazy("OpenDocument spreadsheet"),
    ),
    "png": (("png",), "image/png", gettext_lazy("PNG image")),
    "jpg": (("jpg", "jpeg"), "image/jpeg", gettext_lazy("JPEG image")),
}
# Archives holding these are office documents whose parts are checked below.
_ZIP_MEMBERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "odt": "content.xml",
    "ods": "content.xml",
}
_ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}


def accepts_files(max_bytes: int):
    """Marks a view as taking files of at most `max_bytes` in all (the request guard reads
    the mark); the view checks each file itself (`check_document`)."""

    def mark(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            return view(*args, **kwargs)

        wrapped.accepts_files = max_bytes
        return wrapped

    return mark


def allowed_extensions() -> list[str]:
    return [
        extension
        for extensions, _type, _label in DOCUMENT_KINDS.values()
        for extension in extensions
    ]


def describe_accepted(max_bytes: int) -> str:
    """What a file field takes, for its help text."""
    labels = ", ".join(str(label) for _exts, _type, label in DOCUMENT_KINDS.values())
    return _("%(kinds)s; at most %(limit)s.") % {
        "kinds": labels,
        "limit": filesizeformat(max_bytes),
    }


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    media_type: str
    content: bytes


class FileRefused(ValueError):
    pass


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


# An office archive: at most this many parts, each stored or deflated (the methods office
# suites write), saying they unpack to at most this much (XML packs about ten to one);
# only the first bytes of the parts checked are ever unpacked.
_MAX_PARTS = 5000
_PLAIN_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_MAX_UNPACKED = 256 * 1024 * 1024
_MAX_RATIO = 100


def _kind_of(content: bytes) -> str | None:
    guessed = filetype.guess(content[:8192])
    found = guessed.extension if guessed else None
    if found in ("jpg", "pdf", "png"):
        return found
    if not content.startswith(b"PK\x03\x04") or not 0 < _parts_declared(content) <= _MAX_PARTS:
        return None
    try:
        return _office_kind(zipfile.ZipFile(io.BytesIO(content)), len(content))
    except (
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        ValueError,
        RuntimeError,
        NotImplementedError,
        OSError,
        EOFError,
    ):
        return None  # an archive that cannot be read is not a document


def _parts_declared(content: bytes) -> int:
    """How many parts the archive's end record says it holds (read before the archive's
    directory is, which takes as long as it is long); 0 when there is no such record or
    it is a ZIP64 one, which no office document needs."""
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 65_557))
    if end < 0 or len(content) < end + 22:
        return 0
    (parts,) = struct.unpack("<H", content[end + 10 : end + 12])
    return 0 if parts == 0xFFFF else parts


def _start_of(archive: zipfile.ZipFile, name: str, size: int) -> bytes:
    """The first `size` bytes of a part, unpacking no more than that."""
    with archive.open(name) as part:
        return part.read(size)


def _office_kind(archive: zipfile.ZipFile, packed: int) -> str | None:
    parts = archive.infolist()
    if len(parts) > _MAX_PARTS or any(p.compress_type not in _PLAIN_METHODS for p in parts):
        return None
    unpacked = sum(p.file_size for p in parts)
    if unpacked > _MAX_UNPACKED or unpacked > _MAX_RATIO * packed:
        return None  # a compression bomb, even if nothing here unpacks it
    names = {p.filename for p in parts}
    mimetype = _start_of(archive, "mimetype", 100).strip() if "mimetype" in names else b""
    for kind, member in _ZIP_MEMBERS.items():
        if member not in names:
            continue
        if kind in _ODF_MIMETYPES and mimetype != _ODF_MIMETYPES[kind]:
            continue
        if kind in ("docx", "xlsx"):
            if "[Content_Types].xml" not in names:
                continue
            if not _is_xml(_start_of(archive, "[Content_Types].xml", 200)):
                continue
        if not _is_xml(_start_of(archive, member, 200)):
            continue
        return kind
    return None


def _is_xml(start: bytes) -> bool:
    """Whether a part begins as an XML document does (a declaration or an element)."""
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<?xml") or (text[:1] == b"<" and text[1:2].isalpha())


def clean_file_name(name: str) -> str:
    """The name to keep and offer at download: its last path part, without control
    characters or quotes, at most 150 characters (its extension kept)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|:*?').strip(" .")
    if len(name) > 150:
        stem, _dot, extension = name.rpartition(".")
        name = f"{stem[: 149 - len(extension)]}.{extension}" if stem else name[:150]
    return name


def check_document(upload, *, max_bytes: int) -> CheckedFile:
    """An uploaded file made sure of: not empty, not over `max_bytes`, one of the kinds
    above by its content, and named with an extension of that kind. FileRefused says
    why, in the user's language."""
    name = clean_file_name(getattr(upload, "name", "") or "")
    if not name:
        raise FileRefused(_("The file has no name."))
    if upload.size == 0:
        raise FileRefused(_("The file is empty."))
    if upload.size > max_bytes:
        raise FileRefused(_("The file is too large: at most %s.") % filesizeformat(max_bytes))
    content = upload.read(max_bytes + 1)
    kinds = ", ".join(allowed_extensions())
    kind = _kind_of(content)
    if kind is None:
        raise FileRefused(
            _("This kind of file is not accepted; accepted: %(kinds)s.") % {"kinds": kinds}
        )
    extensions, media_type, label = DOCUMENT_KINDS[kind]
    if _extension(name) not in extensions:
        raise FileRefused(
            _("The file's content is of the kind %(kind)s: its name must end in “.%(extension)s”.")
            % {"kind": label, "extension": extensions[0]}
        )
    return CheckedFile(name, kind, media_type, content)
