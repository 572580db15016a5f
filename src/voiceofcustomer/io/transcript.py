"""Focus-group transcripts (.txt/.docx): header metadata and speaker turns.

A header block (座谈会名称、城市、日期、主持人、参与者、客户群) comes first; then turns
such as ``主持人：…``, ``[00:12:31] 张女士：…``, ``参与者3：…``, ``Participant 3：…``, ``M: …``,
``MODERATOR：…``, ``张女士（退休教师）：…`` (the attribute is recorded as in the header), ``Tom Lee：…`` /
``Moderator Zhang：…``, ``TOM：…`` / ``TOM LEE：…`` (names in capitals, when the transcript writes its speakers so) or
``【主持人】…`` / ``【A1】…``. A line
that does not start a turn continues the previous one (in a hard-wrapped transcript, a line cut mid-sentence goes
on without a break: :func:`_turn_text`). Stage directions such as
（笑）are removed here because they are the transcriber's words, not the speaker's.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from voiceofcustomer.errors import InputError
from voiceofcustomer.text.normalize import BoilerplateReport, drop_boilerplate, normalize
from voiceofcustomer.text.places import city_in_title
from voiceofcustomer.io.readers import not_an_office_file, read_text_lines

__all__ = ["Transcript", "Turn", "read_transcript", "parse_transcript", "looks_like_transcript", "transcript_header",
           "GROUP_ALIASES", "name_like",
           "speaker_attributes", "city_of_place", "section_heading", "DISCUSSION_AREAS",
           "unlisted_speakers", "detect_moderator"]

_HEADER_KEYS = {
    "座谈会名称": "title", "会议名称": "title", "座谈会": "title", "名称": "title", "主题": "title", "场次": "title",
    "城市": "city", "地点": "place", "地区": "city",
    "日期": "date", "时间": "date",
    "主持人": "moderator", "主持": "moderator", "moderator": "moderator", "host": "moderator",
    "interviewer": "moderator", "facilitator": "moderator",
    "参与者": "participants", "参会人员": "participants", "参会者": "participants", "与会者": "participants",
    "参与人员": "participants", "participants": "participants",
    "客户群": "group", "用户群": "group", "客户类型": "group", "用户类型": "group", "客户群体": "group", "group": "group",
    "记录人": "recorder", "记录": "recorder", "session": "session", "编号": "session", "场次编号": "session",
    "项目": "title", "项目名称": "title",
    # the same fields as many minutes name them (会议时间、会议地点、记录员、参会人): unknown, they ended the
    # header, so 主持人：周敏 above them became a turn holding the rest of the header and 周敏 a participant
    "会议时间": "date", "座谈时间": "date", "座谈会时间": "date", "会议日期": "date", "座谈日期": "date",
    "会议地点": "place", "座谈地点": "place", "座谈会地点": "place",
    "会议主题": "title", "座谈主题": "title", "会议主持": "moderator",
    "记录员": "recorder", "记录者": "recorder", "记录人员": "recorder", "整理": "recorder", "整理人": "recorder",
    "参会人": "participants", "参加人员": "participants", "出席人员": "participants", "与会人员": "participants",
    "参会代表": "participants", "参会用户": "participants", "参会客户": "participants",
    "用户类别": "group", "客户类别": "group", "客户分类": "group",
    # interview notes name the interviewer and the interviewee(s) in the header; both words also label turns
    "访谈员": "moderator", "访问员": "moderator", "访谈人": "moderator", "采访人": "moderator",
    "受访者": "participants", "受访人": "participants", "被访者": "participants",
    # and when and where the interview was held (访谈时间：2026年3月20日 was preamble, the session undated)
    "访谈时间": "date", "访谈日期": "date", "访谈地点": "place", "访谈主题": "title",
}
#: header words that are also speaker labels (``受访者：我觉得太贵了``): a header line only when it names people
_MUNICIPALITY = re.compile(r"^(北京|上海|天津|重庆)")
_CITY_IN_PLACE = re.compile(r"^(?:.{2,8}?(?:省|自治区))?(?P<city>[^省市区县镇村\s，,、]{2,5}?)市(?![场民政委级])")


def city_of_place(place: str) -> str:
    """The city a header's ``地点`` names ("广东省佛山市禅城区…" → 佛山, "成都市武侯区" → 成都,
    "上海浦东" → 上海), or "" when it names none ("公司三楼会议室", "某县李家庄村委会").
    Why: researchers compare cities (``--by city``), and a transcript's header says where the
    session was held more often than it has a 城市 line."""
    p = str(place).strip()
    m = _MUNICIPALITY.match(p) or _CITY_IN_PLACE.match(p)
    return (m.group("city") if m and m.re is _CITY_IN_PLACE else m.group(1)) if m else ""


_ROLE_WORDS = {"访谈员", "访问员", "访谈人", "采访人", "受访者", "受访人", "被访者"}
GROUP_ALIASES = {
    "公众用户": "public", "公众客户": "public", "公众": "public", "个人用户": "public", "个人客户": "public",
    "对公用户": "business", "对公客户": "business", "政企客户": "business", "政企用户": "business",
    "企业用户": "business", "企业客户": "business", "集团客户": "business", "对公": "business",
}
_MODERATOR_NAMES = {"主持人", "主持", "moderator", "m", "mod", "q", "访谈员", "访问员", "访谈人", "采访人",
                    "host", "interviewer", "facilitator"}  # q: Q/A notes; host …: a transcript labelled in English
#: several participants at once (crosstalk): a turn of its own, never part of the previous speaker's turn
_GROUP_SPEAKERS = {"众人", "大家", "全体", "多人", "众", "参与者们", "大家一起"}
#: a time of the recording: 12:31, 00:12:31, with a speech-to-text tool's milliseconds (00:12:31.250, SRT's
#: 00:12:31,250) or as the span of the turn (00:12:31-00:12:45, 00:12:31 --> 00:12:45), in brackets or not
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,3})?)?"
_TIMESTAMP = rf"[\[【(（]?\s*{_CLOCK}(?:\s*(?:-->|[-~～–—])\s*{_CLOCK})?\s*[\]】)）]?"
_SPEAKER = r"[^\s:：，,。！？!?（）()\[\]【】]{1,12}"
#: a name of two to four words (Tom Lee, Dr. Wang, Anna K., Kevin 张, Moderator Zhang, Interviewer A): the
#: shape only — :func:`_spaced_speaker_label` decides whether the words are a name
_NAME_PART = r"(?:[A-Za-z][A-Za-z'\-]{0,19}\.?|[\u4e00-\u9fff]{1,4}|\d{1,2}(?!\d|:\d))"  # not 10 of Tom Lee 10:30：
_SPACED_SPEAKER = rf"{_NAME_PART}(?:[ \t\u3000]+{_NAME_PART}){{1,3}}"


def _turn_pattern(speaker: str) -> re.Pattern:
    return re.compile(rf"^\s*(?:{_TIMESTAMP}\s*)?(?P<speaker>{speaker})"
                      r"\s*(?:[（(](?P<attrs>[^（()）:：]{1,20})[）)])?"
                      rf"\s*(?:{_TIMESTAMP}\s*(?=[:：](?!\d)))?[:：]\s*(?P<text>.*)$")  # 张女士 [00:12:31]：… (time after)


def _bracket_turn_pattern(speaker: str) -> re.Pattern:
    return re.compile(rf"^\s*(?:{_TIMESTAMP}\s*)?[【\[](?P<speaker>{speaker})"
                      r"(?:[（(](?P<attrs>[^（()）:：]{1,20})[）)])?"
                      rf"(?:\s*{_CLOCK})?[】\]]\s*[:：]?\s*(?P<text>.+)$")  # 【张女士 00:03:12】…: the time inside


_TURN = _turn_pattern(_SPEAKER)
#: ``【主持人】…`` / ``[张女士] …`` / ``【A1】…``: the speaker in brackets, with or without a colon after it
#: (speaker codes with digits as in their colon forms ``A1：``, ``参与者3：``; ``_is_speaker`` keeps ``【1】`` out).
_BRACKET_TURN = _bracket_turn_pattern(_SPEAKER)
#: ``Tom Lee：…``, ``【Mary Chen】…``: a speaker named in words with spaces between them
_SPACED_TURN = _turn_pattern(_SPACED_SPEAKER)
_SPACED_BRACKET_TURN = _bracket_turn_pattern(_SPACED_SPEAKER)
#: ``说话人1 00:00:03`` / ``00:12:31 张女士`` alone on a line, the words on the lines below: the export of
#: machine transcription services (讯飞听见、通义听悟、飞书妙记、腾讯会议). The timestamp is required.
_LABEL_LINE = re.compile(rf"^\s*(?:(?P<ts>{_TIMESTAMP})\s*)?(?P<speaker>[^\s:：，,。！？!?（）()\[\]【】\d][^\s:：，,。！？!?（）()\[\]【】]{{0,11}}"
                         r"(?:\s\d{1,3})?)\s*(?:[（(](?P<attrs>[^（()）:：]{1,20})[）)])?"
                         rf"(?(ts)|\s+{_TIMESTAMP})\s*$")
#: ``Tom Lee 00:00:03`` / ``00:00:03 TOM LEE``: the label line of a speaker named in words with spaces between them
_SPACED_LABEL_LINE = re.compile(rf"^\s*(?:(?P<ts>{_TIMESTAMP})\s*)?(?P<speaker>{_SPACED_SPEAKER})\s*"
                                r"(?:[（(](?P<attrs>[^（()）:：]{1,20})[）)])?"
                                rf"(?(ts)|\s+{_TIMESTAMP})\s*$")
#: ``说话人1 00:00:03 我先说吧…``: a speech-to-text export that writes the words on the label's line; the time has
#: its seconds (no one says ``张女士 10:30 到的``, and a line so written is someone's words)
_TS_WORDS_TURN = re.compile(r"^\s*(?P<speaker>[^\s:：，,。！？!?（）()\[\]【】\d][^\s:：，,。！？!?（）()\[\]【】]{0,11}(?:\s\d{1,3})?)"
                            r"\s*(?:[（(](?P<attrs>[^（()）:：]{1,20})[）)])?"
                            r"\s+[\[【(（]?\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?\s*[\]】)）]?\s+(?P<text>[^\s:：].*)$")
_LEADING_TS = re.compile(rf"^\s*{_TIMESTAMP}(?!\s*[:：])\s*")  # 9:30：人最多 is said, not a timestamp
#: ``Participant 3``, ``Respondent2``, ``Speaker 1``, ``Guest A``: the English words for 参与者3, 受访者2 …
_NUMBERED_ROLE = r"(?:participant|respondent|interviewee|speaker|guest|user|customer|attendee)\s*(?:\d{1,3}|[a-z])"
_NAME_LIKE = re.compile(
    r"^(主持人|主持|moderator|m|mod|host|interviewer|facilitator|p\d{1,3}|[a-z]|[a-z]\d{1,2}|(?:参与者|参会者|受访者|用户|客户|嘉宾|发言人|说话人|讲话人|访谈对象)\s*(?:\d{1,3}|[a-z])|"
    rf"{_NUMBERED_ROLE}|"
    r"[小老阿][\u4e00-\u9fff]{1,2}|.{1,3}(女士|先生|小姐|阿姨|叔叔|大爷|大妈|奶奶|爷爷|同学|老师|经理|总|工|姐|哥|师傅|老板|主任))$",
    re.IGNORECASE,
)
_NUMBERED_ROLE_LABEL = re.compile(_NUMBERED_ROLE, re.IGNORECASE)
#: a participant's code in a transcript that names its speakers so: A1, B12, P3, 参与者2, 用户3
_SPEAKER_CODE = re.compile(r"(?i)(?:[a-z]{1,2}\d{1,3}|(?:参与者|受访者|用户|客户|发言人|说话人|participant|p)\s*\d{1,3})")


def name_like(label: str) -> bool:
    """Whether a speaker label has the shape of a code or a name (主持人, P4, A3, 参与者3, Participant 2, 张女士, 小王):
    the rule by which a label is read as a speaker's (the themes' analyzer leaves such labels out of the key phrases)."""
    return bool(_NAME_LIKE.match(str(label)))
_STAGE = re.compile(
    r"[（(【\[]\s*(?:众人|大家|全体|参与者|主持人)?\s*"
    r"(?:笑|大笑|笑声|哄笑|众笑|附和|点头|摇头|停顿|沉默|鼓掌|掌声|插话|听不清|杂音|咳嗽|叹气|翻看\S{0,4}|"
    r"手机响|音频\S{0,4}|录音\S{0,4}|离席|回到座位|互相讨论|议论|小声\S{0,4}|同时说话|"
    r"(?:座谈会|会议|访谈)?(?:结束|休息|暂停)|中场休息)[^）)】\]]{0,6}[）)】\]]"
)


@dataclass
class Turn:
    """One speaker turn: ``turn`` is 1-based in the session, ``line`` its first line in the file.

    ``text`` is the speaker's raw words (cleaning and stage-direction removal happen
    when the turn is split into statements, so ``text_raw`` stays traceable)."""

    turn: int
    speaker: str
    role: str
    text: str
    line: int
    section: str = ""


#: the discussion areas a moderator's guide walks through (taxonomy.md, demand): a line naming one alone is a heading
DISCUSSION_AREAS = ("业务需求", "服务信息", "服务渠道", "服务功效", "服务要素", "服务标准", "服务提供")
_CN_NUMERAL = "一二三四五六七八九十"
_SECTION = re.compile(
    rf"^(?:(?:第[{_CN_NUMERAL}\d]{{1,3}}(?:部分|个?话题|个?议题|节|章|项|环节|单元)|(?:话题|议题|环节|专题|讨论)[{_CN_NUMERAL}\d]{{1,3}})"
    rf"\s*[、.．:：]?|[{_CN_NUMERAL}]{{1,3}}\s*[、.．]|[（(][{_CN_NUMERAL}\d]{{1,3}}[）)]|(?P<arabic>\d{{1,2}}\s*[、.．](?!\d)))"
    r"\s*(?P<title>[^。！？!?，,；;:：]{1,24})$")


def section_heading(line: str) -> str | None:
    """The title of a discussion guide's section heading between turns (``一、业务需求``, ``（二）服务信息``,
    ``第三部分 服务渠道``, ``话题四：服务功效``, or an area's name alone: ``服务要素``), else None.

    Why: a transcript marks where the moderator moves to the next discussion area with such a line; read
    as the end of the previous speaker's turn it was counted (and labelled) as words the participant said,
    and the area it names was lost. A numbered line of digits (``1. …``) is a heading only when it names
    one of the seven areas: a participant's list (``1、流量不够``) stays in the turn."""
    m = _SECTION.match(line.strip())
    if m:
        title = m.group("title").strip()
        if m.group("arabic") and not any(a in title for a in DISCUSSION_AREAS):
            return None
        return title
    bare = re.sub(r"(?:部分|环节|话题|讨论)$", "", line.strip())
    return bare if bare in DISCUSSION_AREAS else None


def unlisted_speakers(tr: "Transcript") -> list[str]:
    """Participants who speak but are not in the header's 参与者 list, each with the listed names that share
    its first character (``吴老师 (吴女士?)``); empty when the header lists no one.

    Why: a transcriber who writes one person two ways (吴女士 and 吴老师, 刘总 and 刘建华) makes two
    speakers of her, and her words are counted, quoted and attributed apart (without her attributes);
    no rule can tell that from a second person, so the researcher is told whom to check."""
    listed = [re.split(r"[（(]", n, maxsplit=1)[0].strip() for n in tr.meta.get("header_participants", [])]
    if not listed:
        return []
    out, seen = [], set()
    for t in tr.turns:
        name = t.speaker
        if (t.role == "moderator" or name in listed or name in _GROUP_SPEAKERS or len(re.split(r"[/／、&＆]", name)) > 1
                or name in seen):  # a name of words (Tom Lee) is named once too
            continue
        seen.add(name)
        like = [n for n in listed if n[:1] == name[:1]]
        out.append(f"{name} ({'/'.join(like)}?)" if like else name)
    return out


def _heading_between_turns(title: str, lines: list[str], line_no: int, known: set[str]) -> bool:
    """A heading that names no discussion area (``三、网络问题``) is a heading only where a guide puts one:
    after ordinary words, before a turn. ``王先生：我说两点：`` / ``一、资费太贵`` / ``二、信号差`` is his list."""
    if any(a in title for a in DISCUSSION_AREAS):
        return True
    before = next((normalize(ln).strip() for ln in reversed(lines[:line_no - 1]) if ln.strip()), "")
    after = next((normalize(ln).strip() for ln in lines[line_no:] if ln.strip()), "")
    if before.endswith((":", "：")) or (before and section_heading(before) is not None):
        return False
    m = _match_turn(after) if after else None
    return bool(m) and _is_speaker(m[0], known, m[1])


@dataclass
class Transcript:
    path: Path
    meta: dict = field(default_factory=dict)
    turns: list[Turn] = field(default_factory=list)
    boilerplate: BoilerplateReport = field(default_factory=BoilerplateReport)

    @property
    def session(self) -> str:
        return self.meta.get("session") or self.path.stem


def _match_turn(line: str):
    """``(speaker, attrs, text)`` of a line that starts a turn in any of the supported forms, else None.
    A speaker of words with spaces between them (``Tom Lee：…``) is one when the words are a name; a name in
    capitals (``TOM LEE：…``) has a turn's shape, and is a speaker where :func:`_capital_speakers` or the
    header says so, as ``TOM：…`` is. A label line is read first: ``00:12:31 张女士`` is no turn of ``00``."""
    if label := _label_line(line):
        return label[0], label[1], ""
    if (m := _TS_WORDS_TURN.match(line)) and not _TS_CELL.match(m.group("text").strip()):
        return re.sub(r"\s+", "", m.group("speaker")), (m.group("attrs") or "").strip(), m.group("text")
    m = _SPACED_TURN.match(line) or _SPACED_BRACKET_TURN.match(line)
    if m and (_spaced_speaker_label(name := " ".join(m.group("speaker").split())) or _capital_words_shaped(name)):
        return name, (m.group("attrs") or "").strip(), m.group("text")
    m = _TURN.match(line) or _BRACKET_TURN.match(line)
    if m:
        return m.group("speaker").strip(), (m.group("attrs") or "").strip(), m.group("text")
    return None


def _label_line(line: str) -> tuple[str, str] | None:
    """``(speaker, attrs)`` of a speaker's label line of a machine transcription (``说话人1 00:00:03``,
    ``00:12:31 张女士``, ``Tom Lee 00:00:03``, ``TOM LEE 00:00:03``: the words on the lines below), else None. A
    speaker of words with spaces between them is one when they are a name, as in a turn (:func:`_match_turn`)."""
    m = _LABEL_LINE.match(line)
    if m:
        return re.sub(r"\s+", "", m.group("speaker")), (m.group("attrs") or "").strip()
    m = _SPACED_LABEL_LINE.match(line)
    if m and (_spaced_speaker_label(name := " ".join(m.group("speaker").split())) or _capital_words_shaped(name)):
        return name, (m.group("attrs") or "").strip()
    return None


def _header_key(line: str):
    m = re.match(r"^\s*([^:：]{1,12})\s*[:：]\s*(.*)$", line)  # up to Participants, Facilitator
    if not m:
        return None
    word, value = m.group(1).strip(), m.group(2).strip()
    key = _HEADER_KEYS.get(word.lower()) or _HEADER_KEYS.get(word)
    if word in _ROLE_WORDS and _role_value_is_speech(value):
        return None  # 受访者：太贵了，一个月一百多 is a turn, 受访者：赵先生（个体户，45岁） names who was interviewed
    return (key, value) if key else None


def _role_value_is_speech(value: str) -> bool:
    """After a word that is both a header key and a speaker label: words said, not names."""
    names = re.sub(r"[（(][^（()）]*[）)]", "", value)
    return bool(re.search(r"[，。！？,.!?；;…]", names)) or len(names) > 12


_SEPARATORS = "、,，;；/ \u3000"
#: separators inside an attribute's parentheses are hidden while a list is split (private-use characters)
_PROTECT = str.maketrans({c: chr(0xE010 + i) for i, c in enumerate(_SEPARATORS)})
_UNPROTECT = str.maketrans({chr(0xE010 + i): c for i, c in enumerate(_SEPARATORS)})


def _split_names(value: str, spoken: Iterable[str] = ()) -> list[str]:
    """Names of a participant list; a space separates names, except before a name's
    attribute (``张女士 （退休教师）``). Separators inside an attribute belong to it:
    ``张女士（退休教师，50岁）、刘先生（司机）`` is two names. A name of words (``Tom Lee``) is one name
    when the list separates its names with 、，; or / (``Tom Lee、Mary Chen（学生）``), or when it is
    one of ``spoken``, the names of words that start turns (``Tom Lee：…`` below ``参与者：Tom Lee Lily``)."""
    value = re.sub(r"[（(][^（()）]*[）)]", lambda m: m.group(0).translate(_PROTECT), value)
    for name in sorted(spoken, key=len, reverse=True):
        value = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", name.translate(_PROTECT), value)
    if re.search(r"[、,，;；/]", value):
        value = re.sub(r"[^、,，;；/]+", lambda m: _keep_spaced_name(m.group(0)), value)
    names = re.split(r"\s*[、,，;；/]+\s*|\s+(?![\s（(])", value)
    return [re.sub(r"\s+(?=[（(])", "", n.strip()).translate(_UNPROTECT) for n in names if n.strip()]


def _keep_spaced_name(entry: str) -> str:
    """``entry`` with the spaces of a name of words hidden from the split (``Mary Chen（学生）``)."""
    name = _strip_attrs(entry)
    return entry.replace(name, name.translate(_PROTECT)) if name and _name_of_words(name) else entry


def _strip_attrs(entry: str) -> str:
    """``Mary Chen`` of ``Mary Chen （学生）``: an entry without the attribute after it."""
    return re.sub(r"\s*[（(][^（()）]*[）)]\s*$", "", entry.strip())


def _spoken_spaced_names(lines: list[str]) -> set[str]:
    """The names of words that start a turn somewhere in ``lines`` (``Tom Lee：…``, ``【Mary Chen】…``)."""
    out = set()
    for line in lines:
        if line.strip() and re.search(r"[A-Za-zＡ-Ｚａ-ｚ]", line):
            m = _match_turn(normalize(line).strip())
            if m and " " in m[0] and _spaced_name_shaped(m[0]):
                out.add(m[0])
    return out


def _normalize_words(line: str) -> str:
    """``line`` normalised word by word, the spaces between words kept: ``normalize`` drops
    spaces between Chinese text, which in ``参与者：王女士（退休教师） 老周（个体户）`` separate names."""
    return " ".join(normalize(w) for w in line.split())


_NAME_ATTRS = re.compile(r"^(?P<name>[^（(]{1,24})\s*[（(](?P<attrs>[^）)]+)[）)]$")


_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}\s*[.、．)）]|[（(]\d{1,2}[)）]|[\u2460-\u2473]|[-·•*●▪])\s*")


def _participant_entries(line: str, spoken: Iterable[str] = ()) -> list[str] | None:
    """The participants a line under ``参与者：`` lists (``1. 王先生（个体户，40岁）``, ``刘总（物流公司经理）``,
    ``- 陈女士、赵经理``), or None when it is something else (a title, a sentence, a header word).

    Why: minutes often list the participants one per line below the key, and a Word table's cell
    holds them on lines of its own; read as preamble, every one but the first lost its attributes.
    A numbered line of a name of words is one participant (``2. Mary Chen（学生）``)."""
    entry = _normalize_words(_LIST_MARK.sub("", line.strip()))
    if _LIST_MARK.match(line) and _name_of_words(_strip_attrs(entry)):
        names = [re.sub(r"\s+(?=[（(])", "", entry)]
    else:
        names = _coded_entries(_split_names(entry, spoken))
    if not names:
        return None
    for n in names:
        m = _NAME_ATTRS.match(n)
        name = m.group("name").strip() if m else n
        if not (_NAME_LIKE.match(name) or _full_name_shaped(name) or _latin_name_shaped(name)
                or _capital_name_shaped(name) or _name_of_words(name)) or name in _HEADER_KEYS:
            return None
    return names


def _coded_participant(code: str, who: str) -> str | None:
    """``A1（张女士，退休教师，62岁）`` of a participant's code and who the code is (``张女士，退休教师，62岁``,
    ``张女士（退休教师）``, ``张女士 退休教师``): a legend's entry, when ``code`` is a code (:data:`_SPEAKER_CODE`) and
    ``who`` starts with a name and says no sentence; else None."""
    code, who = code.strip(), who.strip()
    parts = [p for p in re.split(r"[，,、；;（()）\s]+", who) if p]
    if (not _SPEAKER_CODE.fullmatch(code) or not parts or len(who) > 40 or re.search(r"[。！？!?：:…]", who)
            or _SPEAKER_CODE.fullmatch(parts[0]) or not (_NAME_LIKE.match(parts[0]) or _full_name_shaped(parts[0]))):
        return None
    return f"{code}（{'，'.join(parts)}）"


def _coded_entries(names: list[str]) -> list[str]:
    """A participant list's names with each code joined to the name and attributes after it: ``A1 张女士（退休教师）
    A2 李先生`` split as ``A1, 张女士（退休教师）, A2, 李先生`` is ``A1（张女士，退休教师）, A2（李先生）``; a list of codes
    alone or of names alone is left as it is."""
    out: list[str] = []
    code_at = None  # where in ``out`` the code that takes the names after it stands
    for n in names:
        if _SPEAKER_CODE.fullmatch(n.strip()):
            code_at = len(out)
            out.append(n.strip())
        elif code_at is not None and (joined := _coded_participant(
                out[code_at].split("（")[0], "，".join([*re.findall(r"（(.*)）$", out[code_at]), n]))):
            out[code_at] = joined
        else:
            code_at = None
            out.append(n)
    return out


def speaker_attributes(meta: dict) -> dict[str, str]:
    """Participant attributes from the header list: ``张女士（退休教师）`` → ``{"张女士": "退休教师"}``.

    Why: researchers read and filter quotes by who said them (occupation, age group),
    as NVivo's case attributes do; the header is where transcripts record it.
    """
    out = {}
    for entry in meta.get("participants", []):
        m = _NAME_ATTRS.match(entry.strip())
        if m:
            out[m.group("name").strip()] = m.group("attrs").strip()
    return out


#: words that are a stage direction only when they stand alone in brackets (（同时）, not （同时办的宽带）)
_STAGE_ALONE = re.compile(r"[（(【\[]\s*(?:同时|齐声|一起|抢话|打断)\s*[）)】\]]")


_STAGE_GAP = re.compile(r"([，。！？；、,.!?;…])\x00+[，。！？；、,.!?;]")


def remove_stage_directions(text: str) -> str:
    """The text without stage marks ([笑声], （听不清）…). A mark between two punctuation marks goes with
    the second ("信号。[笑声]。" is "信号。"; it left "信号。。" in the quote)."""
    if "[" not in text and "【" not in text and "(" not in text and "（" not in text:
        return text
    marked = _STAGE_ALONE.sub("\x00", _STAGE.sub("\x00", text))
    if "\x00" not in marked:
        return text
    return _STAGE_GAP.sub(r"\1", marked).replace("\x00", "")


#: ``主持人王敏：``, ``主持人1：``, ``王敏（主持人）：``: the moderator named with the role
_MODERATOR_LABEL = re.compile(r"^(?:主持人|主持|访谈员|访问员|moderator)\s*[-_·]?\s*(?![说问讲提刚的也又还就在])[\w·]{1,4}$",
                              re.IGNORECASE)  # not 主持人说：… (a participant quoting her)


#: the interviewer's labels of question-and-answer notes (Q1：…, 问：…, 问2：…): the moderator's turns, as Q：… are
_QUESTION_LABEL = re.compile(r"q\d{1,2}|问\d{0,2}", re.IGNORECASE)
_QA_LABEL = re.compile(r"^\s*(?P<label>[问答]\d{0,2})\s*[:：]")


def _qa_labels(lines: list[str]) -> set[str]:
    """``问`` / ``答`` (``问1`` / ``答1``) when the notes are written as questions and answers: both start lines, three
    or more in all. Alone, ``问：为什么要排这么久？`` on a line of its own is a participant quoting herself."""
    labels: dict[str, int] = {}
    for line in lines:
        m = _QA_LABEL.match(normalize(line)) if line.strip() else None
        if m:
            labels[m.group("label")] = labels.get(m.group("label"), 0) + 1
    kinds = {k[0] for k in labels}
    return set(labels) if kinds == {"问", "答"} and sum(labels.values()) >= 3 else set()


#: a role word of the moderator's with her name after it: 主持人马丽, 主持人 马丽 (its space taken out), 访谈员王敏
_NAMED_ROLE = re.compile(r"^(?:主持人|主持|访谈员|访问员|访谈人|采访人)\s*[-_·]?\s*(?P<name>[\u4e00-\u9fff]{2,4})$")
#: a person as a bracket after the role word names her: 马丽, 欧阳娜娜, 小马, 马老师, 王女士
_PERSON = re.compile(r"[小老阿][\u4e00-\u9fff]{1,2}|[\u4e00-\u9fff]{1,2}(?:女士|先生|小姐|老师|经理)")


def _named_moderator(speaker: str, attrs: str) -> tuple[str, str]:
    """``(speaker, attrs)`` of a turn's label, the moderator's name for the speaker when the label gives one beside
    the role word: 主持人（马丽）, 主持人(马丽), 主持人 马丽 and 主持人马丽 are 马丽 (the turn still the moderator's by
    the role word, :func:`_is_moderator_label`), as 马丽（主持人） is; 主持人（马丽，市场部） is 马丽 with 市场部.
    A bracket that names no one (主持人（市场部）, 主持人（1）) and any other label are left as they are."""
    if speaker.lower() in _MODERATOR_NAMES and attrs:
        name, rest = (*re.split(r"\s*[，,、；;]\s*", attrs.strip(), maxsplit=1), "")[:2]
        return (name, rest) if _full_name_shaped(name) or _PERSON.fullmatch(name) else (speaker, attrs)
    m = _NAMED_ROLE.match(re.sub(r"\s+", "", speaker)) if not attrs else None
    return (m.group("name"), attrs) if m and _full_name_shaped(m.group("name")) else (speaker, attrs)


def _turn_speaker(speaker: str, attrs: str) -> tuple[str, bool]:
    """The speaker of a turn labelled ``speaker`` (``attrs`` in brackets after it) and whether she moderates:
    ``主持人（马丽）`` → ``("马丽", True)`` (:func:`_named_moderator`), ``马丽（主持人）`` → ``("马丽", True)``."""
    name, _rest = _named_moderator(speaker, attrs)
    return name, name != speaker or _is_moderator_label(speaker, attrs)


def _is_moderator_label(name: str, attrs: str = "") -> bool:
    return attrs.strip().lower() in _MODERATOR_NAMES or bool(_MODERATOR_LABEL.match(name)) \
        or " " in name and _spaced_moderator_label(name)


_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛"
    "邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝"
    "路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂"
    "全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
_COMPOUND_SURNAMES = {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐", "夏侯", "尉迟", "公孙", "长孙",
                      "宇文", "司徒", "端木"}


def _full_name_shaped(name: str) -> bool:
    """王建国、王敏、欧阳娜娜: two to four characters, the first a surname."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name)) and (name[0] in _SURNAMES or name[:2] in _COMPOUND_SURNAMES)


def _recurring_names(lines: list[str]) -> set[str]:
    """Full names (王建国、李秀英、欧阳娜娜) that start at least two lines each as ``王建国：…``, or label two
    lines each of a machine transcription (``王建国 00:00:03``, and names of words: ``Tom Lee 00:00:03``,
    ``TOM LEE 00:00:03``), when two or more do: the speakers of a transcript that has no header listing them.
    One such line alone is no evidence (``周末：营业厅人多`` in someone's words)."""
    counts: dict[str, int] = {}
    for line in lines:
        s = normalize(line).strip() if line.strip() else ""
        m = _TURN.match(s) if s else None
        label = _label_line(s) if s and not m else None
        name = m.group("speaker") if m else label[0] if label else ""
        if _full_name_shaped(name) or label and _name_of_words(name):
            counts[name] = counts.get(name, 0) + 1
    names = {n for n, k in counts.items() if k >= 2}
    return names if len(names) >= 2 else set()


#: words that end a quote's lead-in, never a name (王建国说：… is someone quoting him)
_SAYING = re.compile(r"[说讲问道称想讲的了是在也都就还又]$")


def _once_full_name_speaker(name: str, known: set[str]) -> bool:
    """A full name not listed in the header that starts a line once (周志强：我补充一句…) is a speaker
    when the transcript's speakers are named by full name too (主持人：王敏, 参与者：王建国、李秀英, or
    full names that recur): the line has the shape of the others. A word that merely looks like a name
    stays in the turn it is part of: a header word (时间：…), a word of the dictionary that is no
    person's name (周末、高峰期、余额), a lead-in to a quote (王建国说：…)."""
    def full_name(n: str) -> bool:  # 张女士 has the shape too, but is a speaker without this rule
        return _full_name_shaped(n) and not _NAME_LIKE.match(n) and (len(n) <= 3 or n[:2] in _COMPOUND_SURNAMES)

    if not full_name(name) or not any(full_name(k) for k in known if k):
        return False
    if name in _HEADER_KEYS or name in _TABLE_TITLES or _SAYING.search(name):
        return False
    from voiceofcustomer.text.segment import dictionary_tag  # jieba's dictionary: loaded only when needed

    tag = dictionary_tag(name)
    return tag is None or tag.startswith("nr")


#: a given name in Latin letters as transcripts write it: capitalised, letters only (Tom, Lily, Jean-Luc, O'Brien)
_LATIN_NAME = re.compile(r"[A-Z](?:'[A-Z])?[a-z]+(?:[-'][A-Z]?[a-z]+)*")
#: capitalised words that label a line, not a person (Note：…, Wifi：…, App：…), brands a participant lists and
#: role words (Host：, Interviewer： — whose turns a name-shaped rule must not make a participant's)
_LATIN_WORDS = frozenset("""
    note notes nb ps pps re fw fwd tip tips hint info warning error todo done summary remark remarks comment comments
    source reply update example step question answer q a time date day week today tel phone mobile fax email e-mail
    mail address url link web www http https ftp wifi wi-fi app apps vip sim id ip tv iptv pc ok okay yes no hi hello
    hey bye thanks total price plan
    host interviewer interviewee respondent speaker guest participant user customer staff agent moderator audience
    apple iphone ipad mac android ios huawei honor xiaomi oppo vivo samsung nokia wechat weixin alipay taobao douyin
    tiktok kuaishou bilibili youtube google baidu netflix
""".split())
_CJK = re.compile(r"[\u3400-\u9fff]")


def _latin_name_shaped(name: str) -> bool:
    """Tom, Lily, Jean-Luc: a capitalised word of Latin letters that is not a line's label (Note, Wifi, App)."""
    return bool(_LATIN_NAME.fullmatch(name)) and name.lower() not in _LATIN_WORDS


#: capitalised words that start English phrases, places and products, not a person of two words (Good Morning：,
#: Apple Music：, China Mobile：, Tencent Video：, New York：); a name's word is none of these nor of _LATIN_WORDS
_NOT_NAME_WORDS = frozenset("""
    the an my our your his her their its this that these those i we you he she it they me us them and or but if so
    of in on at to for with by from as is are was were be been not all any some every each other others no yes
    first second third last next part point item step section chapter round topic issue problem case result
    good morning afternoon evening night happy new year merry christmas dear best regards thank welcome
    service services center centre support hotline china mobile unicom telecom broadband fiber fibre network net
    online data cloud music video videos prime plus pro max mini lite ultra store shop card pay wallet maps map
    office team teams meeting zoom home family package bill account password login free trial premium basic
    standard unlimited type model version edition key tencent alibaba amazon disney spotify microsoft windows
    galaxy mate pixel redmi oneplus realme lenovo xbox playstation nintendo switch steam kindle weibo zhihu iqiyi
    youku meituan didi pinduoduo jingdong hong kong york macau macao taiwan singapore london paris tokyo
    wi fi hot spot smart air watch tab pad book box link face said says told asked
    please attention important notice reminder
""".split())
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir", "madam"})
#: ``Tony老师``, ``Lily姐``: a Latin given name with the honorific a Chinese name takes (as in _NAME_LIKE)
_HONORIFIC = re.compile(r"女士|先生|小姐|阿姨|叔叔|同学|老师|经理|总|工|姐|哥|师傅|老板|主任")
_NAME_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]*\.?|[\u3400-\u9fff]+|\d+|\S")


def _name_part(token: str, first: bool) -> str:
    """What one word of a name is: title (Dr.), initial (K.), word (Lee), cjk (张, 王敏, 小王), honorific (老师),
    else "" (not a name's word)."""
    bare = token.rstrip(".")
    if first and bare.lower() in _TITLES and token.count(".") <= 1:
        return "title"
    if re.fullmatch(r"[A-Z]\.", token):
        return "initial"
    if token == bare and _latin_name_shaped(bare) and bare.lower() not in _NOT_NAME_WORDS:
        return "word"
    if _CJK.match(token) and (_full_name_shaped(token) or token in _SURNAMES or token in _COMPOUND_SURNAMES
                              or re.fullmatch(r"[小老阿][\u4e00-\u9fff]", token)):
        return "cjk"
    return "honorific" if _HONORIFIC.fullmatch(token) else ""


def _spaced_name_shaped(name: str) -> bool:
    """A name of two to four words in Latin letters, or mixed with Chinese, as note-takers write them: Tom Lee,
    Mary Jane Watson, Dr. Wang, J. Smith, Anna K., Kevin 张 / Kevin张, 张 Kevin, Tony老师. At least one word is a
    capitalised given name or surname that labels no line (not Apple Music, China Mobile, Good Morning, Step 1)."""
    tokens = _NAME_TOKEN.findall(name)
    if not 2 <= len(tokens) <= 4 or not re.search(r"[A-Za-z]", name):
        return False
    kinds = [_name_part(t, i == 0) for i, t in enumerate(tokens)]
    if "" in kinds or kinds.count("cjk") > 1 or kinds.count("initial") > 2:
        return False
    if "honorific" in kinds and (kinds.index("honorific") != len(kinds) - 1 or kinds[-2] != "word"):
        return False  # Tony老师, not 老师Tony or Dr.老师
    return "word" in kinds or kinds == ["title", "cjk"]  # Dr. 王


#: role words that name the moderator with her name after them (Moderator Zhang：, Host Li：, 主持人 Jessica：)
_MODERATOR_HEADS = frozenset({"moderator", "mod", "host", "interviewer", "facilitator", "主持人", "主持", "访谈员",
                              "访问员"})


def _spaced_moderator_label(name: str) -> bool:
    """``Moderator Zhang``, ``Host Mary Chen``, ``Moderator 王敏``, ``Interviewer A``, ``MODERATOR ZHANG``: a role
    word and a name."""
    head, _, rest = name.partition(" ")
    return head.lower() in _MODERATOR_HEADS and bool(rest) and (
        _latin_name_shaped(rest) or _spaced_name_shaped(rest) or _name_part(rest, False) == "cjk"
        or _capital_name_shaped(rest) or _capital_words_shaped(rest) or bool(re.fullmatch(r"[A-Z]|\d{1,2}", rest)))


def _spaced_speaker_label(name: str) -> bool:
    """Words with spaces between them that label a turn: a name (Tom Lee), the moderator's (Moderator Zhang) or a
    numbered participant (Participant 3)."""
    return _spaced_name_shaped(name) or _spaced_moderator_label(name) or bool(_NUMBERED_ROLE_LABEL.fullmatch(name))


#: a given name in capitals, as some transcribers write every speaker (TOM, LILY, JEAN-LUC, O'BRIEN)
_CAPITAL_NAME = re.compile(r"[A-Z]{2,12}(?:[-'][A-Z]{1,12})?")
#: words in capitals that label a line in someone's words, not a person (QQ：…, APN：…, 5G is no word)
_ACRONYMS = frozenset("""
    qq apn sms mms rcs gps vpn nfc cpu usb atm adsl vdsl onu ont olt wlan lan wan lte volte vonr esim puk pin imei
    imsi ktv cctv dns ceo cfo cto hr it ai vr ar ott ui ux hd uhd gb mb kb tb mbps gbps ftth fttr pon gpon ims oa crm
    erp qr pdf ppt doc xls ems sf jd cmcc etc diy mv dj pk bug faq sos cd dvd led lcd sd tf nas isp sp cp sla kpi
    nps csat ivr ussd stb bss oss mvno ipv wps vlan ssid mac dhcp
""".split())


def _capital_name_shaped(name: str) -> bool:
    """TOM, LILY: a word of capitals that is no line's label (QQ, APN, VIP, NOTE) nor a role word (HOST)."""
    return bool(_CAPITAL_NAME.fullmatch(name)) and name.lower() not in _ACRONYMS | _LATIN_WORDS | _NOT_NAME_WORDS


def _capital_words_shaped(name: str) -> bool:
    """TOM LEE, MARY JANE WATSON: two to four words, each a name in capitals (not CHINA MOBILE, GOOD MORNING,
    PLEASE NOTE, BIG DATA). The shape only: :func:`_capital_speakers` says whether the transcript writes its
    speakers so."""
    words = name.split()
    return 2 <= len(words) <= 4 and all(_capital_name_shaped(w) for w in words)


def _name_of_words(name: str) -> bool:
    """A name of words as a header lists or names it: ``Tom Lee``, ``Dr. Wang``, and in capitals ``TOM LEE``
    (``参与者：TOM LEE（留学生）、MARY CHEN`` lists two people, not TOM, LEE, MARY and CHEN)."""
    return _spaced_name_shaped(name) or _capital_words_shaped(name)


def _capital_speakers(lines: list[str]) -> set[str]:
    """Names in capitals that start a line with Chinese words (``TOM：我觉得…``, ``TOM LEE：…``), when the
    transcript writes its speakers so: two of them start three lines or more, or the moderator's label is in
    capitals too (``MODERATOR：``, ``HOST：``; ``M:`` says nothing). One such line alone is no evidence: in
    someone's words it is a label."""
    counts: dict[str, int] = {}
    capital_role = False
    for line in lines:
        s = normalize(line).strip() if line.strip() else ""
        m = _TURN.match(s) or _SPACED_TURN.match(s) if s else None
        if not m or not _CJK.search(m.group("text")):
            continue
        name = " ".join(m.group("speaker").split())
        if len(name) > 1 and name.isupper() and name.lower() in _MODERATOR_HEADS:
            capital_role = True
        elif _capital_name_shaped(name) or _capital_words_shaped(name):
            counts[name] = counts.get(name, 0) + 1
    return set(counts) if capital_role or len(counts) >= 2 and sum(counts.values()) >= 3 else set()


def _latin_name_speaker(name: str, text: str, lines: list[str], line_no: int, last_turn_line: int) -> bool:
    """A Latin given name not listed in the header that starts a line with words (``Tom：我觉得…``,
    ``Lily（留学生）: …``) is a speaker: the line has the shape of a turn, and a participant with an English
    name speaks once as often as a full name does (:func:`_once_full_name_speaker`). A colon after a Latin word
    in ordinary lines stays in the turn: a label (Note：, Wifi：, APP：, iPhone：, a role word), a URL
    (``https://…``), words without Chinese (``Remember: bring …``), or a list — a line after one ending with a
    colon (``我家里用的几个：`` / ``Netflix：…``) or after such an item kept in the turn (``Bilibili：…``)."""
    if not (_latin_name_shaped(name) or _spaced_name_shaped(name)) or not _CJK.search(text) \
            or text.lstrip().startswith("/"):
        return False
    n, before = next(((i, normalize(lines[i - 1]).strip()) for i in range(line_no - 1, 0, -1)
                      if lines[i - 1].strip()), (0, ""))
    if before.endswith((":", "：")):
        return False
    item = _match_turn(before) if before else None
    label = _LATIN_LABEL.match(before)  # Tencent Video：… / Apple Music：…, an item of two words
    return not ((item and _LATIN_NAME.fullmatch(item[0]) or label and all(
        _LATIN_NAME.fullmatch(w) for w in label.group(1).split())) and n != last_turn_line)


_LATIN_LABEL = re.compile(r"^([A-Za-z]+(?:[ \t]+[A-Za-z]+){1,2})\s*(?:[（(][^（()）]*[）)])?\s*[:：]")


def _named_label_line(name: str, line: str) -> bool:
    """``Tom Lee 00:00:03`` / ``TOM LEE 00:00:03`` alone on a line: a speaker named in words labels the words below,
    listed or not, as ``Tom Lee：我觉得…`` starts a turn (:func:`_latin_name_speaker`); a name and a time are all the
    line holds, which no one's words are."""
    return _name_of_words(name) and _label_line(line) is not None


def _is_speaker(name: str, known: set[str], attrs: str = "") -> bool:
    if _is_moderator_label(name, attrs):
        return True
    if name in known or name in _GROUP_SPEAKERS or name in _ROLE_WORDS or _NAME_LIKE.match(name):
        return True
    parts = [p for p in re.split(r"[/／、&＆]", name) if p]  # 赵阿姨/张女士：… two speakers at once
    return len(parts) > 1 and all(_is_speaker(p, known) for p in parts)


def parse_transcript(lines: list[str], path: Path, *, group: str | None = None, city: str | None = None,
                     session: str | None = None, moderator: str | None = None,
                     moderators: Iterable[str] = ()) -> Transcript:
    """Parse transcript lines. Header lines become metadata; turns keep their speaker and role.

    ``moderator`` replaces the header's moderator; ``moderators`` are further speaker labels
    whose turns are the moderator's (``说话人1`` of a machine transcription, which no header names).
    When neither is given and no turn is the moderator's, :func:`detect_moderator` may take one speaker for her
    (``meta["moderator_detected"]``: the speaker and why); ``moderators=["none"]`` says there is none to take.
    """
    no_moderator = any(m.strip().lower() == "none" for m in moderators)
    moderators = [m for m in moderators if m.strip().lower() != "none"]
    given = bool(moderator or moderators)
    report = BoilerplateReport()
    legend = [ln.removeprefix(_LEGEND_MARK) for ln in lines if ln.startswith(_LEGEND_MARK)]  # A1（张女士，退休教师）
    lines = drop_boilerplate(["" if ln.startswith(_LEGEND_MARK) else ln for ln in lines], report)
    table_turns = {k for k, ln in enumerate(lines, 1) if ln.startswith(_TABLE_TURN_MARK)}  # rows of 发言人 | 内容
    lines = [ln.removeprefix(_TABLE_TURN_MARK) for ln in lines]
    tr = Transcript(path=path, boilerplate=report)
    meta = tr.meta
    if legend:  # a .docx's legend table lists the participants, wherever it stands
        meta["participants"] = list(legend)
    in_header = True
    header_moderator = ""  # the one moderator the header's 主持人：马丽 names: her plain 主持人：… turns are hers
    current: dict | None = None
    raw_turns: list[dict] = []
    section = ""  # the discussion guide's heading the turns are under
    list_open = False  # the header line before named participants: the lines below may list more
    from_turns: list[str] = []  # participants a turn names with attributes (张女士（退休教师）：…), not the header
    titled = ""  # the first heading-styled paragraph above the turns, or a .txt's title-like first line
    first = next((k for k, ln in enumerate(lines, 1) if ln.removeprefix(_HEADING_MARK).strip()), 0)
    plain_text = path.suffix.lower() == ".txt"
    named = _recurring_names(lines) | _capital_speakers(lines) | _qa_labels(lines)
    spoken = _spoken_spaced_names(lines) | {n for n in named if " " in n}  # Tom Lee：… — 参与者：Tom Lee Lily lists Tom Lee
    for line_no, line in enumerate(lines, 1):
        styled = line.startswith(_HEADING_MARK)  # a .docx paragraph in a heading style
        line = line.removeprefix(_HEADING_MARK)
        stripped = normalize(line).strip() if line.strip() else ""
        if not stripped:
            continue
        if in_header and line_no not in table_turns:
            hk = _header_key(stripped)
            if hk and hk[0] != "moderator" or (hk and hk[0] == "moderator" and _moderator_is_metadata(
                    hk[1], lines, line_no)):
                spaced = _header_key(_normalize_words(line))
                key, value = spaced if spaced and spaced[0] == hk[0] else hk
                inline = _INLINE_HEADER.split(value)  # 主持人：李雯 记录：张三 参与者：… on one line
                value = inline[0].strip()
                for k, v in zip(inline[1::2], inline[2::2]):
                    extra = _header_key(f"{k}：{v.strip()}")
                    if extra and extra[0] == "participants":
                        meta.setdefault("participants", []).extend(_split_names(extra[1], spoken))
                    elif extra:
                        meta[extra[0]] = normalize(extra[1])
                if key == "participants":
                    meta.setdefault("participants", []).extend(_coded_entries(_split_names(value, spoken)))
                elif key == "moderator":
                    value = _normalize_words(value)  # 主持人：马丽 王敏 names two, not 马丽王敏
                    meta[key] = _moderator_name(value)
                    header_moderator = meta[key] if _names_one(value) else ""
                    if value != meta[key]:
                        meta["moderator_note"] = value
                else:
                    meta[key] = normalize(value)
                list_open = (inline[-2] if len(inline) > 1 else key) in ("participants", "参与者", "参会人员", "参会人",
                                                                       "参会者", "与会者")
                continue
            coded = re.match(r"^\s*([^:：\s]{1,12})\s*[:：]\s*(.+)$", stripped) if not hk else None
            above = next((ln.strip() for ln in reversed(lines[:line_no - 1]) if ln.strip()), "")
            if coded and (list_open or above.endswith((":", "："))) and (
                    entry := _coded_participant(coded[1], coded[2])):  # 参与者： / A1：张女士，退休教师: a legend's line
                meta.setdefault("participants", []).append(entry)
                list_open = True
                continue
            entries = _participant_entries(line, spoken) if list_open and not hk else None
            if entries:  # 参与者： then one per line (1. 王先生（个体户，40岁）), or a table cell's lines
                meta.setdefault("participants", []).extend(entries)
                continue
            list_open = False
        known = ({meta.get("moderator", "")} | set(meta.get("participants", [])) | set(speaker_attributes(meta))
                 | _MODERATOR_NAMES | named)
        m = _match_turn(stripped)
        if m and (line_no in table_turns or _is_speaker(m[0], known, m[1])
                  or _once_full_name_speaker(m[0], known - _MODERATOR_NAMES)
                  or _named_label_line(m[0], stripped)
                  or current is not None and _latin_name_speaker(m[0], m[2], lines, line_no, current["line"])):
            in_header = False
            raw = _match_turn(line.strip())
            speaker, attrs = m[0], m[1]
            if attrs and speaker.lower() not in _MODERATOR_NAMES and speaker != meta.get("moderator") \
                    and not _is_moderator_label(speaker, attrs) \
                    and speaker not in speaker_attributes(meta):  # 张女士（退休教师）：… records who she is
                meta.setdefault("participants", []).append(f"{speaker}（{attrs}）")
                from_turns.append(f"{speaker}（{attrs}）")
            speaker, moderates = _turn_speaker(speaker, attrs)
            if speaker != m[0]:  # 主持人（马丽）：… names the moderator, as a header's 主持人：马丽 does
                meta.setdefault("moderator", speaker)
            current = {"speaker": speaker, "line": line_no, "parts": [raw[2] if raw else m[2]],
                       "moderator": moderates, "section": section,
                       "lines": [(line_no, _display_width(line))]}
            raw_turns.append(current)
        elif (heading := section_heading(stripped) or (stripped if styled and current else None)) is not None and (
                styled or _heading_between_turns(heading, lines, line_no, known)):  # 二、服务信息: no one's words
            section = heading
        elif current is not None:
            current["parts"].append(_LEADING_TS.sub("", line.strip()))
            current["lines"].append((line_no, _display_width(line)))
        elif in_header:
            if styled and not titled:  # a .docx's heading above the turns (Heading 1, Title): the session's title
                titled = _normalize_words(line.strip())  # its spaces kept: 2026年11月 城区宽带用户座谈会
            elif plain_text and line_no == first and _title_like(stripped):  # a .txt's first line, a title
                titled = _normalize_words(line.strip())  # 2026年11月 城区宽带用户座谈会纪要
            meta.setdefault("preamble", []).append(stripped)
    if titled and not meta.get("title"):  # a header's 座谈会名称：… line wins
        meta["title"] = titled
    meta["header_participants"] = [p for p in meta.get("participants", []) if p not in from_turns]
    if group and not meta.get("group"):  # --group/--city fill in what the header lacks; the header wins
        meta["group"] = group
    if city and not meta.get("city"):
        meta["city"] = city
    if not meta.get("city") and meta.get("place"):  # 地点：广东省佛山市禅城区… names the city
        meta["city"] = city_of_place(meta["place"])
    if not meta.get("city") and (title_city := city_in_title(meta.get("title", ""))):  # 宽带用户座谈会（杭州）
        meta["city"] = title_city
        meta["city_from_title"] = True  # said in a note, with how to change it
    if session:
        meta["session"] = session
    if moderator:
        meta["moderator"] = moderator
    if meta.get("group"):
        meta["group"] = GROUP_ALIASES.get(meta["group"], meta["group"])
    mod = {meta.get("moderator", "").lower()} | _MODERATOR_NAMES | {m.strip().lower() for m in moderators if m.strip()}
    mod.discard("")
    listed = ({meta.get("moderator", "")} | {re.split(r"[（(]", n, maxsplit=1)[0].strip()
                                             for n in meta.get("participants", [])}) - {""}
    raw_turns = _inline_turns_split(raw_turns, listed)
    n = 0
    wrap = _wrap_width(raw_turns)
    if wrap is not None:
        known = ({meta.get("moderator", "")} | set(meta.get("participants", [])) | set(speaker_attributes(meta))
                 | _MODERATOR_NAMES | named) - {""}
        raw_turns = _cut_labels_joined(raw_turns, lines, wrap, known)
    named_in_turns = {t["speaker"] for t in raw_turns if t["moderator"] and t["speaker"].lower() not in _MODERATOR_NAMES
                      and not _MODERATOR_LABEL.match(t["speaker"])}  # 主持人（王敏）：… names a moderator too
    sole = header_moderator if not moderator and named_in_turns <= {header_moderator} else ""
    for t in raw_turns:
        text = _turn_text(t, wrap)
        n += 1
        if sole and t["speaker"].lower() in _PLAIN_MODERATOR_LABELS:  # 主持人：… under the header's 主持人：马丽
            t = {**t, "speaker": sole, "moderator": True}
        role = "moderator" if t["speaker"].lower() in mod or t["moderator"] or _QUESTION_LABEL.fullmatch(t["speaker"]) \
            else "participant"  # Q1：… / 问：… (a turn only in notes of questions and answers) asks
        tr.turns.append(Turn(turn=n, speaker=t["speaker"], role=role, text=text, line=t["line"], section=t["section"]))
    if no_moderator:
        meta["moderator_none"] = True
    elif not given and not any(t.role == "moderator" for t in tr.turns) and (found := detect_moderator(tr.turns)):
        meta["moderator_detected"] = found  # (speaker, why): said in a note, with how to override it
        for t in tr.turns:
            if t.speaker == found[0]:
                t.role = "moderator"
    return tr


#: what a title line has none of: a colon (a header field, a turn), sentence punctuation (a sentence of preamble), a
#: bracket of a stage direction or time ([录音开始], (00:00:02))
_NOT_TITLE = re.compile(r"[:：。！？!?；;，,\[\]【】]|\d{1,2}:\d{2}")


def _title_like(line: str) -> bool:
    """A .txt transcript's first line that is its title (``2026年11月 城区宽带用户座谈会纪要``): 4 to 40 characters, at
    least 4 of them Chinese or letters, no colon, no sentence punctuation, no stage direction. Conservative: called
    only for the first non-empty line, when it is neither a turn nor a header field (then it was preamble)."""
    words = len(re.findall(r"[\u4e00-\u9fffA-Za-z]", line))
    return 4 <= len(line) <= 40 and words >= 4 and not _NOT_TITLE.search(line)


#: what a moderator's turn does: asks (a question mark, a clause ending in 吗 or 呢, 请问) or turns to the group
#: (大家, 各位, 谈谈, 说说 …)
_ASKS = re.compile(r"[?？]|[吗呢](?=[\s，。！、,.!…~～]|$)|请问|大家|各位|谈谈|说说|聊聊|讲讲")


def _asks(text: str) -> bool:
    return bool(_ASKS.search(text))


def detect_moderator(turns: list[Turn]) -> tuple[str, str] | None:
    """``(speaker, why)`` of the speaker taken for the moderator of a transcript that names none (``说话人1`` of a
    machine transcription), or None when no speaker is so with confidence.

    Why: a speech-to-text export labels everyone 说话人N; without ``--moderator`` the moderator's questions were
    counted, tagged and quoted as customers' statements. The rule is what a researcher checks by eye, and all of it
    must hold: the speaker speaks first; takes 3 turns or more; asks in at least 60 % of them (:data:`_ASKS`: a
    question mark, 吗/呢 ending a clause, 请问, or 大家/各位/谈谈/说说…); speaks between two other speakers' turns at
    least twice; and the others ask in at most a quarter of their turns taken together, none of them with 3 turns or
    more in over a third. Two speakers who both ask, or a first speaker who does not, is no guess."""
    spoken = [t for t in turns if t.speaker not in _GROUP_SPEAKERS and len(re.split(r"[/／、&＆]", t.speaker)) == 1]
    if not spoken:
        return None
    first = spoken[0].speaker
    count: dict[str, list[int]] = {}  # speaker → [turns, turns that ask]
    for t in spoken:
        c = count.setdefault(t.speaker, [0, 0])
        c[0] += 1
        c[1] += _asks(t.text)
    if len(count) < 2:
        return None
    n, asks = count[first]
    between = sum(b.speaker == first and a.speaker != first and c.speaker != first
                  for a, b, c in zip(spoken, spoken[1:], spoken[2:]))
    others = [c for s, c in count.items() if s != first]
    other_n, other_asks = sum(c[0] for c in others), sum(c[1] for c in others)
    if n < 3 or asks < 0.6 * n or between < 2 or other_asks > 0.25 * other_n \
            or any(c[0] >= 3 and c[1] > c[0] / 3 for c in others):
        return None
    return first, (f"speaks first, asks in {asks} of {n} turns and speaks between the others {between} times; the "
                   f"others ask in {other_asks} of {other_n}")


def _inline_label(names: set[str]) -> re.Pattern | None:
    """The label of one of ``names`` inside a line, after the end of a sentence (or a space): ``。李先生：``,
    ``！ 张女士（退休教师）：``."""
    if not names:
        return None
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<=[。！？!?…；;\s])[ \t\u3000]*(?P<speaker>{alt})"
                      r"\s*(?:[（(](?P<attrs>[^（()）:：]{1,20})[）)])?\s*[:：]\s*")


def _inline_turns_split(raw_turns: list[dict], listed: set[str]) -> list[dict]:
    """``raw_turns`` with a turn that holds another speaker's whole label inside a line split there:
    ``张女士：我觉得排队太久。李先生：我也是，上次等了一个小时。`` is two turns, 张女士's and 李先生's.

    Why: a note-taker who types the session as one paragraph, or a transcript pasted out of a chat, puts
    several turns on one line, and the second speaker's words were counted and quoted as the first's. Only a
    speaker of this transcript is split at (named in the header, or starting a line's turn elsewhere) and only
    after the end of a sentence: ``时间：下午三点``, ``比如说：…`` or ``套餐A：…`` stay words."""
    names = {n for n in listed | {t["speaker"] for t in raw_turns}
             if n and (len(n) >= 2 or any(t["speaker"] == n for t in raw_turns))}
    pattern = _inline_label(names)
    if pattern is None:
        return raw_turns
    out: list[dict] = []
    for turn in raw_turns:
        i = 0
        while i < len(turn["parts"]):
            m = pattern.search(turn["parts"][i])
            if m is None or not turn["parts"][i][m.end():].strip() or not turn["parts"][i][:m.start()].strip():
                i += 1
                continue
            speaker, attrs = m.group("speaker"), (m.group("attrs") or "").strip()
            head = {**turn, "parts": [*turn["parts"][:i], turn["parts"][i][:m.start()].rstrip()],
                    "lines": turn["lines"][:i + 1]}
            out.append(head)
            speaker, moderates = _turn_speaker(speaker, attrs)
            turn = {"speaker": speaker, "line": turn["lines"][i][0], "moderator": moderates,
                    "section": turn["section"], "parts": [turn["parts"][i][m.end():], *turn["parts"][i + 1:]],
                    "lines": turn["lines"][i:]}
            i = 0
        out.append(turn)
    return out


#: a line that ends with one of these ends its sentence (or paragraph), wrapped or not: the next line starts anew
_LINE_ENDS = frozenset("。！？!?…；;.：:～~”’」』》）)】]〉\"'")
#: the narrowest and widest a hard-wrapped transcript's lines are cut at (display columns: 20 and 60 Chinese
#: characters; a page holds no wider line, and a file whose lines are wider is one of paragraphs)
_MIN_WRAP_WIDTH, _MAX_WRAP_WIDTH = 40, 120
#: a line that starts an item of a list (一、…, 2、…, （3）…, ①…, - …): never the rest of a wrapped line
_LIST_ITEM = re.compile(rf"^\s*(?:[{_CN_NUMERAL}]{{1,3}}\s*、|\d{{1,2}}\s*(?:[、)）]|[.．](?!\d))"
                        rf"|[（(][{_CN_NUMERAL}\d]{{1,3}}[)）]|[\u2460-\u2473]|[-·•*●▪])")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def _display_width(line: str) -> int:
    """How wide ``line`` is laid out: a Chinese character (or any wide one) two columns, others one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line.rstrip())


def _wrap_slack(width: int) -> int:
    """How much shorter than the widest a wrapped line can be: a wide character that did not fit, a mark that
    may not start a line taking the character before it down, a word of letters kept whole."""
    return max(4, width // 10)


def _wrap_width(raw_turns: list[dict]) -> int | None:
    """The width a hard-wrapped transcript's lines were cut at (copied out of a PDF, or a word processor's
    fixed-width export), or None when its lines are not wrapped.

    Why: a wrapped turn goes on on the next line mid-sentence (``…等了快一`` / ``个小时…``), and each line
    became a statement of its own. Read from the lines a turn goes on after: in a wrapped file the
    widest is the width they were cut at and most of them (60 %) are about that wide; in a file whose lines
    are paragraphs their widths vary and often pass a page's (60 Chinese characters), and a list's lines are
    short (under 20)."""
    widths = [w for t in raw_turns for (ln, w), (nxt, _w) in zip(t["lines"], t["lines"][1:]) if nxt == ln + 1]
    if len(widths) < 2 or not _MIN_WRAP_WIDTH <= max(widths) <= _MAX_WRAP_WIDTH:
        return None
    width = max(widths)
    full = sum(w >= width - _wrap_slack(width) for w in widths)
    return width if full >= 2 and full >= 0.6 * len(widths) else None


def _turn_text(turn: dict, wrap: int | None) -> str:
    """A turn's words, its lines joined by line breaks; in a hard-wrapped transcript (``wrap``, the width its
    lines were cut at) a line as wide as that which ends mid-sentence goes on on the next, with no break
    (a space between two words of letters): ``觉得排队情况怎么`` / ``样？`` is ``觉得排队情况怎么样？``.
    A line ending with 。！？…；： or a closing quote or bracket, a shorter line (a paragraph's last), a line
    before a blank line or before a list's item ends where it ends, as in a file whose lines are not wrapped."""
    out: list[str] = []
    goes_on = False
    prev_line = None
    for part, (line_no, width) in zip(turn["parts"], turn["lines"]):
        if goes_on and line_no == prev_line + 1 and part and not _LIST_ITEM.match(part):
            space = " " if _ASCII_WORD.fullmatch(out[-1][-1]) and _ASCII_WORD.match(part) \
                and not (out[-1][-1].isdigit() and part[0].isdigit()) else ""  # bring the ID / card.
            out[-1] += space + part
        elif part:
            out.append(part)
        if part:
            goes_on = (wrap is not None and width >= wrap - _wrap_slack(wrap) and bool(out[-1].rstrip())
                       and out[-1].rstrip()[-1] not in _LINE_ENDS)
            prev_line = line_no
    return "\n".join(out).strip()


#: what may stand before a speaker's label inside a line: the end of the words before it, or a space
_BEFORE_LABEL = re.compile(rf"[{re.escape(''.join(_LINE_ENDS))}\s]")


def _cut_label(part: str, width: int, wrap: int, nxt: str, speaks: set[str]) -> tuple[int, tuple] | None:
    """``(where the label starts in part, (speaker, attrs, words))`` when a hard-wrapped line cut a speaker's label
    in two: ``part`` (a line as wide as ``wrap``, the words of a turn) ends with the label's start after the end of
    a sentence (``…得下楼去打电话。孙女``) and the next line ``nxt`` holds the rest of it and its colon
    (``士：我家也是这样…``), and the whole label names a speaker of the transcript (``speaks``: the header's, or one
    that starts a line's turn elsewhere). Else None: a line that merely ends in a name-like character
    (``…隔壁的刘`` / ``先生：你们那栋楼…`` asks him; ``…。老`` / ``实说：…`` is said) goes on as before."""
    if width < wrap - _wrap_slack(wrap):
        return None
    body = part.rstrip()
    ends = [m.end() for m in _BEFORE_LABEL.finditer(body)]
    start = ends[-1] if ends else None
    if start is None or start >= len(body):
        return None
    head = body[start:]
    whole = _match_turn(normalize(head + nxt.strip()).strip())
    raw = _match_turn(head + nxt.strip())
    if not whole or not raw or len(raw[2]) >= len(nxt.strip()):  # the label ends on the line before: not cut
        return None
    speaker = whole[0]
    if speaker not in speaks and speaker.lower() not in _MODERATOR_NAMES:
        return None
    return start, (speaker, whole[1], raw[2])


def _cut_labels_joined(raw_turns: list[dict], lines: list[str], wrap: int, known: set[str]) -> list[dict]:
    """``raw_turns`` with each speaker's label that a hard-wrapped line cut in two made whole again (see
    :func:`_cut_label`): the words after it are a turn of that speaker, not the rest of the turn before
    (``孙女`` / ``士：…`` read as the previous speaker's words) nor a turn of the label's second half (``周`` /
    ``阿姨：…`` as 阿姨's, 周 left to the speaker before).

    Why: a transcript copied out of a PDF or a fixed-width export whose turns run on in one paragraph breaks
    its lines wherever the width ends, through a name as through any word. ``known``: the speakers the header
    names (or that recur); a speaker who starts a line's turn elsewhere in the transcript is one too."""
    speaks = known | {t["speaker"] for t in raw_turns}
    out: list[dict] = []
    for k, turn in enumerate(raw_turns):
        after = raw_turns[k + 1] if k + 1 < len(raw_turns) else None
        i = 0
        while i < len(turn["parts"]):
            line_no, width = turn["lines"][i]
            last = i + 1 == len(turn["lines"])
            inside = not last and turn["lines"][i + 1][0] == line_no + 1
            # the next line started a turn of the label's second half (阿姨：…), a speaker no header names
            starts = last and after is not None and after["line"] == line_no + 1 and after["speaker"] not in known
            cut = _cut_label(turn["parts"][i], width, wrap, lines[line_no].removeprefix(_HEADING_MARK), speaks) \
                if inside or starts else None
            if cut is None:
                i += 1
                continue
            start, (speaker, attrs, words) = cut
            turn["parts"][i] = turn["parts"][i].rstrip()[:start].rstrip()
            speaker, moderates = _turn_speaker(speaker, attrs)
            whose = {"speaker": speaker, "line": line_no, "moderator": moderates}
            if starts:  # that turn is the whole label's
                after.update(whose)
                after["parts"][0] = words
                break
            out.append(turn)
            turn = {**whose, "parts": [words, *turn["parts"][i + 2:]], "section": turn["section"],
                    "lines": turn["lines"][i + 1:]}
            del out[-1]["parts"][i + 1:], out[-1]["lines"][i + 1:]
            i = 0
        out.append(turn)
    return out


_INLINE_HEADER = re.compile(r"\s*(记录人|记录员|记录|参与者|参会人员|参会人|参会者|与会者|日期|城市|会议地点|地点|客户群)\s*[:：]")


def _moderator_is_metadata(value: str, lines: list[str], line_no: int) -> bool:
    """A header ``主持人：`` line names the moderator; it is not the moderator's first turn.

    It is metadata when another header line (记录、参与者、日期…) follows it or sits on the same
    line, or when it only names a person and a blank or header line follows."""
    if _INLINE_HEADER.search(value):
        return True
    nxt = next((normalize(ln).strip() for ln in lines[line_no:] if ln.strip()), "")
    hk = _header_key(nxt) if nxt else None
    if hk and hk[0] != "moderator":
        return True
    turn = _match_turn(nxt) if nxt else None
    if turn and turn[0] == value.strip():  # 主持人：郑洁 then 郑洁：各位好… names her
        return True
    if not _looks_like_speech(value) and any(  # 主持人：郑洁, and 郑洁：… speaks further down: it names her
            (t := _match_turn(normalize(ln).strip())) and t[0] == value.strip() for ln in lines[line_no:] if ln.strip()):
        return True
    return not _looks_like_speech(value) and _header_continues(lines, line_no)


def _header_continues(lines: list[str], line_no: int) -> bool:
    """A header line is followed by a blank line or another header line, not by a turn."""
    if line_no >= len(lines):
        return True
    nxt = normalize(lines[line_no]).strip()
    return not nxt or _header_key(nxt) is not None


def _looks_like_speech(value: str) -> bool:
    """A ``主持人：`` line in the header is metadata when it only names a person (``王敏``, ``Mary Chen``,
    ``Dr. Wang（市场部）``)."""
    if _name_of_words(_strip_attrs(value)):
        return False
    return len(value) > 8 or bool(re.search(r"[，。！？,.!?]", value))


#: a moderator's turn label that names no one: under a header naming one moderator (主持人：马丽) it is her
_PLAIN_MODERATOR_LABELS = frozenset({"主持人", "主持", "moderator", "m", "mod", "host", "interviewer", "facilitator",
                                     "访谈员", "访问员", "访谈人", "采访人"})


def _names_one(value: str) -> bool:
    """Whether a header's ``主持人：`` value names one person: ``马丽``, ``马丽（市场部）``, ``Tom Lee``; not
    ``马丽、王敏`` or ``马丽 王敏`` (two moderators, whose plain 主持人：… turns are no one's in particular)."""
    bare = re.sub(r"[（(][^）)]*[）)]", "", value).strip()
    return bool(bare) and (_name_of_words(bare) or len(re.split(r"[，,、；;/／&＆\s]+", bare)) == 1)


def _moderator_name(value: str) -> str:
    """The moderator a header's ``主持人：`` names: ``王敏`` of ``王敏（市场部）`` or ``王敏 李雯``, and a
    name of words whole (``Tom Lee``, ``Dr. Wang（市场部）``) — its first word alone was taken."""
    m = re.match(r"[^，,、（(]+", value)
    if m and _name_of_words(m.group(0).strip()):
        return " ".join(m.group(0).split())
    return re.split(r"[，,、（(\s]", value, maxsplit=1)[0] or value


def looks_like_transcript(lines: list[str]) -> bool:
    """True when the non-header lines are mostly speaker turns (at least 3, by 2+ speakers), or when the header
    names the moderator or participants who speak below, however many lines their turns run over.

    A speaker is a name like ``张女士``, ``P3``, ``发言人2``, ``小刘`` or one the header lists
    (参与者：…); a ``主持人：`` line that says something (not only a name) is the moderator's turn.
    A header ``主持人：李敏`` followed by turns of 李敏 is enough, even with fewer than 3 turns.
    """
    known: set[str] = _recurring_names(lines) | _capital_speakers(lines) | _qa_labels(lines)
    spoken = _spoken_spaced_names(lines) | {n for n in known if " " in n}
    moderators: set[str] = set()  # named in the header (主持人：李敏)
    listed: set[str] = set()  # named in the header (参与者：张女士、李先生)
    for line in lines:
        hk = _header_key(normalize(line).strip())
        if hk and hk[0] == "participants":
            listed |= {re.split(r"[（(]", n, maxsplit=1)[0] for n in _split_names(hk[1], spoken)}
            known |= listed
        elif hk and hk[0] == "moderator" and not _looks_like_speech(hk[1]):
            known.add(hk[1])
            moderators.add(_moderator_name(hk[1]))
    speakers, turn_lines, body_lines = set(), 0, 0
    for line in lines:
        s = normalize(line).strip() if line.strip() else ""  # as parse_transcript reads it: Ｑ：… is Q：…
        hk = _header_key(s) if s else None
        if not s or (hk and not (hk[0] == "moderator" and _looks_like_speech(hk[1]))):
            continue
        body_lines += 1
        m = _match_turn(s)
        if m and (_is_speaker(m[0], known, m[1]) or _CJK.search(m[2]) and (  # Tom：我觉得…, Tom Lee：… unlisted
                _latin_name_shaped(m[0]) or _spaced_name_shaped(m[0])) or _named_label_line(m[0], s)):
            turn_lines += 1
            speakers.add(m[0])
    # a header naming the moderator who then speaks is a transcript however short it is, and however many lines
    # its turns run over: so is one naming participants who speak (a turn of ten lines is one turn line)
    if speakers & moderators or speakers & listed and turn_lines >= 3 and len(speakers) >= 2:
        return True
    return turn_lines >= 0.3 * body_lines and turn_lines >= 3 and len(speakers) >= 2


def transcript_header(lines: list[str]) -> list[str]:
    """The words of a focus group's header the first lines hold (``座谈会名称``, ``主持人``, ``参与者`` …) when
    they are two or more and name the moderator or the participants, else []: such a file is a transcript,
    read or not (a header of minutes above turns written in a form no rule reads). A title line above the header
    (``2026年11月 用户座谈会（南京）``, as :func:`parse_transcript` reads a .txt's first line) is passed over."""
    words, keys = [], set()
    first = True
    for line in lines:
        s = normalize(line).strip() if line.strip() else ""
        if not s:
            continue
        hk = _header_key(s)
        if not hk and first and _title_like(s):
            first = False
            continue
        first = False
        if not hk:
            break
        words.append(re.split(r"\s*[:：]", s, maxsplit=1)[0])
        keys.add(hk[0])
    return words if len(words) >= 2 and keys & {"moderator", "participants"} else []


#: column titles of a transcript table's first row (时间 | 发言人 | 内容): not a turn; by what the column holds
_SPEAKER_TITLES = {"发言人", "说话人", "讲话人", "发言者", "说话者", "姓名", "角色", "身份", "speaker", "name", "role"}
_WORDS_TITLES = {"内容", "发言内容", "发言", "记录", "原话", "文本", "转写内容", "转写文本", "讲话内容", "说话内容", "text",
                 "content", "transcript"}
_TIME_TITLES = {"时间", "时间点", "时间戳", "开始时间", "发言时间", "time", "timestamp", "start"}
_TABLE_TITLES = {*_SPEAKER_TITLES, *_WORDS_TITLES, *_TIME_TITLES, "序号", "编号", "no", "#", "备注", "说明", "注释",
                 "标注", "情绪", "结束时间", "时长", "end", "duration", "note", "notes", "remark", "remarks",
                 *(k for k, v in _HEADER_KEYS.items() if v == "group")}  # 客户群 | 发言人 | 发言内容: the group's column
#: starts the line of a row of a table whose title row names the speaker's and the words' columns: a turn, whoever
#: the speaker (no header lists 王敏 of ``发言人 | 内容`` / ``王敏 | 大家说说…``, and the row was preamble)
_TABLE_TURN_MARK = "\ue031"
_TS_CELL = re.compile(rf"^{_TIMESTAMP}$")


def _bold(run) -> bool:
    return bool(run.bold or (run.bold is None and run.style is not None and run.style.font.bold))


#: starts the line of a .docx paragraph set in a heading style (Heading 2, 标题 2): a section heading once turns began
_HEADING_MARK = "\ue030"


def _centred(para) -> bool:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    align = para.alignment
    style = para.style
    while align is None and style is not None:  # set on the paragraph, else on its style or the style it is based on
        align = style.paragraph_format.alignment
        style = style.base_style
    return align in (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.DISTRIBUTE)


def _set_as_title(para, text: str) -> bool:
    """The document's first paragraph set as a title by hand, with no heading style: centred, or all in bold and
    shaped like a title (:func:`_title_like`, no speaker's name — a bold ``张女士`` or ``Tom Lee`` alone starts her
    turn). ``2026年11月 城区宽带用户座谈会`` centred and bold was preamble, and a bold ``城区宽带座谈`` became the
    label ``城区宽带座谈：``."""
    line = normalize(text).strip()
    if not line or "\n" in line or _match_turn(line) is not None or _header_key(line) is not None:
        return False
    if _NAME_LIKE.match(line) or line.lower() in _MODERATOR_NAMES or _name_of_words(line):
        return False
    runs = [r for r in para.runs if r.text.strip()]
    bold = bool(runs) and all(_bold(r) for r in runs)
    return _title_like(line) and (bold or _centred(para))


def _paragraph_lines(para, first: bool = False) -> list[str]:
    """A paragraph's lines; a speaker name set in bold at its start gets the colon transcripts use
    (``**张女士** 我觉得…`` → ``张女士：我觉得…``, also after a time: ``[00:12:35] **张女士** …`` → ``[00:12:35]
    张女士：…``; a bold name alone in its paragraph starts a turn
    whose words are the paragraphs below; one shaped as the guide's section heading, ``一、营业厅服务体验`` all in bold,
    is marked as a heading, not made the label ``一、营业厅服务体验：``). A one-line paragraph in a heading style (or Word's Title) that starts
    no turn is marked as a heading (``关于网络质量`` set as Heading 2 is the guide's section, not words; one above
    the turns, ``2026年11月 城区宽带用户座谈会`` as Heading 1 or Title, is the session's title); so is the document's
    ``first`` paragraph when it is set as a title by hand, bold and/or centred (:func:`_set_as_title`)."""
    text = para.text
    style = (para.style.name if para.style is not None else "") or ""
    if (re.match(r"(?i)heading\s*\d|标题\s*\d|(?:title|标题)$", style) and text.strip() and "\n" not in text.strip()
            and _match_turn(normalize(text).strip()) is None) or (first and _set_as_title(para, text)):
        return [_HEADING_MARK + text.strip()]
    runs = [r for r in para.runs if r.text]
    stamp = ""  # a time before the name, in plain type ([00:12:35] **张女士** …) or bold with it
    k = 0
    while k < len(runs) and not _bold(runs[k]):
        stamp += runs[k].text
        k += 1
    if stamp.strip() and not _TS_CELL.match(stamp.strip()):
        k = len(runs)  # ordinary words first: no label
    lead = ""
    for r in runs[k:]:
        if not _bold(r):
            break
        lead += r.text
    if not stamp.strip() and (m := re.match(rf"\s*{_TIMESTAMP}\s*", lead)):
        stamp, lead = lead[:m.end()], lead[m.end():]
    label = lead.strip()
    if label and lead == text and section_heading(normalize(label)) is not None:
        return [_HEADING_MARK + label]  # 一、营业厅服务体验 in bold: the guide's section, no speaker's label
    if (label and len(label) <= 24 and "\n" not in label and not re.search(r"[:：。！？!?，,]", label)
            and text.startswith(stamp + lead)):
        rest = text[len(stamp) + len(lead):].lstrip(" \t\u3000:：")
        text = f"{stamp.strip()} {label}：{rest}" if stamp.strip() else f"{label}：{rest}"
    return text.split("\n")


def _titled_columns(table) -> tuple[int, int, int | None] | None:
    """``(speaker, words, time or None)``: the grid columns a table's title row names (``序号 | 发言人 | 发言内容 |
    备注``), when it names a speaker's and the words' column, else None."""
    if not len(table.rows):
        return None
    return _turn_columns([c.text for c in table.rows[0].cells])  # one per grid column, a merged cell repeated


def _turn_columns(cells: list) -> tuple[int, int, int | None, int | None] | None:
    """``(speaker, words, time, role)`` of a title row's cells (a Word table's or a sheet's first row), when every
    title is a transcript table's (:data:`_TABLE_TITLES`) and it names a speaker's and the words' column."""
    titles = [str(c).strip().lower() for c in cells]
    if not any(titles) or not all(t in _TABLE_TITLES for t in titles if t):
        return None
    named = [k for k, t in enumerate(titles) if t in _SPEAKER_TITLES]
    speaker = next((k for k in named if titles[k] not in _ROLE_TITLES), named[0] if named else None)
    role = next((k for k in named if titles[k] in _ROLE_TITLES and k != speaker), None)
    words = next((k for k, t in enumerate(titles) if t in _WORDS_TITLES), None)
    time = next((k for k, t in enumerate(titles) if t in _TIME_TITLES), None)
    return (speaker, words, time, role) if speaker is not None and words is not None and speaker != words else None


#: a column of the speaker's role beside one of names (角色 | 姓名 | 发言内容): 主持人 there makes the turn the moderator's
_ROLE_TITLES = {"角色", "身份", "role"}


def _titled_table_lines(table, speaker: int, words: int, time: int | None, role: int | None = None) -> list[str]:
    """The rows of a table whose title row names its columns, each a turn ``[时间] 发言人：内容`` marked so
    (:data:`_TABLE_TURN_MARK`); a row with no speaker goes on with the turn above; the other columns (序号, 备注 —
    the transcriber's ``情绪激动``, which was read as the speaker's words) are left out."""
    return _turn_row_lines([[c.text for c in row.cells] for row in list(table.rows)[1:]], speaker, words, time, role)


def _turn_row_lines(rows: list[list], speaker: int, words: int, time: int | None, role: int | None) -> list[str]:
    """The rows under a title row (of a Word table or a sheet) as lines of turns: :func:`_titled_table_lines`."""
    lines = []
    for row in rows:
        cells = [str(c).strip() for c in row]
        cell = lambda k: cells[k] if k is not None and k < len(cells) else ""  # noqa: E731
        said = cell(words)
        if not said:
            continue
        who = cell(speaker)
        stamp = cell(time)
        head = f"[{stamp.strip('[]【】()（）')}] " if stamp and _TS_CELL.match(stamp) else ""
        if who and cell(role).lower() in _MODERATOR_NAMES and cell(role) != who:
            who = f"{who}（{cell(role)}）"  # 王敏 | 主持人: the moderator's turn, as 王敏（主持人）：…
        first, *rest = said.split("\n")
        lines.append(f"{_TABLE_TURN_MARK}{head}{who}：{first}" if who and "\n" not in who else first)
        lines.extend(rest)
    return lines


#: starts the line of a row of a legend table (编号 | 称呼 | 身份 / A1 | 张女士 | 退休教师): the participant ``A1（张女士，退休教师）``
_LEGEND_MARK = "\ue032"
#: the title of a legend table's column of codes
_CODE_TITLES = {"编号", "代号", "代码", "编码", "序号", "代称", "标识", "参与者编号", "用户编号", "发言人编号", "受访者编号",
                "参与者代号", "用户代号", "code", "id"}


def _legend_lines(rows: list[list[str]]) -> list[str] | None:
    """The participants of a legend table — a first column of speakers' codes, the other cells who each is (``编号 |
    称呼 | 身份`` over ``A1 | 张女士 | 退休教师``, the title row optional when two cells or more follow each code) — as
    lines marked :data:`_LEGEND_MARK`, ``A1（张女士，退休教师）``; else None.

    Why: research firms write the turns as ``A1：…`` and say who A1 is in such a table; read as ``A1：张女士 退休教师``
    its rows were A1's first turns (statements) and its title row the header's 编号 line (the session named 称呼身份),
    and no speaker had attributes."""
    rows = [r for r in rows if any(r)]
    titled = bool(rows) and rows[0][0].lower() in _CODE_TITLES and not any(
        _SPEAKER_CODE.fullmatch(c) or c.lower() in _WORDS_TITLES | _TIME_TITLES for c in rows[0])
    body = rows[1:] if titled else rows
    if not body or not titled and len(body) < 2:
        return None
    lines = []
    for row in body:
        who = [re.sub(r"\s*[（(]\s*", "，", c).replace("）", "").replace(")", "").strip("，") for c in row[1:] if c]
        if (not _SPEAKER_CODE.fullmatch(row[0]) or len(who) < (1 if titled else 2)
                or any(len(c) > 30 or "\n" in c or re.search(r"[。！？!?：:]", c) or _TS_CELL.match(c) for c in who)):
            return None
        lines.append(f"{_LEGEND_MARK}{row[0]}（{'，'.join(who)}）")
    return lines


def _table_lines(table) -> list[str]:
    """A table's rows as lines: ``键 | 值`` (a header block) and ``[时间 |] 发言人 | 内容`` rows as
    ``[时间] 发言人：内容``; a first row of column titles is skipped (and says which column holds what:
    :func:`_titled_table_lines`); rows stay in their order."""
    if titled := _titled_columns(table):
        return _titled_table_lines(table, *titled)
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for c in row.cells:  # a merged cell is returned once per grid column
            if id(c._tc) not in seen:
                seen.add(id(c._tc))
                cells.append(c.text.strip())
        rows.append(cells)
    if (legend := _legend_lines(rows)) is not None:
        return legend
    lines = []
    for i, cells in enumerate(rows):
        if not any(cells):
            continue
        if i == 0 and all(c.lower() in _TABLE_TITLES for c in cells if c):
            continue
        stamps = [c for c in cells if _TS_CELL.match(c)]
        rest = [c for c in cells if c and not _TS_CELL.match(c) and not c.isdigit()]
        if not rest:
            continue
        head = f"[{stamps[0].strip('[]【】()（）')}] " if stamps else ""
        if len(rest) == 1:
            lines.extend((head + rest[0]).split("\n"))
        else:
            lines.extend(f"{head}{rest[0]}：{' '.join(rest[1:])}".split("\n"))
    return lines


def _accept_insertions(body) -> None:
    """Words inserted with Track Changes on (``w:ins``, a move's ``w:moveTo``) made plain runs, as Word shows the
    document with the changes accepted; deleted words (``w:del``, ``w:moveFrom``) stay out, as python-docx reads them.
    Why: python-docx reads no run inside ``w:ins``, and an editor's inserted words were left out of the turns."""
    from docx.oxml.ns import qn

    for ins in [*body.iter(qn("w:ins"), qn("w:moveTo"))]:
        parent = ins.getparent()
        at = parent.index(ins)
        for k, child in enumerate(list(ins)):
            parent.insert(at + k, child)
        parent.remove(ins)


def _docx_lines(path: Path) -> list[str]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises PackageNotFoundError, KeyError, BadZipFile...
        raise not_an_office_file(path, "docx", exc) from None
    _accept_insertions(document.element.body)
    lines = []
    for child in document.element.body.iterchildren():  # paragraphs and tables in document order
        tag = child.tag.rsplit("}", 1)[-1]
        first = not any(line.strip() for line in lines)  # nothing above it: a title set by hand may stand here
        if tag == "p":
            lines.extend(_paragraph_lines(Paragraph(child, document), first))
        elif tag == "tbl":  # a header block (项目 | …) or the turns themselves (发言人 | 内容)
            lines.extend(_table_lines(Table(child, document)))
    return lines


#: what to do about an empty transcript: it was typed or saved from Word or a transcription service, not exported
SAVE_AGAIN = "save the transcript again (from Word or the transcription service) or give the file that holds it"


#: files that may hold a transcript as a table of turns: a title row ``序号 | 发言人 | 发言内容``, one turn a row
TURN_TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".tsv")


def _sheet_rows(path: Path, sheet: str | None, encoding: str | None) -> Iterator[list[str]]:
    """The rows of a workbook's sheet (``sheet``, or its only one) or of a CSV/TSV file, as text cells, one by one
    (a ticket export asked whether it is a table of turns is read no further than its first row)."""
    import csv

    from voiceofcustomer.io.readers import check_input_file, csv_separator, detect_encoding, open_workbook, \
        workbook_sheet

    check_input_file(path)  # missing, a folder, unreadable or empty: one line
    if path.suffix.lower() in (".csv", ".tsv"):
        enc = encoding or detect_encoding(path)
        sep = "\t" if path.suffix.lower() == ".tsv" else csv_separator(path, enc)
        try:
            with open(path, encoding=enc, newline="") as fh:
                yield from csv.reader(fh, delimiter=sep)
        except UnicodeDecodeError:
            read_text_lines(path, enc)  # says which line cannot be read
            raise
        return
    wb = open_workbook(path)
    try:
        for row in wb[workbook_sheet(path, wb, sheet)].iter_rows(values_only=True):
            yield ["" if v is None else str(v) for v in row]
    finally:
        wb.close()


def turn_table_lines(path: str | Path, sheet: str | None = None, encoding: str | None = None,
                     strict: bool = False) -> list[str] | None:
    """The turns of a spreadsheet (or CSV) of one turn a row as a transcript's lines, when its first row names a
    speaker's and the words' column by a transcript table's titles (``序号 | 发言人 | 发言内容``, ``时间 | 说话人 |
    内容 | 备注``, as a Word table's) and two speakers or more take two rows each (a focus group's turns, not a
    sheet of one customer a row); else None. ``strict`` (``kind='transcript'``): only the title row is asked for."""
    path = Path(path)
    rows = _sheet_rows(path, sheet, encoding)
    cols, head = None, []
    for row in rows:
        cells = [c.strip() for c in row if c.strip()]
        if not cells:
            continue
        if (cols := _turn_columns(row)) is not None or len(head) >= _HEAD_ROWS:
            break
        if (line := _head_row_line(cells, first=not head)) is None:
            break
        head.append(line)
    if cols is None:
        rows.close()
        return None
    body = list(rows)
    speaker = cols[0]
    said = Counter(row[speaker].strip() for row in body if speaker < len(row) and row[speaker].strip())
    if not strict and sum(n >= 2 for n in said.values()) < 2:
        return None
    titles = [str(c).strip() for c in row]
    group = next((k for k, t in enumerate(titles) if _HEADER_KEYS.get(t.lower(), _HEADER_KEYS.get(t)) == "group"),
                 None)
    groups = {r[group].strip() for r in body if group is not None and group < len(r) and r[group].strip()}
    if len(groups) == 1 and not any((_header_key(h) or ("",))[0] == "group" for h in head):
        head.append(f"{titles[group]}：{groups.pop()}")  # a 客户群 column of one value: the session's group
    return [*head, "", *_turn_row_lines(body, *cols)] if head else _turn_row_lines(body, *cols)


#: rows above a sheet's title row read as its header (座谈会名称、客户群、城市、日期、主持人 …), at most
_HEAD_ROWS = 12


def _head_row_line(cells: list[str], first: bool) -> str | None:
    """A row above a sheet's title row as a header line, else None (then the sheet is no table of turns): one cell
    ``客户群：公众用户`` or two ``客户群 | 公众用户`` of a header key (:data:`_HEADER_KEYS`), or a ``first`` row of one
    cell shaped as a title (``武昌公众用户座谈会记录``: the session's title)."""
    if len(cells) == 1 and _header_key(cells[0]):
        return cells[0]
    if len(cells) == 2 and _header_key(line := f"{cells[0].rstrip(':：')}：{cells[1]}"):
        return line
    if len(cells) == 1 and first and _title_like(cells[0]):
        return f"座谈会名称：{cells[0]}"  # the session's title, as a .txt's first line is
    return None


def transcript_lines(path: str | Path, encoding: str | None = None, redo: str = SAVE_AGAIN,
                     sheet: str | None = None) -> list[str]:
    """The lines of a .txt or .docx transcript, or of a sheet of turns (:func:`turn_table_lines`; ``sheet``)
    (``redo``: what an empty file's message says to do)."""
    path = Path(path)
    if path.suffix.lower() in TURN_TABLE_SUFFIXES:
        lines = turn_table_lines(path, sheet, encoding, strict=True)
        if lines is None:
            raise InputError(f"{path}: is no table of turns: its first row should name the speaker's and the words' "
                             "columns (e.g. 序号 | 发言人 | 发言内容); rename them so, or read it as tickets "
                             "(kind='tickets')", params=("kind",))
        return lines
    if path.suffix.lower() == ".docx":
        if not path.exists():
            raise InputError(f"{path}: file not found; check the path")
        if path.stat().st_size == 0:
            raise InputError(f"{path}: file is empty; {redo}")
        lines = _docx_lines(path)
        if not any(line.strip() for line in lines):
            raise InputError(f"{path}: Word file has no text; {redo}")
        return lines
    return read_text_lines(path, encoding, redo)


def read_transcript(path: str | Path, *, encoding: str | None = None, group: str | None = None,
                    city: str | None = None, session: str | None = None, moderators: Iterable[str] = (),
                    sheet: str | None = None) -> Transcript:
    """Read a .txt or .docx focus-group transcript, or a sheet of turns (.xlsx/.csv …: ``序号 | 发言人 | 发言内容``;
    ``sheet`` names a workbook's sheet).

    ``moderators``: speaker labels whose turns are the moderator's besides the usual ones
    (主持人, M, Q, the header's 主持人：name), e.g. ``["说话人1"]``.

    Raises InputError when the file has no speaker turns (``主持人：…`` lines).
    """
    path = Path(path)
    lines = transcript_lines(path, encoding, sheet=sheet)
    tr = parse_transcript(lines, path, group=group, city=city, session=session, moderators=moderators)
    if not tr.turns and path.suffix.lower() == ".docx":
        raise InputError(f"{path}: no speaker turns found; start each turn with the speaker's name "
                         "('主持人：…', '张女士：…', or the name in bold) or put name and words in a table's columns")
    if not tr.turns:
        raise InputError(f"{path}: no speaker turns found (lines like '主持人：…' or '张女士：…'); "
                         "check the format or use kind='tickets'", params=("kind",))
    return tr
