"""Topic words for Chinese: a segmenting analyzer and a statement-level vocabulary.

Why not BERTopic's default ``CountVectorizer``: its token pattern splits on
spaces, so an unspaced Chinese clause becomes one "word" (BERTopic issues #110,
#1157), and a whitespace tokenizer such as ``jieba.lcut`` leaks ``" "`` into the
topic words (#1821). :class:`ContentAnalyzer` segments with the project's
:class:`~voiceofcustomer.text.segment.Segmenter`, keeps only content words
(:func:`~voiceofcustomer.text.segment.is_content_word`: no stop words, punctuation,
digits-only tokens, whitespace or single characters) and adds bigrams of two
adjacent content words ("上门" + "维修" → "上门维修"), which read as key phrases.
Latin tokens are case-folded ("4g" = "4G", "APP" = "app").

Why the vocabulary is fixed before BERTopic sees it: BERTopic fits its
vectorizer on one concatenated document *per topic*, so ``min_df``/``max_df``
there would count topics, not statements — ``min_df=2`` would delete every word
that belongs to a single topic. :func:`build_vectorizer` applies the document
frequency limits to the statements and hands BERTopic a ``CountVectorizer``
whose vocabulary is already chosen.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from sklearn.feature_extraction.text import CountVectorizer

from voiceofcustomer.text.places import division_names
from voiceofcustomer.text.segment import Segmenter, is_content_word, load_stopwords

__all__ = ["QUESTION_STOPWORDS", "THEME_STOPWORDS", "ContentAnalyzer", "question_blocks", "question_terms", "build_vectorizer",
           "speaker_codes",
           "document_frequency_limits", "has_noun", "is_phrase_word", "is_theme_word", "is_time_word", "select_keyphrases", "MIN_PHRASE_SHARE", "MIN_PHRASES"]

# Counts and amounts ("三百", "两个", "一年", "好几个", "十块钱", "第二天"): people say them all the
# time, but as theme words they only split topics by number. Amounts with a unit that carries
# meaning ("二十四小时", "500M") are kept.
_QUANTITY = re.compile(r"^第?[零〇一二三四五六七八九十百千万亿两几半多好每俩仨]+"
                       r"[个位条次回遍天年月日号块元角分毛岁点周倍张部台家种样些份钱下笔堵面间层栋座根把句趟项阵格声场堆]{0,2}$")
# Filler that spaCy's list and the domain list miss; seen among the top words of focus-group
# and Weibo topics (docs/themes.md).
THEME_STOPWORDS = frozenset(["有个", "只能", "一点", "一点儿", "不用", "不行", "好多", "有没有", "能不能", "会不会", "为啥", "昨天", "前天", "明天", "后天", "估计", "本来", "赶紧", "终于", "还要", "说是", "说好", "弄", "搞", "干嘛", "咋办", "行不行", "好不好", "对不对", "是啊", "这家", "那家", "发现", "告诉", "觉得", "感觉", "知道", "需要", "接受", "提前", "一下", "东西", "事情", "情况", "问题"])


class ContentAnalyzer:
    """Picklable ``CountVectorizer(analyzer=...)``: content words and their bigrams.

    Args:
        segmenter: the word segmenter (default: the shipped telecom dictionary, rjieba).
        bigrams: also emit two adjacent content words joined as one phrase.
        phrase_words: leave out words that cannot stand in a key phrase by their part of
            speech (:func:`is_phrase_word`: "里头", "咋个", "一会儿").
        codes: speaker labels said in the text (:func:`speaker_codes`: "我同意P4说的"), left out with a participant
            named by role and number ("说话人2", "受访者3") and ids ("T1005"): they name a person or a row, never a
            subject.

    Whitespace splits a document into independent pieces before segmenting:
    BERTopic joins the statements of a topic with ``" "``, and in Chinese text
    a space separates clauses, so no bigram is formed across one.
    """

    def __init__(self, segmenter: Segmenter | None = None, *, bigrams: bool = True, phrase_words: bool = True,
                 codes: Iterable[str] = ()):
        self.segmenter = segmenter
        self.bigrams = bigrams
        self.phrase_words = phrase_words
        self.codes = frozenset(str(c).casefold() for c in codes if str(c).strip())

    def __repr__(self) -> str:
        return (f"ContentAnalyzer(segmenter={self.segmenter!r}, bigrams={self.bigrams}, "
                f"phrase_words={self.phrase_words}, codes={len(getattr(self, 'codes', ()))})")

    def _seg(self) -> Segmenter:
        if self.segmenter is None:
            self.segmenter = Segmenter()
        return self.segmenter

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_word_class", None)  # a cache, rebuilt on use
        return state

    def _is_phrase_word(self, token: str) -> bool:
        """Whether a word can stand in a key phrase by its part of speech (cached per word)."""
        cache = self.__dict__.setdefault("_word_class", {})
        hit = cache.get(token)
        if hit is None:
            hit = cache[token] = is_phrase_word(token, self._seg())
        return hit

    def _named(self, codes: frozenset[str]) -> re.Pattern:
        """The codes the segmenter would cut (张女士 → 张 / 女士, 小王): taken out of the text before segmenting
        (cached); Latin codes and ids are single tokens, left out as they come."""
        cache = self.__dict__.setdefault("_word_class", {})
        if "codes" not in cache:
            cjk = sorted((c for c in codes if not c.isascii()), key=len, reverse=True)
            cache["codes"] = re.compile("|".join(map(re.escape, cjk)) if cjk else r"(?!x)x", re.IGNORECASE)
        return cache["codes"]

    def _joins(self, tok: str, nxt: str) -> bool:
        """Whether two adjacent content words make a phrase: not a thing and the time it was said of
        ("宽带" + "晚上", "短信" + "天天", "营业厅" + "周末": a clause's subject and its when, which named
        themes "宽带晚上、上门" and "短信天天、诈骗"); the words stay terms of their own (cached per word)."""
        if not getattr(self, "phrase_words", False):  # analyzers pickled before the option: as they were
            return True
        cache = self.__dict__.setdefault("_word_class", {})
        key = ("t", nxt)
        if key not in cache:
            cache[key] = is_time_word(nxt, self._seg())
        if not cache[key]:
            return True
        key = ("n", tok)
        if key not in cache:
            cache[key] = has_noun(tok, self._seg())
        return not cache[key]

    def __call__(self, doc: str) -> list[str]:
        """Terms of one document, in order (repeats kept: they are counts)."""
        seg = self._seg()
        stop = load_stopwords()
        phrase = getattr(self, "phrase_words", False)  # analyzers pickled before the option: as they were
        codes = getattr(self, "codes", None)  # analyzers pickled before the option: as they were
        doc = str(doc) if codes is None else self._named(codes).sub(" ", _SPEAKER_MENTION.sub(" ", str(doc)))
        terms: list[str] = []
        for piece in doc.split():
            tokens = [_fold(t) for t in seg(piece)]
            keep = [is_theme_word(t, stop) and (not phrase or self._is_phrase_word(t))
                    and not (codes is not None and (t.casefold() in codes or _ID_LIKE.match(t))) for t in tokens]
            for i, tok in enumerate(tokens):
                if not keep[i]:
                    continue
                terms.append(tok)
                if self.bigrams and i + 1 < len(tokens) and keep[i + 1] and self._joins(tok, tokens[i + 1]):
                    nxt = tokens[i + 1]
                    # Latin words keep a space between them ("app store"); Chinese joins.
                    sep = " " if tok[-1:].isascii() and tok[-1:].isalpha() and nxt[:1].isascii() and nxt[:1].isalpha() else ""
                    terms.append(tok + sep + nxt)
        return terms


#: A participant named by role and number in what is said ("说话人2刚才讲的", "受访者3说的", "同意 Participant 1"): a
#: speaker label, never a key phrase (the segmenter cut 说话人2 into 说话 / 人 / 2, and 说话, 受访者 were terms).
_SPEAKER_MENTION = re.compile(r"(?:说话人|讲话人|发言人|受访者|受访人|被访者|参与者|参会者|访谈对象|嘉宾|"
                              r"(?<![A-Za-z])(?:participant|respondent|interviewee|speaker|guest|attendee))"
                              r"\s*(?:\d{1,3}|[A-Za-z](?![A-Za-z]))", re.IGNORECASE)


#: A ticket's or an order's id said in a text ("T1005那张工单", "单号GD20261105"): Latin letters, then 4 digits or more
#: (1000M, 5G, wifi6 stay terms).
_ID_LIKE = re.compile(r"^[A-Za-z]{1,4}\d{4,}$")


def speaker_codes(speakers: Iterable) -> frozenset[str]:
    """The speaker labels of a statements table that are codes or names (P4, A3, Respondent2, 张女士, 小王: the labels
    :mod:`voiceofcustomer.io.transcript` reads as a speaker's), for ``ContentAnalyzer(codes=...)``: said by another
    participant ("我同意P4说的", "跟A3一样") they name a person, never a subject. A speaker labelled with a plain word
    (客户, 用户) keeps the word a term."""
    from voiceofcustomer.io.transcript import name_like  # the rule that reads a label as a speaker's

    out = set()
    for v in speakers:
        v = "" if v is None else str(v).strip()
        if len(v) >= 2 and (any(ch.isdigit() for ch in v) or v.isascii() or name_like(v)):
            out.add(v.casefold())
    return frozenset(out)


#: Words of a moderator's asking that never name a discussion subject ("聊聊…体验怎么样", "多久",
#: "有没有遇到过"); a question's other words are the subject's (see :func:`question_terms`).
QUESTION_STOPWORDS = frozenset(
    "多久 多不多 怎么样 怎样 如何 体验 情况 感受 经历 话题 问题 方面 说起 聊聊 说说 谈谈 讲讲 顺利 困难 习惯 需求 "
    "敏感 问个 觉得 大家 各位 一下 刚才 提到 接下来 最后 下面 这块 那块 平时 有没有 遇到 碰到 遇到过 碰到过 好的 谢谢 "
    "一般 清不清楚 快不快 合不合适 满不满意 方不方便 好不好 看法 想法 意见 建议 分享 印象 评价 开始 第一个 第二个 "
    "一句话 每人 用过 用不用 会不会 谈起 谈到 说到 哪些 哪些方面 这方面 那方面 看重 在乎 内容 环节 改进 希望 认为 地方 "
    "比如 比如说 之类 等等 主要 重点 其他 另外 还有 块儿 这块儿 那块儿 问问 正题 记下 事儿 是从 具体 自我介绍 介绍 过程 办法 多长时间 多长 程度 回事 "
    # asking what it was like ("宽带安装这块，大家有什么体会？"): 体会 led a theme's words, 宽带、账单 (体会 0.674)
    "体会 感想 心得 "
    # the moderator's welcome and small talk ("早上好，今天先聊聊…", "大家随便说，畅所欲言")
    "早上好 上午好 中午好 下午好 晚上好 大家好 你好 您好 欢迎 欢迎大家 感谢 感谢大家 先聊 先说 先从 先来 随便 随便说 随便聊 "
    "畅所欲言 轻松 放松 耽误 占用 抽空".split())
_SPEAKER_CODE = re.compile(r"^[A-Za-z]{0,3}\d{1,3}$")  # P1, M, 受访者3's digits
_A_NOT_A = re.compile(r"^(\w)不\1")  # 够不够, 快不快, 合不合适: asking, never the subject


def question_terms(terms: list[str], names: Iterable[str] = ()) -> list[str]:
    """The subject words of a moderator's question (its content terms, ``terms``): without the
    words of asking (:data:`QUESTION_STOPWORDS`), speaker codes (P3) and the names of the
    people in the room ("刚才张女士提到…")."""
    names = [n for n in names if n]
    return [t for t in terms if t not in QUESTION_STOPWORDS and not _SPEAKER_CODE.match(t) and not _A_NOT_A.match(t)
            and not any(t in n or n in t for n in names)]


#: Words with which a moderator moves on to another subject ("接下来说说…", "接着想问问", "下一个话题", "第二个",
#: "再问一个", "最后").
_NEW_SUBJECT = re.compile(r"接下来|接着|下一个|下面|第[一二三四五六七八九十两\d]+个|最后|换个|另外|再问|再聊|再说说|再来")


def question_blocks(asked: dict, words: dict, segmenter: Segmenter) -> dict:
    """The block of every moderator turn: ``key -> (key of the turn that opened the block, its
    subject words)``. ``asked``: key -> text, in order, the keys' first element the session;
    ``words``: key -> the turn's own subject words (:func:`question_terms`).

    A follow-up that names no thing and does not move on ("后来呢？", "顺利吗？", "那您觉得应该
    怎么改？") carries on its block: the turn that opened it is the last one in its session that
    named a thing or moved on ("接下来", "下一个", "最后")."""
    out: dict = {}
    block: dict = {}
    for key, text in asked.items():
        own = list(dict.fromkeys(words[key]))
        session = key[0]
        if session not in block or _NEW_SUBJECT.search(text) or any(has_noun(w, segmenter) for w in own):
            block[session] = (key, own)
        out[key] = block[session]
    return out


def is_theme_word(token: str, stopwords: frozenset[str] | None = None) -> bool:
    """A content word (:func:`~voiceofcustomer.text.segment.is_content_word`) that is also
    no count or amount ("三百", "两个") and no filler of :data:`THEME_STOPWORDS`."""
    return (is_content_word(token, stopwords) and token not in THEME_STOPWORDS
            and not _QUANTITY.match(token))


#: Parts of speech (jieba's tag set) that never stand alone in a key phrase: pronouns (我家, 啥子,
#: 咋个, 有人), locatives (里头, 后边), numerals (一眼, 一会儿), measure words, conjunctions,
#: prepositions, auxiliaries, modal particles, interjections, onomatopoeia.
_NOT_PHRASE_TAGS = ("r", "f", "m", "q", "c", "p", "u", "y", "e", "o")
#: A word the segmenter's HMM joined from smaller words ("不接", "看个", "开过", "全是", "我妈")
#: is not a phrase word when one of its parts is one of the above or an adverb.
_NOT_IN_PHRASE_PART = _NOT_PHRASE_TAGS + ("d",)
_COPULA = frozenset("是有")
#: Auxiliary (modal) verbs: in a word the HMM joined they belong to the words around it, not to a phrase
#: ("问要" of 问要不要, "讲要", "要放", "查能", "人想"); jieba tags them ``v`` as any verb, so they are named here.
_AUXILIARY = frozenset("要会能想让可该敢肯")


def is_phrase_word(token: str, segmenter: Segmenter) -> bool:
    """A word that can stand in a theme's key phrase, by its part of speech (jieba's tags).

    Why: focus-group speech is full of words that pass every stop-word list and say nothing
    of a subject ("里头", "咋个", "一会儿", "看个", "是从"); with them, themes were labelled
    "窗口、里头" and "晚上、咋个". Latin and digit tokens (app, 5G) are kept; a word the
    dictionary knows keeps its tag, other words are judged by the parts jieba sees in them."""
    if token.isascii():
        return True
    parts = segmenter.tag(token, hmm=False)  # a dictionary word is one part; an HMM-joined word its pieces
    if not parts:
        return False
    if len(parts) == 1:
        return not parts[0][1].startswith(_NOT_PHRASE_TAGS)
    return not any(f.startswith(_NOT_IN_PHRASE_PART) or (len(w) == 1 and w in _COPULA | _AUXILIARY)
                   for w, f in parts)


def is_time_word(token: str, segmenter: Segmenter) -> bool:
    """A dictionary word jieba tags as a time word (晚上, 天天, 周末, 下午, 近期)."""
    parts = segmenter.tag(token, hmm=False)
    return len(parts) == 1 and parts[0][1] == "t"


#: Development zones jieba tags as nouns (开发区, 高新区, 经开区, 滨海新区).
_ZONE = re.compile(r"^[\u4e00-\u9fff]{0,4}(?:开发区|高新区|经开区|新区)$")
#: A district, county or city by its suffix (西湖区, 鹿城区, 南京市), when jieba tags the word a place (``ns``).
_PLACE_SUFFIX = re.compile(r"^[\u4e00-\u9fff]{2,6}[区县市省州镇乡村旗]$")
#: jieba tags many common words ``ns`` (上门, 中断, 城市, 满意度, 回国, 入口): a word it tags so without a place's
#: suffix is a place only where a place stands — after 在/住在/去/到, or before 小区/营业厅/家里/这边/上班 or the
#: operator's name (江北小区, 在江北上班, 下沙的营业厅, 杭州电信).
PLACE_BEFORE = frozenset(["在", "住在", "去", "到", "来自", "位于", "住", "搬到", "回到"])
PLACE_AFTER = frozenset(["小区", "营业厅", "家里", "这边", "那边", "这里", "那里", "附近", "一带", "地区", "片区", "区域",
                         "上班", "街道", "社区", "写字楼", "那片", "这片", "用户", "电信", "移动", "联通", "门店", "网点",
                         "分公司", "公司", "单位", "楼", "城区", "市区"])
#: Words jieba tags ``ns`` that name no place a customer is in: the country of the operators' names, brands; and
#: places abroad, which say roaming (在香港用了两天流量: a roaming ticket's subject word).
NOT_PLACES = frozenset(["中国", "京东", "长城", "香港", "澳门", "台湾", "日本", "韩国", "泰国", "新加坡", "马来西亚", "越南",
                        "美国", "加拿大", "英国", "法国", "德国", "意大利", "俄罗斯", "澳洲", "澳大利亚", "欧洲", "迪拜",
                        "土耳其", "印尼", "菲律宾"])


#: Which rule :func:`without_places` follows, recorded where centroids are saved (a curated set's ``place_rule``):
#: 1 — jieba's ``ns`` with a place's suffix or where a place stands (7 Dec 2026); 2 — also the names of China's
#: administrative divisions and their short forms (萧山, 余杭, 滨江), whatever jieba tags them (8 Dec 2026).
PLACE_RULE = 2
#: jieba's tags of a proper name: a division's short form jieba tags so (萧山 nr, 滨江 ns, 崇明 nrt) or does not know
#: (临平) is the place; one it tags a common word (光明 n, 平安 a, 合作 vn, 比如 v, 资源 n) is a place only as jieba's
#: ``ns`` rules say (where a place stands).
_NAME_TAGS = frozenset(["ns", "nr", "nrt", "nrfg"])
#: Divisions' names that are common words of customers' text before they are places (积分商城, 新建小区, 友谊卡,
#: 红旗路; 阿里 of 阿里云 and 阿里巴巴, 阿里地区's short form since 8 Dec 2026): never taken for a place, wherever they
#: stand (新建小区 is where a place would stand).
COMMON_WORD_DIVISIONS = frozenset(["商城", "新建", "友谊", "红旗", "平原", "和平", "新华", "人民", "胜利",
                                   "东风", "前进", "团结", "解放", "建设", "和谐", "永安", "长寿", "安全", "阿里"])
#: Cities' and counties' short forms that are everyday words of customers' text as often as places: 来宾 (来宾请取号),
#: 安康 (祝您安康), 白银 (白银会员, a card's tier), 普洱 (the tea), 安宁 (不得安宁), 高明 (不高明), 太平, 牡丹 (牡丹卡),
#: 金山 (金山文档). A place only where a place stands, as jieba's ``ns`` rules say (在白银上班, 安康的营业厅, 白银电信:
#: :data:`PLACE_BEFORE`, :data:`PLACE_AFTER`); their full names (白银市, 安康市) always are. Until 8 Dec 2026 白银,
#: 普洱, 安康 … were places wherever they stood (jieba tags them a proper name): 我是白银会员 read 我是会员, 祝您安康
#: 祝您. Unlike :data:`COMMON_WORD_DIVISIONS`, which are never places.
EVERYDAY_WORD_DIVISIONS = frozenset(["来宾", "安康", "白银", "普洱", "安宁", "高明", "太平", "牡丹", "金山"])


def _place_class(w: str, segmenter: Segmenter) -> str:
    """``"place"`` (a place wherever it stands), ``"ns"`` (a place where a place stands: jieba's ``ns``, or a division's
    short form jieba tags a common word, 在光明上班) or ``""`` of one word."""
    parts = segmenter.tag(w, hmm=False)
    tag = parts[0][1] if len(parts) == 1 else ""
    full, short = division_names()
    if w in COMMON_WORD_DIVISIONS:
        return ""
    if w in EVERYDAY_WORD_DIVISIONS:
        return "ns"
    if w in full or (w in short and (tag in _NAME_TAGS or len(parts) != 1)):
        return "place"
    return "ns" if tag == "ns" or w in short else ""


def _place_flags(words: Sequence[str], segmenter: Segmenter, tagged_ns: dict | None = None) -> list[bool]:
    """Which of a sentence's (or a key phrase's) words are a place name (see :func:`is_place_word`).
    ``tagged_ns``: word → its class (:func:`_place_class`), kept by the caller across sentences (a word is tagged
    once, not at every occurrence: 50,000 turns took 10 s against 2 s for cutting them)."""
    tagged_ns = {} if tagged_ns is None else tagged_ns
    flags = []
    seq = [w for w in words if w.strip()]
    for i, w in enumerate(seq):
        if w.isascii() or w in NOT_PLACES or len(w) < 2:
            flags.append(False)
            continue
        if _ZONE.match(w):
            flags.append(True)
            continue
        cls = tagged_ns.get(w)
        if cls is None:
            cls = tagged_ns[w] = _place_class(w, segmenter)
        if cls == "place":
            # a division's name ending a compound is its head's, no place (积分商城, 网上商城)
            flags.append(not (i > 0 and tagged_ns.setdefault(("noun", seq[i - 1]), _is_noun(seq[i - 1], segmenter))
                              and not flags[i - 1]))
            continue
        if not cls:
            flags.append(False)
            continue
        after = seq[i + 2] if i + 2 < len(seq) and seq[i + 1] == "的" else (seq[i + 1] if i + 1 < len(seq) else "")
        flags.append(bool(_PLACE_SUFFIX.match(w)) or (i > 0 and seq[i - 1] in PLACE_BEFORE) or after in PLACE_AFTER)
    return flags


def _is_noun(w: str, segmenter: Segmenter) -> bool:
    parts = segmenter.tag(w, hmm=False)
    return len(parts) == 1 and parts[0][1] in ("n", "vn", "nz")


def is_place_word(phrase: str, segmenter: Segmenter) -> bool:
    """Whether a key phrase holds a place name: a district, county or city (西湖区, 老城区, 鹿城区; jieba's ``ns``
    with a place's suffix), a development zone (开发区), or a word jieba tags a place standing where a place stands
    (江北小区, 老城区上班, 下沙营业厅, 杭州电信: :data:`PLACE_BEFORE`, :data:`PLACE_AFTER`). Where a customer is is no
    subject of a complaint: tickets of one subject written from five districts were five themes or sub-themes named
    江北小区, 老城区小区 … until 7 Dec 2026."""
    if not phrase or phrase.isascii():
        return False
    return any(_place_flags([w for w, _f in segmenter.tag(phrase, hmm=False)], segmenter))


def without_places(texts: Sequence[str], segmenter: Segmenter, found: set | None = None) -> list[str]:
    """``texts`` with their place words left out (as :func:`is_place_word` finds them in the sentence), the text a
    theme's embedding reads: the same complaint from 江北 and from 老城区 is one subject. A text of places only is
    kept whole. ``found``: a set the words left out are added to."""
    out, tagged_ns = [], {}
    for text in texts:
        toks = segmenter.cut(text)
        words = [t for t in toks if t.strip()]
        flags = iter(_place_flags(words, segmenter, tagged_ns))
        drop = [bool(t.strip()) and next(flags) for t in toks]
        if not any(drop):
            out.append(text)
            continue
        kept = "".join(t for t, d in zip(toks, drop) if not d)
        if not kept.strip():
            out.append(text)
            continue
        if found is not None:
            found.update(t for t, d in zip(toks, drop) if d)
        out.append(kept)
    return out


_NOUN_TAGS = ("n", "vn", "an", "eng", "j", "s")


def has_noun(phrase: str, segmenter: Segmenter) -> bool:
    """Whether a key phrase names a thing: a Latin term (app, 5G) or a noun among its words."""
    if phrase.isascii():
        return True
    return any(f.startswith(_NOUN_TAGS) for _w, f in segmenter.tag(phrase, hmm=False))


#: Tags of words that say how or how bad, never what: an idiom or set phrase (莫名其妙, 时有时无), an adverb
#: (特别, 经常), an adjective (差, 不耐烦), a status word (很).
_EVALUATION_TAGS = ("i", "l", "d", "z", "a")


def evaluation_edge(phrase: str, segmenter: Segmenter) -> bool:
    """Whether a key phrase opens or ends with a word that evaluates rather than names (手机莫名其妙,
    莫名其妙被扣, 手机信号很差): a theme named by it reads as an adverb, not a subject. A noun-adjective word
    of the dictionary (态度恶劣, 网速慢) is a noun and names its thing; a single word without a noun is
    :func:`has_noun`'s."""
    if phrase.isascii():
        return False
    parts = [f for _w, f in segmenter.tag(phrase, hmm=False)]
    return len(parts) > 1 and (parts[0].startswith(_EVALUATION_TAGS) or parts[-1].startswith(_EVALUATION_TAGS))


def _fold(token: str) -> str:
    """Case-fold Latin tokens so "4g"/"4G" and "APP"/"App" count as one term:
    codes with a digit are upper-cased (4G, 500M), words lower-cased (app, wifi)."""
    if not token.isascii():
        return token
    return token.upper() if any(ch.isdigit() for ch in token) else token.lower()


def document_frequency_limits(n_docs: int) -> tuple[int, float]:
    """``(min_df, max_df)`` for a corpus of ``n_docs`` statements.

    A word must occur in at least 2 statements (a focus group) and in 1 of
    10,000 (a ticket export: 10 at 100k), so one-off typos never become topic
    words; a word in more than half the statements ("电信", "套餐" in a
    package-only survey) separates nothing and is dropped.
    """
    return max(2, n_docs // 10_000), 0.5


def build_vectorizer(term_lists: Iterable[list[str]], *, analyzer: ContentAnalyzer | None = None,
                     min_df: int | None = None, max_df: float | None = None) -> CountVectorizer:
    """A ``CountVectorizer`` with ``analyzer`` and a vocabulary chosen on the statements.

    Args:
        term_lists: ``analyzer(text)`` of each statement the topic model is
            fitted on (computed once by the caller, which also needs them to
            find statements without content words).
        analyzer: defaults to :class:`ContentAnalyzer` with the shipped dictionary.
        min_df: minimum number of statements a term must occur in (default by size).
        max_df: maximum share of statements a term may occur in (default 0.5).

    Returns:
        ``CountVectorizer(analyzer=analyzer, vocabulary=...)``: fitting it again
        on BERTopic's per-topic documents keeps exactly this vocabulary. When
        the limits would leave no term (tiny inputs), they are relaxed to
        ``min_df=1, max_df=1.0``; if no statement has a content word at all,
        a ``ValueError`` says so.
    """
    df: Counter = Counter()
    n_docs = 0
    for terms in term_lists:
        n_docs += 1
        df.update(set(terms))
    auto_min, auto_max = document_frequency_limits(n_docs)
    min_df = auto_min if min_df is None else min_df
    max_df = auto_max if max_df is None else max_df
    vocabulary = sorted(t for t, c in df.items() if c >= min_df and c <= max_df * n_docs)
    if not vocabulary:
        vocabulary = sorted(df)
    if not vocabulary:
        raise ValueError("no statement has a content word")
    # A callable analyzer gets no preprocessing from scikit-learn, so ``lowercase`` would only
    # raise a false warning about upper-case vocabulary entries ("5G", "APP").
    return CountVectorizer(analyzer=analyzer or ContentAnalyzer(), vocabulary=vocabulary, lowercase=False)


#: A key phrase must be used by at least this share of its theme's statements (and by 2), before
#: phrases used by fewer are considered.
MIN_PHRASE_SHARE = 0.02
#: Phrases used by one statement of the theme only fill a list that would otherwise be shorter than this.
MIN_PHRASES = 3


def select_keyphrases(scores: Sequence[float], where: Sequence[set[int]], n_docs: int, *, top_n: int = 10,
                      alpha: float = 1.0, floor: float = 0.1, min_share: float = MIN_PHRASE_SHARE,
                      min_phrases: int = MIN_PHRASES) -> list[int]:
    """Indices of the key phrases of one theme among its c-TF-IDF candidates (best first).

    Why: c-TF-IDF scores each word alone, and co-occurrence alone rewards a rare word that happens to
    share one statement with the chosen ones: on real customer posts a theme of 166 statements was
    labelled with a Weibo campaign tag two of them carried, a sub-theme of 40 with a restaurant's
    name one of them gave. A key phrase should describe many of the theme's
    statements, so candidates are taken in tiers of support: first those used by at least
    ``min_share`` of the theme's ``n_docs`` statements (and by 2), then those used by 2, and phrases
    of one statement only, then of none, while fewer than ``min_phrases`` are chosen. Within a tier, greedy: the
    candidate maximising ``score ** alpha * (floor + share)`` (``score`` scaled to the theme's best,
    ``share`` the fraction of the chosen phrases it shares a statement with); the best candidate of
    the first non-empty tier opens the list.
    """
    n = len(scores)
    if n == 0:
        return []
    support = [len(w) for w in where]
    need = max(2, math.ceil(min_share * n_docs))
    tiers = [[i for i in range(n) if support[i] >= need],
             [i for i in range(n) if 2 <= support[i] < need],
             [i for i in range(n) if support[i] == 1],
             [i for i in range(n) if support[i] == 0]]
    top = max(max(scores), 0.0) or 1.0
    chosen: list[int] = []
    for level, tier in enumerate(tiers):
        rest = list(tier)
        while rest and len(chosen) < top_n and (level < 2 or len(chosen) < min_phrases):
            if not chosen:
                best = rest[0]  # candidates come best first
            else:
                def gain(i):
                    share = sum(1.0 for c in chosen if where[i] & where[c]) / len(chosen)
                    return (max(scores[i], 0.0) / top) ** alpha * (floor + share)
                best = max(rest, key=gain)  # max() keeps the first of equals: deterministic
            chosen.append(best)
            rest.remove(best)
    return chosen
