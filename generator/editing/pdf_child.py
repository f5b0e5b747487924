"""The child process of ``texts``: read one PDF with PDFium and print its pages as JSON. Only the standard library
and pypdfium2 are imported here, so that a child starts fast; the parent sets its limits (time, memory)."""

from __future__ import annotations

import json
import re
import sys

# What the loader refuses in a text (generator.records.load.BAD_CHARACTER), repeated here so that the child imports
# nothing of the generator: control characters but tab and line feed, direction controls, noncharacters, surrogates.
_REFUSED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)


def main(path: str, max_pages: int) -> int:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        words = "verschlüsselt" if "password" in str(exc).lower() else f"nicht lesbar ({exc})"
        print(json.dumps({"error": f"{words}: der Text ist nicht verfügbar"}))
        return 0
    count = len(document)
    pages, labels = [], []
    for index in range(min(count, max_pages)):
        text = document[index].get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n")
        text = text.replace("\ufffe", "-\n")  # PDFium's mark for a word hyphenated at a line's end
        pages.append(_REFUSED.sub("", text))
        label = " ".join(_REFUSED.sub("", document.get_page_label(index) or "").split())
        labels.append(label if label and label != str(index + 1) else None)
    version = getattr(pdfium, "PYPDFIUM_INFO", "")
    print(json.dumps({"pages": pages, "labels": labels, "more": count > max_pages, "version": str(version)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
