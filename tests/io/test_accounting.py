"""Issue 14: no row is ever silently dropped, and a bad input never clobbers an output."""

import csv
import io

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import BadRowError, InputError
from voiceofcustomer.io.readers import CSV_FIELD_LIMIT, open_table, read_statements


def _all(source):
    return pd.concat(list(source.chunks()), ignore_index=True)


def _rows(n, start=1):
    return [f"GD{i:03d},第{i}条投诉，宽带很慢" for i in range(start, start + n)]


def _split(tmp_path, path, *extra, out_name="out.csv"):
    out = tmp_path / out_name
    res = CliRunner().invoke(main, ["split", str(path), "-o", str(out), "-q", *extra])
    return res, out


# -- unclosed quotes ------------------------------------------------------------------------
def _unclosed_to_eof(path):
    lines = ["工单编号,投诉内容"] + _rows(3) + ['GD004,"他说不行'] + _rows(8, 5)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 5  # line of the stray quote


def _unclosed_closed_later(path):
    # the stray quote is "closed" by a quote at the end of line 10: nothing in the
    # csv module's strict mode complains, 7 rows vanish into one text
    lines = ["工单编号,投诉内容"] + _rows(3) + ['GD004,"他说不行'] + _rows(4, 5) + ['GD009,最后说了一句"'] + _rows(3, 10)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 5


def _unclosed_mid_line(path):
    lines = ["工单编号,投诉内容"] + _rows(3) + ['GD004,"他说不行'] + _rows(3, 5) + ['GD008,他说"好"吧'] + _rows(4, 9)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 5


@pytest.mark.parametrize("make", [_unclosed_to_eof, _unclosed_closed_later, _unclosed_mid_line])
def test_unclosed_quote_is_an_error_naming_its_line(tmp_path, make):
    path = tmp_path / "t.csv"
    line = make(path)
    with pytest.raises(BadRowError, match=rf"t.csv: lines? {line}\b.*quote"):
        _all(open_table(path))


@pytest.mark.parametrize("make", [_unclosed_to_eof, _unclosed_closed_later, _unclosed_mid_line])
def test_unclosed_quote_with_skip_accounts_for_every_line(tmp_path, make):
    path = tmp_path / "t.csv"
    line = make(path)
    src = open_table(path, on_bad_rows="skip")
    df = _all(src)
    assert src.bad_rows and str(src.bad_rows[0][0]).startswith(str(line))
    # every physical line after the header is a row that came out or inside a reported range
    n_lines = len(path.read_text(encoding="utf-8").splitlines()) - 1
    spans = 0
    for where, _ in src.bad_rows:
        a, _, b = str(where).partition("-")
        spans += int(b or a) - int(a) + 1
    assert len(df) + spans == n_lines, (len(df), src.bad_rows)
    assert src.counts["records"] == src.counts["rows"] + src.counts["bad"]
    # QA: one unclosed quote took every row after it (``line 4-11``); now only its line is bad
    assert [where for where, _ in src.bad_rows] == [line]
    assert df["工单编号"].tolist() == [f"GD{i:03d}" for i in range(1, 13) if i != 4]


def test_unclosed_quote_cli_skip_lists_rows_and_tags_the_rest(tmp_path):
    path = tmp_path / "t.csv"
    _unclosed_closed_later(path)
    res, out = _split(tmp_path, path)
    assert res.exit_code == 2 and "line" in res.output and "quote" in res.output
    assert len(res.output.strip().splitlines()) == 1 and not out.exists()
    res, out = _split(tmp_path, path, "--on-bad-rows", "skip")
    assert res.exit_code == 0, res.output
    skipped = pd.read_csv(tmp_path / "out.skipped.csv", encoding="utf-8-sig", dtype=str)
    assert skipped["line"].tolist() == ["5"] and "quote" in res.output
    # only the line with the stray quote is skipped: the 11 other lines are rows
    st = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert st["turn"].nunique() == 12 - 1
    assert "GD004" not in set(st["ticket_id"]) and {"GD005", "GD009", "GD012"} <= set(st["ticket_id"])


def test_unclosed_quote_in_three_column_export(tmp_path):
    """The QA file: ``GD003,热线,"客服说会回电话，结果没有`` with seven valid rows after it."""
    path = tmp_path / "unclosed3.csv"
    texts = ["宽带晚上经常掉线", "话费多扣了二十元", '"客服说会回电话，结果没有', "营业厅排队一个小时",
             "套餐改了资费没变", "家里信号只有一格", "装机师傅迟到很久", "发票一直开不出来", "积分兑换不了", "退订后还在扣费"]
    path.write_text("工单编号,渠道,投诉内容\n" + "".join(f"GD{i:03d},热线,{t}\n" for i, t in enumerate(texts, 1)),
                    encoding="utf-8")
    res, out = _split(tmp_path, path)
    assert res.exit_code == 2 and not out.exists()
    msg = res.output.strip()
    assert len(msg.splitlines()) == 1 and "unclosed3.csv: line 4:" in msg and "quote" in msg
    assert "--on-bad-rows skip" in msg and "Traceback" not in msg
    res, out = _split(tmp_path, path, "--on-bad-rows", "skip")
    assert res.exit_code == 0, res.output
    skipped = pd.read_csv(tmp_path / "out.skipped.csv", encoding="utf-8-sig", dtype=str)
    assert skipped["line"].tolist() == ["4"]
    st = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert sorted(set(st["ticket_id"])) == [f"GD{i:03d}" for i in range(1, 11) if i != 3]


def test_legit_multiline_fields_are_not_flagged(tmp_path):
    path = tmp_path / "t.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["工单编号", "投诉内容"])
        w.writerow(["GD001", "第一行\n第二行, 还有逗号\n第三行"])
        w.writerow(["GD002", 'Dear sir,\nI want, to complain "loudly"'])
    assert _all(open_table(path))["投诉内容"].str.count("\n").tolist() == [2, 1]


# -- empty rows -----------------------------------------------------------------------------
def test_all_empty_rows_come_out_with_a_note(tmp_path):
    path = tmp_path / "t.csv"
    lines = ["工单编号,渠道,受理时间,投诉内容"]
    for i in range(30):
        lines.append(",,," if i % 3 else f"GD{i:03d},电话,2026-08-01,宽带第{i}次掉线")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    src = open_table(path)
    df = _all(src)
    assert len(df) == 30 and src.counts["empty_rows"] == 20
    res, out = _split(tmp_path, path)
    assert res.exit_code == 0, res.output
    st = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    assert st["turn"].nunique() == 30
    assert (st["note"] == "empty text").sum() == 20
    tagged = tmp_path / "tagged.csv"
    res = CliRunner().invoke(main, ["tag", str(path), "-o", str(tagged), "-q", "--jobs", "1"])
    assert res.exit_code == 0, res.output
    tg = pd.read_csv(tagged, encoding="utf-8-sig", keep_default_na=False)
    assert len(tg) == 30 and (tg["note"] == "empty text").sum() == 20 and tg["needs_review"].sum() >= 20


def test_all_empty_rows_in_xlsx_between_rows_are_kept(tmp_path):
    path = tmp_path / "t.xlsx"
    frame = pd.DataFrame({"编号": ["1", None, "3"], "内容": ["宽带慢", None, "信号差"]})
    frame.to_excel(path, index=False)
    df = _all(open_table(path))
    assert df["_row"].tolist() == [1, 2, 3] and df["内容"].tolist() == ["宽带慢", "", "信号差"]


@pytest.mark.parametrize("body, match", [("", "no data rows"), (",\n" * 10_000, "all 10000 data rows are empty")])
def test_header_only_or_all_empty_names_input_and_keeps_old_output(tmp_path, body, match):
    path = tmp_path / "in.csv"
    path.write_text("编号,内容\n" + body, encoding="utf-8")
    out = tmp_path / "out.csv"
    res, _ = _split(tmp_path, path)
    assert res.exit_code == 2 and "in.csv" in res.output and match in res.output, res.output
    assert len(res.output.strip().splitlines()) == 1
    assert not out.exists()
    out.write_bytes(b"good earlier output\r\n")
    for cmd in (["split"], ["tag"]):
        res = CliRunner().invoke(main, [*cmd, str(path), "-o", str(out), "-q"])
        assert res.exit_code == 2 and "in.csv" in res.output, res.output
        assert out.read_bytes() == b"good earlier output\r\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_jsonl_and_parquet_account_for_rows(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"id": "1", "text": "宽带慢"}\n\n[1, 2]\n{"id": "3", "text": null}\n{"id": "4", "text": "x", "new": 1}\n',
                    encoding="utf-8")
    with pytest.raises(BadRowError, match="line 3: is not a JSON object"):
        _all(open_table(path))
    src = open_table(path, on_bad_rows="skip")
    df = _all(src)
    assert df["_row"].tolist() == [1, 3] and [b[0] for b in src.bad_rows] == [3, 5]
    assert src.counts == {"records": 4, "rows": 2, "empty_rows": 0, "bad": 2, "blank_lines": 1}
    pd.DataFrame({"id": [None, " "], "text": [None, ""]}).to_parquet(tmp_path / "e.parquet")
    with pytest.raises(InputError, match="e.parquet: all 2 data rows are empty"):
        _all(open_table(tmp_path / "e.parquet"))


# -- large fields ---------------------------------------------------------------------------
def test_five_megabyte_cell_is_read(tmp_path):
    path = tmp_path / "big.csv"
    big = "宽带" * 2_600_000
    path.write_text(f'编号,内容\n1,"{big}"\n2,短\n', encoding="utf-8")
    df = _all(open_table(path))
    assert df["内容"].str.len().tolist() == [len(big), 1]
    assert len(read_statements_frame(path, big)) == 2


def read_statements_frame(path, big):
    st = path.with_name("st.csv")
    st.write_text(f'statement_id,text\na,"{big}"\nb,短\n', encoding="utf-8")
    return read_statements(st)


def test_field_over_the_limit_is_refused_with_a_correct_message(tmp_path, monkeypatch):
    import voiceofcustomer.io.readers as readers

    monkeypatch.setattr(readers, "CSV_FIELD_LIMIT", 1000)
    old = csv.field_size_limit(1000)
    try:
        path = tmp_path / "big.csv"
        path.write_text(f'编号,内容\n1,"{"长" * 2000}"\n', encoding="utf-8")
        with pytest.raises(BadRowError, match=r"line 2: a field longer than 1,000 characters"):
            _all(open_table(path))
    finally:
        csv.field_size_limit(old)
    assert CSV_FIELD_LIMIT >= 32 * 1024 * 1024


def test_lone_carriage_return_in_input_text_is_kept(tmp_path):
    path = tmp_path / "t.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([["编号", "内容"], ["1", "前\r后"], ["2", "好"]])
    path.write_bytes(buf.getvalue().encode("utf-8"))
    assert _all(open_table(path))["内容"].tolist() == ["前\r后", "好"]
