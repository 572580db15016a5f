"""Summary lines say one of a thing in the singular: '1 row has', not '1 rows have'."""
from pathlib import Path

from click.testing import CliRunner

from voiceofcustomer.cli.main import main

DATA = Path(__file__).resolve().parents[1] / "data"


def test_plural():
    from voiceofcustomer.cli.support import plural

    assert plural(1, "row") == "1 row"
    assert plural(0, "row") == "0 rows"
    assert plural(1204, "row") == "1,204 rows"
    assert plural(1, "row has", "rows have") == "1 row has"
    assert plural(3, "row has", "rows have") == "3 rows have"


def test_freq_says_1_row_has_no_usable_date(tmp_path):
    res = CliRunner().invoke(main, ["freq", str(DATA / "tagged_focus_group_and_tickets.csv"), "--date-col", "受理时间",
                                    "-o", str(tmp_path / "f")])
    assert res.exit_code == 0, res.output
    assert "1 row has no usable date in '受理时间'" in res.output
    assert "1 rows" not in res.output


def test_split_says_1_statement_and_1_totals_row(tmp_path):
    export = tmp_path / "one.csv"
    export.write_text("工单编号,受理时间,投诉内容\nA1,2026-11-02,家里宽带总是断线\n合计,,共1条\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["split", str(export), "-o", str(tmp_path / "s.csv")])
    assert res.exit_code == 0, res.output
    assert "1 totals row (合计 …) set aside" in res.output
    assert "1 totals rows" not in res.output

    export.write_text("工单编号,受理时间,投诉内容\nA1,2026-11-02,家里宽带总是断线\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["split", str(export), "-o", str(tmp_path / "s.csv")])
    assert res.exit_code == 0, res.output
    assert "wrote 1 statement (0 turns, 1 ticket row; 0 duplicates flagged" in res.output


def test_numbers_of_one_line_are_written_alike(tmp_path, monkeypatch):
    # 'wrote coded.xlsx: 1,204 statements (1203 that count), 2 decided; … wang 2 / 1203': plural() wrote the
    # first with a thousands separator, the line the others without; "ordering the queue of 1204 new statements",
    # "project …: 1204 statements (1204 new)" neither
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "review"))
    from review_fixtures import tagged_frame

    import voiceofcustomer.review.app as review_app
    from voiceofcustomer.review.store import ReviewStore

    df = tagged_frame(1204)
    df.loc[2, "role"] = "moderator"  # counts nowhere
    src = tmp_path / "tagged.csv"
    df.to_csv(src, index=False)
    monkeypatch.setattr(review_app, "serve", lambda store, **kw: None)  # no server: only the opening lines
    r = CliRunner().invoke(main, ["review", str(src), "--no-browser", "--coder", "wang"])
    assert r.exit_code == 0, r.output
    assert "ordering the queue of 1,204 new statements" in r.output, r.output
    assert f"project {tmp_path / 'review.sqlite'}: 1,204 statements (1,204 new)" in r.output, r.output
    store = ReviewStore.open_existing(tmp_path / "review.sqlite")
    for sid in ("t:1-s01", "t:2-s01"):
        store.decide(sid, {"issue": "billing"}, "wang")
    store.close()
    out = tmp_path / "coded.csv"
    r = CliRunner().invoke(main, ["export", str(tmp_path / "review.sqlite"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert r.output.strip() == (f"wrote {out}: 1,204 statements (1,203 that count), 2 decided; by coder, decided of "
                                "those that count (the page's 我已标注): wang 2 / 1,203")


def test_review_of_one_statement_says_one(tmp_path, monkeypatch):
    # "ordering the queue of 1 new statements"
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "review"))
    from review_fixtures import tagged_frame

    import voiceofcustomer.review.app as review_app

    src = tmp_path / "tagged.csv"
    tagged_frame(1).to_csv(src, index=False)
    monkeypatch.setattr(review_app, "serve", lambda store, **kw: None)
    r = CliRunner().invoke(main, ["review", str(src), "--no-browser", "--coder", "wang"])
    assert r.exit_code == 0, r.output
    assert "ordering the queue of 1 new statement\n" in r.output and "1 new statements" not in r.output, r.output
