"""The child process of ``texts``: read one PDF with PDFium and print its pages as JSON. Only the standard library
and pypdfium2 are imported here, so that a child starts fast; the parent sets its limits (time, memory)."""

from __future__ import annotations

import json
import sys


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
        pages.append("".join(c for c in text if c in "\n\t" or (ord(c) >= 32 and c != "\x7f")))
        label = document.get_page_label(index)
        labels.append(label if label and label != str(index + 1) else None)
    version = getattr(pdfium, "PYPDFIUM_INFO", "")
    print(json.dumps({"pages": pages, "labels": labels, "more": count > max_pages, "version": str(version)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
