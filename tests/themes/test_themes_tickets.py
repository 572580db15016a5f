"""A split ticket's follow-up sentences take their ticket's theme (themes/tickets.py)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from voiceofcustomer.themes import ThemeModel
from voiceofcustomer.themes.pipeline import load_inputs
from voiceofcustomer.themes.tickets import FOLLOWS_TICKET, followup_clusters, inherit, pooled_followups, ticket_keys

DATA = Path(__file__).resolve().parents[1] / "data"
EXPORT = DATA / "tickets_six_subjects.csv"  # benchmarks/themes_granularity.py --write-fixture
FORMULAS = "说法|回电|重视|工信部|解释|回复"


@pytest.fixture(scope="module")
def split_export():
    st = load_inputs([EXPORT], text_col="投诉内容")
    assert st["ticket_id"].nunique() == 400 and len(st) > 800  # sentences of 400 tickets
    return st


@pytest.fixture(scope="module")
def fitted(split_export):
    return ThemeModel().fit(split_export)


def _subjects_found(st: pd.DataFrame) -> tuple[list[str], float]:
    key = pd.read_csv(EXPORT).set_index("工单编号")["subject"]
    truth = st["ticket_id"].map(key)
    subj = (truth != "thanks").to_numpy()
    topic = st["topic"].to_numpy()
    ct = pd.crosstab(truth[subj].to_numpy(), topic[subj])
    found = [s for s in ct.index if ct.loc[s].idxmax() >= 0 and ct[ct.loc[s].idxmax()].idxmax() == s]
    placed = subj & (topic >= 0)
    return found, adjusted_rand_score(truth[placed], topic[placed])


def test_closing_requests_no_longer_form_themes_and_every_subject_is_found(fitted):
    st = fitted.statement_topics_
    found, ari = _subjects_found(st)
    assert len(found) >= 5, found  # of 6; with follow_ticket=False 4 (below)
    assert ari >= 0.7
    labels = fitted.topics_.loc[fitted.topics_["topic"] >= 0, "label"]
    assert not labels.str.contains(FORMULAS).any(), labels.tolist()
    info = fitted.info_["clustering"]["ticket"]["ticket_followups"]
    assert info["statements"] > 100 and info["rounds"]


def test_each_follow_up_takes_the_theme_of_its_tickets_first_sentence_with_a_subject(fitted):
    st = fitted.statement_topics_
    follows = st["reason"].eq(FOLLOWS_TICKET).to_numpy()
    assert follows.sum() > 150
    # they are the export's formulas: sentences written under many subjects (请尽快处理。, 客服让我等通知…)
    subject = st["ticket_id"].map(pd.read_csv(EXPORT).set_index("工单编号")["subject"])
    spread = subject.groupby(st["text"]).nunique()
    assert (st.loc[follows, "text"].map(spread) >= 3).mean() > 0.95
    assert (st.loc[~follows & (st["topic"] >= 0), "text"].map(spread) >= 3).mean() < 0.1
    own = st[~follows & (st["topic"] >= 0)].drop_duplicates("ticket_id").set_index("ticket_id")
    taken = st[follows & (st["topic"] >= 0)]
    assert len(taken) > 100
    assert (taken["topic"].to_numpy() == taken["ticket_id"].map(own["topic"]).to_numpy()).all()
    assert (taken["subtopic"].to_numpy() == taken["ticket_id"].map(own["subtopic"]).to_numpy()).all()
    # and their theme counts them: the topic table's sizes are the statement table's
    sizes = st[st["topic"] >= 0].groupby("topic").size()
    table = fitted.topics_[fitted.topics_["topic"] >= 0].set_index("topic")["size"]
    assert (sizes.sort_index() == table.sort_index()).all()


def test_transform_gives_the_follow_ups_what_fit_gave(fitted, split_export):
    again = fitted.transform(split_export)
    st = fitted.statement_topics_
    assert again["topic"].tolist() == st["topic"].tolist()
    assert again["topic_reason"].tolist() == st["reason"].tolist()


def test_counts_per_class_and_over_time_count_the_follow_ups_as_the_sizes_do(fitted, split_export):
    """BERTopic counted only the sentences with a subject: a theme's counts per class and per week summed
    to less than its size, the follow-ups counted as 未归类 (themes follow-through, issue 9 item 6 /
    issue 11 item 3). They count the statements that count, as topics.csv does."""
    st = fitted.statement_topics_
    fit = st[fitted.counted_]
    sizes = fit.groupby("topic").size()
    assert sizes.to_dict() == fitted.topics_.set_index("topic")["count"].to_dict()
    subject = split_export["ticket_id"].map(pd.read_csv(EXPORT).set_index("工单编号")["subject"])
    tpc = fitted.topics_per_class(subject.tolist())
    assert tpc.groupby("topic")["count"].sum().sort_index().to_dict() == sizes.sort_index().to_dict()
    cross = fit.groupby([subject[fitted.counted_].to_numpy(), "topic"]).size()
    assert {(r["class"], r["topic"]): r["count"] for _, r in tpc.iterrows()} == cross.to_dict()
    assert tpc.groupby("class")["share_in_class"].sum().round(2).eq(1.0).all()
    assert tpc.loc[tpc["topic"] >= 0, "words"].ne("").all()  # key phrases still from the sentences with a subject
    tot = fitted.topics_over_time(split_export["受理时间"].tolist(), period="week")
    assert fitted.info_["undated_statements"] == 0
    assert tot.groupby("topic")["count"].sum().sort_index().to_dict() == sizes.sort_index().to_dict()
    assert tot.groupby("period")["share_in_period"].sum().round(2).eq(1.0).all()


@pytest.fixture(scope="module")
def followup_set(fitted, split_export, tmp_path_factory):
    """A curated set saved from a review project of the fitted export's statement_topics.csv (as voc themes
    writes it: reason 'follows its ticket' on the follow-ups), the team's themes as fitted."""
    from voiceofcustomer.labels.taxonomy import FIELDS
    from voiceofcustomer.review.store import create_project
    from voiceofcustomer.themes.curated import save_curated
    from voiceofcustomer.themes.report import statement_table

    tmp = tmp_path_factory.mktemp("curated_followups")
    project = statement_table(fitted.statement_topics_, split_export)
    for f in FIELDS:
        project[f], project[f"{f}_conf"] = "other", 0.5
    create_project(project, tmp / "review.sqlite").close()
    meta = save_curated(tmp / "review.sqlite", tmp / "curated")
    return tmp / "curated", meta


def test_a_curated_set_gives_a_tickets_follow_ups_its_theme(fitted, split_export, followup_set):
    """A curated set placed every sentence on its nearest theme, so a ticket's closing request went to
    whichever curated theme its formula was nearest (themes follow-through, issue 9 item 6 /
    issue 11 item 3)."""
    from voiceofcustomer.themes.curated import assign_curated, load_curated

    folder, meta = followup_set
    cur = load_curated(folder)
    st = assign_curated(cur, split_export, noise_field=None)
    fit = fitted.statement_topics_
    follows = st["reason"].eq(FOLLOWS_TICKET).to_numpy()
    assert follows.sum() > 150
    # the follow-ups of the project, recognised by their reason, are the set's follow-up centroids
    assert meta["followups"]["statements"] > 150 and len(cur.followup_centroids) == meta["followups"]["centroids"] >= 1
    assert (fit["reason"].eq(FOLLOWS_TICKET).to_numpy() == follows).mean() > 0.95  # the sentences fit set aside
    own = st[~follows & (st["topic"] != -1)].drop_duplicates("ticket_id").set_index("ticket_id")
    taken = st[follows & (st["topic"] != -1)]
    assert len(taken) > 150
    assert (taken["topic"].to_numpy() == taken["ticket_id"].map(own["topic"]).to_numpy()).all()
    assert (taken["subtopic"].to_numpy() == taken["ticket_id"].map(own["subtopic"]).to_numpy()).all()
    assert (st["topic"].to_numpy() == fit["topic"].to_numpy()).mean() > 0.9  # the themes fit gave them
    assert st.loc[follows, "nearest_label"].eq("").all()  # a follow-up is no leftover to suggest a theme from
    # a new ticket: its closing request takes the theme of its complaint
    complaint = fit.loc[fit["reason"].eq("") & (fit["topic"] >= 0), "text"].iloc[0]
    new = assign_curated(cur, pd.DataFrame({"statement_id": ["n-s01", "n-s02"], "ticket_id": ["N1", "N1"],
                                            "text": [complaint, "等你们回电。"]}), noise_field=None)
    assert new["topic"].iloc[1] == new["topic"].iloc[0] != -1
    assert new["reason"].tolist() == ["", FOLLOWS_TICKET]
    closing = pd.DataFrame({"statement_id": ["x-s01", "x-s02"], "ticket_id": ["X1", "X1"],
                            "text": ["等你们回电。", "要求给个解释。"]})
    alone = assign_curated(cur, closing, noise_field=None)
    assert alone["topic"].tolist() == [-1, -1] and alone["reason"].tolist() == [FOLLOWS_TICKET] * 2


def test_without_follow_ticket_the_closing_requests_form_themes_of_their_own(split_export):
    model = ThemeModel(follow_ticket=False).fit(split_export)
    found, _ = _subjects_found(model.statement_topics_)
    assert len(found) <= 4, found
    assert model.topics_["label"].str.contains(FORMULAS).any()
    assert FOLLOWS_TICKET not in set(model.statement_topics_["reason"])


def test_a_ticket_of_closing_requests_only_stays_unassigned(fitted):
    extra = pd.DataFrame({"statement_id": ["x-s01", "x-s02"], "ticket_id": ["X1", "X1"],
                          "text": ["等你们回电。", "要求给个解释。"]})
    out = fitted.transform(extra)
    assert out["topic"].tolist() == [-1, -1]
    assert out["topic_reason"].tolist() == [FOLLOWS_TICKET, FOLLOWS_TICKET]


def _keys(tickets):
    df = pd.DataFrame({"ticket_id": tickets})
    return ticket_keys(df, np.arange(len(df)), np.ones(len(df), dtype=bool))


def test_a_cluster_that_opens_no_ticket_and_follows_many_subjects_is_a_follow_up_cluster():
    # 30 tickets: opened by subjects 0, 1, 2 in turn, each closed by cluster 9
    tickets = [f"T{i}" for i in range(30) for _ in range(2)]
    labels = np.array([v for i in range(30) for v in (i % 3, 9)])
    found, measured = followup_clusters(_keys(tickets), labels)
    assert found == [9]
    assert measured[9]["opening_share"] == 0.0 and measured[9]["top_opening_theme_share"] < 0.5


def test_a_second_subject_that_follows_one_subject_or_opens_tickets_itself_is_kept():
    # cluster 8 always follows subject 0 (a subject's detail), cluster 9 opens 10 of its 30 tickets
    tickets, labels = [], []
    for i in range(30):
        tickets += [f"A{i}", f"A{i}"]
        labels += [0, 8]
    for i in range(30):
        if i < 10:
            tickets += [f"B{i}", f"B{i}"]
            labels += [9, 1]
        else:
            tickets += [f"B{i}", f"B{i}"]
            labels += [1 + i % 3, 9]
    found, measured = followup_clusters(_keys(tickets), np.array(labels))
    assert found == []
    assert measured[8]["top_opening_theme_share"] == 1.0
    assert measured[9]["opening_share"] > 0.15


def test_small_fine_clusters_that_never_open_a_ticket_are_follow_ups_together():
    # 24 tickets opened by fine clusters 0 and 1 (two subjects each, as a small export's fine level joins them),
    # closed by fine clusters 5, 6, 7 (three wordings of a request, 8 statements each, under MIN_FOLLOWING)
    tickets = [f"T{i}" for i in range(24) for _ in range(2)]
    fine = np.array([v for i in range(24) for v in (i % 2, 5 + i // 8)])
    keys = _keys(tickets)
    assert followup_clusters(keys, fine)[0] == []  # each alone is too small
    found, measured = pooled_followups(keys, fine)
    assert found == [5, 6, 7]
    assert measured["opening_share"] == 0.0 and measured["fine_clusters"] == 3
    # a fine cluster that opens tickets of its own is no follow-up, nor are clusters following one subject only
    opens = fine.copy()
    opens[[32, 34, 36]] = 7  # cluster 7 opens 3 of its 11 statements' tickets
    assert pooled_followups(keys, opens)[0] == [5, 6]
    one = np.array([v for i in range(24) for v in (0, 5 + i // 8)])
    assert pooled_followups(keys, one)[0] == []


def test_rows_of_a_ticket_of_one_sentence_or_without_a_ticket_have_no_key():
    df = pd.DataFrame({"ticket_id": ["A", "A", "B", None, ""], "source": ["f", "f", "f", "f", "f"]})
    keys = ticket_keys(df, np.arange(5), np.ones(5, dtype=bool))
    assert keys[0] == keys[1] is not None
    assert keys[2] is None and keys[3] is None and keys[4] is None
    # the same ticket id in two files is two tickets
    two = pd.DataFrame({"ticket_id": ["A", "A"], "source": ["jan", "feb"]})
    assert ticket_keys(two, np.arange(2), np.ones(2, dtype=bool)) is None


def test_inherit_takes_the_first_row_with_a_theme_that_is_not_following():
    keys = np.array(["a", "a", "a", "b"], dtype=object)
    follows = np.array([True, False, True, True])
    topics, sub, conf = inherit(keys, follows, np.array([-1, 4, -1, 2]), np.array([-1, 1, -1, 0]),
                                np.array([np.nan, 0.6, np.nan, 0.9]))
    assert topics.tolist() == [4, 4, 4, -1] and sub.tolist() == [1, 1, 1, -1]
    assert conf[0] == conf[2] == 0.6 and np.isnan(conf[3])


def test_a_short_focus_group_beside_tickets_does_not_make_the_tickets_a_focus_group(tmp_path):
    """Too few focus-group statements to model apart (13 beside 60 tickets): all are clustered as the
    larger kind, tickets. They were clustered as focus-group sessions, the ticket file one of them
    (found in the review-team QA pass: "focus group tickets_dec.csv: 36 statements", no sub-themes)."""
    tickets = tmp_path / "tickets_dec.csv"
    pd.read_csv(Path(__file__).resolve().parents[2] / "corpora" / "samples" / "tickets.csv",
                dtype=str).head(60).to_csv(tickets, index=False)
    st = load_inputs([DATA / "transcript_sections.txt", tickets])
    assert 0 < (st["role"] == "participant").sum() < 20
    said = []
    model = ThemeModel(progress=said.append).fit(st)
    clustering = model.info_["clustering"]
    assert list(clustering) == ["ticket"], clustering
    assert "session" not in clustering["ticket"]["method"], clustering
    assert not any(m.startswith("focus group") for m in said), said


@pytest.fixture(scope="module")
def conversations(tmp_path_factory, split_export):
    """The six-subject export as a conversation export: each sentence a post, 会话ID the conversation."""
    path = tmp_path_factory.mktemp("threads") / "posts.csv"
    pd.DataFrame({"会话ID": split_export["ticket_id"], "内容": split_export["text"]}).to_csv(path, index=False)
    return path


def test_a_thread_column_makes_a_conversations_posts_one_tickets_sentences(split_export):
    posts = split_export.drop(columns=["ticket_id"]).assign(会话ID=split_export["ticket_id"])
    alone = ThemeModel().fit(posts).statement_topics_
    assert FOLLOWS_TICKET not in set(alone["reason"])  # no ticket_id, no thread: each post as it is
    threaded = ThemeModel(thread_col="会话ID").fit(posts).statement_topics_
    assert (threaded["reason"] == FOLLOWS_TICKET).sum() > 150
    found, ari = _subjects_found(threaded.assign(ticket_id=posts["会话ID"].to_numpy()))
    assert len(found) >= 5 and ari >= 0.7
    from voiceofcustomer.errors import ColumnError

    with pytest.raises(ColumnError, match="no column '会话' for thread_col="):
        ThemeModel(thread_col="会话").fit(posts)


def test_voc_themes_thread_col(conversations, tmp_path):
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main

    runner = CliRunner()
    res = runner.invoke(main, ["themes", str(conversations), "-o", str(tmp_path / "t"), "--thread-col", "会话ID", "-q"])
    assert res.exit_code == 0, res.output
    st = pd.read_csv(tmp_path / "t" / "statement_topics.csv", encoding="utf-8-sig", dtype=str)
    assert len(st) == len(pd.read_csv(conversations))  # every post comes out
    assert (st["reason"] == FOLLOWS_TICKET).sum() > 150
    bad = runner.invoke(main, ["themes", str(conversations), "-o", str(tmp_path / "x"), "--thread-col", "会话", "-q"])
    assert bad.exit_code == 2 and "no column '会话' for --thread-col (is it '会话ID'?)" in bad.output
    assert len(bad.output.strip().splitlines()) == 1
    assert bad.output.strip().endswith("checking the spelling: 会话ID")  # the file's own (besides its text), not the split's


def test_voc_themes_model_thread_col(followup_set, conversations, tmp_path):
    """--thread-col with --model: a conversation's follow-up posts take its theme on the curated set too
    (it was refused: the curated set had no follow-up rule)."""
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main

    folder, _meta = followup_set
    runner = CliRunner()
    res = runner.invoke(main, ["themes", str(conversations), "--model", str(folder), "-o", str(tmp_path / "t"),
                               "--thread-col", "会话ID", "-q"])
    assert res.exit_code == 0, res.output
    st = pd.read_csv(tmp_path / "t" / "statement_topics.csv", encoding="utf-8-sig", dtype=str)
    assert len(st) == len(pd.read_csv(conversations))
    assert (st["reason"] == FOLLOWS_TICKET).sum() > 150
    info = json.loads((tmp_path / "t" / "themes.json").read_text(encoding="utf-8"))
    assert info["follows_ticket"] == (st["reason"] == FOLLOWS_TICKET).sum()
    orphans = ((st["reason"] == FOLLOWS_TICKET) & (st["topic"] == "-1")).sum()  # tickets of follow-ups only
    assert info["n_placed"] + info["fits_none"] + orphans + info["marked_noise"] == info["n_fitted"]
    bad = runner.invoke(main, ["themes", str(conversations), "--model", str(folder), "-o", str(tmp_path / "x"),
                               "--thread-col", "会话", "-q"])
    assert bad.exit_code == 2 and "no column '会话' for --thread-col (is it '会话ID'?)" in bad.output
    assert len(bad.output.strip().splitlines()) == 1 and bad.output.strip().endswith("checking the spelling: 会话ID")


def test_a_misspelt_column_of_a_focus_groups_statements_is_told_every_column(data_dir, tmp_path):
    """voc themes on a transcript's split statements with a misspelt --date-col or --thread-col said 'columns are:
    section, session_date', as if the transcript's own columns were those two of voc split's (TOOL_COLUMNS lacked
    them), hiding group, city and speaker (found checking TOOL_COLUMNS against voc split's transcript columns,
    transcript QA pass); a table with no column of its own is told all of its columns."""
    from click.testing import CliRunner

    from voiceofcustomer.cli.main import main
    from voiceofcustomer.text.split import split_inputs

    split = tmp_path / "fg.csv"
    pd.concat(split_inputs([data_dir / "transcript_sections.txt"]), ignore_index=True).to_csv(split, index=False)
    for option in ("--date-col", "--thread-col"):
        bad = CliRunner().invoke(main, ["themes", str(split), "-o", str(tmp_path / "t"), option, "日期", "-q"])
        assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1, bad.output
        listed = bad.output.strip().split("checking the spelling: ")[1].split(", ")
        assert {"group", "city", "speaker", "section", "session_date"} <= set(listed), bad.output


def test_a_few_tickets_beside_focus_groups_are_named_as_tickets_in_the_progress(tmp_path):
    """The other way round: 12 tickets beside two focus groups are clustered with them, and the
    progress said only "focus group (small sessions): 12 statements", which a reader takes for a
    focus group (found in a questionnaire-designer QA pass). It now says the tickets joined the
    focus-group statements and names the file in that group."""
    tickets = tmp_path / "tickets_few.csv"
    pd.read_csv(Path(__file__).resolve().parents[2] / "corpora" / "samples" / "tickets.csv",
                dtype=str).head(12).to_csv(tickets, index=False)
    st = load_inputs([DATA / "focus_group_guide_a.txt", DATA / "focus_group_guide_b.txt", tickets])
    said = []
    ThemeModel(progress=said.append).fit(st)
    assert any("ticket statements are too few to cluster apart" in m for m in said), said
    small = [m for m in said if m.startswith("focus group (small sessions")]
    assert small and "tickets_few.csv" in small[0], said


def test_a_following_sentence_of_no_content_word_takes_its_tickets_theme_too(fitted, split_export, followup_set):
    """请尽快处理。 and 已经不是第一次了。 (stop words only) stayed 未归类, reason 'no content words', in all 33
    tickets each that end with them, while 客服让我等通知… took its ticket's theme: a ticket counted in its theme
    once or twice by the formula its agent typed (found in a researcher's first-use pass: 81 of 88 请尽快处理。 of a
    600-ticket export 未归类, 19.0 % of the statements that count)."""
    from voiceofcustomer.themes.curated import assign_curated, load_curated

    cur = load_curated(followup_set[0])
    for st in (fitted.statement_topics_, fitted.transform(split_export).rename(columns={"topic_reason": "reason"}),
               assign_curated(cur, split_export, noise_field=None)):
        own = st[(st["reason"] == "") & (st["topic"] != -1)].drop_duplicates("ticket_id").set_index("ticket_id")
        for text in ("请尽快处理。", "已经不是第一次了。"):
            rows = st[(st["text"] == text) & st["ticket_id"].isin(own.index)]
            assert len(rows) >= 30
            assert rows["reason"].eq(FOLLOWS_TICKET).all()
            assert (rows["topic"].to_numpy() == rows["ticket_id"].map(own["topic"]).to_numpy()).all()
            assert (rows["subtopic"].to_numpy() == rows["ticket_id"].map(own["subtopic"]).to_numpy()).all()
    # the theme counts them: topics.csv's sizes are the statement table's
    st = fitted.statement_topics_
    sizes = st[st["topic"] >= 0].groupby("topic").size()
    assert sizes.sort_index().to_dict() == fitted.topics_[fitted.topics_["topic"] >= 0].set_index("topic")["size"] \
        .sort_index().to_dict()
    # a ticket of one sentence of no content word (a thank-you) is no follow-up: it stays 未归类
    assert set(st.loc[st["text"] == "明白了，谢谢", "reason"]) == {"no content words"}


def test_wordless_anchors_take_the_first_sentence_with_a_subject_of_a_ticket_with_one():
    from voiceofcustomer.themes.tickets import wordless_anchors

    keys = _keys(["A", "A", "A", "B", "B", "C"])
    reason = np.array(["", "no content words", "no content words", "no content words", "no content words",
                       "no content words"], dtype=object)
    # A: its first sentence has a theme; B: its first is wordless too (no subject): none; C: one sentence, no key
    assert wordless_anchors(keys, reason, np.array([True, False, False, False, False, False])).tolist() == \
        [-1, 0, 0, -1, -1, -1]
    assert wordless_anchors(None, reason, np.ones(6, dtype=bool)).tolist() == [-1] * 6


def test_tickets_read_whole_are_themed_by_the_customers_words_not_the_staffs():
    # a tagged export (voc tag: one row a ticket) holding the ticket's history: 【处理结果】已解决。【工单回访】客户表示满意。
    # was embedded and cut into key phrases with the customer's words; the themes now read the customer's part only
    plain = load_inputs([EXPORT], text_col="投诉内容", unit="ticket")
    staff = ["【处理过程】已派单上门处理。【处理结果】已解决。", "\n处理结果：已向客户解释。回访情况：客户表示满意。",
             "【工单回访】客户表示满意，认可处理结果。", "【答复】已按规定答复客户。"]
    history = plain.copy()
    history["text"] = [t + staff[i % len(staff)] if i % 5 else t for i, t in enumerate(plain["text"])]
    a, b = ThemeModel().fit_transform(plain), ThemeModel().fit_transform(history)
    assert adjusted_rand_score(a["topic"], b["topic"]) == 1.0  # the same themes (numbered alike or not)
    assert sorted(set(a["topic_label"].dropna())) == sorted(set(b["topic_label"].dropna()))
    assert b["text"].tolist() == history["text"].tolist()  # written out whole
    labels = " ".join(b["topic_label"].dropna().astype(str))
    assert not any(w in labels for w in ("满意", "回访", "已解决", "答复", "处理结果"))


def test_the_customers_section_labels_are_not_read_by_the_themes():
    # 投诉内容：, 【用户反映】, 问题描述：, 客户诉求： before the customer's words were embedded and cut into key
    # phrases (投诉内容 · 宽带); traditional staff labels (處理結果) and one after a comma were read as the customer's
    plain = load_inputs([EXPORT], text_col="投诉内容", unit="ticket")
    heads = ["投诉内容：", "【用户反映】", "问题描述：", "【投訴內容】", "客户诉求："]
    tails = ["", "【處理結果】已處理完畢，用戶認可。", "，处理结果：已派单处理。", "【工单号】20261106001", "【备注】已致歉。"]
    labelled = plain.copy()
    labelled["text"] = [heads[i % 5] + t + tails[(i // 5) % 5] for i, t in enumerate(plain["text"])]
    a, b = ThemeModel().fit_transform(plain), ThemeModel().fit_transform(labelled)
    assert adjusted_rand_score(a["topic"], b["topic"]) == 1.0  # the same themes
    assert sorted(set(a["topic_label"].dropna())) == sorted(set(b["topic_label"].dropna()))
    labels = " ".join(b["topic_label"].dropna().astype(str))
    assert not any(w in labels for w in ("投诉", "内容", "反映", "描述", "诉求", "处理", "认可", "工单", "致歉"))
