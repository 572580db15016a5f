"""voc freq on tagged CSVs of two exports whose text and ids are in columns of no known name (a hotline's 客户原话 /
受理流水, a callback team's 回访实录 / 回访序号): --text-col and --id-col once per column, as voc split, analyze and
themes take them. Before, the option kept the last one given, so the first file was refused
('hotline_tagged.csv: no column '回访实录' for the text')."""

import pandas as pd
from click.testing import CliRunner

from voiceofcustomer.cli import main


def test_freq_reads_each_tagged_file_by_the_given_columns_it_has(data_dir, tmp_path):
    files = data_dir / "tagged_text_cols" / "*.csv"
    out = tmp_path / "freq"
    res = CliRunner().invoke(main, ["freq", str(files), "-o", str(out), "--text-col", "客户原话", "--text-col",
                                    "回访实录", "--id-col", "受理流水", "--id-col", "回访序号"])
    assert res.exit_code == 0, res.output
    assert "counted 5 of 5 statements" in res.stderr
    overall = pd.read_csv(out / "overall.csv", dtype=str, keep_default_na=False).set_index(["field", "label"])
    assert overall.loc[("issue", "broadband"), "examples"] == "LS20261103-02: 家里宽带每天晚上九点以后就断网。"
    assert overall.loc[("issue", "signal"), "examples"] == "HF-0873: 手机在地下车库一点信号都没有。"
    assert overall.loc[("stance", "praise"), "examples"] == "HF-0871: 装机师傅很耐心，把路由器也调好了。"


def test_a_tagged_file_with_none_of_the_given_columns_is_named_in_one_line(data_dir, tmp_path):
    files = data_dir / "tagged_text_cols" / "*.csv"
    res = CliRunner().invoke(main, ["freq", str(files), "-o", str(tmp_path / "freq"), "--text-col", "客户原话",
                                    "--text-col", "来电记录"])
    assert res.exit_code == 2
    line = res.stderr.strip()
    assert len(line.splitlines()) == 1 and line.startswith(
        f"Error: {data_dir / 'tagged_text_cols' / 'callback_tagged.csv'}: no column for the text among those given "
        "('客户原话', '来电记录'); give its column with one more --text-col"), line
