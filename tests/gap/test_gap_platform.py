"""voc gap on a 问卷星-style export, both SQ forms, and the reliability warnings."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError
from voiceofcustomer.gap.analysis import gap_analysis, read_codebook, read_responses
from voiceofcustomer.gap.wjx import map_platform_export
from voiceofcustomer.items.survey import DIMENSION_DESCRIPTIONS, SCALE_LABELS
from voiceofcustomer.labels.taxonomy import SERVQUAL_DIMENSIONS, ZH

DATA = Path(__file__).resolve().parents[1] / "data" / "gap"


def _platform_export(responses: pd.DataFrame, book: pd.DataFrame) -> pd.DataFrame:
    """The fixture's answers as a survey platform exports them: its own headers, option text."""
    out = pd.DataFrame({"序号": responses["respondent_id"], "提交答卷时间": "2026/11/20 10:01:02",
                        "所用时间": "300秒", "1、您本次评价的是哪一家营业厅？": responses["store"]})
    label = lambda v: SCALE_LABELS[int(v) - 1]  # noqa: E731
    for r in book.itertuples():
        out[f"2({r.e_text})"] = responses[f"E_{r.item_id}"].map(label)
    for r in book.itertuples():
        out[f"3、您目前使用的电信运营商实际做到以下各项了吗？—{r.p_text}"] = responses[f"P_{r.item_id}"].map(label)
    for d in SERVQUAL_DIMENSIONS:
        out[f"4({ZH['servqual'][d]}：{DIMENSION_DESCRIPTIONS[d]})"] = responses[f"W_{d}"]
    out["5、您还有什么意见和建议？"] = "无"
    return out


@pytest.fixture(scope="module")
def book():
    return read_codebook(DATA / "codebook.csv")


def test_platform_export_maps_to_the_codebook_and_gives_the_same_gaps(book, tmp_path):
    plain = read_responses(DATA / "responses.csv")
    export = _platform_export(plain, book)
    path = tmp_path / "wjx_export.xlsx"
    export.to_excel(path, index=False)
    via_export = gap_analysis(read_responses(path), book, by="营业厅")
    direct = gap_analysis(plain, book, by="store")
    assert via_export.summary["sq"] == pytest.approx(direct.summary["sq"])
    assert via_export.summary["sq_weighted"] == pytest.approx(direct.summary["sq_weighted"])
    np.testing.assert_allclose(via_export.items["gap"], direct.items["gap"])
    assert set(via_export.segments["营业厅"].sq["segment"]) == set(direct.segments["store"].sq["segment"])
    kinds = {w["kind"]: w for w in via_export.summary["warnings"]}
    assert "您还有什么意见和建议" in kinds["unmapped_columns"]["message"]
    assert via_export.summary["column_mapping"]["1、您本次评价的是哪一家营业厅？"] == "营业厅"


def test_ambiguous_header_is_refused(book):
    export = pd.DataFrame({"2(营业厅应该整洁明亮)": ["非常同意"], "9(营业厅应该整洁明亮)": ["同意"]})
    with pytest.raises(InputError, match="both look like E_T1"):
        map_platform_export(export, book)


def test_both_sq_forms(book):
    res = gap_analysis(read_responses(DATA / "responses.csv"), book)
    assert res.summary["sq_sum"] == pytest.approx(np.nansum(res.items["gap"]))
    assert res.summary["sq"] == pytest.approx(np.nanmean(res.dimensions["gap"]))


def test_low_alpha_and_negative_item_warnings(book):
    rng = np.random.default_rng(7)
    n = 60
    base = rng.integers(1, 8, n)
    resp = {"respondent_id": [f"r{i}" for i in range(n)]}
    for r in book.itertuples():
        e = np.clip(base + rng.integers(-1, 2, n), 1, 7)
        resp[f"E_{r.item_id}"] = e
        resp[f"P_{r.item_id}"] = e
    # T2 is marked reverse in the codebook but answered like T1: after recoding it runs against T1
    df = pd.DataFrame(resp)
    res = gap_analysis(df, book)
    kinds = [w["kind"] for w in res.summary["warnings"]]
    assert "low_alpha" in kinds and "negative_item_rest" in kinds
    flagged = " ".join(w["message"] for w in res.summary["warnings"] if w["kind"] == "negative_item_rest")
    # with two items, one warning of the pair, asking of the one marked reverse
    assert flagged.startswith("items T1 and T2 (tangibles)") and "T2 is marked reverse" in flagged
    assert "item R1" not in flagged


def test_report_is_chinese_with_item_text(book, tmp_path):
    out = tmp_path / "gap"
    res = CliRunner().invoke(main, ["gap", str(DATA / "responses.csv"), "--codebook", str(DATA / "codebook.csv"),
                                    "-o", str(out), "--by", "store"])
    assert res.exit_code == 0, res.output
    page = (out / "gap_report.html").read_text(encoding="utf-8")
    for text in ("SQ = Σ(Pᵢ − Eᵢ)", "SQ（维度差距均值）", "有形性", "营业厅应该整洁明亮", "差距 P−E", "分组：store"):
        assert text in page
    assert "Gap P − E per dimension" not in page
