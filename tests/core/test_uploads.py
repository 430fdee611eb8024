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
