"""voc review on tagged CSVs of two exports whose text is in columns of no known name (a hotline's 客户原话, a
callback team's 回访实录): --text-col once per column, as voc split, analyze, themes and freq take it. Before, the
option was given once for every table, so one project could not hold both ('hotline_tagged.csv: no column '回访实录'
for the text' with the second one given)."""

from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.review.export import coded_table


def test_review_opens_one_project_on_tables_of_different_text_columns(data_dir, tmp_path, monkeypatch):
    import voiceofcustomer.review.app as review_app

    monkeypatch.setattr(review_app, "serve", lambda store, **kw: None)  # no server: only the project
    d = data_dir / "tagged_text_cols"
    db = tmp_path / "review.sqlite"
    r = CliRunner().invoke(main, ["review", str(d / "hotline_tagged.csv"), str(d / "callback_tagged.csv"), "--db",
                                  str(db), "--no-browser", "--coder", "wang",
                                  "--text-col", "客户原话", "--text-col", "回访实录"])
    assert r.exit_code == 0, r.output
    assert "5 statements (5 new)" in r.output
    t = coded_table(db)
    assert t.groupby("source")["text"].apply(list).to_dict() == {
        "hotline_tagged.csv": ["家里宽带每天晚上九点以后就断网。", "上个月话费多扣了二十块，没人解释。"],
        "callback_tagged.csv": ["装机师傅很耐心，把路由器也调好了。", "营业厅办卡等了快一个小时。", "手机在地下车库一点信号都没有。"]}


def test_a_table_with_none_of_the_given_text_columns_is_named_in_one_line(data_dir, tmp_path, monkeypatch):
    d = data_dir / "tagged_text_cols"
    r = CliRunner().invoke(main, ["review", str(d / "hotline_tagged.csv"), str(d / "callback_tagged.csv"), "--db",
                                  str(tmp_path / "review.sqlite"), "--no-browser",
                                  "--text-col", "客户原话", "--text-col", "来电记录"])
    assert r.exit_code == 2 and not (tmp_path / "review.sqlite").exists()
    line = r.output.strip()
    assert len(line.splitlines()) == 1 and line.startswith(
        f"Error: {d / 'callback_tagged.csv'}: no column for the text among those given ('客户原话', '来电记录'); "
        "give its column with one more --text-col"), line
