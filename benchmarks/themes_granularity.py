"""Theme granularity on small ticket exports: do clearly different subjects come out as themes?

    python benchmarks/themes_granularity.py [--sizes 300 600 1200] [--seeds 7 11] [-o themes_granularity.json]
    # the code before (its ThemeModel, its defaults): git archive <commit> src | tar -x -C /tmp/before
    PYTHONPATH=/tmp/before/src python benchmarks/themes_granularity.py -o themes_granularity_before.json
    python benchmarks/themes_granularity.py --write-fixture tests/data/tickets_six_subjects.csv

Data: written ticket exports made here from templates (no real customer text): six subjects a
complaint desk keeps apart — broadband faults, billing (乱扣费), store queues, staff attitude,
signal in lifts and car parks, value-added-service subscriptions — plus thank-you rows, each ticket
keyed with its subject. Every ticket is an opener, a complaint of its subject (several wordings)
with a detail, and a request, so no two subjects share a sentence and the words of one subject
vary from ticket to ticket. The same seed gives the same export.

Per size and seed: the export goes through ``voc themes``'s reading and ``ThemeModel`` with the default
settings; reported are the theme count, the subjects found (a subject whose most frequent theme
holds more of it than of any other subject and is not 未归类), the adjusted Rand index of the
subject tickets placed on a theme, and the clustering's own record (fine k, coarse level).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from _common import save
from sklearn.metrics import adjusted_rand_score

from voiceofcustomer.themes import ThemeModel
from voiceofcustomer.themes.pipeline import load_inputs

OPENERS = ["", "", "", "你好，", "您好，", "我是老用户了，", "反映一个问题：", "投诉：", "再次反映，", "麻烦看一下，",
           "客户来电反映，", "客户称", "我想问一下，", "真的受不了了，"]
REQUESTS = ["", "", "请尽快处理。", "希望给个说法。", "麻烦尽快回复。", "要求给个解释。", "请你们重视一下。",
            "已经不是第一次了。", "等你们回电。", "再不解决我就要投诉到工信部了。", "谢谢。"]

#: subject → (complaints, details); a ticket takes one of each.
SUBJECTS: dict[str, tuple[list[str], list[str]]] = {
    "broadband": (
        ["家里宽带每天晚上都断网", "宽带老是掉线", "光猫的灯一直闪红灯，上不了网", "宽带网速特别慢，视频一直卡",
         "家里的网从昨天开始就连不上", "报修宽带三天了还没人上门", "宽带隔一会儿就断一次", "路由器重启了好几次还是没网",
         "光纤宽带一到晚上就卡得不行", "装的两百兆宽带测速只有十几兆", "宽带故障报修了没人管", "家里wifi经常断开"],
        ["孩子上网课都受影响", "在家办公开会老是掉线", "重启光猫也没用", "维修师傅说线路老化但一直不来换",
         "打客服电话说在排查", "月租一分没少交", "邻居家也一样", "打游戏延迟好几百"]),
    "billing": (
        ["这个月话费莫名其妙多扣了五十块", "乱扣费，账单上多了好几项看不懂的费用", "套餐外的费用根本没用过却扣了钱",
         "每个月都多扣我十几块钱", "话费余额突然少了一百多", "账单金额和套餐说的对不上", "充的话费没几天就被扣完了",
         "已经销户的号码还在扣月租", "明明办的是五十八的套餐却按八十八收", "查详单发现有重复扣费",
         "国际漫游费扣得莫名其妙", "流量没超却收了超出的费用"],
        ["要求把多扣的钱退回来", "客服说查不到原因", "问了三次都说是系统问题", "这是乱收费",
         "详单里根本看不出是什么钱", "退费说要等一个月", "银行卡自动代扣没提醒", "答应退款一直没到账"]),
    "queue": (
        ["营业厅排队排了一个多小时", "去营业厅办业务，前面还有三十多个号", "周末去营业厅人多得不行，就开了一个窗口",
         "营业厅取号后等了快两个小时", "办个补卡要排长队", "营业厅窗口开得太少了", "叫号半天不动",
         "下午去营业厅，排队的人排到门口", "营业厅只有两个窗口在办业务", "午休时间窗口全关了，大家都在干等"],
        ["老人站着等了很久", "请假去的，半天就这么没了", "自助机也坏了", "VIP窗口空着也不给用",
         "取号机还经常出故障", "等到下班也没轮上", "休息区连个座位都没有", "能不能多开几个窗口"]),
    "attitude": (
        ["营业员态度很差，问什么都不耐烦", "工作人员爱答不理，一直在玩手机", "柜台的服务员说话很冲",
         "营业员对老人很没有耐心", "问了两句工作人员就翻白眼", "客服人员态度恶劣，直接挂我电话",
         "店员说话阴阳怪气的", "工作人员互相推脱，没人愿意管", "营业员当着客户的面骂人", "服务人员脸色难看，语气很凶"],
        ["希望加强员工培训", "要求这个员工道歉", "我记下了工号", "服务意识太差了", "这样的服务谁还愿意来",
         "问个问题像欠他钱一样", "旁边的客户也看不下去", "服务态度需要整改"]),
    "signal": (
        ["一进电梯手机就没信号", "地下车库完全没有信号", "小区电梯里打电话总是断", "停车场里信号一格都没有",
         "在地下室手机显示无服务", "电梯里电话打不出去", "地库里扫码付停车费都扫不了", "电梯一关门通话就中断",
         "商场地下停车场信号很差", "车库出口缴费时手机没网"],
        ["被困电梯时都没法求救", "其他运营商的手机有信号", "物业说要找运营商装信号设备", "每天上下班都遇到",
         "建议在地下加装基站", "打电话要跑到地面上", "家里老人坐电梯联系不上", "希望增强覆盖"]),
    "vas": (
        ["没经过我同意就开通了增值业务", "莫名其妙订了一个视频会员包月", "手机上被开通了彩铃业务",
         "被订阅了好几个我不知道的增值服务", "有个包月的游戏业务我根本没订过", "短信点了一下就被订了包月服务",
         "退订增值业务怎么都退不掉", "每月扣十元的音乐会员不是我开的", "业务办理时被捆绑开了增值包",
         "发现开通了一个流量加速包月业务"],
        ["要求退订并退还费用", "发短信退订没反应", "客服说是我自己点的", "希望以后开通要我确认",
         "查了半天才知道是什么业务", "已经扣了好几个月", "家里老人的手机也被开了", "要求取消所有增值业务"]),
}
THANKS = ["好的，谢谢", "已经解决了，谢谢", "谢谢你们", "收到，谢谢", "好的好的，辛苦了", "问题已处理，感谢",
          "谢谢客服", "明白了，谢谢", "好的知道了", "非常感谢"]
#: What happened when the customer asked, said of any subject (the words subjects share in real exports:
#: 客服, 营业厅, 钱, 投诉).
HANDLING = ["打10000号说帮我登记，结果一直没下文", "在营业厅问了也没人说得清", "客服让我等通知，等了一个星期",
            "投诉了两次都没人回电话", "钱照扣，问题一点没解决", "网上营业厅提交了工单也没人处理", "客服每次都换个人，重新说一遍",
            "说好的二十四小时内回复，到现在也没消息", "营业厅让我打客服，客服又让我去营业厅", "app上的在线客服全是机器人"]
#: share of subject tickets that also say how their complaint was handled
HANDLING_SHARE = 0.5
#: share of thank-you rows in an export
THANKS_SHARE = 0.05


def ticket(rng: random.Random, subject: str) -> str:
    complaints, details = SUBJECTS[subject]
    text = f"{rng.choice(OPENERS)}{rng.choice(complaints)}，{rng.choice(details)}。"
    if rng.random() < HANDLING_SHARE:
        text += rng.choice(HANDLING) + "。"
    return text + rng.choice(REQUESTS)


def export(rows: int, seed: int = 7) -> pd.DataFrame:
    """A written ticket export of ``rows`` tickets: ``工单编号, 受理时间, 投诉内容, subject`` (the key)."""
    rng = random.Random(seed)
    n_thanks = round(THANKS_SHARE * rows)
    subjects = [s for _ in range(rows) for s in [list(SUBJECTS)[_ % len(SUBJECTS)]]][: rows - n_thanks]
    keys = subjects + ["thanks"] * n_thanks
    rng.shuffle(keys)
    out = []
    for i, key in enumerate(keys):
        text = rng.choice(THANKS) if key == "thanks" else ticket(rng, key)
        out.append({"工单编号": f"T{i + 1:05d}", "受理时间": f"2026-11-{1 + i % 28:02d}", "投诉内容": text, "subject": key})
    return pd.DataFrame(out)


def measure(df: pd.DataFrame, unit: str = "statement", **model_kw) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tickets.csv"
        df.to_csv(path, index=False, encoding="utf-8")
        st = load_inputs([path], text_col="投诉内容", unit=unit)
    t0 = time.perf_counter()
    model = ThemeModel(**model_kw).fit(st)
    seconds = time.perf_counter() - t0
    found = model.statement_topics_
    key = df.set_index("工单编号")["subject"]
    ids = found["ticket_id"] if "ticket_id" in found else st["ticket_id"] if "ticket_id" in st else st["statement_id"]
    truth = ids.map(key)
    topic = found["topic"].to_numpy()
    subj = truth.isin(list(SUBJECTS)).to_numpy()
    ct = pd.crosstab(truth[subj].to_numpy(), topic[subj])
    found_subjects = []
    for s in ct.index:
        t = ct.loc[s].idxmax()
        if t >= 0 and ct[t].idxmax() == s:
            found_subjects.append(s)
    placed = subj & (topic >= 0)
    clustering = model.info_["clustering"].get("ticket", model.info_["clustering"])
    return {
        "rows": len(df), "statements": len(found), "themes": int(len(model.topics_[model.topics_["topic"].astype(int) >= 0])),
        "subtopics": int(len(model.subtopics_)),
        "subjects_found": len(found_subjects), "of": len(SUBJECTS), "subjects": found_subjects,
        "ari": round(float(adjusted_rand_score(truth[placed], topic[placed])), 3),
        "unplaced_subject_share": round(float(1 - placed.sum() / subj.sum()), 3),
        "labels": model.topics_["label"].tolist(),
        "clustering": {k: v for k, v in clustering.items() if k in (
            "method", "k", "k_fine", "k_chosen_by", "coarse_level", "coarse_silhouette", "min_topic_size",
            "min_cluster_size", "silhouette")},
        "seconds": round(seconds, 1),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[300, 600, 1200])
    ap.add_argument("--seeds", type=int, nargs="+", default=[7, 11])
    ap.add_argument("--write-fixture", metavar="CSV", help="write the tests' 400-row export (seed 11) and stop")
    ap.add_argument("--unit", choices=["statement", "ticket"], default="statement",
                    help="as voc themes --unit: sentences of each ticket (default), or each ticket whole")
    ap.add_argument("--no-follow-ticket", action="store_true",
                    help="as ThemeModel(follow_ticket=False): a split ticket's closing requests are clustered "
                         "as they are (the figures before they took their ticket's theme)")
    ap.add_argument("-o", "--out", default="themes_granularity.json")
    args = ap.parse_args(argv)
    if args.write_fixture:
        export(400, seed=11).to_csv(args.write_fixture, index=False, encoding="utf-8", lineterminator="\n")
        return 0
    results = {"unit": args.unit, "follow_ticket": not args.no_follow_ticket}
    for n, seed in ((n, seed) for n in args.sizes for seed in args.seeds):
        r = measure(export(n, seed=seed), unit=args.unit, follow_ticket=not args.no_follow_ticket)
        results[f"{n}/seed{seed}"] = r
        print(f"{n} rows (seed {seed}): {r['themes']} themes, {r['subjects_found']}/{r['of']} subjects, "
              f"ARI {r['ari']}, {r['clustering'].get('coarse_level', r['clustering'].get('method'))}", file=sys.stderr)
    print(save(args.out, {"unit": results.pop("unit"), "follow_ticket": results.pop("follow_ticket"),
                          "sizes": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
