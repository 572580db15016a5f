"""The city a session's title names (text.places.city_in_title): one prefecture-level city or municipality, by its
name or its short form, else none — two cities, a street's or a school's name (中山路, 吉林大学), a province's
(浙江门店 holds no 江门) or a short form that names something else as often (吉林, 来宾)."""

import pytest

from voiceofcustomer.text.places import city_in_title, division_names, prefecture_cities
from voiceofcustomer.themes import vectorizer


#: title → the city it names (朝阳区 is Beijing's district, not 辽宁's 朝阳市; 吉林市 is the city in full)
NAMED = """
2026年11月 宽带用户座谈会（杭州） → 杭州
政企客户座谈会 · 天津 → 天津
杭州市萧山区宽带用户座谈会 → 杭州
武汉公众用户座谈会 → 武汉
北京朝阳区用户座谈会 → 北京
宽带用户座谈会（上海浦东） → 上海
吉林省吉林市用户座谈会 → 吉林
恩施州公众用户座谈会 → 恩施
黔西南布依族苗族自治州座谈会 → 黔西南
中山用户座谈会 → 中山
杭州区域用户座谈会 → 杭州
"""


@pytest.mark.parametrize("title, city", [line.split(" → ") for line in NAMED.strip().splitlines()])
def test_a_title_naming_one_city_names_it(title, city):
    assert city_in_title(title) == city


@pytest.mark.parametrize("title", [
    "杭州、宁波两地用户座谈会",  # two cities
    "长沙·株洲 用户座谈会",
    "2026年11月 城区宽带用户座谈会纪要",  # none
    "城市宽带用户座谈会",
    "武昌公众用户座谈会记录",  # a district: no prefecture-level city
    "中山路营业厅用户座谈会",  # a street named after a man (or a city) is anywhere
    "吉林大学学生座谈会",  # a university in 长春
    "北海道漫游用户座谈会",
    "浙江门店座谈会",  # 浙江 is read whole: no 江门
    "（吉林）用户座谈会",  # the province's name as much as the city's
    "海南用户座谈会",
    "来宾座谈会",  # guests
    "阿里云用户座谈会",
])
def test_a_title_naming_no_city_or_two_names_none(title):
    assert city_in_title(title) == ""


def test_prefecture_cities_are_the_tables_prefectures_and_municipalities():
    cities = prefecture_cities()
    assert cities["杭州市"] == cities["杭州"] == "杭州" and cities["重庆市"] == "重庆"
    assert cities["延边朝鲜族自治州"] == cities["延边州"] == "延边" and cities["阿克苏地区"] == "阿克苏"
    assert "萧山区" not in cities and "浙江省" not in cities and "义乌市" not in cities  # a county-level city
    assert len(set(cities.values())) == 337  # 333 prefecture-level divisions and 4 municipalities


def test_themes_read_places_from_the_same_table():
    assert vectorizer.division_names is division_names


#: division → its short form, the one themes leave out as a place (text.places.division_names). Until 8 Dec 2026
#: 地区 lost only its 区 (阿克苏地区 → 阿克苏地) and a name before the nationality was cut to 2 characters
#: (黔西南布依族苗族自治州 → 黔西, which is 黔西市, 西双版纳傣族自治州 → 西双, 新疆维吾尔自治区 → 新疆维吾尔)
SHORT = {"阿克苏地区": "阿克苏", "大兴安岭地区": "大兴安岭", "兴安盟": "兴安", "黔西南布依族苗族自治州": "黔西南",
         "黔东南苗族侗族自治州": "黔东南", "西双版纳傣族自治州": "西双版纳", "伊犁哈萨克自治州": "伊犁",
         "恩施土家族苗族自治州": "恩施", "张家川回族自治县": "张家川", "积石山保安族东乡族撒拉族自治县": "积石山",
         "融水苗族自治县": "融水", "三都水族自治县": "三都", "新疆维吾尔自治区": "新疆", "内蒙古自治区": "内蒙古",
         "梅里斯达斡尔族区": "梅里斯", "浦东新区": "浦东", "清新区": "清新", "碑林区": "碑林", "峰峰矿区": "峰峰",
         "神农架林区": "神农架", "万柏林区": "万柏林", "北林区": "北林"}


def test_a_short_form_drops_the_whole_suffix_and_every_nationality():
    full, short = division_names()
    for name, head in SHORT.items():
        assert name in full and head in short, (name, head)
    # 神农架林: 神农架林区's until 8 Dec 2026 (林区, the forestry district's kind, is its suffix; 万柏林区 is a district
    # of 太原 whose name ends in 林)
    wrong = {"阿克苏地", "大兴安岭地", "黔西南布依", "西双", "新疆维吾尔", "伊犁哈萨克", "张家", "积石", "梅里", "浦东新", "峰峰矿",
             "神农架林", "万柏"}
    assert not wrong & short
    assert "黔西" in short  # 黔西市's own
    assert not [s for s in short if "族" in s or s.endswith(("地", "自治"))]


def test_no_subject_word_becomes_a_place():
    """No word of the telecom dictionary and none of themes' common words a division's name is (COMMON_WORD_DIVISIONS,
    阿里 among them: 阿里地区's short form, 阿里云's first word) is taken for a place."""
    from pathlib import Path

    from voiceofcustomer.text.segment import Segmenter
    from voiceofcustomer.themes.vectorizer import COMMON_WORD_DIVISIONS, is_place_word, without_places

    seg = Segmenter()
    dictionary = Path(__file__).resolve().parents[2] / "corpora" / "telecom_dict.txt"
    words = [ln.split()[0] for ln in dictionary.read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert [w for w in words + sorted(COMMON_WORD_DIVISIONS) if is_place_word(w, seg)] == []
    texts = ["阿里云的会员开通不了", "用阿里的账号交话费扣了两次"]
    assert without_places(texts, seg) == texts
    assert without_places(["黔西南州宽带老断", "在阿克苏上班，信号差"], seg) == ["宽带老断", "在上班，信号差"]


#: a city's short form that is an everyday word (vectorizer.EVERYDAY_WORD_DIVISIONS): the everyday use is kept, the city
#: where it is clearly one is left out. Until 8 Dec 2026 白银, 普洱, 安康 (jieba tags them a proper name), 安宁, 高明,
#: 太平, 牡丹, 金山 were places wherever they stood: 我是白银会员却没有优惠 read 我是会员却没有优惠, 祝您安康 祝您
EVERYDAY = ["来宾请取号后在营业厅等候，排队太久", "回访短信最后一句是祝您安康", "我是白银会员却没有优惠", "普洱喝起来不错但积分兑换太慢",
            "晚上装修吵得家里不得安宁", "客服的解释一点也不高明", "天下太平了宽带还是断", "牡丹卡绑定话费自动扣款失败",
            "金山文档打不开是网络问题吗"]
CITY = {"我在白银上班，宽带老是断": "白银", "白银电信的宽带太慢了": "白银", "白银市的宽带太慢了": "白银市",
        "安康的营业厅排队太久": "安康", "在来宾出差手机没信号": "来宾", "在普洱出差没信号": "普洱", "住在金山的用户宽带老断": "金山",
        "去神农架旅游手机没信号": "神农架", "神农架林区信号很差": "神农架林区"}


def test_a_city_named_by_an_everyday_word_is_a_place_only_where_a_place_stands():
    from voiceofcustomer.text.segment import Segmenter
    from voiceofcustomer.themes.vectorizer import is_place_word, without_places

    seg = Segmenter()
    assert without_places(EVERYDAY, seg) == EVERYDAY
    assert not any(is_place_word(p, seg) for p in ("白银会员", "普洱", "安康", "来宾", "牡丹卡"))
    for text, place in CITY.items():
        found = set()
        assert without_places([text], seg, found) == [text.replace(place, "")], text
        assert found == {place}
