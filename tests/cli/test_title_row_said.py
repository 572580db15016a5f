"""An export read by the header under its title row is said so, by voc tag, voc split and voc analyze as by voc audit.

Since d0212f4 a ticket export whose row 1 is a title (2026年12月全市投诉工单明细 alone in A1, merged across, or that
sheet saved as CSV) is read by the header in row 2; voc audit and voc gap said which row they read as the header,
voc tag and voc analyze said nothing. tests/data/title_row/tickets_dec_title.csv: the title, the header, 4 tickets.
"""

from click.testing import CliRunner

from voiceofcustomer.cli import main

SAID = "tickets_dec_title.csv: header in row 2, under the title '2026年12月全市投诉工单明细' in row 1"


def test_tag_says_the_header_was_read_under_the_title(data_dir, tmp_path):
    res = CliRunner().invoke(main, ["tag", str(data_dir / "title_row" / "tickets_dec_title.csv"),
                                    "-o", str(tmp_path / "t.csv"), "--jobs", "1"])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if x.startswith("tagged "))
    assert line.startswith("tagged 4 rows (") and f"; {SAID}) → " in line, line
    plain = CliRunner().invoke(main, ["tag", str(data_dir / "tickets_small.csv"), "-o", str(tmp_path / "p.csv"),
                                      "--jobs", "1"])
    assert plain.exit_code == 0 and "under the title" not in plain.output


def test_split_says_the_header_was_read_under_the_title(data_dir, tmp_path):
    res = CliRunner().invoke(main, ["split", str(data_dir / "title_row" / "tickets_dec_title.csv"),
                                    "-o", str(tmp_path / "s.csv")])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if x.startswith("wrote "))
    assert "4 ticket rows" in line and f"; {SAID}) to " in line, line


def test_analyze_says_it_on_the_command_line_and_on_the_page(data_dir, tmp_path):
    res = CliRunner().invoke(main, ["analyze", str(data_dir / "title_row" / "tickets_dec_title.csv"),
                                    "-o", str(tmp_path / "r"), "--embedding", "lsa", "--jobs", "1"])
    assert res.exit_code == 0, res.output
    assert SAID in res.output
    page = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert ("标题行：tickets_dec_title.csv 第 1 行是标题（“2026年12月全市投诉工单明细”），不是表头：表头是第 2 行"
            in page)
