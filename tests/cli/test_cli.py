import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer import __version__
from voiceofcustomer.cli.main import main


@pytest.fixture
def runner():
    return CliRunner()


def test_version(runner):
    res = runner.invoke(main, ["--version"])
    assert res.exit_code == 0 and __version__ in res.output


def test_every_command_help_has_an_example(runner):
    for name in main.commands:
        res = runner.invoke(main, [name, "--help"])
        assert res.exit_code == 0, name
        assert "Example" in res.output, f"voc {name} --help has no example"


def test_split_transcript(runner, data_dir, tmp_path):
    out = tmp_path / "st.csv"
    res = runner.invoke(main, ["split", str(data_dir / "transcript_small.txt"), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, encoding="utf-8-sig")
    assert df.groupby("speaker")["turn"].nunique()["王敏"] == 4
    assert set(df.loc[df.speaker == "王敏", "role"]) == {"moderator"}


@pytest.mark.parametrize("ext", ["xlsx", "parquet", "jsonl"])
def test_split_output_formats(runner, data_dir, tmp_path, ext):
    out = tmp_path / f"st.{ext}"
    assert runner.invoke(main, ["split", str(data_dir / "transcript_small.txt"), "-o", str(out), "-q"]).exit_code == 0
    df = {"xlsx": pd.read_excel, "parquet": pd.read_parquet, "jsonl": lambda p: pd.read_json(p, lines=True)}[ext](out)
    assert len(df) > 9 and "statement_id" in df.columns


def _bad_inputs(tmp_path):
    cases = {}
    cases["missing"] = (tmp_path / "nope.csv", [], "not found")
    (tmp_path / "empty.csv").write_bytes(b"")
    cases["empty"] = (tmp_path / "empty.csv", [], "empty")
    (tmp_path / "bin.csv").write_bytes(b"\x00\x01binary\x00\xff")
    cases["binary"] = (tmp_path / "bin.csv", [], "binary")
    (tmp_path / "gbk.csv").write_bytes("编号,内容\n1,宽带很慢\n".encode("gbk"))
    cases["undecodable"] = (tmp_path / "gbk.csv", ["--encoding", "utf-8"], "--encoding gbk")
    (tmp_path / "cols.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    cases["no text column"] = (tmp_path / "cols.csv", [], "--text-col")
    (tmp_path / "bad.csv").write_text("编号,内容\n1,好\n2,a,b\n", encoding="utf-8")
    cases["malformed row"] = (tmp_path / "bad.csv", [], "line 3")
    with pd.ExcelWriter(tmp_path / "two.xlsx") as xw:
        pd.DataFrame({"内容": ["a"]}).to_excel(xw, sheet_name="s1", index=False)
        pd.DataFrame({"内容": ["b"]}).to_excel(xw, sheet_name="s2", index=False)
    cases["several sheets"] = (tmp_path / "two.xlsx", [], "--sheet")
    (tmp_path / "plain.txt").write_text("宽带很慢\n信号不好\n", encoding="utf-8")
    cases["no turns"] = (tmp_path / "plain.txt", ["--kind", "transcript"], "no speaker turns")
    return cases


def test_bad_inputs_one_line_exit_2_no_output(runner, tmp_path):
    for name, (path, extra, match) in _bad_inputs(tmp_path).items():
        out = tmp_path / "out" / f"{name}.csv"
        res = runner.invoke(main, ["split", str(path), "-o", str(out), "-q", *extra])
        assert res.exit_code == 2, (name, res.output)
        msg = res.output.strip()
        assert match in msg, (name, msg)
        assert str(path.name) in msg, (name, msg)
        assert "Traceback" not in msg and len(msg.splitlines()) == 1, (name, msg)
        assert not out.exists(), name
        assert not list((tmp_path / "out").glob("*.tmp")) if (tmp_path / "out").exists() else True


def test_skip_bad_rows_lists_them(runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("编号,内容\n1,宽带很慢\n2,a,b\n3,信号很差\n", encoding="utf-8")
    out = tmp_path / "st.csv"
    res = runner.invoke(main, ["split", str(path), "-o", str(out), "--on-bad-rows", "skip"])
    assert res.exit_code == 0, res.output
    assert "line 3" in res.output
    assert pd.read_csv(out, encoding="utf-8-sig")["ticket_id"].tolist() == [1, 3]
    assert pd.read_csv(tmp_path / "st.skipped.csv", encoding="utf-8-sig")["line"].tolist() == [3]


def test_split_machine_transcription_needs_and_takes_moderator(runner, tmp_path):
    """QA: a machine transcription (``说话人1 00:00:03`` lines) names no moderator; without a word
    every question counted as a customer statement. Now a warning says so and --moderator fixes it."""
    asr = tmp_path / "asr.txt"
    asr.write_text("说话人1 00:00:03\n大家觉得宽带怎么样？\n说话人2 00:00:15\n晚上老掉线。\n"
                   "说话人3 00:00:40\n我们小区也是。\n说话人1 00:01:02\n维修及时吗？\n说话人2 00:01:10\n第二天才来。\n",
                   encoding="utf-8")
    out = tmp_path / "st.csv"
    res = runner.invoke(main, ["split", str(asr), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert "no turn is the moderator's" in res.stderr and "--moderator" in res.stderr and str(asr) in res.stderr
    res = runner.invoke(main, ["split", str(asr), "-o", str(out), "-q", "--moderator", "说话人1"])
    assert res.exit_code == 0 and "moderator" not in res.stderr
    df = pd.read_csv(out, encoding="utf-8-sig")
    assert df.groupby("speaker")["role"].agg(set).to_dict() == {"说话人1": {"moderator"}, "说话人2": {"participant"},
                                                                "说话人3": {"participant"}}
    assert df.loc[df.speaker != "说话人1", "prompt_turn"].tolist() == [1, 1, 4]


def test_items_on_an_untagged_statements_table_names_the_file_and_the_command(runner, data_dir, tmp_path):
    """QA: `voc items` on `voc split`'s output said "statements table lacks columns: …" without the file."""
    st = tmp_path / "st.csv"
    assert runner.invoke(main, ["split", str(data_dir / "transcript_small.txt"), "-o", str(st), "-q"]).exit_code == 0
    res = runner.invoke(main, ["items", str(st), "-o", str(tmp_path / "items.xlsx")])
    assert res.exit_code == 2
    msg = res.stderr.strip()
    assert len(msg.splitlines()) == 1 and str(st) in msg and f"voc tag {st}" in msg
    assert not (tmp_path / "items.xlsx").exists()


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_tag_reads_an_old_excel_export_as_its_xlsx(runner, data_dir, tmp_path, suffix):
    """A ticket system's .xls was refused ('save it as .xlsx in Excel or WPS'); it is tagged as the same
    workbook saved as .xlsx is: the same rows, ids, own columns and labels."""
    books = data_dir / "workbooks"
    for name, src in (("xlsx", books / "tickets.xlsx"), ("other", books / f"tickets{suffix}")):
        res = runner.invoke(main, ["tag", f"{src}:投诉", "-o", str(tmp_path / f"{name}.csv"), "-q"])
        assert res.exit_code == 0, res.output
    other = pd.read_csv(tmp_path / "other.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(other, pd.read_csv(tmp_path / "xlsx.csv", dtype=str, keep_default_na=False))
    assert len(other) == 5 and other["工单编号"].tolist() == ["007", "G0102", "", "G0104", "G0105"]
    assert other["联系电话"].tolist()[0] == "13800138000" and other["servqual"].tolist()[0] != ""


def test_split_names_speakers_the_header_does_not_list(runner, data_dir, tmp_path):
    """QA: a transcriber wrote one participant two ways (吴女士 in the header and most turns, 吴老师 in
    one). voc split made two speakers of her without a word: 吴老师's words were counted and quoted
    apart, without her attributes. A warning names the unlisted speaker and the listed names she may be."""
    fg = tmp_path / "fg.txt"
    fg.write_text("主持人：周敏\n参与者：吴女士（中学教师，38岁）、林先生（司机）\n\n"
                  "周敏：大家平时怎么知道资费的？\n吴女士：营销短信太多，通知反而看漏了。\n"
                  "吴老师：资费说明的小字我都看不明白。\n林先生：对，字太小。\n众人：对对对。\n", encoding="utf-8")
    res = runner.invoke(main, ["split", str(fg), "-o", str(tmp_path / "st.csv"), "-q"])
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.stderr.splitlines() if "参与者" in ln]
    assert len(lines) == 1 and str(fg) in lines[0] and "吴老师 (吴女士?)" in lines[0]
    assert "林先生" not in lines[0] and "众人" not in lines[0] and "周敏" not in lines[0]
    res = runner.invoke(main, ["split", str(data_dir / "transcript_small.txt"), "-o", str(tmp_path / "s2.csv"), "-q"])
    assert res.exit_code == 0 and "参与者" not in res.stderr


def test_split_takes_the_clear_moderator_of_a_machine_transcription_and_says_so(runner, data_dir, tmp_path):
    """A speech-to-text transcript whose 说话人1 opens, asks and speaks between the others: taken for the moderator
    with a one-line note saying how to undo it; an unclear one keeps the warning; --moderator none takes no one."""
    clear, unclear = data_dir / "transcript_stt_moderator_clear.txt", data_dir / "transcript_stt_moderator_unclear.txt"
    out = tmp_path / "st.csv"
    res = runner.invoke(main, ["split", str(clear), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    notes = [ln for ln in res.stderr.splitlines() if "moderator" in ln and "customer group" not in ln]
    assert notes == [f"note: {clear}: names no moderator; took 说话人1 for the moderator (speaks first, asks in 4 of 4 "
                     "turns and speaks between the others 3 times; the others ask in 0 of 8); if that is wrong, give "
                     "--moderator NAME, or --moderator none for no moderator"]
    df = pd.read_csv(out, encoding="utf-8-sig")
    assert df.groupby("speaker")["role"].agg(set).to_dict() == {"说话人1": {"moderator"}, "说话人2": {"participant"},
                                                                "说话人3": {"participant"}}
    res = runner.invoke(main, ["split", str(unclear), "-o", str(out), "-q"])
    assert res.exit_code == 0 and "took" not in res.stderr and "no turn is the moderator's" in res.stderr
    res = runner.invoke(main, ["split", str(clear), "-o", str(out), "-q", "--moderator", "none"])
    assert res.exit_code == 0 and not [ln for ln in res.stderr.splitlines() if "moderator" in ln and "customer group" not in ln]
    assert set(pd.read_csv(out, encoding="utf-8-sig")["role"]) == {"participant"}
