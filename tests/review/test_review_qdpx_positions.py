"""The .qdpx's selections count Unicode code points, as the REFI-QDA 1.5 standard says of text selections (10.2) and
QualCoder's import reads them: an emoji and a CJK Extension B character are one position each."""

import zipfile
from xml.etree import ElementTree as ET

from review_fixtures import tagged_frame

from voiceofcustomer.review.export import QDA_NS, export_qdpx
from voiceofcustomer.review.store import create_project


def q(tag):
    return f"{{{QDA_NS}}}{tag}"


def test_qdpx_positions_count_unicode_code_points(tmp_path):
    # REFI-QDA 1.5, 10.2: a text selection is given by code points, the file's first at 0. 😡 (U+1F621) and 𠀾
    # (U+2003E, CJK Extension B) are one code point each, two UTF-16 units and four UTF-8 bytes
    rows = tagged_frame(3)
    rows["source"] = "emoji.csv"
    rows.loc[0, "text"] = "😡𠀾网速太慢"
    rows.loc[1, "text"] = "装宽带等了一周"
    store = create_project(rows, tmp_path / "review.sqlite")
    store.close()
    z = zipfile.ZipFile(export_qdpx(tmp_path / "review.sqlite", tmp_path / "c.qdpx"))
    root = ET.fromstring(z.read("project.qde"))
    (source,) = root.iter(q("TextSource"))
    raw = z.read(f"Sources/{source.get('guid')}.txt")
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM: it would be code point 0
    text = raw.decode("utf-8")
    sel = {s.get("name"): (int(s.get("startPosition")), int(s.get("endPosition")))
           for s in source.iter(q("PlainTextSelection"))}
    lead = "用户0："  # the line starts with who speaks
    assert sel["t:1-s01"] == (len(lead), len(lead) + 6)  # 😡𠀾网速太慢: 6 code points (8 UTF-16 units)
    start, end = sel["t:2-s01"]
    assert text[start:end] == "装宽带等了一周"
    assert start == len(lead) + 6 + 1 + len("用户1：")  # the line before, its newline, the speaker
    assert len(text[:start].encode("utf-16-le")) // 2 == start + 2  # a UTF-16 count would be 2 more
