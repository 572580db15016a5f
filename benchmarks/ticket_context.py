"""Split tickets read with their ticket: labels and tagging time with and without the ticket context.

    python benchmarks/ticket_context.py [--rows 20000] [--runs 2] [-o OUT]

`voc split` cuts a ticket into sentences; "请尽快处理。", "希望给个说法。" read alone lose the subject
the ticket's first sentence gives. Since the ticket is their thread, each sentence is tagged with the
earlier sentences of its ticket (labels.context.with_ticket_context). Input: the written export
tests/data/tickets_six_subjects.csv (400 tickets, 6 subjects in the column `subject`; no real text).
"Without" tags the same statements table with its `ticket_id` column left out, which is how every
route tagged a split ticket before. Counts, for the sentences that are not their ticket's first:
the issue equals the ticket's subject (broadband→broadband, billing→billing, queue→efficiency,
attitude→attitude, signal→signal, vas→marketing), equals the issue of the ticket's first sentence,
and servqual=none; separately for the follow-ups with no subject of their own (FOLLOW_UPS).
Time: CPU seconds of `tag_table(..., n_jobs=1)` on a split table of ``--rows`` sentences (the 400
tickets repeated under new ids, each text made distinct), with and without the ticket context, runs
alternating.
Results: benchmarks/results/ticket_context.json.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from _common import REPO, save

SUBJECT_ISSUE = {"broadband": "broadband", "billing": "billing", "queue": "efficiency", "attitude": "attitude",
                 "signal": "signal", "vas": "marketing"}
#: The written export's sentences that name no subject of their own (a request, a chase, a reproach).
FOLLOW_UPS = {"等你们回电。", "请你们重视一下。", "要求给个解释。", "希望给个说法。", "请尽快处理。", "已经不是第一次了。",
              "麻烦尽快回复。"}


def _counts(tagged: pd.DataFrame, subject: dict) -> dict:
    pos = tagged.groupby("ticket_id", sort=False).cumcount()
    first = tagged[pos == 0].set_index("ticket_id")["issue"]
    later = tagged[pos > 0]
    want = later["ticket_id"].map(subject).map(SUBJECT_ISSUE)
    out = {}
    for name, rows in (("later", later.index), ("follow_ups", later.index[later["text"].isin(FOLLOW_UPS)])):
        r = later.loc[rows]
        out[name] = {"rows": len(r), "issue_is_subject": int((r["issue"] == want[rows]).sum()),
                     "issue_as_first": int((r["issue"] == r["ticket_id"].map(first)).sum()),
                     "servqual_none": int((r["servqual"] == "none").sum())}
    firsts = tagged[pos == 0]
    out["first"] = {"rows": len(firsts),
                    "issue_is_subject": int((firsts["issue"] == firsts["ticket_id"].map(subject)
                                             .map(SUBJECT_ISSUE)).sum())}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("-o", "--out", default="ticket_context.json", help="a name (under benchmarks/results/) or a path with a folder (as given)")
    args = ap.parse_args()
    import voiceofcustomer as voc
    from voiceofcustomer.labels.tagging import load_fast_model
    from voiceofcustomer.labels.workflow import tag_table

    path = REPO / "tests" / "data" / "tickets_six_subjects.csv"
    raw = pd.read_csv(path, dtype=str)
    subject = dict(zip(raw["工单编号"], raw["subject"]))
    table = pd.concat(list(voc.split_inputs([path], text_col="投诉内容", id_col="工单编号")), ignore_index=True)
    model = load_fast_model()
    with_ctx = voc.tag(table, model=model)
    without = voc.tag(table.drop(columns="ticket_id"), model=model).assign(ticket_id=table["ticket_id"])
    result = {"statements": len(table), "tickets": int(table["ticket_id"].nunique()),
              "without": _counts(without, subject), "with": _counts(with_ctx, subject)}
    # a thank-you or another turn with no content of its own stays none / none / other / neutral
    thanks = voc.tag(pd.DataFrame({"statement_id": ["a-s01", "a-s02"], "role": "", "ticket_id": "a",
                                   "text": ["家里宽带天天晚上断网。", "好的，谢谢。"]}), model=model)
    result["thank_you_after_a_fault"] = thanks.loc[1, ["servqual", "demand", "issue", "stance"]].tolist()

    copies = -(-args.rows // len(table))
    # every text made distinct (a copy number in front): repeats are labelled once, which would hide the cost
    big = pd.concat([table.assign(ticket_id=table["ticket_id"] + f"-{k}", statement_id=table["statement_id"] + f"-{k}",
                                  text=f"第{k}单，" + table["text"]) for k in range(copies)],
                    ignore_index=True).iloc[:args.rows]
    times: dict = {"without": [], "with": []}
    with tempfile.TemporaryDirectory() as tmp:
        for name, frame in (("with", big), ("without", big.drop(columns="ticket_id"))):
            frame.to_csv(Path(tmp) / f"{name}.csv", index=False)
        for _ in range(args.runs):
            for name in ("without", "with"):
                t0 = time.process_time()
                tag_table(Path(tmp) / f"{name}.csv", Path(tmp) / f"{name}-out.csv", n_jobs=1, restart=True)
                times[name].append(round(time.process_time() - t0, 2))
    result["tag_cpu_seconds"] = {"rows": len(big), **times,
                                 **{f"{k}_median": statistics.median(v) for k, v in times.items()}}
    print(result)
    print("written", save(args.out, result))


if __name__ == "__main__":
    main()
