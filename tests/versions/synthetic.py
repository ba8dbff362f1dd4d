"""A synthetic final text made from the draft by the edits a final version typically brings.

Edits (each one the tests expect to find again):
- the subtitle （征求意见稿） is gone;
- 三.7: the rate 50% becomes 40%;
- 三.2: the new-project cap 300万元 becomes 400万元;
- 三.11 is added (a new support policy);
- task 二.5 (强化核心技术攻关) is removed, so tasks 6–15 become 二.5–二.14.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from jxai_assistant.paths import DOCUMENT_FILENAME

REAL_CORPUS = Path(__file__).resolve().parents[2] / "corpus"
ISSUED = "2025-06-01"
EFFECTIVE = "2025-07-01"  # 自发文之日30日后正式施行
VERSION_ID = f"final-{ISSUED}"
NEW_RATE = "按照智算、超算实际使用金额的40%给予算力补贴"
ADDED_POLICY = "11.支持人工智能人才引育。对新引进的人工智能领域顶尖人才团队，给予最高100万元项目资助。（责任单位：市委人才办、市财政局）"


def draft_text() -> str:
    """The real draft, read (never written)."""
    return (REAL_CORPUS / DOCUMENT_FILENAME).read_text(encoding="utf-8")


def rate_40(text: str) -> str:
    """三.7's 50% edited to 40% — nothing else."""
    edited = text.replace("实际使用金额的50%给予", "实际使用金额的40%给予")
    assert edited != text
    return edited


def final_text() -> str:
    """The draft with every edit of the module docstring."""
    text = rate_40(draft_text()).replace("（征求意见稿）\n\n", "", 1)
    text = text.replace("新建项目最高不超过300万元", "新建项目最高不超过400万元")
    tasks, policies = text.split("三、支持政策", 1)
    tasks = re.sub(r"\n5\.强化核心技术攻关。[^\n]*\n", "\n", tasks)
    tasks = re.sub(r"(?m)^(\d{1,2})\.", lambda m: f"{int(m.group(1)) - 1}." if int(m.group(1)) > 5 else m.group(0),
                   tasks)
    policies = re.sub(r"(\n10\. 加大能耗要素支持。[^\n]*\n)", lambda m: m.group(1) + ADDED_POLICY + "\n", policies)
    return tasks + "三、支持政策" + policies


def copy_corpus(target: Path) -> Path:
    """A private copy of the corpus (document, rules, versions) that a test may register versions in."""
    shutil.copytree(REAL_CORPUS, target)
    return target
