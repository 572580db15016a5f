"""Counts with thousands separators, as the rest of voc writes them (errors.plural: 17,244): voc train --add printed
'fitted a team adapter on 1203 team decisions over the model trained on 17244 corpus statements', the Teach panel
'在用 17244 条语料陈述训练的模型之上', its progress line '正在用 17244 条语料陈述训练基础模型', and voc train 'trained on
17244 statements'."""

from click.testing import CliRunner

from voiceofcustomer.cli.main import main


def test_what_was_taught_is_said_with_thousands_separators():
    from voiceofcustomer.review.teach import disagreement_note, no_agreement_reason, teach_summary

    m = {"n_corpus": 17244, "n_team": 1203, "weight": 3, "method": "adapter",
         "team_held_out": {"n_test": 1240, "n_test_distinct": 1180}}
    en, zh = teach_summary(m)
    assert en == ("fitted a team adapter on 1,203 team decisions over the model trained on 17,244 corpus statements "
                  "(that model unchanged); agreement measured on 1,240 held-out decisions (1,180 distinct texts), "
                  "which the model was taught without")
    assert zh == ("在用 17,244 条语料陈述训练的模型之上，用 1,203 个团队决定拟合了团队适配器；一致性在留出的 1,240 个决定上测得"
                  "（其中 1,180 条不同的文字；模型训练时不含这些决定）。")
    en, zh = teach_summary({**m, "method": "refit", "team_held_out": {}, "n_team": 1,
                            "team_split": {"share": 0.2, "n_texts": 1, "n_test": 0, "n_train": 1}})
    assert en.startswith("retrained on 17,244 corpus statements + 1 team decision × 3; no team agreement measured")
    assert zh.startswith("用 17,244 条语料陈述 + 1 个团队决定（× 3）重新训练了模型")
    split = {"share": 0.2, "n_texts": 1100, "n_test": 4, "n_train": 1199}
    en, zh = no_agreement_reason({"n_team": 1203, "team_split": split})
    assert "1,100 distinct texts (near-twins together), here 4 of the 1,203 decisions, leaving 1,199 to teach" in en
    assert "按决定中的 1,100 条不同的文字" in zh and "这次在 1,203 个决定中留出 4 个、留下 1,199 个来教" in zh
    en, zh = disagreement_note({"team_disagreeing": {"statements": 1500, "decided": 12000, "fields": {"issue": 1500},
                                                     "projects": ["p.sqlite"]}})
    assert en.startswith("coders disagree on 1,500 of the 12,000 decided statements")
    assert zh.startswith("编码员在 12,000 个已决定陈述中的 1,500 个上意见不一")


def test_the_teach_jobs_progress_lines_with_separators_are_said_in_chinese():
    from voiceofcustomer.review.jobs import progress_zh

    assert progress_zh("fitting the base model on 17,244 corpus statements") == "正在用 17,244 条语料陈述训练基础模型"
    assert progress_zh("fitting a team adapter on 1,203 team decisions") == "正在用 1,203 个团队决定拟合团队适配器"
    assert progress_zh("fitting on 17,244 corpus statements + 1,203 team decisions × 3") == \
        "正在用 17,244 条语料陈述 + 1,203 个团队决定 × 3 训练"
    assert progress_zh("measuring on 1,240 held-out team decisions") == "正在留出的 1,240 个团队决定上测量一致性"


def test_voc_train_says_its_corpus_size_with_separators(tmp_path, monkeypatch):
    from voiceofcustomer.labels import train

    def trained(corpus, out_dir, **kw):  # not retrained here: the count the command prints is what is tested
        out_dir.mkdir(parents=True, exist_ok=True)
        return {"n_statements": 17244, "cv": {}}

    monkeypatch.setattr(train, "train_model", trained)
    (tmp_path / "c.jsonl").write_text("", encoding="utf-8")
    r = CliRunner().invoke(main, ["train", str(tmp_path / "c.jsonl"), "-o", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    assert f"trained on 17,244 statements → {tmp_path / 'm'}" in r.output
