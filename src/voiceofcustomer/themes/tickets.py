"""The sentences of a split ticket that only ever follow another subject take their ticket's theme.

Why: ``voc analyze`` and ``voc themes`` split a ticket export into sentences, and a ticket's
closing request, escalation threat or account of the handling ("请尽快处理。", "再不解决就投诉到工信部。",
"客服让我等通知，等了一个星期。") is a sentence of its own. Such sentences come in a few wordings that
recur under every subject, so they cluster together and form themes of their own (回电, 重视, 解释,
工信部、投诉): on written exports with six known subjects, 6 of 10 themes were such formulas and
only 4 subjects were found (``benchmarks/themes_granularity.py --unit statement``; docs/themes.md).

A cluster is a *follow-up cluster* when its statements almost never open their ticket and the
tickets they close are about many different subjects: no one theme holds most of the tickets'
openings. Its statements are left out of the clustering (which then runs again on the rest), and
each statement nearer to a follow-up centroid than to its theme takes the theme of its ticket's
first statement that has a subject of its own; a ticket with none stays 未归类. A subject that
opens tickets of its own (a billing complaint that also follows a broadband fault) is not one.

A following sentence with no content word at all ("请尽快处理。", "已经不是第一次了。": stop words only) has no
embedding to be near anything; it takes its ticket's theme too (:func:`wordless_anchors`), where it stayed
未归类 (*no content words*) while "客户情绪激动，要求回电。" took its theme — a ticket counted in its theme once or
twice by the formula the agent typed.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from voiceofcustomer import statements as S
from voiceofcustomer.text.sections import OPENER

#: At most this share of a follow-up cluster's statements open their ticket.
LEAD_SHARE_MAX = 0.15
#: The theme that opens most of a follow-up cluster's tickets opens fewer than this share of them.
LEAD_CONCENTRATION_MAX = 0.5
#: A follow-up cluster has at least this many statements that follow another one in their ticket.
MIN_FOLLOWING = 10
#: how a ticket's writer opens the customer's words at a sentence's start (``text.sections.OPENER``: 用户反映,
#: 客户来电反映, 客户称, 用户来电表示, 客户投诉, 该用户来电咨询称 …, and the comma or space after it)
_OPENER_AT_START = re.compile(rf"(?:^|(?<=[。！？!?；;\n]))\s*该?(?:{OPENER})[称稱说說]?(?![呼謂谓])[，,：:、\s]*")


def without_openers(texts: list, df: pd.DataFrame) -> list:
    """The texts the themes cut into key phrases of ``df``'s rows: a ticket's (no ``role``) without its writer's
    openers at a sentence's start (``客户来电投诉营业厅排队等了一个多小时`` → ``营业厅排队等了一个多小时``), which are the same
    under every subject and made key phrases and theme names (投诉营业厅、排队) of 投诉 (or 反应, a typo of 反映). A
    transcript's turn is left as said; the embeddings and the labels read the text as it is."""
    ticket = ((df[S.ROLE].astype("string").str.strip().fillna("") == "").to_numpy(dtype=bool)
              if S.ROLE in df.columns else np.ones(len(df), dtype=bool))
    return [_OPENER_AT_START.sub("", t) if is_ticket and isinstance(t, str) else t
            for t, is_ticket in zip(texts, ticket)]


#: ``reason`` / ``topic_reason`` of a statement that took its ticket's theme (or stays 未归类 when the
#: ticket has no statement with a subject of its own).
FOLLOWS_TICKET = "follows its ticket"


def ticket_keys(df: pd.DataFrame, rows: np.ndarray, is_ticket: np.ndarray, col: str = S.TICKET_ID) -> np.ndarray | None:
    """Per row of ``rows``, the ticket it is a sentence of (``source`` + ``col``: ``ticket_id``, or a
    thread column whose equal values make one conversation), or None when it is not a ticket's
    sentence or its ticket has no other row among ``rows``. None when no row is."""
    if col not in df.columns or not len(rows):
        return None
    tid = df[col].to_numpy(dtype=object)[rows]
    src = df[S.SOURCE].astype("string").fillna("").to_numpy(dtype=object)[rows] if S.SOURCE in df.columns \
        else np.full(len(rows), "", dtype=object)
    ok = is_ticket & pd.notna(tid) & (pd.Series(tid, dtype="string").fillna("").str.strip() != "").to_numpy(bool)
    keys = np.array([f"{s}\x1f{t}" if k else None for s, t, k in zip(src, tid, ok)], dtype=object)
    counts = pd.Series(keys[ok]).value_counts()
    multi = set(counts.index[counts >= 2].tolist())
    if not multi:
        return None
    return np.array([k if k in multi else None for k in keys], dtype=object)


def _leads(keys: np.ndarray) -> np.ndarray:
    """True where a row is the first of its ticket (rows in input order)."""
    seen: set = set()
    lead = np.zeros(len(keys), dtype=bool)
    for i, k in enumerate(keys.tolist()):
        if k is not None and k not in seen:
            seen.add(k)
            lead[i] = True
    return lead


def followup_clusters(keys: np.ndarray, labels: np.ndarray, *, lead_share_max: float = LEAD_SHARE_MAX,
                      concentration_max: float = LEAD_CONCENTRATION_MAX,
                      min_following: int = MIN_FOLLOWING) -> tuple[list[int], dict]:
    """The follow-up clusters among ``labels`` (-1 noise), and per cluster what was measured.

    ``keys``: :func:`ticket_keys` of the same rows (None: not a sentence of a split ticket)."""
    in_ticket = np.array([k is not None for k in keys.tolist()], dtype=bool)
    lead = _leads(keys)
    lead_label = {k: int(c) for k, c, is_lead in zip(keys.tolist(), labels.tolist(), lead.tolist()) if is_lead}
    found, measured = [], {}
    for c in np.unique(labels[labels >= 0]).tolist():
        members = labels == c
        following = members & in_ticket & ~lead
        n_following = int(following.sum())
        if n_following < min_following:
            continue
        # every member that opens its ticket counts, also a ticket of one sentence
        share = float((members & (lead | ~in_ticket)).sum() / members.sum())
        openers = pd.Series([lead_label[k] for k in keys[following].tolist()])
        openers = openers[(openers >= 0) & (openers != c)]
        concentration = float(openers.value_counts(normalize=True).iloc[0]) if len(openers) else 1.0
        measured[int(c)] = {"statements": int(members.sum()), "opening_share": round(share, 3),
                            "top_opening_theme_share": round(concentration, 3)}
        if share <= lead_share_max and concentration < concentration_max:
            found.append(int(c))
    return found, measured


def pooled_followups(keys: np.ndarray, fine: np.ndarray, *, lead_share_max: float = LEAD_SHARE_MAX,
                     min_following: int = MIN_FOLLOWING) -> tuple[list[int], dict]:
    """The fine clusters (``fine``, -1 none) that a coarse level grouped and that, together, only ever follow
    another subject: each almost never opens its ticket (``lead_share_max``), and pooled they have at least
    ``min_following`` following statements, in tickets opened by more than one fine cluster (not one subject's
    own follow-ups). Returns their ids (or none) and what was measured of the pool.

    Why pooled, and on the fine clusters: a small export's handling sentences and closing requests come in a dozen
    wordings, which the fine level cuts into clusters of 5–14 statements (each under ``min_following``), and the
    coarse level then groups each with the subjects it resembles (客服, 营业厅: 60 written tickets of six subjects,
    half with a handling sentence, came out as 3 themes holding both, 营业厅、投诉, 回电、回复, 解释、说法), where
    no theme is a follow-up cluster any more (its statements open 70 % of their tickets). A cluster that never
    opens a ticket is no subject whatever it says, so such clusters are judged together, before any grouping.
    Why not "no one theme opens most of their tickets" (:func:`followup_clusters`): the formulas take so many of a
    small export's fine clusters that its subjects share the rest (six subjects in 3 fine clusters, one opening 55 %
    of the pool's tickets), and a sentence set aside takes its own ticket's theme, whatever the others'; so a
    cluster of one subject's details that never opens a ticket goes back to that subject."""
    in_ticket = np.array([k is not None for k in keys.tolist()], dtype=bool)
    lead = _leads(keys)
    candidates = []
    for c in np.unique(fine[fine >= 0]).tolist():
        members = fine == c
        opening = float((members & (lead | ~in_ticket)).sum() / members.sum())
        if opening <= lead_share_max and (members & in_ticket & ~lead).any():
            candidates.append(int(c))
    if not candidates:
        return [], {}
    pool = int(fine.max()) + 1
    found, measured = followup_clusters(keys, np.where(np.isin(fine, candidates), pool, fine),
                                        lead_share_max=lead_share_max, concentration_max=1.0,
                                        min_following=min_following)
    return (candidates if pool in found else []), dict(measured.get(pool, {}), fine_clusters=len(candidates))


#: ``reason`` of a statement with no content word (``ThemeModel._prepare``).
NO_CONTENT = "no content words"


def wordless_anchors(keys: np.ndarray | None, reason: np.ndarray, themed: np.ndarray) -> np.ndarray:
    """Per row, the row whose theme it takes (-1: none): a sentence of a split ticket with no content word
    that is not its ticket's first takes that of its ticket's first sentence with a subject of its own
    (``reason`` empty) and a theme (``themed``). ``keys``: :func:`ticket_keys` of all the rows."""
    anchors = np.full(len(reason), -1, dtype=int)
    if keys is None:
        return anchors
    lead = _leads(keys)
    anchor: dict = {}
    for i, k in enumerate(keys.tolist()):
        if k is not None and reason[i] == "" and themed[i] and k not in anchor:
            anchor[k] = i
    for i, k in enumerate(keys.tolist()):
        if k is not None and not lead[i] and reason[i] == NO_CONTENT and k in anchor:
            anchors[i] = anchor[k]
    return anchors


def follow_wordless(keys: np.ndarray | None, reason: np.ndarray, themed: np.ndarray, *columns: np.ndarray) -> None:
    """In place: each row :func:`wordless_anchors` gives an anchor takes that row's values of ``columns`` (theme,
    sub-theme, ``topic_conf`` of all the rows) and ``reason`` :data:`FOLLOWS_TICKET`."""
    anchors = wordless_anchors(keys, reason, themed)
    rows = np.flatnonzero(anchors >= 0)
    for col in columns:
        col[rows] = col[anchors[rows]]
    reason[rows] = FOLLOWS_TICKET


def inherit(keys: np.ndarray | None, follows: np.ndarray, topics: np.ndarray, sub: np.ndarray,
            conf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``topics, sub, conf`` with each following row given those of its ticket's first row that has a
    theme and is not following (-1 when there is none)."""
    if keys is None or not follows.any():
        return topics, sub, conf
    topics, sub, conf = topics.copy(), sub.copy(), conf.copy()
    anchor: dict = {}
    for i, k in enumerate(keys.tolist()):
        if k is not None and not follows[i] and topics[i] >= 0 and k not in anchor:
            anchor[k] = i
    for i in np.flatnonzero(follows):
        a = anchor.get(keys[i])
        topics[i], sub[i], conf[i] = (topics[a], sub[a], conf[a]) if a is not None else (-1, -1, np.nan)
    return topics, sub, conf
