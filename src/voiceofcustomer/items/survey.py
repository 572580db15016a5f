"""Reviewed questionnaire items → the questionnaire in the formats surveys are fielded with.

``voc items`` writes a review workbook; designers set ``decision`` (accept / edit / reject,
or 采纳 / 修改 / 删除 and the other words of :data:`DECISION_WORDS`; blank = undecided) and,
for edits, ``edited_text``.
:func:`load_reviewed` turns that sheet into the final item list (only accepted and
edited items, edited wording in place of the candidate's, grouped by SERVQUAL
dimension in taxonomy order), and :func:`build_survey` writes:

- ``questionnaire.docx``: paper/Word questionnaire (expectations, perceptions,
  100-point importance allocation, respondent profile);
- ``questionnaire_wjx.txt``: 问卷星 (wjx.cn) text import (see docs/survey.md for
  the format and where it comes from);
- ``codebook.csv`` and ``responses_template.csv``: what ``voc gap`` reads.

Both questionnaires number their questions by :func:`numbered_questions`, so a designer checks one against
the other number by number.

Every problem in the workbook raises with the row and the item id, because a wrong
item that slips into a fielded survey cannot be taken back.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from voiceofcustomer.errors import ColumnError, DataQualityError, InputError
from voiceofcustomer.io.readers import check_input_file, detect_encoding, parser_error
from voiceofcustomer.labels.taxonomy import SERVQUAL_DIMENSIONS, ZH
from voiceofcustomer.io.writers import atomic_path, write_table

__all__ = ["load_reviewed", "edited_wording", "wording_checks", "EditRefused", "build_survey", "decision_of", "DECISION_WORDS", "profile_questions", "refers_to_store",
           "parse_stores",
           "STORE_COLUMN", "STORE_QUESTION", "parse_formats", "expectation_form", "codebook", "response_columns",
           "wjx_text", "read_wjx_text", "numbered_questions", "Question", "FORMATS", "REQUIRED_COLUMNS",
           "SCALE_LABELS", "DEMOGRAPHICS", "DIMENSION_DESCRIPTIONS", "DEFAULT_TITLE", "WJX_PAGE_BREAK"]

FORMATS = ("docx", "wjx", "csv")
#: The files build_survey writes; a folder written before the output record is recognised by them.
SURVEY_FILES = ("questionnaire.docx", "questionnaire_wjx.txt", "codebook.csv", "responses_template.csv")
REQUIRED_COLUMNS = ("item_id", "servqual", "e_text", "p_text", "decision")
DEFAULT_TITLE = "电信服务质量客户调查问卷"
# Same wording as the ``scale`` sheet of the items workbook, so reviewers and respondents see one scale.
SCALE_LABELS = ("非常不同意", "不同意", "有点不同意", "中立", "有点同意", "同意", "非常同意")
DIMENSION_DESCRIPTIONS = {
    "tangibles": "营业厅的环境与设施、员工的仪表、宣传资料等看得见、摸得着的部分",
    "reliability": "准确可靠地兑现承诺：网络和宽带稳定可用、账单准确、事情第一次就办对",
    "responsiveness": "乐于帮助客户并及时服务：等候时间短、报修和投诉处理快、热线容易接通",
    "assurance": "员工的专业知识、礼貌和诚信：解释准确、态度礼貌、不误导销售、保护个人信息",
    "empathy": "关心客户、提供个性化的便利：营业时间方便、套餐适合个人需要、关怀老年和残障客户",
}
# (column in the responses, question, options; None = free text). Options carry no spaces:
# wjx's importer splits an option line at spaces.
DEMOGRAPHICS = (
    ("客户类型", "您属于哪一类客户？", ("公众客户（个人/家庭）", "对公客户（企业/单位）")),
    ("年龄段", "您的年龄段是？", ("18岁以下", "18-24岁", "25-34岁", "35-44岁", "45-54岁", "55-64岁", "65岁及以上")),
    ("使用年限", "您使用本运营商服务有多少年了？", ("不足1年", "1年至3年", "3年以上至5年", "5年以上至10年", "10年以上")),
    ("主要办理渠道", "您平时主要通过哪个渠道办理业务？",
     ("营业厅", "客服热线", "手机营业厅客户端", "网上营业厅", "微信公众号或小程序", "代理点", "客户经理上门", "其他")),
    ("所在区县", "您所在的区县是？", None),
)
WJX_PAGE_BREAK = "=== 分页 ==="
# Items say "该营业厅": the respondent must say which store, or per-store gaps cannot be computed.
STORE_COLUMN = "营业厅"
STORE_QUESTION = "您本次评价的是哪一家营业厅？"
_STORE_WORDS = ("营业厅", "门店", "厅店")
INTRO = ("尊敬的客户：您好！为了解您对电信服务的期望和实际感受、持续改进服务质量，我们开展本次调查。"
         "问卷匿名填写，答案没有对错之分，结果仅用于统计分析，不会泄露您的个人信息。感谢您的支持！")
_E_INTRO = ("下面每句话描述的是一家优秀的电信运营商（包括它的营业厅）应当具备的服务特征。请根据您的期望，"
            "选择您对每句话的同意程度：1 表示非常不同意，7 表示非常同意，数字越大表示越同意。")
_P_INTRO = ("下面每句话描述的是您目前使用的电信运营商（包括它的营业厅）的实际服务表现。请根据您的实际感受，"
            "选择您对每句话的同意程度：1 表示非常不同意，7 表示非常同意，数字越大表示越同意。")
_W_INTRO = ("下面是衡量服务质量的{n}个方面。请按照每个方面对您的重要程度，把总共 100 分分配给这{n}个方面："
            "越重要的方面分数越高，{n}项分数之和必须等于 100。")
_D_INTRO = "最后，请告诉我们您的一些基本情况（仅用于分组统计）。"

#: What a reviewer may write in ``decision`` → the decision. The items workbook's readme names 采纳/修改/删除
#: beside the English words; a 是否采纳-style 是/否 column reads as accept/reject.
DECISION_WORDS = {
    "accept": ("accept", "接受", "采纳", "保留", "是"),
    "edit": ("edit", "修改"),
    "reject": ("reject", "拒绝", "删除", "不采纳", "否"),
}
_DECISIONS = {word: decision for decision, words in DECISION_WORDS.items() for word in words} | {"": ""}
_TRUE = {"true", "1", "yes", "y", "是"}
_FALSE = {"false", "0", "no", "n", "否", ""}
_DIMENSION_BY_NAME = {**{d: d for d in SERVQUAL_DIMENSIONS}, **{ZH["servqual"][d]: d for d in SERVQUAL_DIMENSIONS}}
# Perception subject → expectation subject (the rule documented in docs/survey.md).
_SUBJECTS = (("该营业厅", "优秀的营业厅应当"), ("该运营商", "优秀的电信运营商应当"), ("该公司", "优秀的电信运营商应当"))
_PREFIXED = re.compile(r"^\s*([EePp])\s*[:：]\s*(.*)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NEUTRALIZED = re.compile(r"^'(?=[=+\-@])")


# 会 as a modal verb (will/does), not inside 会员, 机会, 社会, 开会 …
_MODAL_HUI = re.compile(r"(?<![机社开约聚理学体领误协工宴都晚舞一不])会(?![员议所场费话计面谈客长务])")


# A perception that opens on a topic of its own (每月的话费, 员工的言行, 宣传的网速) before what is
# said of it: 应当 cannot go before that noun phrase. What comes before 的 must hold no verb, preposition
# or adverb (提供…的, 用真实的宣传, 设计实用的套餐 are the operator's action).
_TOPIC_HEAD = re.compile(r"^([^的，,、]{1,6})的")
_NOUN_TAGS = ("n", "r", "t", "m", "q", "s", "f", "vn")
# The store's or operator's people and parts, named right after the subject without 的 (该营业厅员工熟悉业务,
# 该营业厅环境整洁干净): the topic of what follows, so 应当 cannot go before them (it read 应当员工熟悉…).
# A list, not the tagger: jieba tags 用心 (用心对待每一位客户, the operator's action) a noun too.
_TOPIC_NOUNS = re.compile(r"^(员工|工作人员|营业员|服务人员|客服人员|维修人员|装维人员|上门人员|安装人员|维修师傅|师傅|"
                          r"客户经理|客服代表|客服热线|热线|环境|设施|设备|网络|信号|网速|账单|资费|收费|营业时间)"
                          r"(?![的，,、])(?=.)")


def _opens_on_topic(rest: str) -> bool:
    """Whether ``rest`` (a perception without its subject) starts with a noun phrase X的Y (每月的话费…,
    and 提供的网速…, a verb alone before 的 naming what is provided), or with one of the service's
    people or parts before what is said of it (员工熟悉业务规则)."""
    if _TOPIC_NOUNS.match(rest):
        return True
    m = _TOPIC_HEAD.match(rest)
    if not m:
        return False
    from voiceofcustomer.text.segment import Segmenter

    tags = list(Segmenter().tag(m.group(1)))
    if len(tags) == 1 and len(tags[0][0]) >= 2 and tags[0][1] == "v":
        return True  # 提供的宽带网速与宣传一致: what is provided, not the operator's action
    return all(tag.startswith(_NOUN_TAGS) and tag not in ("nr",) or tag == "vn" for _, tag in tags)


def expectation_form(p_text: str) -> str | None:
    """The expectation wording derived from a perception statement, or ``None``.

    Rule: a leading 该营业厅 becomes 优秀的营业厅应当, a leading 该运营商 or 该公司
    becomes 优秀的电信运营商应当. A 会 right after the subject is dropped (应当 takes its
    place); a possessive 的 right after it becomes 做到, because 应当 cannot go inside the
    noun phrase (该营业厅的环境整洁 → 优秀的营业厅应当做到环境整洁), unless a modal 会
    follows, which 应当 replaces in place (该营业厅的电子屏会显示… → 优秀的营业厅的电子屏应当
    显示…, never "应当做到电子屏会显示"). A topic of its own before the predicate takes 做到 too
    (该运营商每月的话费计算准确无误 → 优秀的电信运营商应当做到每月的话费计算准确无误; never "应当每月的
    话费…"), and 该营业厅内… reads 优秀的营业厅应当保持厅内…. Any other subject
    has no derivation: the reviewer writes the ``E:`` line.
    """
    text = p_text.strip()
    for subject, expectation in _SUBJECTS:
        if text.startswith(subject):
            rest = text[len(subject):].lstrip(" ，,")
            modal = _MODAL_HUI.search(rest)
            if rest.startswith("的") and modal:
                # 该营业厅的电子屏会显示… → 优秀的营业厅的电子屏应当显示… (no stray 会)
                noun = expectation[: -len("应当")]
                return noun + rest[: modal.start()] + "应当" + rest[modal.end():]
            if rest.startswith("的"):
                rest = "做到" + rest[1:]
            elif rest.startswith("内") and subject == "该营业厅":
                rest = "保持厅" + rest  # 该营业厅内干净整洁 → 优秀的营业厅应当保持厅内干净整洁
            elif _opens_on_topic(rest):
                rest = "做到" + rest  # 该运营商每月的话费计算准确无误 → …应当做到每月的话费计算准确无误
            elif rest.startswith("会"):
                rest = rest[1:]
            return expectation + rest if rest.strip("。，,. ") else None
    return None


def decision_of(value) -> str | None:
    """A ``decision`` cell → ``"accept"``, ``"edit"``, ``"reject"``, ``""`` (blank: undecided), or
    ``None`` for a value that is none of :data:`DECISION_WORDS` (case and spaces ignored)."""
    return _DECISIONS.get(_cell(value).lower())


def refers_to_store(items: pd.DataFrame) -> bool:
    """True when any item's wording is about a store (then the survey asks which one)."""
    texts = pd.concat([items["e_text"].astype(str), items["p_text"].astype(str)])
    return bool(texts.map(lambda s: any(w in s for w in _STORE_WORDS)).any())


def profile_questions() -> dict[str, str]:
    """Response column → question text of the non-item questions the survey may ask
    (``voc gap`` uses it to recognise them in a survey-platform export)."""
    return {STORE_COLUMN: STORE_QUESTION, **{name: text for name, text, _ in DEMOGRAPHICS}}


def profile_options() -> dict[str, tuple[str, ...]]:
    """Response column → its options in the questionnaire's order, of the profile questions with options
    (``voc gap`` lists a ``--by 年龄段`` segment in this order: 18岁以下 before 18-24岁, 不足1年 before 10年以上)."""
    return {name: options for name, _, options in DEMOGRAPHICS if options}


def parse_stores(value: str | None) -> list[str] | None:
    """``--stores``: a comma-separated list, or a .txt/.csv file with one store per line."""
    if not value:
        return None
    path = Path(value)
    if path.suffix.lower() in (".txt", ".csv") and path.exists():
        check_input_file(path)
        lines = path.read_text(encoding=detect_encoding(path)).splitlines()
        names = [ln.split(",")[0].strip() for ln in lines if ln.strip()]
    else:
        names = [s.strip() for s in re.split(r"[,，、]", value) if s.strip()]
    if not names:
        raise InputError(f"stores={value!r}: no store names; give a comma-separated list or a file of names",
                         params=("stores",))
    return list(dict.fromkeys(names))


def _cell(value) -> str:
    """Workbook cell → clean text (Excel numbers such as 12.0 back to '12')."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = _CONTROL.sub("", str(value).replace("_x000D_", "")).strip()
    return _NEUTRALIZED.sub("", text)  # undo the formula guard of the items workbook


def _holds_review_columns(book: pd.ExcelFile, sheet: str) -> bool:
    """Whether the header of ``sheet`` has every column of :data:`REQUIRED_COLUMNS` (case and spaces aside)."""
    header = pd.read_excel(book, sheet_name=sheet, nrows=0).columns
    return set(REQUIRED_COLUMNS) <= {str(c).strip().lower() for c in header}


def _read_sheet(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import zipfile

        try:
            book = pd.ExcelFile(path, engine="openpyxl")
        except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
            raise InputError(f"{path}: cannot be read as an Excel workbook ({exc}); save it again as .xlsx") from None
        with book:
            names = book.sheet_names
            if "items" in names:
                sheet = "items"
            elif len(names) == 1:
                sheet = names[0]
            else:  # a workbook saved under other names (WPS's Sheet1 beside empty Sheet2, Sheet3; a renamed sheet)
                review = [n for n in names if _holds_review_columns(book, n)]
                if len(review) > 1:
                    raise InputError(f"{path}: no sheet named 'items', and {len(review)} sheets hold the review "
                                     f"columns ({', '.join(review)}); rename the one to field to 'items'")
                if not review:
                    raise InputError(f"{path}: no sheet named 'items' and none holds the review columns "
                                     f"({', '.join(REQUIRED_COLUMNS)}) in its first row (sheets: {', '.join(names)}); "
                                     "rename the review sheet to 'items'")
                sheet = review[0]
            return pd.read_excel(book, sheet_name=sheet, dtype=object)
    if suffix == ".csv":
        encoding = detect_encoding(path)
        try:
            return pd.read_csv(path, dtype=object, keep_default_na=False, encoding=encoding)
        except UnicodeDecodeError:
            raise InputError(f"{path}: cannot decode as {encoding}; save it as UTF-8 CSV or as .xlsx") from None
        except pd.errors.ParserError as exc:
            raise parser_error(path, exc) from None
    raise InputError(f"{path}: unsupported file type {path.suffix!r}; give the reviewed items.xlsx (or a .csv)")


class EditRefused(DataQualityError):
    """An edit ``voc survey`` cannot field. ``str()`` is the command line's English line (with its row);
    ``zh`` gives the same reason in Chinese, as the review app's items view and the items sheet's ``checks``
    say it to a questionnaire designer (until 7 Dec 2026 they showed the English line on the Chinese card)."""

    def __init__(self, message: str, zh: str = "", *, params=()):
        super().__init__(message, params=params)
        self.zh = zh or message

    def __reduce__(self):  # from a worker process with its Chinese reason
        return _edit_refused, (self.args[0], self.zh, self.params)


def _edit_refused(message: str, zh: str, params) -> EditRefused:
    return EditRefused(message, zh, params=params)


def _split_edit(text: str, at: str) -> tuple[str | None, str | None]:
    """``edited_text`` → (new E wording or None, new P wording or None); ``at``: ``"<where>: "`` or ``""``."""
    forms: dict[str, list[str]] = {}
    plain: list[str] = []
    current = None
    for line in re.split(r"\r\n|\r|\n", text):
        line = line.strip()
        if not line:
            continue
        m = _PREFIXED.match(line)
        if m:
            current = m.group(1).upper()
            forms.setdefault(current, []).append(m.group(2).strip())
        elif current:
            forms[current].append(line)  # a wrapped continuation line of the E:/P: above
        else:
            plain.append(line)
    if forms and plain:
        raise EditRefused(f"{at}edited_text mixes plain lines with 'E:'/'P:' lines; "
                          "start every line with 'E:' or 'P:', or write one perception statement",
                          f"修改里既有以 E:/P: 开头的行，又有不带前缀的行（“{plain[0]}”）；请每行都以 E: 或 P: 开头，"
                          "或只写一句感知表述")
    if not forms:
        p_text = "".join(plain)
        e_text = expectation_form(p_text)
        if e_text is None:
            raise EditRefused(
                f"{at}no expectation wording: cannot derive the expectation form of {p_text!r} (it must start with "
                "该营业厅/该运营商/该公司 followed by the predicate); write both lines: 'E: …' and 'P: …'",
                f"缺少期望表述：“{p_text}”不以 该营业厅／该运营商／该公司 开头，推不出期望（E）的说法；"
                "请写两行：E: … 和 P: …")
        return e_text, p_text
    new_e = "".join(forms["E"]) or None if "E" in forms else None
    new_p = "".join(forms["P"]) or None if "P" in forms else None
    if new_e is None and new_p is None:
        raise EditRefused(f"{at}edited_text has 'E:'/'P:' lines but no wording after them",
                          "E:／P: 后面没有文字；请在 E: 或 P: 后写出新的表述")
    return new_e, new_p


def edited_wording(edited_text: str, e_text: str, p_text: str, where: str = "") -> tuple[str, str]:
    """The expectation and perception an item is fielded with: its edit over the candidate's wording, checked.

    The one reading of an edit, for ``voc survey`` (:func:`load_reviewed`) and the review app's items view
    alike, so the card shows the wording the survey fields and refuses what the survey would refuse.
    ``edited_text``: ``E: …`` and/or ``P: …`` lines, each replacing that form (a line without a prefix
    continues the ``E:``/``P:`` line above it: a wording that wrapped, or that starts on the line after
    ``E:``), or one perception statement, whose expectation is :func:`expectation_form`'s; blank keeps the
    candidate's ``e_text`` and ``p_text``.

    Raises:
        EditRefused, a DataQualityError (its message starting ``where: `` when ``where`` is given; its ``zh``
            the reason in Chinese, without ``where``): plain lines mixed with
            ``E:``/``P:`` lines, ``E:``/``P:`` lines with no wording, a statement whose expectation cannot be
            derived, an empty expectation or perception, or the two about two subjects (营业厅 / 电信运营商).
    """
    at = f"{where}: " if where else ""
    e_text, p_text = _cell(e_text), _cell(p_text)
    if _cell(edited_text):
        new_e, new_p = _split_edit(_cell(edited_text), at)
        e_text, p_text = new_e or e_text, new_p or p_text
    for form, text in (("expectation (e_text)", e_text), ("perception (p_text)", p_text)):
        if not text:
            raise EditRefused(f"{at}the {form} wording is empty; fill it in or write it in edited_text",
                              f"{'期望（E）' if form.startswith('expectation') else '感知（P）'}表述为空；"
                              f"请补上，或在修改里写 {form[0].upper()}: …")
    _check_same_subject(e_text, p_text, at)
    return e_text, p_text


# Whom an item's wording is about: the store (营业厅) or the operator (电信运营商; 该公司 is the operator too).
_E_SUBJECT = re.compile(r"^(?:优秀的|您期望)(营业厅|电信运营商|运营商|公司)")
_P_SUBJECT = re.compile(r"^该(营业厅|运营商|公司)")


def _about(pattern: re.Pattern, text: str) -> str | None:
    m = pattern.match(text)
    return None if m is None else ("营业厅" if m.group(1) == "营业厅" else "电信运营商")


def _check_same_subject(e_text: str, p_text: str, at: str) -> None:
    """An expectation about the operator beside a perception about the store (a ``P:`` edit that changed
    该运营商 to 该营业厅 and kept the candidate's E) makes P − E compare two things: refused with both."""
    e_about, p_about = _about(_E_SUBJECT, e_text), _about(_P_SUBJECT, p_text)
    if e_about and p_about and e_about != p_about:
        derived = expectation_form(p_text)
        fix = (f"write 'E: {derived}' beside it, or the perception alone (its expectation is derived)" if derived
               else "write both lines, 'E: …' and 'P: …', about one subject")
        fix_zh = (f"请在旁边写 E: {derived}，或只写感知表述（期望会自动推出）" if derived
                  else "请写 E: … 和 P: … 两行，说同一个对象")
        raise EditRefused(
            f"{at}the expectation is about the {e_about} ({e_text!r}) but the perception about the {p_about} "
            f"({p_text!r}), so its gap would compare two things; {fix}",
            f"期望和感知说的不是同一个对象：期望说{e_about}（“{e_text}”），感知说{p_about}（“{p_text}”），"
            f"差距 P − E 会拿两件事相比；{fix_zh}")


def _dimension(servqual: str, servqual_zh: str, where: str) -> str:
    """The item's dimension from ``servqual``, or from ``servqual_zh`` when ``servqual`` is blank (an item
    a designer added). A ``servqual_zh`` naming another dimension is refused: a designer who changed only
    the Chinese column would otherwise field the item under the old dimension without a word."""
    dimension = _DIMENSION_BY_NAME.get((servqual or servqual_zh).lower())
    if dimension is None:
        column = "servqual" if servqual or not servqual_zh else "servqual_zh"
        names = ", ".join(f"{d}/{ZH['servqual'][d]}" for d in SERVQUAL_DIMENSIONS)
        raise DataQualityError(f"{where}: unknown dimension {servqual or servqual_zh!r} in {column}; "
                               f"use one of {names}")
    if servqual and servqual_zh and servqual_zh.lower() not in (ZH["servqual"][dimension], dimension):
        raise DataQualityError(f"{where}: servqual says {servqual!r} but servqual_zh says {servqual_zh!r}; "
                               "write the item's dimension in both columns (or clear servqual_zh)")
    return dimension


def _check_distinct_wording(rows: list[dict], path: Path) -> None:
    """Two items with one wording (an edit that copied another item's, an own item repeating a candidate)
    would ask respondents the same statement twice, and ``voc gap`` could not tell their columns apart
    in a 问卷星 export: refused with both rows, before anything is fielded."""
    from voiceofcustomer.gap.wjx import wording_key

    for form, column in (("expectation", "e_text"), ("perception", "p_text")):
        first: dict[str, dict] = {}
        for r in rows:
            key = wording_key(r[column])
            if key in first:
                a = first[key]
                raise DataQualityError(
                    f"{path}: row {r['row']} (item {r['item_id']}) has the {form} wording {r[column]!r} of row "
                    f"{a['row']} (item {a['item_id']}); a questionnaire asks each statement once: reject one "
                    "of them or edit its wording")
            first[key] = r


def load_reviewed(path: str | Path) -> pd.DataFrame:
    """Read a reviewed items workbook and return the items that go into the survey.

    Accepted and edited rows are kept; rejected and undecided (blank) rows never reach
    the survey. Wording in ``edited_text`` replaces the candidate's wherever it is
    filled in (also on an ``accept`` row: the reviewer's words win).

    Args:
        path: ``items.xlsx`` from ``voc items`` after review (sheet ``items``, the only
            sheet, or the one sheet whose header holds the needed columns), or the same table as CSV. Needs ``item_id, servqual, e_text, p_text,
            decision``; ``edited_text`` when a row is edited; optional ``reverse``.

    Returns:
        One row per final item, ordered by SERVQUAL dimension (taxonomy order) and then
        workbook order: ``number`` (1…n), ``item_id``, ``dimension`` (taxonomy id),
        ``e_text``, ``p_text``, ``reverse`` (bool), ``decision`` (accept/edit),
        ``wording`` (candidate/edited), ``row`` (workbook row). ``attrs["left_out"]``: the rows that are
        not in the survey, ``{"undecided": [...], "rejected": [...]}``, each ``{"row", "item_id"}`` in
        workbook order (a row with no item id and no wording is no item and is not counted), so a caller
        can say what the survey left out (``voc survey``: "23 items …; left out: 40 undecided, 7 rejected").
        ``attrs["checks"]``: the items whose wording is the reviewer's own (``edited_text``, or a row without
        voc items' ``checks``) and fails a check of voc items (:func:`wording_checks`), each ``{"row", "item_id",
        "wording"`` (edited/own)``, "checks"`` (``ItemCheck``s)``}``; they are in the survey as written.

    Raises:
        InputError: the file cannot be read.
        ColumnError: required columns are missing (all of them are named).
        DataQualityError: an unknown decision, dimension or reverse value, an edit without
            wording, an expectation and a perception about two subjects (营业厅 / 电信运营商), an
            empty or duplicate item id, or no accepted item at all.
    """
    path = Path(path)
    check_input_file(path)
    raw = _read_sheet(path)
    cols = {str(c).strip().lower(): c for c in raw.columns}
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    if missing:
        raise ColumnError(f"{path}: missing column(s) {', '.join(missing)}; the review sheet needs "
                          f"{', '.join(REQUIRED_COLUMNS)} (as voc items writes it)")

    def column(name: str) -> list[str]:
        return [_cell(v) for v in raw[cols[name]]] if name in cols else [""] * len(raw)

    ids, dims, e_texts, p_texts = column("item_id"), column("servqual"), column("e_text"), column("p_text")
    decisions, edits, reverses = column("decision"), column("edited_text"), column("reverse")
    zh_dims = column("servqual_zh")  # the Chinese name voc items writes beside servqual
    # voc items writes each candidate's checks ("ok" when it passes): a blank cell is an item of the designer's own
    checked = column("checks") if "checks" in cols else None
    rows, seen, failing = [], {}, []
    left_out: dict[str, list[dict]] = {"undecided": [], "rejected": []}
    for i in range(len(raw)):
        excel_row = i + 2  # row 1 is the header
        item = ids[i]
        where = f"{path}: row {excel_row}" + (f" (item {item})" if item else "")
        decision = decision_of(decisions[i])
        if decision is None:
            raise DataQualityError(f"{where}: unknown decision {decisions[i]!r}; use accept, edit or reject "
                                   "(采纳/修改/删除), or leave it blank for undecided")
        if decision in ("", "reject"):
            if item or e_texts[i] or p_texts[i] or edits[i]:  # an empty row of the sheet is no item
                left_out["rejected" if decision else "undecided"].append({"row": excel_row, "item_id": item})
            continue
        if not item:
            raise DataQualityError(f"{where}: the item has no item_id; give it a unique id")
        if item in seen:
            raise DataQualityError(f"{where}: item_id {item!r} is used again (first in row {seen[item]}); "
                                   "item ids must be unique")
        seen[item] = excel_row
        dimension = _dimension(dims[i], zh_dims[i], where)
        rev = reverses[i].lower()
        if rev not in _TRUE | _FALSE:
            raise DataQualityError(f"{where}: reverse must be true or false, not {reverses[i]!r}")
        if decision == "edit" and not edits[i]:
            if "edited_text" not in cols:
                raise ColumnError(f"{path}: row {excel_row} (item {item}) is marked edit but the sheet has no "
                                  "edited_text column; add it with the new wording")
            raise DataQualityError(f"{where}: decision is edit but edited_text is empty; write the new wording "
                                   "('E: …' and/or 'P: …', or one perception statement) or set decision to accept")
        e_text, p_text = edited_wording(edits[i], e_texts[i], p_texts[i], where)
        wording = "edited" if edits[i] else "candidate"
        if edits[i] or (checked is not None and not checked[i]):
            failed = wording_checks(e_text, p_text, reverse=rev in _TRUE)
            if failed:
                failing.append({"row": excel_row, "item_id": item, "wording": wording if edits[i] else "own",
                                "checks": failed})
        rows.append({"item_id": item, "dimension": dimension, "e_text": e_text, "p_text": p_text,
                     "reverse": rev in _TRUE, "decision": decision, "wording": wording, "row": excel_row})
    if not rows:
        raise DataQualityError(f"{path}: no item is accepted; set decision to accept/edit in the workbook")
    _check_distinct_wording(rows, path)
    items = pd.DataFrame(rows)
    order = {d: k for k, d in enumerate(SERVQUAL_DIMENSIONS)}
    items = items.sort_values("dimension", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    items.insert(0, "number", range(1, len(items) + 1))
    items.attrs["left_out"] = left_out
    items.attrs["checks"] = failing
    return items


def wording_checks(e_text: str, p_text: str, *, reverse: bool = False) -> list:
    """The checks of ``voc items`` (:func:`~voiceofcustomer.items.candidates.check_item`) a wording of the
    reviewer's own fails: an edit typed in the workbook, or an item of their own. Why: a candidate comes with
    its checks and the review app checks an edit as it is typed, but an edit typed in Excel reached the
    questionnaire unread (一题两问, 否定表述 … fielded without a word). Left out: the checks of composed wordings
    that are no statement (``NO_STATEMENT_CHECKS``: 不成句, 未写明评价对象 …), tuned to a clause cut from a post, which
    a designer's sentence (该运营商每月账单准确无误) is not; and 否定表述 of a reverse-coded item, negative on purpose."""
    from voiceofcustomer.items.candidates import NO_STATEMENT_CHECKS, check_item

    return [c for c in check_item(e_text, p_text)
            if c.code not in NO_STATEMENT_CHECKS and not (reverse and c.code == "negative")]


def parse_formats(formats) -> list[str]:
    """``"docx,wjx"`` or an iterable of names → validated, de-duplicated list in FORMATS order."""
    if isinstance(formats, str):
        formats = formats.split(",")
    wanted = {f.strip().lower() for f in formats if f and f.strip()}
    unknown = sorted(wanted - set(FORMATS))
    if unknown or not wanted:
        raise InputError(f"unknown output format(s) {', '.join(unknown) or '(none)'}; "
                         f"formats= takes any of {','.join(FORMATS)}", params=("formats",))
    return [f for f in FORMATS if f in wanted]


def build_survey(items: pd.DataFrame, out_dir: str | Path, formats=FORMATS, *,
                 title: str = DEFAULT_TITLE, stores: list[str] | None = None,
                 ask_store: bool | None = None) -> dict[str, Path]:
    """Write the questionnaire files for the final items of :func:`load_reviewed`.

    Args:
        items: Columns ``item_id, dimension, e_text, p_text`` and optional ``reverse``,
            in questionnaire order.
        out_dir: Folder to write to (created when missing). The files are put in place
            together once all are written, so a failure leaves the folder as it was; files
            an earlier run wrote there and this one does not are removed, the user's own
            files are never touched.
        formats: Any of ``docx`` (questionnaire.docx), ``wjx`` (questionnaire_wjx.txt),
            ``csv`` (codebook.csv and responses_template.csv); a comma-separated string works.
        title: Questionnaire title.
        stores: The stores respondents may have visited (a single-choice list); without a
            list the store question is a fill-in.
        ask_store: Ask which store the answers are about (column ``营业厅`` in the responses).
            Default: when any item mentions a store (该营业厅 …) or ``stores`` is given.

    Returns:
        ``{"docx"|"wjx"|"codebook"|"responses_template": path}`` for the files written.
    """
    from voiceofcustomer.report.folder import OutputFolder

    formats = parse_formats(formats)
    items = _checked_items(items)
    store = _store_question(items, stores, ask_store)
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: is a file; give a folder for the questionnaire files")
    # Put in place whole, and a file of an earlier run that this run does not write (questionnaire.docx
    # of a run with more --format) is removed: a questionnaire beside a codebook of other items would
    # be fielded and then analysed with the wrong codebook.
    folder = OutputFolder(out_dir, "survey", legacy=lambda _folder: SURVEY_FILES)
    written: dict[str, Path] = {}
    with folder as build:
        if "docx" in formats:
            written["docx"] = _write_docx(items, build / "questionnaire.docx", title, store)
        if "wjx" in formats:
            path = build / "questionnaire_wjx.txt"
            with atomic_path(path) as tmp:
                tmp.write_text(wjx_text(items, title, store=store), encoding="utf-8")
            written["wjx"] = path
        if "csv" in formats:
            written["codebook"] = write_table(codebook(items), build / "codebook.csv")
            written["responses_template"] = write_table(
                pd.DataFrame(columns=response_columns(items, store is not None)), build / "responses_template.csv")
    return {k: folder.final(p) for k, p in written.items()}


def _store_question(items: pd.DataFrame, stores: list[str] | None, ask: bool | None):
    """``(question, options or None)`` when the survey asks for the store, else None."""
    if ask is None:
        ask = bool(stores) or refers_to_store(items)
    if not ask:
        return None
    return STORE_QUESTION, tuple(_wjx_option(s) for s in stores) if stores else None


def _wjx_option(text: str) -> str:
    return re.sub(r"\s+", "", str(text))  # wjx's importer splits an option line at spaces


def _checked_items(items: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("item_id", "dimension", "e_text", "p_text") if c not in items.columns]
    if missing:
        raise ColumnError(f"items lack column(s) {', '.join(missing)}; pass the result of load_reviewed")
    if items.empty:
        raise DataQualityError("no item is accepted; set decision to accept/edit in the workbook")
    bad = sorted(set(items["dimension"]) - set(SERVQUAL_DIMENSIONS))
    if bad:
        raise DataQualityError(f"unknown dimension(s) {', '.join(map(str, bad))}; use one of "
                               f"{', '.join(SERVQUAL_DIMENSIONS)}")
    out = items.copy()
    if "reverse" not in out.columns:
        out["reverse"] = False
    for col in ("item_id", "e_text", "p_text"):
        out[col] = out[col].map(_cell)
    return out.reset_index(drop=True)


def codebook(items: pd.DataFrame) -> pd.DataFrame:
    """The codebook ``voc gap`` reads: item_id, dimension, e_text, p_text, reverse ('true'/'false')."""
    items = _checked_items(items)
    return pd.DataFrame({"item_id": items["item_id"], "dimension": items["dimension"], "e_text": items["e_text"],
                         "p_text": items["p_text"],
                         "reverse": ["true" if bool(r) else "false" for r in items["reverse"]]})


def weighted_dimensions(items: pd.DataFrame) -> list[str]:
    """The dimensions the importance question shares its 100 points over: those the items measure, in SERVQUAL
    order, and none when they measure fewer than two (all the points on one dimension say nothing).

    Why: the questionnaire asked for points on all five, also on a dimension no accepted item measures
    (a survey without a tangibles item asked respondents to weigh 有形性, and its template had a W_tangibles
    column that ``voc gap`` could not use): SERVQUAL's allocation is over the dimensions the questionnaire
    measures."""
    measured = set(items["dimension"])
    dims = [d for d in SERVQUAL_DIMENSIONS if d in measured]
    return dims if len(dims) >= 2 else []


def response_columns(items: pd.DataFrame, store: bool = False) -> list[str]:
    """Header a fielded survey export must have (respondent_id, store, E_/P_ items, W_ weights of
    :func:`weighted_dimensions`, profile)."""
    ids = list(items["item_id"])
    return (["respondent_id"] + ([STORE_COLUMN] if store else []) + [f"E_{i}" for i in ids] + [f"P_{i}" for i in ids]
            + [f"W_{d}" for d in weighted_dimensions(items)] + [name for name, _, _ in DEMOGRAPHICS])


# -- the questions, numbered once for every file -------------------------------------------------

#: The questionnaire's parts: heading and the introduction respondents read before its questions.
_PARTS = {
    1: ("第一部分 您的期望", _E_INTRO),
    2: ("第二部分 您的实际感受", _P_INTRO),
    3: ("第三部分 各方面的重要程度", _W_INTRO),
    4: ("第四部分 基本情况", _D_INTRO),
}
_COUNT_ZH = {2: "两", 3: "三", 4: "四", 5: "五"}


def _part(part: int, questions: list) -> tuple[str, str]:
    """A part's heading and introduction: the importance part says how many dimensions it asks about, and the
    profile is the third part when there is no importance question."""
    header, intro = _PARTS[part]
    weights = next((q for q in questions if q.kind == "比重题"), None)
    if part == 3 and weights is not None:
        intro = intro.format(n=_COUNT_ZH[len(weights.rows)])
    if part == 4 and weights is None:
        header = header.replace("第四部分", "第三部分")
    return header, intro
_E_QUESTION = "您认为一家优秀的电信运营商应当做到以下各项吗？（1=非常不同意，7=非常同意）"
_P_QUESTION = "您目前使用的电信运营商实际做到以下各项了吗？（1=非常不同意，7=非常同意）"
_W_QUESTION = "请把100分分配给以下{n}个方面，越重要的方面分数越高（合计100分）"


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire, numbered as every file numbers it.

    ``part``: 0 before the first part (which store), else the key of :data:`_PARTS`. ``kind``: 问卷星's type
    (单选题, 填空题, 矩阵量表题, 比重题). ``rows``: a matrix's statements (in codebook order: row *k* of the
    expectations and row *k* of the perceptions are item *k*) or the dimensions a 比重题 shares points
    over; ``options``: a choice question's."""

    number: int
    part: int
    text: str
    kind: str
    rows: tuple[str, ...] = ()
    options: tuple[str, ...] = ()

    @property
    def row_numbers(self) -> list[str]:
        """A matrix row's number: ``2.3`` is the third statement of question 2."""
        return [f"{self.number}.{k}" for k in range(1, len(self.rows) + 1)] if self.kind == "矩阵量表题" else []


def numbered_questions(items: pd.DataFrame, store=None) -> list[Question]:
    """The questionnaire's questions in order, numbered 1…N: the one numbering of the Word questionnaire and
    the 问卷星 import (and what a designer checks one against the other by).

    Why one function: each writer numbered its own way. The Word file left the store question and the
    importance question unnumbered, numbered the expectation and the perception statements 1…n each and
    the profile questions 1…5 again, while 问卷星 numbered every question on (the store 1, the two
    matrices 2 and 3, …, the profile 5–9): a designer checking the two side by side found no number alike.

    ``store``: ``(question, options or None)`` of :func:`_store_question`, or None."""
    items = _checked_items(items)
    out: list[Question] = []

    def add(part: int, text: str, kind: str, rows=(), options=()) -> None:
        out.append(Question(len(out) + 1, part, text, kind, tuple(rows), tuple(options or ())))

    if store is not None:
        text, options = store
        add(0, text, "单选题" if options else "填空题", options=options)
    add(1, _E_QUESTION, "矩阵量表题", items["e_text"])
    add(2, _P_QUESTION, "矩阵量表题", items["p_text"])
    dims = weighted_dimensions(items)  # the measured ones: no points asked for a dimension without items
    if dims:
        add(3, _W_QUESTION.format(n=_COUNT_ZH[len(dims)]), "比重题",
            [f"{ZH['servqual'][d]}：{DIMENSION_DESCRIPTIONS[d]}" for d in dims])
    for _, text, options in DEMOGRAPHICS:
        add(4, text, "单选题" if options else "填空题", options=options)
    return out


# -- 问卷星 text import -----------------------------------------------------------------------


def _wjx_line(text: str) -> str:
    """One line of wjx text: no line breaks, and no square brackets that could read as a type tag."""
    text = re.sub(r"\s+", " ", text).strip()
    return text.replace("[", "〔").replace("]", "〕")


def wjx_text(items: pd.DataFrame, title: str = DEFAULT_TITLE, *, store=None) -> str:
    """The questionnaire as 问卷星 text-import ("文本导入") text.

    Layout (docs/survey.md): title line, intro line, then numbered questions
    ``N. 题干[题型]`` with their body lines, a blank line after each question, section
    headers as unnumbered ``…[段落说明]`` lines and ``=== 分页 ===`` between sections.
    A ``[矩阵量表题]``'s first body line holds its seven column labels separated by
    spaces, each further line is one row (one item).
    """
    scale = " ".join(SCALE_LABELS)
    lines = [_wjx_line(title), _wjx_line(INTRO), ""]
    part = 0
    questions = numbered_questions(items, store)
    for q in questions:
        if q.part != part:  # a part's header before its first question, a page break between parts
            if part:
                lines.extend([WJX_PAGE_BREAK, ""])
            header, intro = _part(q.part, questions)
            lines.extend([_wjx_line(f"{header}：{intro}") + "[段落说明]", ""])
            part = q.part
        body = [scale, *q.rows] if q.kind == "矩阵量表题" else [*q.rows, *q.options]
        lines.extend([f"{q.number}. {_wjx_line(q.text)}[{q.kind}]", *map(_wjx_line, body), ""])
    return "\n".join(lines).rstrip("\n") + "\n"



_WJX_QUESTION = re.compile(r"^(\d+)\.\s*(.*)\[(单选题|多选题|填空题|矩阵量表题|比重题)\]$")


def read_wjx_text(text: str) -> list[Question]:
    """The numbered questions of a 问卷星 text import as :func:`wjx_text` writes it, back: the reading that
    ``voc gap`` takes a download by option numbers (按选项序号) with, since option *k* of a choice question is
    the *k*-th option line the import gave 问卷星. ``part``: how many ``[段落说明]`` headers came before."""
    out: list[Question] = []
    part, current, body = 0, None, []

    def close() -> None:
        if current is not None:
            number, question, kind = current
            rows = body[1:] if kind == "矩阵量表题" else body if kind == "比重题" else []
            options = body if kind in ("单选题", "多选题") else []
            out.append(Question(number, part, question, kind, tuple(rows), tuple(options)))

    for line in text.splitlines():
        line = line.strip()
        m = _WJX_QUESTION.match(line)
        if m or not line or line.endswith("[段落说明]") or line == WJX_PAGE_BREAK:
            close()
            current, body = None, []
            if m:
                current = (int(m.group(1)), m.group(2).strip(), m.group(3))
            elif line.endswith("[段落说明]"):
                part += 1
        elif current is not None:
            body.append(line)
    close()
    return out

# -- Word questionnaire -----------------------------------------------------------------------


# East Asian fonts a Chinese Office install has: body 宋体, headings 黑体 (Latin: Times New Roman / Arial).
BODY_FONT, HEADING_FONT = ("Times New Roman", "宋体"), ("Arial", "黑体")


def _set_fonts(style, fonts: tuple[str, str]) -> None:
    from docx.oxml.ns import qn

    latin, east_asian = fonts
    style.font.name = latin
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _write_docx(items: pd.DataFrame, path: Path, title: str, store=None) -> Path:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    for section in doc.sections:  # python-docx's template is US Letter; Chinese offices print A4
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin = section.bottom_margin = Cm(2.2)
    normal = doc.styles["Normal"]
    _set_fonts(normal, BODY_FONT)
    normal.font.size = Pt(10.5)  # 五号
    for name in ("Title", "Heading 1", "Heading 2"):
        _set_fonts(doc.styles[name], HEADING_FONT)

    def table(header: list[str], rows: list[list[str]], widths: list[float]):
        t = doc.add_table(rows=1 + len(rows), cols=len(header))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for r, values in enumerate([header, *rows]):
            for c, value in enumerate(values):
                cell = t.cell(r, c)
                cell.width = Cm(widths[c])
                cell.text = _cell(value)
                if r == 0 or c != 1:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                if r == 0:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        head = OxmlElement("w:tblHeader")  # repeat the header row when a table runs over a page
        head.set(qn("w:val"), "true")
        t.rows[0]._tr.get_or_add_trPr().append(head)
        return t

    def likert(q: Question) -> None:
        doc.add_paragraph("评分标准：" + "，".join(f"{k} = {label}" for k, label in enumerate(SCALE_LABELS, 1)))
        header = ["序号", "陈述"] + [f"{k}\n{label}" for k, label in enumerate(SCALE_LABELS, 1)]
        table(header, [[number, text] + ["□"] * 7 for number, text in zip(q.row_numbers, q.rows)],
              [1.3, 6.7] + [1.25] * 7)

    def choices(options) -> None:
        doc.add_paragraph("    ".join(f"□ {o}" for o in options) if options else "________________________")

    doc.add_heading(_cell(title), level=0)
    doc.add_paragraph(INTRO)
    part = 0
    questions = numbered_questions(items, store)
    for q in questions:  # numbered as the 问卷星 import numbers them
        if q.part != part:
            if part in (1, 2):  # expectations answered before the perceptions are seen, and before the points
                doc.add_page_break()
            header, intro = _part(q.part, questions)
            doc.add_heading(header, level=1)
            doc.add_paragraph(intro)
            part = q.part
        doc.add_paragraph(f"{q.number}. {q.text}")
        if q.kind == "矩阵量表题":
            likert(q)
        elif q.kind == "比重题":
            rows = [[ZH["servqual"][d], DIMENSION_DESCRIPTIONS[d], ""] for d in weighted_dimensions(items)]
            table(["方面", "含义", "分配的分数"], rows + [["合计", "", "100"]], [2.2, 11.0, 2.8])
        else:
            choices(q.options)
    doc.add_paragraph("问卷到此结束，再次感谢您的支持！")
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return path
