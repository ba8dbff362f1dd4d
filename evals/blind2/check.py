#!/usr/bin/env python3
"""Decimal calculators, rule tables, boundary self-test and validator for the blind2 eval set.

Source of every number: /work/shared/seed/000_0e15a849fc6fb4ad.txt (三、支持政策).
All spec amounts are given in 万元 (as str/int) and converted to yuan with Decimal;
results are rounded half-up to whole yuan.

A calculator returns a tuple (eligible, amount_yuan, cond_yuan, reason):
  eligible  True / False / None (None = a fact is missing or invalid)
  amount    int yuan when eligible is True, else None
  cond      int yuan: the conditional figure when only a yes/no condition is missing, else None
"""
import json
import os
import re
import sys
from decimal import Decimal as D, ROUND_HALF_UP

HERE = os.path.dirname(os.path.abspath(__file__))
WAN = D(10000)


def y(wan):
    """万元 -> yuan (Decimal)."""
    return D(str(wan)) * WAN


def rnd(d):
    return int(D(d).quantize(D(1), rounding=ROUND_HALF_UP))


# ---------------------------------------------------------------- 三.2
# 新建项目投资额1000万元以上、提升改造项目投资额500万元以上 … 按照项目实际投资额（不含土地款）一次性给予5%的补助，
# 新建项目最高不超过300万元、提升改造项目最高不超过150万元。
S32 = {"new": {"threshold": y(1000), "cap": y(300)},
       "upgrade": {"threshold": y(500), "cap": y(150)}}
S32_RATE = D("0.05")


def c32(kind, total, land=0, ai=True, info=True):
    if ai is False or info is False:
        return (False, None, None, "项目不属于人工智能领域信息服务业")
    if ai is None or info is None:
        return (None, None, None, "是否人工智能领域信息服务业未知")
    if D(str(total)) <= 0:
        return (None, None, None, "投资额无效")
    if kind is None:
        rn = c32("new", total, land, ai, info)
        ru = c32("upgrade", total, land, ai, info)
        if rn[:2] == ru[:2]:
            return rn
        cond = ru[1] if ru[0] else (rn[1] if rn[0] else None)
        return (None, None, cond, "新建/提升改造未知")
    rule = S32[kind]
    tot = y(total)  # threshold is tested on the stated total (incl. land)
    if tot < rule["threshold"]:
        return (False, None, None, "投资额未达到门槛")
    if land is None:
        return (None, None, None, "土地款未知")
    base = tot - y(land)
    return (True, rnd(min(base * S32_RATE, rule["cap"])), None, "")


# ---------------------------------------------------------------- 三.3
# 年度营业收入首次达到2000万元、3000万元、5000万元、1亿元、2亿元、5亿元、10亿元的，且增速在10%以上的信息服务业企业，
# 分别给予20万元、50万元、100万元、200万元、300万元、400万元、500万元奖励。
S33_TIERS = [(y(2000), y(20)), (y(3000), y(50)), (y(5000), y(100)), (y(10000), y(200)),
             (y(20000), y(300)), (y(50000), y(400)), (y(100000), y(500))]
S33_GROWTH = D("0.10")


def c33(rev, last=None, growth=None, info=True, prior_max=0):
    """rev/last/prior_max in 万; growth as a fraction string ("0.12"). prior_max = highest earlier-year revenue."""
    if info is False:
        return (False, None, None, "非信息服务业企业")
    r = y(rev)
    if r <= 0:
        return (None, None, None, "营收无效")
    if last is None and growth is None:
        prev = y(prior_max)
        tiers = [a for t, a in S33_TIERS if prev < t <= r]
        cond = rnd(max(tiers)) if tiers else None
        if info is None:
            return (None, None, cond, "行业未知")
        return (None, None, cond, "增速未知")
    lastv = y(last) if last is not None else r / (1 + D(str(growth)))
    g = (r - lastv) / lastv
    prev = max(lastv, y(prior_max))
    tiers = [a for t, a in S33_TIERS if prev < t <= r]
    if info is None:
        return (None, None, rnd(max(tiers)) if tiers and g >= S33_GROWTH else None, "行业未知")
    if g < S33_GROWTH:
        return (False, None, None, "增速不足10%")
    if not tiers:
        return (False, None, None, "非首次达到档位")
    return (True, rnd(max(tiers)), None, "")  # one matter: highest tier only


# ---------------------------------------------------------------- 三.4
# 符合加计扣除政策的企业，研发费用达到100万元以上且增幅达到15%以上的，按研发费用增量部分的10%给予补助，每家企业最高不超过500万元，
# 其中规上企业研发费用占营业收入比重须达到3%以上（含），高新技术企业须达到4%以上（含）。
S34 = {"min_rd": y(100), "growth": D("0.15"), "rate": D("0.10"), "cap": y(500),
       "ratio_gs": D("0.03"), "ratio_gx": D("0.04")}


def c34(rd, last=None, growth=None, rev=None, gs=False, gx=False, jj=True):
    r = y(rd)
    if r <= 0:
        return (None, None, None, "研发费用无效")
    if jj is False:
        return (False, None, None, "不符合加计扣除政策")
    if r < S34["min_rd"]:
        return (False, None, None, "研发费用不足100万元")
    if last is None and growth is None:
        return (None, None, None, "上年研发费用未知")
    lastv = y(last) if last is not None else r / (1 + D(str(growth)))
    g = (r - lastv) / lastv
    if g < S34["growth"]:
        return (False, None, None, "增幅不足15%")
    if gs is None or gx is None:
        return (None, None, None, "企业类型未知")
    need = None
    if gs:
        need = S34["ratio_gs"]
    if gx:
        need = max(need or D(0), S34["ratio_gx"])
    if need is not None:
        if rev is None:
            return (None, None, None, "营业收入未知")
        if r / y(rev) < need:
            return (False, None, None, "研发费用占营收比重不足")
    amount = rnd(min((r - lastv) * S34["rate"], S34["cap"]))
    if jj is None:
        return (None, None, amount, "是否符合加计扣除未知")
    return (True, amount, None, "")


def c34nat(lead=True):
    """对牵头承担国家重点研发计划的单位，给予每家100万元奖励。"""
    if not lead:
        return (False, None, None, "非牵头单位")
    return (True, rnd(y(100)), None, "")


# ---------------------------------------------------------------- 三.5 / 三.6 / 三.8 / 三.9 tables (万元)
T35 = {"国家级制造业创新中心": 300, "省级制造业创新中心": 150,
       "国家级企业技术中心": 150, "省级企业技术中心": 50, "市级企业技术中心": 20}
# 首批次新材料、首版次软件 are paid at the 首台（套） levels of the same scope.
T36 = {"国际首台套": 200, "国内首台套": 150, "省内首台套": 50, "市内首台套": 20,
       "省级重点技术创新项目": 30, "浙江制造精品": 30, "市级技术创新项目": 15, "省级工业新产品": 5}
T38 = {"领军型浙江数商": 50, "成长型浙江数商": 30, "省级5G全连接工厂": 50, "省级云上企业": 30}
T39 = {"CPMS牵头通过验收": 50, "CDO": 30, "DCMM": 10}
T39_REGION = 100  # 试点区域: never paid to an enterprise
T39_NOT_YET = {"CPMS未验收": 50}  # listed, lead, acceptance pending -> conditional


def c35(keys):
    if any(k not in T35 for k in keys):
        return (False, None, None, "不在三.5奖励范围")
    return (True, rnd(sum(y(T35[k]) for k in keys)), None, "")


def c36(products):
    """products: list of lists of honour keys; one product = one matter (highest only), products add up."""
    for p in products:
        if any(k not in T36 for k in p):
            return (None, None, None, "级别未知或不在范围")
    return (True, rnd(sum(max(y(T36[k]) for k in p) for p in products)), None, "")


def c37(zs=0, cs=0, model=False):
    """zs/cs: 智算/超算 actual spend in 万 (ordinary cloud excluded by the caller); model: 通用大模型/行业垂直模型 在嘉兴市场化应用."""
    base = y(zs) + y(cs)
    if y(zs) < 0 or y(cs) < 0:
        return (None, None, None, "金额无效")
    if base == 0:
        return (False, None, None, "未使用智算、超算算力")
    cap = y(200) if model else y(100)
    return (True, rnd(min(base * D("0.5"), cap)), None, "")


def c38(keys):
    if any(k not in T38 for k in keys):
        return (False, None, None, "不在三.8奖励范围")
    return (True, rnd(sum(y(T38[k]) for k in keys)), None, "")


def c39(keys):
    for k in keys:
        if k in T39_NOT_YET:
            return (None, None, rnd(y(T39_NOT_YET[k])), "尚未通过验收")
        if k not in T39:
            return (False, None, None, "不属于企业可获的三.9奖励")
    return (True, rnd(sum(y(T39[k]) for k in keys)), None, "")


CALCS = {"32": c32, "33": c33, "34": c34, "34nat": c34nat, "35": c35, "36": c36,
         "37": c37, "38": c38, "39": c39}


def ev(spec):
    """spec = ("32", {...}) | ("35", [...]) | ("sum", [spec, ...]) (different matters add up)
    | ("max", [spec, ...]) (one matter: 就高不重复)."""
    name, arg = spec
    if name in ("sum", "max"):
        parts = [ev(s) for s in arg]
        ok = [p[1] for p in parts if p[0] is True]
        if any(p[0] is None for p in parts):
            return (None, None, None, "部分事实缺失")
        if not ok:
            return (False, None, None, "均不符合")
        return (True, sum(ok) if name == "sum" else max(ok), None, "")
    fn = CALCS[name]
    if isinstance(arg, dict):
        return fn(**arg)
    return fn(arg)


# ---------------------------------------------------------------- boundary self-test
def selftest():
    T = []

    def eq(spec, elig, amount=None):
        r = ev(spec)
        T.append((spec, r))
        assert r[0] is elig, (spec, r)
        if amount is not None:
            assert r[1] == amount, (spec, r)

    # 三.2: 以上 includes the bound; caps at base 6000万 / 3000万
    eq(("32", dict(kind="new", total=1000)), True, 500000)
    eq(("32", dict(kind="new", total="999.99")), False)
    eq(("32", dict(kind="upgrade", total=500)), True, 250000)
    eq(("32", dict(kind="upgrade", total="499.99")), False)
    eq(("32", dict(kind="new", total=6000)), True, 3000000)
    eq(("32", dict(kind="new", total=6001)), True, 3000000)
    eq(("32", dict(kind="upgrade", total=3000)), True, 1500000)
    eq(("32", dict(kind="new", total=1100, land=300)), True, 400000)  # threshold incl land, base excl land
    eq(("32", dict(kind="new", total=2000, ai=False)), False)
    eq(("32", dict(kind=None, total=800)), None)
    assert ev(("32", dict(kind=None, total=800)))[2] == 400000
    # 三.3: 增速10%以上 includes 10%; 首次达到 includes the tier value
    eq(("33", dict(rev=2090, last=1900)), True, 200000)
    eq(("33", dict(rev=2000, last=1800)), True, 200000)
    eq(("33", dict(rev=1999, last=1700)), False)
    eq(("33", dict(rev=3298, last=2999)), False)
    eq(("33", dict(rev=3300, last=3000)), False)  # not first time
    eq(("33", dict(rev=5200, last=1800)), True, 1000000)  # highest tier only
    eq(("33", dict(rev=10000, last=8000)), True, 2000000)
    eq(("33", dict(rev=3200, last=2800, prior_max=3500)), False)
    # 三.4: 100万以上, 15%以上, 3%/4%以上（含）, cap 500万
    eq(("34", dict(rd=100, last=80)), True, 20000)
    eq(("34", dict(rd="99.99", last=80)), False)
    eq(("34", dict(rd=230, last=200)), True, 30000)
    eq(("34", dict(rd=229, last=200)), False)
    eq(("34", dict(rd=300, last=250, rev=10000, gs=True)), True, 50000)
    eq(("34", dict(rd="299.9", last=250, rev=10000, gs=True)), False)
    eq(("34", dict(rd=400, last=320, rev=10000, gx=True)), True, 80000)
    eq(("34", dict(rd="399.9", last=320, rev=10000, gx=True)), False)
    eq(("34", dict(rd=80000, last=20000, rev=1000000, gx=True)), True, 5000000)
    eq(("34", dict(rd=150, last=120, rev=6000)), True, 30000)  # neither 规上 nor 高新: no ratio test
    eq(("34", dict(rd=600, last=500, rev=10000, gs=True, jj=None)), None)
    eq(("34", dict(rd=600, last=500, rev=10000, gs=True, jj=False)), False)
    # 三.7: 50%, caps 100万 / 200万
    eq(("37", dict(zs=200)), True, 1000000)
    eq(("37", dict(zs=201)), True, 1000000)
    eq(("37", dict(zs=400, model=True)), True, 2000000)
    eq(("37", dict(zs=300, model=True)), True, 1500000)
    eq(("37", dict(zs=80, cs=40)), True, 600000)
    eq(("37", dict(zs=0)), False)
    # tables
    eq(("36", [["省内首台套", "浙江制造精品"]]), True, 500000)
    eq(("36", [["省内首台套"], ["浙江制造精品"]]), True, 800000)
    eq(("39", ["试点区域"]), False)
    eq(("38", ["省级5G全连接工厂", "省级云上企业"]), True, 800000)
    return len(T)


# ---------------------------------------------------------------- validator
VALID_IDS = (["序", "一.1", "一.2"] + [f"二.{i}" for i in range(1, 16)] + [f"三.{i}" for i in range(1, 11)]
             + ["四.1", "四.2", "四.3", "五.1"])
TOP_KEYS = {"id", "kind", "voice", "turns", "expect", "note"}
EXPECT_KEYS = {"cite_any", "intent", "amount_yuan", "eligible", "out_of_scope", "contains", "not_contains",
               "first_contains"}
VOICES = {"phone", "finance", "hotline", "county", "english", "official"}
INTENTS = {"lookup", "calculate", "clarify", "out_of_scope"}
CORR = ["不对", "不是", "并非", "不正确", "有误", "不准确"]
KINDS_SINGLE = {"calc", "eligibility", "boundary", "clarify", "lookup", "general", "norate", "false_premise",
                "injection", "absurd", "near_miss", "out_of_scope"}


def check_expect(e, where, errs):
    if not isinstance(e, dict) or not e:
        errs.append(f"{where}: expect must be a non-empty object")
        return
    for k in e:
        if k not in EXPECT_KEYS:
            errs.append(f"{where}: unknown expect key {k!r}")
    if "cite_any" in e:
        c = e["cite_any"]
        if not isinstance(c, list) or not c:
            errs.append(f"{where}: cite_any must be a non-empty list")
        else:
            for cid in c:
                if cid not in VALID_IDS:
                    errs.append(f"{where}: invalid clause id {cid!r}")
    if "intent" in e and e["intent"] not in INTENTS:
        errs.append(f"{where}: bad intent {e['intent']!r}")
    if "amount_yuan" in e:
        a = e["amount_yuan"]
        if a is not None and (not isinstance(a, int) or isinstance(a, bool) or a <= 0):
            errs.append(f"{where}: amount_yuan must be positive int or null")
    if "eligible" in e and e["eligible"] not in (True, False, None):
        errs.append(f"{where}: eligible must be bool or null")
    if "out_of_scope" in e and not isinstance(e["out_of_scope"], bool):
        errs.append(f"{where}: out_of_scope must be bool")
    for k in ("contains", "first_contains"):
        if k in e:
            v = e[k]
            if not isinstance(v, list) or not v or not all(
                    isinstance(alts, list) and alts and all(isinstance(s, str) and s for s in alts) for alts in v):
                errs.append(f"{where}: {k} must be a non-empty list of non-empty string lists")
    if "not_contains" in e:
        v = e["not_contains"]
        if not isinstance(v, list) or not v or not all(isinstance(s, str) and s for s in v):
            errs.append(f"{where}: not_contains must be a non-empty list of strings")
    # convention consistency
    a = e.get("amount_yuan", "absent")
    if isinstance(a, int):
        if e.get("eligible") is not True or e.get("intent") != "calculate":
            errs.append(f"{where}: definite amount needs eligible true and intent calculate")
        fig = fig_alts(a)
        if not any(set(fig) <= set(alts) for alts in e.get("contains", [])):
            errs.append(f"{where}: definite amount must be in contains")
        if not any(set(fig) <= set(alts) or set(CORR) <= set(alts) for alts in e.get("first_contains", [])):
            errs.append(f"{where}: definite amount (or, for a false premise, the correction) must be in first_contains")
        for s in e.get("not_contains", []):
            if any(s in alt for alt in fig):
                errs.append(f"{where}: not_contains {s!r} clashes with the expected figure")
    if e.get("eligible") is False:
        if "amount_yuan" in e:
            errs.append(f"{where}: ineligible case must not carry amount_yuan")
        if e.get("intent") != "calculate" or "first_contains" not in e:
            errs.append(f"{where}: ineligible case needs intent calculate and first_contains")
    if e.get("intent") == "clarify":
        if e.get("amount_yuan", "x") is not None or e.get("eligible", "x") is not None:
            errs.append(f"{where}: clarify needs amount_yuan null and eligible null")
    if e.get("out_of_scope") is True and e.get("intent") != "out_of_scope":
        errs.append(f"{where}: out_of_scope true needs intent out_of_scope")
    if e.get("intent") == "out_of_scope" and e.get("out_of_scope") is not True:
        errs.append(f"{where}: intent out_of_scope needs out_of_scope true")
    if e.get("out_of_scope") is not True and "cite_any" not in e:
        errs.append(f"{where}: in-scope expectation should name cite_any")
    # not_contains must not contradict contains alternatives when every alternative is banned
    for alts in e.get("contains", []) + e.get("first_contains", []):
        if all(any(b in s for b in e.get("not_contains", [])) for s in alts):
            errs.append(f"{where}: every alternative of {alts} is excluded by not_contains")


def fig_alts(yuan):
    w = (D(yuan) / WAN).normalize()
    ws = format(w, "f")
    return [f"{ws}万", f"{ws}萬", str(yuan), f"{yuan:,}"]


def fig_in(e, key):
    return e.get(key, [])


def validate(path, multi):
    errs = []
    ids = set()
    questions = []
    n_turns = 0
    raw = open(path, encoding="utf-8").read()
    if "\\u" in raw:
        errs.append(f"{path}: contains ASCII-escaped unicode (\\u)")
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    prefix = "b2m-" if multi else "b2s-"
    for i, line in enumerate(lines, 1):
        where = f"{os.path.basename(path)}:{i}"
        try:
            obj = json.loads(line)
        except Exception as ex:  # noqa
            errs.append(f"{where}: invalid JSON ({ex})")
            continue
        if not isinstance(obj, dict):
            errs.append(f"{where}: not an object")
            continue
        for k in obj:
            if k not in TOP_KEYS:
                errs.append(f"{where}: unknown top-level key {k!r}")
        cid = obj.get("id")
        where = f"{where} {cid}"
        if not isinstance(cid, str) or not re.fullmatch(prefix + r"\d{3}", cid):
            errs.append(f"{where}: bad id")
        elif cid in ids:
            errs.append(f"{where}: duplicate id")
        ids.add(cid)
        if int(cid[4:]) != i:
            errs.append(f"{where}: ids must be sequential")
        if obj.get("voice") not in VOICES:
            errs.append(f"{where}: bad voice {obj.get('voice')!r}")
        if not isinstance(obj.get("note"), str) or not obj["note"]:
            errs.append(f"{where}: note missing")
        turns = obj.get("turns")
        if not isinstance(turns, list) or not turns:
            errs.append(f"{where}: turns missing")
            continue
        if multi:
            if obj.get("kind") != "multi_turn":
                errs.append(f"{where}: kind must be multi_turn")
            if "expect" in obj:
                errs.append(f"{where}: multi-turn uses per-turn expect only")
            if len(turns) < 2:
                errs.append(f"{where}: a conversation needs at least 2 turns")
            for j, t in enumerate(turns, 1):
                if not isinstance(t, dict) or set(t) != {"q", "expect"} or not isinstance(t["q"], str) or not t["q"]:
                    errs.append(f"{where} turn {j}: must be {{q, expect}}")
                    continue
                questions.append(t["q"])
                check_expect(t["expect"], f"{where} turn {j}", errs)
            n_turns += len(turns)
        else:
            if obj.get("kind") not in KINDS_SINGLE:
                errs.append(f"{where}: bad kind {obj.get('kind')!r}")
            if len(turns) != 1 or not isinstance(turns[0], str) or not turns[0]:
                errs.append(f"{where}: single case needs exactly one string turn")
            else:
                questions.append(turns[0])
            check_expect(obj.get("expect"), where, errs)
            n_turns += 1
    return errs, len(lines), n_turns, questions


def main():
    n = selftest()
    print(f"selftest: {n} boundary checks passed")
    errs = []
    s_err, n_single, _, qs1 = validate(os.path.join(HERE, "single.jsonl"), multi=False)
    m_err, n_conv, n_turns, qs2 = validate(os.path.join(HERE, "multi_turn.jsonl"), multi=True)
    errs += s_err + m_err
    if n_single < 170:
        errs.append(f"single.jsonl: only {n_single} cases (< 170)")
    if n_conv < 65:
        errs.append(f"multi_turn.jsonl: only {n_conv} conversations (< 65)")
    avg = n_turns / n_conv if n_conv else 0
    if avg < 3.2:
        errs.append(f"multi_turn.jsonl: average {avg:.2f} turns (< 3.2)")
    dup = {q for q in qs1 if qs1.count(q) > 1}
    if dup:
        errs.append(f"duplicate single questions: {sorted(dup)[:5]}")
    # re-verify every hand-written amount against the calculators (specs live in build.py)
    try:
        sys.path.insert(0, HERE)
        import build  # noqa
        nspec = build.reverify()
        print(f"reverify: {nspec} hand-written figures recomputed with Decimal calculators")
    except AssertionError as ex:
        errs.append(f"reverify failed: {ex}")
    if errs:
        for e in errs:
            print("ERROR", e)
        print(f"{len(errs)} error(s)")
        sys.exit(1)
    print(f"OK single={n_single} conversations={n_conv} turns={n_turns} avg_turns={avg:.2f}")


if __name__ == "__main__":
    main()
