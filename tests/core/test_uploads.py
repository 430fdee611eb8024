"""What a file is, from its content: the kinds accepted, the names kept."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from proxima.core.uploads import FileRefused, check_document, clean_file_name

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20


def archive(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as made:
        for name, text in members.items():
            made.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("photo.PNG", PNG, "png"),
        ("photo.jpeg", JPEG, "jpg"),
        ("photo.jpg", JPEG, "jpg"),
        (
            "tableau.xlsx",
            archive({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}),
            "xlsx",
        ),
        (
            "tableau.ods",
            archive(
                {
                    "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                    "content.xml": "<c/>",
                }
            ),
            "ods",
        ),
    ],
)
def test_each_accepted_kind_is_known_by_its_content(name, content, kind):
    checked = check_document(SimpleUploadedFile(name, content), max_bytes=1000)
    assert (checked.kind, checked.content) == (kind, content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("texte.odt", archive({"mimetype": "application/zip", "content.xml": "<c/>"})),
        ("texte.docx", archive({"word/document.xml": "<w/>"})),  # no content types part
        ("page.png", b"GIF89a" + b"\x00" * 20),
        ("a.pdf", b"MZ\x90\x00" + b"\x00" * 60),  # a Windows program
    ],
)
def test_look_alikes_are_refused(name, content):
    with translation.override("en"), pytest.raises(FileRefused, match="not accepted"):
        check_document(SimpleUploadedFile(name, content), max_bytes=1000)


def test_the_size_is_checked_before_the_content_is_read():
    with translation.override("en"), pytest.raises(FileRefused, match="too large"):
        check_document(SimpleUploadedFile("a.png", PNG * 100), max_bytes=100)


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("C:\\Users\\ana\\Entente signée.pdf", "Entente signée.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ('a"b<c>\x07d.pdf', "abcd.pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
        ("...", ""),
    ],
)
def test_the_name_kept_is_a_plain_file_name(sent, kept):
    assert clean_file_name(sent) == kept


def test_an_archive_is_checked_without_unpacking_it():
    """A zip bomb: a few kilobytes that unpack to hundreds of megabytes. Only the first
    bytes of the parts checked are unpacked, and other methods than deflate are refused."""
    import time

    def bomb(method, member: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=method) as made:
            made.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            with made.open(member, "w", force_zip64=True) as part:
                block = b"\x00" * (1 << 20)
                for _ in range(256):
                    part.write(block)
        return buffer.getvalue()

    deflated = bomb(zipfile.ZIP_DEFLATED, "content.xml")
    assert len(deflated) < 400_000  # 256 MiB inside
    started = time.monotonic()
    with translation.override("en"), pytest.raises(FileRefused, match="not accepted"):
        check_document(SimpleUploadedFile("a.odt", deflated), max_bytes=10**6)
    assert time.monotonic() - started < 1.0
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_BZIP2) as made:
        made.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        made.writestr("content.xml", "<office:document-content/>")
    bzipped = buffer.getvalue()
    with translation.override("en"), pytest.raises(FileRefused, match="not accepted"):
        check_document(SimpleUploadedFile("a.odt", bzipped), max_bytes=10**6)


def test_an_office_archive_whose_main_part_is_not_xml_is_refused():
    junk = archive(
        {"[Content_Types].xml": "<Types/>", "word/document.xml": "<<junk>>", "evil.html": "<p>"}
    )
    with translation.override("en"), pytest.raises(FileRefused, match="not accepted"):
        check_document(SimpleUploadedFile("a.docx", junk), max_bytes=10**6)


def _corrupted(member: str) -> bytes:
    """A docx whose part's compressed bytes are garbage (the archive's directory is fine)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as made:
        made.writestr("[Content_Types].xml", "<Types/>" * 50)
        made.writestr(member, "<w:document/>" * 50)
    content = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo(member)
    start = info.header_offset + 30 + len(member.encode()) + len(info.extra)
    content[start : start + info.compress_size] = b"\xff" * info.compress_size
    return bytes(content)


def _declaring_parts(count: int) -> bytes:
    """A docx whose end record (its last 22 bytes) says it holds `count` parts."""
    content = archive({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"})
    parts = count.to_bytes(2, "little")
    return content[:-14] + parts + parts + content[-10:]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.docx", _corrupted("word/document.xml")),
        # The end record says more parts than a document has: refused before reading them.
        ("many.docx", _declaring_parts(60_000)),
    ],
)
def test_an_archive_that_cannot_be_read_is_refused_not_a_crash(name, content):
    with translation.override("en"), pytest.raises(FileRefused, match="not accepted"):
        check_document(SimpleUploadedFile(name, content), max_bytes=10**6)


def test_an_archive_saying_it_unpacks_a_hundred_times_its_size_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as made:
        made.writestr("[Content_Types].xml", "<Types/>")
        made.writestr("word/document.xml", "<w:document>" + " " * 5_000_000 + "</w:document>")
    with translation.override("en"), pytest.raises(FileRefused, match="not accepted"):
        check_document(SimpleUploadedFile("a.docx", buffer.getvalue()), max_bytes=10**7)


def test_a_spreadsheet_written_by_a_real_office_library_is_accepted():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Entente", "Révision"])
    buffer = io.BytesIO()
    book.save(buffer)
    checked = check_document(SimpleUploadedFile("bilan.xlsx", buffer.getvalue()), max_bytes=10**6)
    assert checked.kind == "xlsx"
