"""Thread context for tagging: the earlier turns a statement answers or follows up.

Why: on real exports a follow-up ("说好跟进呢？", an order number, "已私信") has no
subject of its own; the subject is in the earlier turns of the same conversation. The
label model reads those turns as a separate, down-weighted feature block (see
:class:`voiceofcustomer.labels.model.LabelModel`).

:class:`ThreadContext` streams: rows arrive in input order, rows sharing a thread key
form one thread, and for each row it yields the context string built from the turns
*before* it. Memory is bounded: it keeps the last ``max_turns`` turns per thread and at
most ``max_threads`` threads (least recently seen are forgotten first), so a
ten-million-row export costs the same memory as a small one.
"""

from __future__ import annotations

import re
from collections import OrderedDict, deque
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from voiceofcustomer.labels.model import CONTEXT_TURNS, context_string
from voiceofcustomer.labels.taxonomy import FIELDS, NO_SERVICE_CONTENT
from voiceofcustomer.statements import (LABEL_COLUMNS, MODERATOR, NOTE, PARTICIPANT, PROMPT_TURN, ROLE, SESSION,
                                        SPEAKER, TEXT, TURN, is_missing, prompt_questions, turn_number)

__all__ = ["ThreadContext", "transcript_context", "with_transcript_context", "with_context", "with_ticket_context", "ticket_threads",
           "transcript_rules", "is_agreement",
           "CONTEXT_COL", "AGREEMENT_NOTE", "INTRODUCTION_NOTE", "MODERATOR_NOTE"]

#: Column that carries ready-made context strings into :func:`tag_chunks` (dropped from outputs).
CONTEXT_COL = "_context"


class ThreadContext:
    """Per-row context strings for a stream of rows with a thread key.

    Args:
        max_turns: earlier turns kept per thread (the most recent ones).
        max_threads: threads remembered at once; the least recently seen is dropped first
            (a thread that comes back after being dropped starts without context).

    A row with no thread key (empty / NaN) is its own thread: it gets no context and
    leaves none.
    """

    def __init__(self, *, max_turns: int = CONTEXT_TURNS, max_threads: int = 100_000):
        self.max_turns = max_turns
        self.max_threads = max_threads
        self._threads: OrderedDict = OrderedDict()

    def __len__(self) -> int:
        return len(self._threads)

    def step(self, thread, text) -> str:
        """The context of this row (earlier turns of its thread), then remember the row."""
        if is_missing(thread):
            return ""
        key = str(thread)
        turns = self._threads.get(key)
        if turns is None:
            turns = self._threads[key] = deque(maxlen=self.max_turns)
            while len(self._threads) > self.max_threads:
                self._threads.popitem(last=False)
        else:
            self._threads.move_to_end(key)
        ctx = context_string(list(turns), self.max_turns)
        if not is_missing(text):
            turns.append(str(text))
        return ctx

    def turns(self, thread) -> list[str]:
        """The turns of ``thread`` remembered so far (the last ``max_turns``, oldest first)."""
        return [] if is_missing(thread) else list(self._threads.get(str(thread), ()))

    def contexts(self, threads: Iterable, texts: Iterable) -> list[str]:
        """Context strings for a batch of rows (in input order), continuing earlier batches."""
        return [self.step(k, t) for k, t in zip(threads, texts)]


def transcript_context(statements: pd.DataFrame, *, max_turns: int = CONTEXT_TURNS,
                       earlier_question: bool = True) -> list[str]:
    """Context of focus-group statements: the moderator question before the one the statement
    answers, that question (its ``prompt_turn``) and the speaker's previous statement.

    Why the question before: a follow-up ("林先生呢？", "后来怎么解决的？") names no subject, the
    question before it does (as the theme model reads questions). Measured on the keyed written
    focus groups (``benchmarks/transcript_context.py``): participant turns whose subject has a known issue
    got it right 53.3 % → 57.1 % of the time. Left out where either question is the welcome, the call
    for introductions or small talk: it would lend the first subject to the introductions.
    ``earlier_question=False`` gives the context before (question and previous statement only).

    Moderator rows get the previous moderator question as context. Rows without
    ``session``/``turn``, and rows whose ``role`` is neither moderator nor participant (the
    tickets of a ``voc split`` table: they all share the speaker '', so a ticket would
    otherwise get the ticket above it as "its previous statement"), get "".
    """
    need = {SESSION, TURN, SPEAKER, TEXT, ROLE}
    if not need <= set(statements.columns):
        return [""] * len(statements)
    roles = statements[ROLE].astype("string").str.strip().str.lower().fillna("").tolist()
    if PROMPT_TURN in statements.columns:
        questions, before = prompt_questions(statements), prompt_questions(statements, previous=True)
    else:
        questions = before = [""] * len(statements)
    last_by_speaker: dict[tuple, str] = {}
    out = []
    for s, speaker, role, text, question, earlier in zip(statements[SESSION], statements[SPEAKER], roles,
                                                         statements[TEXT], questions, before):
        if role not in (MODERATOR, PARTICIPANT):
            out.append("")
            continue
        parts = [question] if question else []
        if earlier_question and question and earlier and not any(map(_opens_no_subject, (question, earlier))):
            parts.insert(0, earlier)
        prev = last_by_speaker.get((s, speaker))
        if prev and role != MODERATOR:
            parts.append(prev)
        out.append(context_string(parts, max_turns))
        if not is_missing(text):
            last_by_speaker[(s, speaker)] = str(text)
    return out


def _opens_no_subject(question: str) -> bool:
    """The welcome, the call for introductions, or small talk: a moderator turn that sets no subject."""
    return bool(_WELCOME.search(question) or _INTRO_PROMPT.search(question)) or is_small_talk_question(question)


def with_transcript_context(chunks: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Add the :data:`CONTEXT_COL` column to statement chunks (one transcript or ticket file per chunk)."""
    for chunk in chunks:
        chunk = chunk.copy()
        chunk[CONTEXT_COL] = transcript_context(chunk) if PROMPT_TURN in chunk.columns and \
            chunk[PROMPT_TURN].notna().any() else ""
        yield chunk


def with_context(chunks: Iterable[pd.DataFrame], text_col: str, thread_col: str | None = None, where: str = ""
                 ) -> Iterator[pd.DataFrame]:
    """Statement chunks with the :data:`CONTEXT_COL` the label model reads: a focus-group
    statement's moderator question (and the one before it) and the speaker's previous statement; with ``thread_col``,
    for every other chunk, the earlier rows of each row's thread; without it, the sentences of a
    split ticket (:func:`ticket_threads`) the earlier sentences of their ticket. One
    :class:`ThreadContext` runs over all chunks in input order, so a thread or ticket split
    across chunks keeps its context.
    The one rule ``voc tag``, ``voc analyze`` and :func:`~voiceofcustomer.labels.tagging.tag` share. ``where``: the
    input (``tickets.csv: ``) a message of a ``thread_col`` the chunks lack names, when they carry no source."""
    from voiceofcustomer.errors import no_column
    from voiceofcustomer.statements import SOURCE

    if thread_col is None:
        yield from with_ticket_context(with_transcript_context(chunks), text_col)
        return
    threads = ThreadContext()
    for chunk in with_transcript_context(chunks):
        if PROMPT_TURN in chunk.columns and chunk[PROMPT_TURN].notna().any():
            yield chunk  # transcripts keep their question context
            continue
        if thread_col not in chunk.columns:
            named = f"{chunk[SOURCE].iloc[0]}: " if SOURCE in chunk.columns and len(chunk) else where
            raise no_column(named, thread_col, [c for c in map(str, chunk.columns) if c != CONTEXT_COL],
                            "thread_col")
        chunk[CONTEXT_COL] = threads.contexts(chunk[thread_col].tolist(), chunk[text_col].tolist())
        yield chunk


def with_ticket_context(chunks: Iterable[pd.DataFrame], text_col: str, threads: ThreadContext | None = None,
                        ends: dict | None = None) -> Iterator[pd.DataFrame]:
    """Chunks whose split-ticket sentences (:func:`ticket_threads`) carry the earlier sentences of
    their ticket in :data:`CONTEXT_COL`; other rows keep the context they have (none, or a
    transcript's). ``threads`` may come primed with the sentences before the first chunk (the
    Dask engine's partition that begins inside a ticket); ``ends`` receives the ticket key of the
    first and of the last row (``"first"``, ``"last"``; ``None`` for a row of no ticket)."""
    threads = threads if threads is not None else ThreadContext()
    first = True
    for chunk in chunks:
        if CONTEXT_COL not in chunk.columns:
            chunk = chunk.assign(**{CONTEXT_COL: ""})
        keys = ticket_threads(chunk)
        if keys is not None:  # a ticket's sentences read with the sentences before them
            ctx = threads.contexts(keys, chunk[text_col].tolist())
            chunk[CONTEXT_COL] = [c if k is not None else old for k, c, old in zip(keys, ctx, chunk[CONTEXT_COL])]
        if ends is not None and len(chunk):
            if first:
                ends["first"] = keys[0] if keys else None
                first = False
            ends["last"] = keys[-1] if keys else None
        yield chunk


def ticket_threads(chunk: pd.DataFrame) -> list | None:
    """The thread key of each sentence of a split ticket (``source`` and ``ticket_id``; ``None`` for
    any other row), or ``None`` when the chunk holds none.

    Why: ``voc split`` cuts a ticket into sentences, and "请尽快处理。", "等你们回电。" read alone
    lose the subject the ticket's first sentence gives; the taxonomy gives a follow-up the labels
    of its subject when the thread is known, and a split ticket is its sentences' thread. A split
    ticket's row is one of a statements table (``statement_id``, ``role``, ``ticket_id`` columns)
    with a ``ticket_id`` and no transcript role; a raw export tagged row by row (one statement
    per ticket: no ``statement_id``/``role``) is left as it is. The source is part of the key:
    two exports of one run may both hold a ticket ``T001``.
    """
    from voiceofcustomer.statements import ROLE, SOURCE, STATEMENT_ID, TICKET_ID

    if not {STATEMENT_ID, ROLE, TICKET_ID} <= set(chunk.columns) or not len(chunk):
        return None
    roles = chunk[ROLE].astype("string").str.strip().fillna("")
    sources = chunk[SOURCE].tolist() if SOURCE in chunk.columns else [""] * len(chunk)
    keys = [None if role or is_missing(t) else f"{'' if is_missing(s) else s}\x1f{t}"
            for role, s, t in zip(roles, sources, chunk[TICKET_ID])]
    return keys if any(k is not None for k in keys) else None


# -- focus groups: the guide's transcript rules (R6 introductions and small talk, R7 agreement) ---
#: A statement that opens by agreeing ("对，我也是", "确实", "同意P2说的", "这个我深有体会").
_AGREEMENT = re.compile(
    r"^[嗯啊哎唉呃]*[，,。.！!、\s]*(?:对+|是的|是啊|是呀|是呢|是这样|没错|确实|的确|同意|赞同|附议|可不是|就是就是|就是这样|"
    r"一样|我也(?:是|一样|遇到过|碰到过|有同感|这么觉得|觉得|深有体会|有体会)|我们也(?:是|一样)|深有体会|有同感|"
    r"这个我(?:同意|深有体会|最有发言权|也遇到过)|\S{1,6}说得(?:对|没错|是)|\+1|"
    r"我们?(?:更|也)(?:夸张|离谱|惨|严重|过分|差)|(?:我们?|咱们?)\S{0,4}也(?:是|一样)|"
    r"(?:这个|这事|这种事|这块)?我(?:也|最|可)?(?:有话(?:要)?(?:说|讲)|有体会|碰上过|碰到过|遇到过|遇上过|经历过)|"
    r"我也是?想(?:说|讲)|我(?:先|来)说|我(?:补充|插)一?(?:句|下)|我说两句)")
#: A moderator prompt for self-introductions: the answers describe the speaker, not the service (guide R6).
_INTRO_PROMPT = re.compile(r"介绍一?下|自我介绍|认识一?下|介绍介绍|说说(?:自己|您自己)")
INTRODUCTION_NOTE = "introduction or small talk (guide R6)"
#: Words of the operator's service: small talk with none of them is no judgement of service.
_SERVICE = re.compile(r"营业厅|客服|热线|套餐|宽带|信号|流量|话费|资费|账单|扣费|网速|网络|光猫|路由|装机|报修|维修|师傅|"
                      r"运营商|移动|联通|电信|100\d\d|app|APP|营业员|工作人员|业务|手机卡|号码|专线")
#: Words that voice a judgement of service: an introduction with one keeps the model's labels.
_JUDGEMENT = re.compile(r"不好|不行|太差|很差|真差|差劲|慢|贵|麻烦|头疼|烦|投诉|毛病|不满|满意|好用|难用|不方便|挺方便|不错|失望|"
                        r"坑|乱扣|多扣|断网|断线|断了|老断|掉线|没信号|信号差|不稳定|卡顿|太卡|垃圾|气人|离谱|吐槽|郁闷|"
                        r"才恢复|修不好|没修好|没解决|催了?好几|"
                        # the words a complaint is told in before any question (found by a new user: "我家宽带一到
                        # 晚上八点就卡…" after a welcome naming the subject was wiped with 7 of 11 such complaints)
                        r"[就很老总又特别太真贼巨]卡|卡得|卡死|卡成|(?:老是|总是|经常|动不动就?|三天两头)断|"
                        r"多(?:扣|收|出|了)了?.{0,4}[块元]|拖了|等了.{0,6}(?:天|礼拜|星期|个月)|没人(?:管|理|来)|打不通|上不了网")
#: The welcome and the recording notice name the session's subject ("今天聊聊大家用手机、网络的体验")
#: but open no discussion.
_WELCOME = re.compile(r"欢迎|我是.{0,8}主持|各位.{0,2}好|大家.{0,2}好|[上下晚]午好|录音|辛苦大家")
#: Small talk a moderator opens with (weather, the journey, the family): the model may read a
#: subject into "今天外头好大的雾哦，大家过来还顺利嘛？", but it starts no discussion.
_SMALL_TALK = re.compile(r"天气|下雨|下雪|降温|好冷|好热|挺冷|挺热|雾|路上|堵车|过来.{0,6}顺|吃饭|孩子|娃|放假|假期|周末")
#: A participant taking leave ("谢谢，我得赶紧走了"): small talk wherever it comes (R6).
_LEAVING = re.compile(r"(?:先|得|要|赶紧|该)走了|再见|拜拜|下次再聊")


def is_small_talk_question(text) -> bool:
    """A moderator's small talk: words of weather, the journey or the family and no service word."""
    t = str(text)
    return bool(_SMALL_TALK.search(t)) and not _SERVICE.search(t)


#: A moderator asking for talk: a question mark or a word of asking (not the welcome's "想听听…感受").
_ASKING = re.compile(r"[？?]|谈谈|聊聊|说说|讲讲|怎么样|如何|感觉|体验|看法|评价")


def asks_about_service(text) -> bool:
    """A moderator turn that opens a subject by itself ("请谈谈专线的使用情况。"): it asks, names a
    service, and is not the call for introductions. Why: the discussion starts at the first such
    turn even where the model read the question as having no subject (found by a new user: the
    answers to a first question the model called ``none`` were all taken for small talk)."""
    t = str(text)
    if not (_ASKING.search(t) and _SERVICE.search(t)) or _INTRO_PROMPT.search(t):
        return False
    if not _WELCOME.search(t):
        return True
    # a welcome that ends by asking the first question ("大家好…今天聊聊家里的宽带，哪位先说？"): the
    # answers are the discussion (found by a new user: they were all taken for small talk)
    last = _SENTENCE.findall(t)[-1]
    clauses = _CLAUSE.split(last)
    welcomes = [k for k, c in enumerate(clauses) if _WELCOME.search(c)]
    if welcomes:  # "大家好，先说说家里宽带用得怎么样？": what follows the greeting asks about a service (found in a
        # Python-API QA pass: the answers to that first question were all taken for small talk, unflagged)
        last = "，".join(clauses[welcomes[-1] + 1:])
        if not _SERVICE.search(last):  # "大家好，全程录音，大家看行不？" asks for consent
            return False
    return bool(_ASKS_FOR_ANSWERS.search(last)) and not is_small_talk_question(last)


_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]*")
_CLAUSE = re.compile(r"[，,]")
#: The end of a moderator turn that waits for answers: a question, or a call for the first speaker.
_ASKS_FOR_ANSWERS = re.compile(r"[？?]|哪位|谁先|谁来")


AGREEMENT_NOTE = "labels from the statement it agrees with (guide R7)"
MODERATOR_NOTE = "a moderator's question is neutral (guide C14)"


def is_agreement(text) -> bool:
    """True for a statement that opens by agreeing with what was just said."""
    return isinstance(text, str) and bool(_AGREEMENT.match(text.strip()))


def transcript_rules(tagged: pd.DataFrame) -> pd.DataFrame:
    """The annotation guide's rules that need a transcript's structure, applied after the model.

    R6, introductions and small talk: a participant's statement before the discussion starts
    (before the first moderator turn that asks about a service or that the model finds a subject
    in, small talk aside: welcome, consent, the round of introductions, "今天降温了，路上还顺利吧？"),
    one answering the call for introductions, or one taking leave ("谢谢，我得赶紧走了")
    is ``none / none / other / neutral`` unless it judges the operator's service (a service word
    and a word of praise or complaint: "用了八年了，信号一直不好"). The model reads the words:
    "家里是融合套餐，两部手机加宽带" looks like a product, "二环堵得厉害" like a complaint.

    R7, agreement: a statement that opens by agreeing and in which the model found no subject
    (``servqual=none``) takes the labels of what it agrees with, in order: the rest of its own
    turn ("这个我最有发言权。" then the story), the previous participant's statement under the
    same question, or the question itself. Only a source with a subject is used; a reply to
    small talk stays ``none``.

    C14, the moderator: a moderator's question takes its topic's labels with stance ``neutral``
    (it reports no experience; "那营业厅呢？" is no complaint). Moderator rows are never counted,
    but they are shown, and R7 may give a question's labels to a reply.

    The row's ``note`` names the rule, so a reviewer sees it. Rows are in transcript order
    (as ``voc split`` writes them); tables without ``prompt_turn`` come back as they are.
    """
    need = {SESSION, TURN, ROLE, PROMPT_TURN, TEXT, *LABEL_COLUMNS}
    if not need <= set(tagged.columns) or not tagged[PROMPT_TURN].notna().any():
        return tagged
    role = tagged[ROLE].astype("string").str.strip().str.lower().fillna("").to_numpy(dtype=object)
    sq = tagged[FIELDS[0]].astype("string").fillna("").to_numpy(dtype=object)
    texts = tagged[TEXT].to_numpy(dtype=object)
    session = tagged[SESSION].to_numpy(dtype=object)
    turn = [turn_number(t) for t in tagged[TURN]]
    prompt = [turn_number(t) for t in tagged[PROMPT_TURN]]
    questions = prompt_questions(tagged)
    whole: dict = {}  # (session, turn) -> the moderator's whole turn: a welcome is judged as one
    for i in range(len(tagged)):
        if role[i] == MODERATOR:
            whole[session[i], turn[i]] = whole.get((session[i], turn[i]), "") + str(texts[i])
    starts: dict = {}  # session -> the first moderator turn with a subject
    for i in range(len(tagged)):
        said = whole.get((session[i], turn[i]), "")
        if role[i] == MODERATOR and turn[i] is not None and (
                (sq[i] not in ("", "none") and not is_small_talk_question(said) and not _WELCOME.search(said))
                or asks_about_service(said)):
            starts[session[i]] = min(starts.get(session[i], turn[i]), turn[i])

    def before_discussion(i: int) -> bool:
        return session[i] in starts and turn[i] is not None and turn[i] < starts[session[i]]

    def judges_service(i: int) -> bool:
        t = str(texts[i])
        return bool(_SERVICE.search(t)) and bool(_JUDGEMENT.search(t))

    small = [i for i in range(len(tagged)) if role[i] == PARTICIPANT and sq[i] != "none" and not judges_service(i)
             and (before_discussion(i) or (bool(questions[i]) and bool(_INTRO_PROMPT.search(questions[i])))
                  or bool(_LEAVING.search(str(texts[i]))))]
    todo = [i for i in range(len(tagged)) if role[i] == PARTICIPANT and sq[i] == "none" and is_agreement(texts[i])]
    stance = tagged[FIELDS[3]].astype("string").fillna("").to_numpy(dtype=object)
    asking = [i for i in range(len(tagged)) if role[i] == MODERATOR and stance[i] not in ("", "neutral")]
    if not todo and not small and not asking:
        return tagged
    out = tagged.copy()
    for i in asking:
        out.iat[i, out.columns.get_loc(FIELDS[3])] = "neutral"
        _note(out, i, MODERATOR_NOTE)
    for i in small:
        for f, v in zip(FIELDS, NO_SERVICE_CONTENT):
            out.iat[i, out.columns.get_loc(f)] = v
        _note(out, i, INTRODUCTION_NOTE)
        sq[i] = "none"
    cols = [out.columns.get_loc(c) for c in LABEL_COLUMNS]
    for i in todo:
        src = _agreed_with(i, session, turn, prompt, role, sq)
        if src is None:
            continue
        for c in cols:
            out.iat[i, c] = out.iat[src, c]
        _note(out, i, AGREEMENT_NOTE)
        sq[i] = sq[src]
    return out


def _note(out: pd.DataFrame, i: int, why: str) -> None:
    if NOTE in out.columns:
        old = out.iat[i, out.columns.get_loc(NOTE)]
        out.iat[i, out.columns.get_loc(NOTE)] = f"{old}; {why}" if isinstance(old, str) and old else why


def _agreed_with(i: int, session, turn, prompt, role, sq) -> int | None:
    same_turn = [j for j in range(i + 1, len(sq)) if session[j] == session[i] and turn[j] == turn[i]]
    for j in same_turn:
        if sq[j] not in ("", "none"):
            return j
    for j in range(i - 1, -1, -1):
        if session[j] != session[i] or prompt[j] != prompt[i] or role[j] == MODERATOR:
            break
        if role[j] == PARTICIPANT and sq[j] not in ("", "none"):
            return j
    for j in range(i - 1, -1, -1):  # the question itself
        if session[j] == session[i] and turn[j] == prompt[i] and role[j] == MODERATOR and sq[j] not in ("", "none"):
            return j
        if session[j] != session[i] or (turn[j] is not None and prompt[i] is not None and turn[j] < prompt[i]):
            break
    return None
