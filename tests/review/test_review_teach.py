"""`voc train --add`: a team's decisions move predictions toward the team's convention, deterministically."""

import copy
import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.errors import InputError
from voiceofcustomer.labels import team_adapter as ta
from voiceofcustomer.labels.model import JOINT_ALPHA, JOINT_FIELDS, load_model, pmi_from_counts
from voiceofcustomer.review.store import create_project
from voiceofcustomer.review.teach import fit_adapter, held_out_mask, team_decisions

# A team convention the corpus does not teach: complaints about points (积分) redemption are
# `marketing` / `empathy` for this team.
_WHO = ["我", "我妈", "我们单位", "家里老人", "朋友"]
_WHAT = ["积分兑换的话费券", "积分换的流量包", "积分兑换的礼品", "积分商城的电影票", "积分抵扣的话费"]
_HOW = ["一直没到账", "过期了也没人说", "兑换页面总是失败", "被清零了"]
TEAM = {"servqual": "empathy", "demand": "business", "issue": "marketing", "stance": "complaint"}


def _texts(n, offset=0):
    out = []
    for i in range(offset, offset + n):
        out.append(f"{_WHO[i % 5]}{_WHAT[(i // 5) % 5]}{_HOW[(i // 25) % 4]}")
    return out


def _project(tmp_path, texts=None, ids=None):
    """A project whose every statement wang coded with the team's fields (``texts``: 40 distinct by default)."""
    texts = _texts(40) if texts is None else texts
    ids = [f"p{i:03d}" for i in range(len(texts))] if ids is None else ids
    df = pd.DataFrame({"statement_id": ids, "text": texts,
                       "servqual": "reliability", "demand": "function", "issue": "billing", "stance": "complaint",
                       **{f"{f}_conf": 0.4 for f in TEAM}})
    store = create_project(df, tmp_path / "review.sqlite")
    for sid in df["statement_id"]:
        store.decide(sid, TEAM, "wang")
    store.close()
    return tmp_path / "review.sqlite"


def test_team_decisions_and_holdout_split(tmp_path):
    db = _project(tmp_path)
    team = team_decisions(db)
    assert len(team) == 40 and (team["issue"] == "marketing").all()
    mask = held_out_mask(team["statement_id"], 0.2)
    assert 3 <= mask.sum() <= 14 and (held_out_mask(team["statement_id"], 0.2) == mask).all()


def test_statements_of_one_text_are_held_out_and_folded_together():
    # a ticket export repeats short complaints word for word under other ticket ids; with a split by id
    # alone, 5 of the 10 held-out decisions of a 200-ticket export had a twin among the taught ones, and
    # the card's "held-out" agreement measured memory (1.00 after on every field)
    from voiceofcustomer.review.teach import _fold_of

    texts = [f"{_texts(8)[i % 8]}" for i in range(80)]  # 8 texts, each under 10 ticket ids
    ids = [f"GD{20261100 + i}" for i in range(80)]
    folds = _fold_of(pd.DataFrame({"statement_id": ids, "text": texts}), 5)
    assert pd.Series(folds).groupby(texts).nunique().max() == 1
    mask = held_out_mask(ids, 0.2, texts)
    by_text = pd.Series(mask).groupby(texts).agg(["min", "max"])
    assert (by_text["min"] == by_text["max"]).all() and 0 < mask.sum() < 80
    assert pd.Series(folds).nunique() > 1
    # statements of texts of their own are split by their ids as before (a project's split does not move)
    unique = _texts(40)
    own = [f"p{i:03d}" for i in range(40)]
    assert (held_out_mask(own, 0.2, unique) == held_out_mask(own, 0.2)).all()


def _team_frame(texts, prefix="t"):
    return pd.DataFrame({"statement_id": [f"{prefix}{i:03d}" for i in range(len(texts))], "text": texts, **TEAM})


def test_adapter_without_decisions_is_exactly_the_base_model():
    base = load_model(None)
    texts = ["宽带又断了，修了三次都没好", "谢谢", "话费扣得莫名其妙"] + _texts(5)
    taught = fit_adapter(base, _team_frame([]))
    p0, p1 = base.predict_proba(texts), taught.predict_proba(texts)
    assert all(np.array_equal(p0[f], p1[f]) for f in p0)
    pd.testing.assert_frame_equal(base.predict(texts), taught.predict(texts))


def test_adapter_learns_the_team_convention_deterministically_and_leaves_the_base_alone():
    base = load_model(None)
    unseen = _texts(30, offset=60)
    before = base.predict_proba(unseen)
    team = _team_frame(_texts(40))
    report = {}
    m1, m2 = fit_adapter(base, team, report=report), fit_adapter(base, team.iloc[::-1])  # input order does not matter
    # the cross-validated check kept the adapter where the team departs from the base model
    assert report["issue"]["chosen"] != "base" and report["servqual"]["chosen"] != "base"
    assert report["issue"][report["issue"]["chosen"]] > report["issue"]["base"]
    p1, p2 = m1.predict_proba(unseen), m2.predict_proba(unseen)
    assert all(np.array_equal(p1[f], p2[f]) for f in p1)
    assert all(np.array_equal(before[f], base.predict_proba(unseen)[f]) for f in before)  # base unchanged
    after, was = m1.predict(unseen), base.predict(unseen)
    for f in ("issue", "servqual"):
        assert (after[f] == TEAM[f]).mean() >= 0.8 > (was[f] == TEAM[f]).mean(), f
    # statements unlike the team's decisions keep (almost always) the base model's labels
    other = ["宽带又断了，修了三次都没好", "信号太差了，打电话总是断", "客服态度太差了", "营业厅办理很快，点赞"]
    assert (m1.predict(other)["issue"] == base.predict(other)["issue"]).mean() >= 0.75


def test_min_win_is_per_field_and_can_keep_the_base_model():
    """``min_win`` for one field: an adapter must win that share of bootstrap resamples of the decisions
    (stance 0.9 by default); more than 1 can never be met, so that field keeps the base model."""
    base = load_model(None)
    team = _team_frame(_texts(40))
    rep = {}
    fit_adapter(base, team, report=rep, min_win={"issue": 1.01})
    assert rep["issue"]["chosen"] == "base" and rep["servqual"]["chosen"] != "base"
    assert any(k.startswith("win") for k in rep["issue"])  # the share was computed and fell short
    assert not any(k.startswith("win") for k in rep["servqual"])  # no bootstrap where none was asked


@pytest.mark.slow
@pytest.mark.parametrize("method", ["adapter", "refit"])
def test_train_add_moves_predictions_toward_the_corrections(tmp_path, small_corpus, method):
    db = _project(tmp_path)
    runner = CliRunner()
    args = ["train", str(small_corpus), "--add", str(db), "--method", method, "-q"] + (
        ["--weight", "3"] if method == "refit" else [])
    r1 = runner.invoke(main, args + ["-o", str(tmp_path / "m1")])
    assert r1.exit_code == 0, r1.output
    r2 = runner.invoke(main, args + ["-o", str(tmp_path / "m2")])
    assert r2.exit_code == 0, r2.output
    unseen = _texts(30, offset=60)  # phrasings the team never coded
    m1, m2 = load_model(tmp_path / "m1"), load_model(tmp_path / "m2")
    p1, p2 = m1.predict_proba(unseen), m2.predict_proba(unseen)
    assert all(np.array_equal(p1[f], p2[f]) for f in p1)  # deterministic
    before = load_model(None).predict(unseen)
    after = m1.predict(unseen)
    for f in ("issue", "servqual"):
        assert (after[f] == TEAM[f]).mean() >= 0.8 > (before[f] == TEAM[f]).mean(), f
    metrics = json.loads((tmp_path / "m1" / "metrics.json").read_text(encoding="utf-8"))
    held = metrics["team_held_out"]
    assert metrics["n_team"] == 40 and held["n_test"] >= 5 and metrics["method"] == method
    assert held["after"]["issue"]["accuracy"] > held["before"]["issue"]["accuracy"]
    card = (tmp_path / "m1" / "README.md").read_text(encoding="utf-8")
    assert "held-out decisions" in card and "| issue |" in card and f"--method {method}" in card
    assert "nan" not in card  # an undefined κ (one value in the held-out rows) reads "–"
    # 40 decisions, a fifth held out: too few distinct texts to trust, said on the card and by the command
    assert f"**Warning: the held-out decisions are {held['n_test_distinct']} distinct texts" in card
    assert f"warning: the team held-out agreement rests on {held['n_test_distinct']} distinct texts" in r1.output
    if method == "adapter":  # the per-field check kept the adapter where the team departs from the base model
        assert metrics["adapter_selection"]["issue"]["chosen"] != "base"
        assert "## Where the adapter is used" in card and "Used for: " in card and "issue" in card.split("Used for: ")[1]
        # the team codes every points complaint `marketing` whatever the model says: a recoding, so by default
        # the check also tried the convention map for that field, and the card names the recoding
        found = metrics["adapter_selection"]["issue"]["recodings"]
        assert metrics["convention_map"] == "auto" and [r["to"] for r in found] == ["marketing"] * len(found) and found
        assert found[0]["n"] >= 5 and found[0]["n_same"] < found[0]["n"]
        assert "| base | adapter0 | adapter1 | adapter2 | used |" in card.replace("macro-F1 base", "base")
        assert "### Recodings seen in the decisions" in card and f"| issue | {found[0]['from']} | marketing |" in card
        assert "that prior now counts the corpus's statements of each recoded class as the team chose them" in card
        unused = metrics["adapter_selection"]["issue"].get("unused", [])
        assert unused and all(f"issue `{a}`" in card for a in unused) and "the taught model never gives" in card
        r3 = runner.invoke(main, args + ["--no-convention-map", "-o", str(tmp_path / "m3")])
        assert r3.exit_code == 0, r3.output
        card3 = (tmp_path / "m3" / "README.md").read_text(encoding="utf-8")
        assert "--no-convention-map" in card3 and "| base | adapter0 | adapter1 | used |" in card3.replace(
            "macro-F1 base", "base") and "Recodings seen" not in card3
        assert json.loads((tmp_path / "m3" / "metrics.json").read_text(encoding="utf-8"))["convention_map"] is False
    # voc tag --model uses it
    inp = tmp_path / "new.csv"
    pd.DataFrame({"content": unseen[:5]}).to_csv(inp, index=False)
    r = runner.invoke(main, ["tag", str(inp), "-o", str(tmp_path / "out.csv"), "--model", str(tmp_path / "m1"),
                             "--jobs", "1", "-q"])
    assert r.exit_code == 0, r.output
    assert (pd.read_csv(tmp_path / "out.csv", encoding="utf-8-sig")["issue"] == "marketing").mean() >= 0.8


def test_train_add_without_decisions_is_a_clear_error(tmp_path):
    df = pd.DataFrame({"statement_id": ["a"], "text": ["宽带断了"], "servqual": "reliability", "demand": "delivery",
                       "issue": "broadband", "stance": "complaint"})
    create_project(df, tmp_path / "r.sqlite").close()
    r = CliRunner().invoke(main, ["train", "--add", str(tmp_path / "r.sqlite"), "-o", str(tmp_path / "m")])
    assert r.exit_code == 2 and "no decided statements" in r.output


@pytest.mark.parametrize("flag", ["--convention-map", "--no-convention-map"])
def test_convention_map_without_a_project_is_a_clear_error(tmp_path, flag):
    r = CliRunner().invoke(main, ["train", flag, "-o", str(tmp_path / "m"), "-q"])
    assert r.exit_code != 0 and f"{flag} needs --add" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "m").exists()


def test_the_convention_map_is_tried_only_where_the_decisions_show_a_recoding():
    """A team that agrees with the model (its decisions are the model's own labels, a few changed at random)
    shows no recoding: by default the check does not try the map, so it cannot pick it by chance; asked
    for, it is tried for every field; a bad value is a clear error."""
    base = load_model(None)
    texts = ["宽带又断了，修了三次都没好", "信号太差了，打电话总是断", "客服态度太差了", "营业厅办理很快，点赞",
             "话费扣得莫名其妙", "流量没用就没了", "装宽带等了一个星期", "10086一直打不通"] * 5
    texts = [f"{t}{'！' * (i // 8)}" for i, t in enumerate(texts)]
    team = base.predict(texts)[list(TEAM)].assign(statement_id=[f"a{i:03d}" for i in range(len(texts))], text=texts)
    team.loc[::7, "issue"] = "other"
    auto, forced = {}, {}
    fit_adapter(base, team, report=auto)
    fit_adapter(base, team, report=forced, convention_map=True)
    assert all("adapter2" not in r and "recodings" not in r for r in auto.values())
    assert all("adapter2" in r for r in forced.values())
    with pytest.raises(InputError, match="convention_map"):
        fit_adapter(base, team, convention_map="yes")


def test_a_kept_recoding_moves_the_joint_label_prior_into_the_teams_classes():
    """The model decides servqual, demand and issue together with a prior from the corpus's label triples.
    When the team codes a class as another and an adapter follows it, that prior is re-derived in the
    team's classes (the corpus's counts of the recoded class shared as the team chose), so it no longer pulls
    the other fields toward what goes with a class the team does not use; a team without a recoding keeps
    the shipped prior."""
    base = load_model(None)
    texts = ["宽带又断了，修了三次都没好", "信号太差了，打电话总是断", "客服态度太差了", "营业厅办理很快，点赞",
             "话费扣得莫名其妙", "流量没用就没了", "装宽带等了一个星期", "10086一直打不通",
             "这个月话费怎么多扣了二十", "账单上多了一笔不认识的费用"] * 6
    texts = [f"{t}{'！' * (i // 10)}" for i, t in enumerate(texts)]
    team = base.predict(texts)[list(TEAM)].assign(statement_id=[f"a{i:03d}" for i in range(len(texts))], text=texts)
    assert (team["issue"] == "billing").sum() >= 10
    team["issue"] = team["issue"].replace("billing", "marketing")  # the team's convention
    report = {}
    taught = fit_adapter(base, team, report=report)
    found = report["issue"].get("recodings")
    assert found and {(r["from"], r["to"]) for r in found} >= {("billing", "marketing")}
    assert report["issue"]["chosen"] != "base"  # an adapter follows the convention
    axis, classes = JOINT_FIELDS.index("issue"), base.classes_["issue"]
    expected = ta.recode_counts(base.label_counts_ - JOINT_ALPHA, axis, classes, found) + JOINT_ALPHA
    np.testing.assert_allclose(taught.label_pmi_, pmi_from_counts(expected))
    b, m = classes.index("billing"), classes.index("marketing")
    assert taught.label_counts_[:, :, b].sum() < base.label_counts_[:, :, b].sum()
    assert taught.label_counts_[:, :, m].sum() > base.label_counts_[:, :, m].sum()
    np.testing.assert_allclose(base.label_pmi_, pmi_from_counts(base.label_counts_))  # the base is not changed
    assert fit_adapter(base, team, recode_prior=False).label_pmi_ is base.label_pmi_  # as before round 11
    older = copy.copy(base)  # a model saved before it kept its label counts is taught as before
    older.__dict__.pop("label_counts_")
    assert fit_adapter(older, team).label_pmi_ is base.label_pmi_


def test_a_recoded_class_the_team_never_uses_is_never_given():
    """The team's decisions never use `billing` (it codes those posts `marketing`): the taught model hands
    billing's whole probability to marketing, so it never gives a class outside the team's codebook;
    ``drop_unused=False`` keeps the class (only the adapter's learnt shift)."""
    base = load_model(None)
    texts = ["话费扣得莫名其妙", "这个月话费怎么多扣了二十", "账单上多了一笔不认识的费用", "宽带又断了，修了三次都没好",
             "客服态度太差了", "信号太差了，打电话总是断"] * 8
    texts = [f"{t}{'！' * (i // 6)}" for i, t in enumerate(texts)]
    team = base.predict(texts)[list(TEAM)].assign(statement_id=[f"b{i:03d}" for i in range(len(texts))], text=texts)
    team["issue"] = team["issue"].replace("billing", "marketing")
    report = {}
    taught = fit_adapter(base, team, report=report)
    assert report["issue"]["unused"] == ["billing"]
    b = base.classes_["issue"].index("billing")
    unseen = ["话费又乱扣了，一个月多出三十块", "套餐外的费用到底怎么算的", "宽带断网一整天"]
    assert (taught.predict_proba(unseen)["issue"][:, b] == 0).all()
    assert "billing" not in set(taught.predict(texts + unseen)["issue"])
    kept = fit_adapter(base, team, drop_unused=False)
    assert (kept.predict_proba(unseen)["issue"][:, b] > 0).all()
    same = base.predict(texts)[list(TEAM)].assign(statement_id=team["statement_id"], text=texts)
    assert fit_adapter(base, same).label_pmi_ is base.label_pmi_


def test_near_twins_differing_in_a_number_are_held_out_and_folded_together():
    # 这个月多扣了19块 / 这个月多扣了49块, an order or phone number, a date: held out by exact text, all 16 held-out
    # decisions of a written 200-ticket project had a near-twin among the taught ones (the card's "after" 1.00)
    from voiceofcustomer.review.teach import _fold_of

    tpl = ["这个月多扣了{}块", "订单号A{}的宽带没人来装", "手机号139{}交了费还停机", "{}月3号说好上门维修，结果没来",
           "积分兑换的话费券{}天了还没到账"]
    texts = [tpl[i % 5].format(10 + 7 * i) + ("！" if i % 3 else "") for i in range(100)]
    ids = [f"GD{20261100 + 13 * i}" for i in range(100)]
    mask = held_out_mask(ids, 0.2, texts)
    by_tpl = pd.Series(mask).groupby([i % 5 for i in range(100)]).agg(["min", "max"])
    assert (by_tpl["min"] == by_tpl["max"]).all()
    folds = _fold_of(pd.DataFrame({"statement_id": ids, "text": texts}), 5)
    assert pd.Series(folds).groupby([i % 5 for i in range(100)]).nunique().max() == 1
    # other words are other texts: split by their ids as before
    own = [f"{_texts(40)[i]}{i}" for i in range(40)]
    assert (held_out_mask([f"p{i:03d}" for i in range(40)], 0.2, _texts(40)) ==
            held_out_mask([f"p{i:03d}" for i in range(40)], 0.2)).all() and len({*own}) == 40


def test_the_card_and_the_panel_warn_when_the_held_out_rows_are_few_distinct_texts(tmp_path, small_corpus):
    """A small project's held-out agreement read as any other ('12 of the team's decisions … were held out', a
    table, 'read differences under ~0.05 as noise') though its held-out rows were a few texts and their near-twins:
    now the card and the Teach panel's summary give the distinct held-out texts and, under
    teach.MIN_DISTINCT_HELD_OUT (30), a plain warning before the table, with the 95% spread of an accuracy there."""
    from voiceofcustomer.review.jobs import teach_into
    from voiceofcustomer.review.queue import twin_key
    from voiceofcustomer.review.teach import MIN_DISTINCT_HELD_OUT, _write_card

    texts = [f"{_texts(20)[i % 20]}，这个月扣了{10 + i}块" for i in range(80)]  # 20 texts, each 4 near-twins
    ids = [f"GD{20261100 + 7 * i}" for i in range(80)]
    db = _project(tmp_path, texts, ids)
    summary = teach_into(db, tmp_path / "m", corpus=small_corpus)
    metrics = json.loads((tmp_path / "m" / "metrics.json").read_text(encoding="utf-8"))
    held = metrics["team_held_out"]
    mask = held_out_mask(ids, 0.2, texts)
    assert held["n_test"] == mask.sum() >= 5
    assert held["n_test_distinct"] == len({twin_key(t) for t in np.array(texts)[mask]}) < held["n_test"]
    n, d = held["n_test"], held["n_test_distinct"]
    assert (summary["n_held_out"], summary["n_held_out_distinct"], summary["min_distinct_held_out"]) == (n, d, 30)
    assert summary["held_out_spread"] == round(1.96 * (0.25 / d) ** 0.5, 2)
    card = (tmp_path / "m" / "README.md").read_text(encoding="utf-8")
    warning = (f"**Warning: the held-out decisions are {d} distinct texts (near-twins counted once), fewer than 30: "
               "the numbers below cannot be trusted.**")
    assert warning in card and card.index(warning) < card.index("| field | macro-F1 before")
    assert f"uncertain by about ±{1.96 * (0.25 / d) ** 0.5:.2f} (95%)" in card and "~0.05" not in card
    # enough distinct held-out texts: the count, no warning
    metrics["team_held_out"]["n_test_distinct"] = MIN_DISTINCT_HELD_OUT
    _write_card(tmp_path / "m", metrics, small_corpus)
    card = (tmp_path / "m" / "README.md").read_text(encoding="utf-8")
    assert "Warning" not in card and "The held-out decisions are 30 distinct texts (near-twins counted once)." in card
    assert "uncertain by about ±0.18 (95%)" in card


def _few_texts_project(tmp_path):
    """25 decisions of 6 texts and their near-twins (other amounts): the fixed split holds out 4 of them."""
    base = _texts(6)
    texts = [f"{base[i % 6]}，这个月扣了{10 + i}块" for i in range(25)]
    ids = [f"GD{20261100 + 7 * i}" for i in range(25)]
    assert held_out_mask(ids, 0.2, texts).sum() == 4
    return _project(tmp_path, texts, ids)


def test_the_command_and_the_panel_say_what_was_taught_and_why_no_agreement_was_measured(tmp_path, small_corpus):
    """voc train --add said "trained on 16976 corpus statements + 25 team decisions" for the default adapter,
    which trains on no corpus statement (it corrects the model trained on them) — while the Teach panel said an
    adapter was fitted over that model; and with 25 decisions the panel said "决定太少，无法留出一部分 …（需要留出
    5 个、训练 5 个）", the command nothing, neither how many the split held out. Now both say the same."""
    from voiceofcustomer.labels.model import load_corpus
    from voiceofcustomer.review.jobs import teach_into

    db = _few_texts_project(tmp_path)
    n = len(load_corpus(small_corpus))
    r = CliRunner().invoke(main, ["train", "--add", str(db), str(small_corpus), "-o", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    assert f"fitted a team adapter on 25 team decisions over the model trained on {n} corpus statements" in r.output
    assert "trained on" not in r.output.replace("model trained on", "")
    why = ("no team agreement measured: the fixed split holds out about 20% of the decisions' 6 distinct texts "
           "(near-twins together), here 4 of the 25 decisions, leaving 21 to teach, and each side needs at least 5")
    assert f"note: {why}" in r.output
    card = (tmp_path / "m" / "README.md").read_text(encoding="utf-8")
    assert "No team agreement measured: the fixed split holds out about 20% of the decisions' 6 distinct texts" in card
    summary = teach_into(db, tmp_path / "m2", corpus=small_corpus)
    assert summary["n_held_out"] == 0
    assert summary["summary_zh"] == (
        f"在用 {n} 条语料陈述训练的模型之上，用 25 个团队决定拟合了团队适配器；没有测团队一致性：固定的划分按决定中的 6 条"
        "不同的文字（只差数字的近似重复算一条）留出约 20%，这次在 25 个决定中留出 4 个、留下 21 个来教，而两边各需至少 5 个；"
        "请再标注一些（不同的文字，而不是已标注文字的近似重复），然后再教。")
    r = CliRunner().invoke(main, ["train", "--add", str(db), str(small_corpus), "--method", "refit", "-o",
                                  str(tmp_path / "m3")])
    assert r.exit_code == 0, r.output
    assert f"retrained on {n} corpus statements + 25 team decisions × 3 → " in r.output


@pytest.mark.slow
def test_the_shipped_models_own_corpus_size_is_said(tmp_path, monkeypatch):
    """The adapter builds on the shipped model, trained on the corpus as it was then: with a corpus part added
    since (16976 lines, the model trained on 16785) the command said 16976."""
    from voiceofcustomer import resources

    models = tmp_path / "models"
    models.mkdir()
    (models / "metrics.json").write_text(json.dumps({"n_statements": 12345}), encoding="utf-8")
    monkeypatch.setattr(resources, "model_dir", lambda: models)  # the model itself is still the shipped one
    db = _few_texts_project(tmp_path)
    r = CliRunner().invoke(main, ["train", "--add", str(db), "-o", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    assert "fitted a team adapter on 25 team decisions over the model trained on 12,345 corpus statements" in r.output


def test_the_command_the_card_and_the_panel_say_where_coders_disagree(tmp_path, small_corpus):
    """Two coders of one project, wang and li, coded the same rows and disagreed on the issue of some: voc train
    --add taught each field's latest standing decision (li's, who coded later) and said nothing, so the model
    learnt one coder's view of rows the team had not settled. Now the command warns, the card and the Teach
    panel's summary say it, with how many and which fields."""
    from voiceofcustomer.review.jobs import teach_into
    from voiceofcustomer.review.store import ReviewStore

    db = _few_texts_project(tmp_path)  # wang coded all 25 with the team's fields
    store = ReviewStore.open_existing(db)
    ids = store.statements_frame()["statement_id"].tolist()
    for sid in ids[:6]:  # li agrees on 3 rows, and on 3 codes another issue (and on one of them another stance)
        store.decide(sid, TEAM, "li")
    for sid in ids[6:9]:
        store.decide(sid, {**TEAM, "issue": "billing"}, "li")
    store.decide(ids[8], {**TEAM, "issue": "billing", "stance": "suggestion"}, "li")
    store.close()
    r = CliRunner().invoke(main, ["train", "--add", str(db), str(small_corpus), "-o", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    said = ("coders disagree on 3 of the 25 decided statements (issue 3, stance 1): each was taught its latest "
            "decision, whoever made it; settle them (`voc agreement review.sqlite -o agreement.xlsx` lists them) and "
            "teach again")
    assert f"warning: {said}" in r.output
    metrics = json.loads((tmp_path / "m" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["team_disagreeing"] == {"statements": 3, "decided": 25, "fields": {"issue": 3, "stance": 1},
                                           "projects": ["review.sqlite"]}
    assert f"**Warning: C{said[1:]}.**" in (tmp_path / "m" / "README.md").read_text(encoding="utf-8")
    summary = teach_into(db, tmp_path / "m2", corpus=small_corpus)
    assert summary["summary_zh"].endswith(
        "注意：编码员在 25 个已决定陈述中的 3 个上意见不一（问题类别 3 个，陈述类型 1 个）：每个都按最新的决定来教，不论是谁做的；"
        "请先统一（voc agreement review.sqlite -o agreement.xlsx 会列出它们），再教一次。")
    # coders who agree: nothing said
    r = CliRunner().invoke(main, ["train", "--add", str(_few_texts_project(tmp_path / "one")), str(small_corpus),
                                  "-o", str(tmp_path / "m3")])
    assert r.exit_code == 0 and "disagree" not in r.output


def test_the_command_says_where_the_adapter_is_used(tmp_path, small_corpus):
    """20 decisions of a two-coder project: voc train --add said "fitted a team adapter on 20 team decisions …"
    and only the model card, "Used for: no field", that the adapter was kept out of every field (it did not beat
    the model alone in cross-validation on the decisions): a team tagged with a model that labels as the model
    alone does, believing it taught. Now the command says where the adapter is used, and where not."""
    from voiceofcustomer.labels.taxonomy import FIELDS
    from voiceofcustomer.review.teach import adapter_use_note

    db = _few_texts_project(tmp_path)
    r = CliRunner().invoke(main, ["train", "--add", str(db), str(small_corpus), "-o", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    sel = json.loads((tmp_path / "m" / "metrics.json").read_text(encoding="utf-8"))["adapter_selection"]
    kept = [f for f in FIELDS if sel[f]["chosen"] == "base"]
    assert kept, sel  # the 25 decisions of 6 texts do not beat the model alone everywhere
    used = [f for f in FIELDS if f not in kept]
    why = "it did not beat the model alone there, cross-validated on the team's decisions"
    said = (f"the team adapter is used for no field ({why}), so the taught model labels as the model alone does; "
            "code more statements and teach again" if not used else
            f"the team adapter is used for {', '.join(used)}; {', '.join(kept)} keep the model alone's labels ({why})")
    assert f"note: {said} (see {tmp_path / 'm' / 'README.md'})" in r.output, r.output
    card = (tmp_path / "m" / "README.md").read_text(encoding="utf-8")
    assert f"Used for: {', '.join(used) if used else 'no field'}." in card
    # an adapter used on every field, or a refit: nothing to say
    assert adapter_use_note({"method": "adapter", "adapter_selection": {f: {"chosen": "adapter0"} for f in FIELDS}}) \
        is None
    assert adapter_use_note({"method": "refit"}) is None


def test_one_decision_is_counted_as_one(tmp_path, small_corpus):
    """The progress lines of teaching said "fitting a team adapter on 1 team decisions" and the note "of the 1
    decisions" (and on the Teach panel the same, in Chinese only when the line said "decisions"): now errors.plural,
    and the Chinese page still reads the singular line."""
    from voiceofcustomer.review.jobs import progress_zh, teach_into

    db = _project(tmp_path, _texts(1))
    lines: list[str] = []
    summary = teach_into(db, tmp_path / "m", corpus=small_corpus, progress=lines.append)
    assert "fitting a team adapter on 1 team decision" in lines, lines
    said = " ".join(lines + [summary.get("summary", ""), (tmp_path / "m" / "README.md").read_text(encoding="utf-8")])
    assert "1 team decisions" not in said and "1 decisions" not in said and "1 distinct texts" not in said
    assert "of the decisions' 1 distinct text (near-twins together), here 0 of the 1 decision," in said
    assert progress_zh("fitting a team adapter on 1 team decision") == "正在用 1 个团队决定拟合团队适配器"
    assert progress_zh("fitting on 742 corpus statements + 1 team decision × 3") == "正在用 742 条语料陈述 + 1 个团队决定 × 3 训练"
    assert progress_zh("fitting the base model on 1 corpus statement") == "正在用 1 条语料陈述训练基础模型"
    assert progress_zh("measuring on 1 held-out team decision") == "正在留出的 1 个团队决定上测量一致性"
