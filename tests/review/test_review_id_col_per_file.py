"""voc review had no --id-col, while split, analyze, themes and freq take it once per column: a tagged table whose id
column has no known name (a hotline's 受理流水, a callback team's 回访序号) came into the project as hotline_tagged:1,
callback_tagged:1 …, ids found nowhere in the team's systems. Now --id-col, once or once per column as --text-col, and
the project keeps the user's ids.

Fixtures tests/data/tagged_text_cols/hotline_tagged.csv, callback_tagged.csv."""

from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.review.export import coded_table
from voiceofcustomer.review.project import open_project

TEXT_COLS = ["--text-col", "客户原话", "--text-col", "回访实录"]


def _review(data_dir, tmp_path, monkeypatch, *args):
    import voiceofcustomer.review.app as review_app

    monkeypatch.setattr(review_app, "serve", lambda store, **kw: None)  # no server: only the project
    d = data_dir / "tagged_text_cols"
    db = tmp_path / "review.sqlite"
    r = CliRunner().invoke(main, ["review", str(d / "hotline_tagged.csv"), str(d / "callback_tagged.csv"), "--db",
                                  str(db), "--no-browser", "--coder", "wang", *TEXT_COLS, *args])
    return r, db


def test_the_project_keeps_each_tables_own_ids(data_dir, tmp_path, monkeypatch):
    r, db = _review(data_dir, tmp_path, monkeypatch, "--id-col", "受理流水", "--id-col", "回访序号")
    assert r.exit_code == 0 and "5 statements (5 new)" in r.output, r.output
    ids = coded_table(db).set_index("statement_id")
    assert ids["source"].to_dict() == {"LS20261103-02": "hotline_tagged.csv", "LS20261103-05": "hotline_tagged.csv",
                                       "HF-0871": "callback_tagged.csv", "HF-0872": "callback_tagged.csv",
                                       "HF-0873": "callback_tagged.csv"}
    assert ids.at["HF-0873", "text"] == "手机在地下车库一点信号都没有。"  # each id with its own row's words


def test_a_table_with_none_of_the_given_id_columns_is_named_in_one_line(data_dir, tmp_path, monkeypatch):
    r, db = _review(data_dir, tmp_path, monkeypatch, "--id-col", "受理流水", "--id-col", "来电号")
    assert r.exit_code == 2 and not db.exists()
    line = r.output.strip()
    assert len(line.splitlines()) == 1 and line.startswith(
        f"Error: {data_dir / 'tagged_text_cols' / 'callback_tagged.csv'}: no column for the id among those given "
        "('受理流水', '来电号'); give its column with one more --id-col"), line


def test_open_project_takes_id_col(data_dir, tmp_path):
    d = data_dir / "tagged_text_cols"
    store = open_project([d / "hotline_tagged.csv"], tmp_path / "r.sqlite", text_col="客户原话", id_col="受理流水")
    store.close()
    assert coded_table(tmp_path / "r.sqlite")["statement_id"].tolist() == ["LS20261103-02", "LS20261103-05"]
