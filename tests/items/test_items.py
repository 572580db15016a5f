import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.items.candidates import ITEM_COLUMNS, candidate_items, check_item, load_item_bank
from voiceofcustomer.labels.taxonomy import SERVQUAL_DIMENSIONS


@pytest.mark.parametrize("e, p, failed", [
    ("优秀的营业厅应当环境整洁", "该营业厅环境整洁", []),
    ("优秀的营业厅应当环境整洁和服务热情", "该营业厅环境整洁和服务热情", ["double_barrelled"]),
    ("优秀的营业厅应当让客户不用排队", "该营业厅让客户不用排队", ["negative"]),
    ("优秀的电信运营商应当保证每一个基站的室分系统都能够长期稳定地正常运行下去", "该运营商的室分系统稳定运行", ["too_long", "jargon"]),
    ("优秀的电信运营商应当提供与宣传相符的网速", "该运营商提供与宣传相符的网速", []),
])
def test_quality_checks(e, p, failed):
    assert [c.code for c in check_item(e, p)] == failed


def test_item_bank_is_well_formed():
    bank = load_item_bank()
    assert len(bank) >= 150
    assert set(bank.servqual) == set(SERVQUAL_DIMENSIONS)
    assert bank.demand.nunique() == 7
    assert (bank.classic.str.lower() == "true").sum() == 22
    assert all(not check_item(r.e_text, r.p_text) for r in bank.itertuples())


def _statements():
    rows = [
        ("s1", "A", "宽带晚上老掉线，网速很不稳定", "reliability", "delivery", "broadband", "complaint", 0),
        ("s2", "B", "家里宽带一到晚上就断网", "reliability", "delivery", "broadband", "complaint", 0),
        ("s3", "C", "营业厅排队太久了", "responsiveness", "delivery", "efficiency", "complaint", 1),
        ("s4", "D", "希望营业厅多开几个窗口，排队时间短一点", "responsiveness", "delivery", "efficiency", "suggestion", 1),
        ("s5", "E", "营业员的工装很整洁", "tangibles", "delivery", "attitude", "praise", 2),
        ("s6", "F", "老人用手机上网有困难，希望有人教", "empathy", "delivery", "other", "suggestion", 3),
        ("s7", "M", "大家好", "none", "none", "other", "neutral", -1),
    ]
    df = pd.DataFrame(rows, columns=["statement_id", "speaker", "text", "servqual", "demand", "issue", "stance", "topic"])
    df["role"] = ["participant"] * 6 + ["moderator"]
    df["session"] = "fg1"
    df["topic_label"] = df["topic"].map({0: "宽带 · 掉线", 1: "排队 · 窗口", 2: "工装 · 整洁", 3: "老人 · 上网", -1: "未归类"})
    return df


def test_candidates_from_bank_with_evidence():
    res = candidate_items(_statements())
    items = res.items
    assert list(items.columns[: len(ITEM_COLUMNS)]) == ITEM_COLUMNS
    assert items.support.is_monotonic_decreasing
    top = items.iloc[0]
    assert top.servqual == "reliability" and top.support == 2 and "s1" in top.evidence and "s2" in top.evidence
    assert set(items.source) <= {"bank", "composed"}
    assert (items.checks == "ok").all()
    assert "s7" not in set(res.assignments.statement_id)  # moderator statements are not evidence
    cov = res.coverage[res.coverage.demand == "(all)"].set_index("servqual")
    assert cov.loc["assurance", "status"] == "no evidence"
    assert cov.loc["reliability", "candidates"] >= 1


def test_near_identical_candidates_merge_with_evidence_combined():
    bank = pd.DataFrame({
        "item_id": ["X1", "X2", "X3"], "servqual": ["reliability"] * 3, "demand": ["delivery"] * 3,
        "issue": ["broadband"] * 3,
        "e_text": ["优秀的电信运营商应当保持宽带连接稳定", "优秀的电信运营商应当保持宽带的连接稳定", "优秀的电信运营商应当提供快速的网速"],
        "p_text": ["该运营商保持宽带连接稳定", "该运营商保持宽带的连接稳定", "该运营商提供快速的网速"],
        "keywords": [["掉线"], ["断网"], ["网速慢"]],
    })
    res = candidate_items(_statements(), bank=bank)
    merged = res.items[res.items.item_id == "X1"].iloc[0]
    assert merged.support == 2 and merged.merged_from == "X2"
    assert "s1" in merged.evidence and "s2" in merged.evidence
    assert "X2" not in set(res.items.item_id)


def test_composed_item_for_uncovered_theme():
    bank = load_item_bank().iloc[:0]  # empty bank: every theme needs a composed item
    res = candidate_items(_statements(), bank=bank.assign(keywords=[]))
    # the broadband theme through its key phrase, the window wish through its need phrase
    assert set(res.items.source) == {"composed"} and len(res.items) == 2
    assert set(res.items.item_id) == {"NEW-T000", "NEW-N001"}
    assert res.items.p_text.str.startswith("该").all()
    assert res.items.e_text.str.startswith("优秀的").all()


def test_items_cli(tmp_path):
    src = tmp_path / "st.csv"
    _statements().to_csv(src, index=False, encoding="utf-8-sig")
    out = tmp_path / "items.xlsx"
    res = CliRunner().invoke(main, ["items", str(src), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    book = pd.read_excel(out, sheet_name=None)
    assert {"items", "coverage", "scale", "readme"} <= set(book)
    assert list(book["items"].columns[: len(ITEM_COLUMNS)]) == ITEM_COLUMNS
    res = CliRunner().invoke(main, ["items", str(src), "-o", str(tmp_path / "items.csv")])
    assert res.exit_code == 2 and ".xlsx" in res.output


def test_reverse_column_travels_from_items_to_codebook(tmp_path):
    """items.xlsx has the reverse column docs/survey.md describes; a true there is reverse in the codebook."""
    src = tmp_path / "st.csv"
    _statements().to_csv(src, index=False, encoding="utf-8-sig")
    out = tmp_path / "items.xlsx"
    assert CliRunner().invoke(main, ["items", str(src), "-o", str(out), "-q"]).exit_code == 0
    sheet = pd.read_excel(out, sheet_name="items", dtype=str)
    assert (sheet["reverse"] == "false").all()
    sheet["decision"] = "accept"
    sheet.loc[0, "reverse"] = "true"
    sheet.to_excel(tmp_path / "reviewed.xlsx", sheet_name="items", index=False)
    res = CliRunner().invoke(main, ["survey", str(tmp_path / "reviewed.xlsx"), "-o", str(tmp_path / "s"),
                                    "--format", "csv", "-q"])
    assert res.exit_code == 0, res.output
    book = pd.read_csv(tmp_path / "s" / "codebook.csv", dtype=str).set_index("item_id")
    assert book.loc[sheet.loc[0, "item_id"], "reverse"] == "true"
    assert (book.drop(index=sheet.loc[0, "item_id"])["reverse"] == "false").all()


def test_match_bank_is_the_step_that_assigns_statements_and_counts_contradictions():
    from voiceofcustomer.items.candidates import match_bank

    bank = pd.DataFrame({
        "item_id": ["X1", "X2"], "servqual": ["reliability", "tangibles"], "demand": ["delivery", "information"],
        "issue": ["broadband", "environment"],
        "e_text": ["优秀的电信运营商应当保持宽带连接稳定", "优秀的电信运营商应当提供精美的宣传资料"],
        "p_text": ["该运营商保持宽带连接稳定", "该运营商提供精美的宣传资料"],
        "keywords": [["掉线", "断网"], ["宣传", "资料", "精美"]],
    })
    use = _statements().iloc[:6].copy()
    posters = {"statement_id": "s8", "speaker": "G", "text": "营业厅里宣传海报太多了，到处贴宣传资料",
               "servqual": "tangibles", "demand": "information", "issue": "environment", "stance": "complaint"}
    use = pd.concat([use, pd.DataFrame([posters])], ignore_index=True)
    m = match_bank(use, bank)
    assert list(m.item_id) == ["X1", "X1", "", "", "", "", ""]
    assert (m.support_score[:2] >= 1.5).all() and (m.support_score[2:] == 0).all()
    assert m.against == {"X1": 0, "X2": 1}  # too many posters speaks against "精美的宣传资料"
    empty = match_bank(use, bank.iloc[:0])
    assert list(empty.item_id) == [""] * 7 and empty.against == {} and empty.scorer is None


def test_the_readme_sheet_says_what_share_is_a_share_of(tmp_path):
    """QA (new-user pass): the readme sheet said share is 占全部参与者陈述的比例, but it is support over the counted
    statements that have a SERVQUAL dimension (tickets' too, not those labelled none): on a focus group and an
    export, 25 / 0.0706 = 354, where frequencies counted 355 and the group's participants said 62."""
    from voiceofcustomer.items.candidates import write_items_workbook

    df = pd.concat([_statements(), pd.DataFrame([{"statement_id": "s8", "speaker": "E", "text": "我是开出租的",
                                                   "servqual": "none", "demand": "none", "issue": "other",
                                                   "stance": "neutral", "topic": -1, "role": "participant",
                                                   "session": "fg1", "topic_label": "未归类"}])], ignore_index=True)
    res = candidate_items(df)
    assert res.n_statements == 6  # s1–s6: neither the moderator's s7 nor s8, which has no dimension
    assert (res.items["share"] == (res.items["support"] / 6).round(4)).all()
    path = write_items_workbook(res, tmp_path / "items.xlsx")
    readme = " ".join(pd.read_excel(path, sheet_name="readme")["说明"].astype(str))
    assert "占全部参与者陈述" not in readme
    assert "share = support ÷ 计入统计且有 SERVQUAL 维度的陈述数（本次 6 条" in readme
