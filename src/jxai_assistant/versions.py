"""Versions of the document (``corpus/versions.yaml``): which text is in force on a given day.

The 征求意见稿 is the base version; a later version (the final text) takes effect on its issue date plus the delay of
五.1 ("自发文之日30日后正式施行") and from then on answers, citations and rule data follow it. The process answers from
one version: the one in force on :func:`as_of` (default today), chosen once before anything is loaded (``--as-of``).
"""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .paths import corpus_dir

VERSIONS_FILENAME = "versions.yaml"
STATUS_LABELS = {"draft": "征求意见稿", "final": "正式文本"}
# How 五.1 states the delay and the expiry; used to read them from a newly added text.
_DELAY_RE = re.compile(r"[^，。\n]*自(?:发文|印发)之日(?:起)?(\d+)日后[^，。]*施行")
_EXPIRY_RE = re.compile(r"有效期至(\d{4})年(\d{1,2})月(\d{1,2})日")


class VersionError(ValueError):
    """``versions.yaml`` or a version's text is invalid; the message (Chinese) names the version and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EffectiveDelay(_Strict):
    """Days from the issue date to the effective date, with the clause sentence that says so."""

    days: int = Field(ge=0)
    clause: str
    phrase: str

    def rendered(self) -> str:
        """How the text writes the delay (``30日``)."""
        return f"{self.days}日"


class Expiry(_Strict):
    """The last day of validity, with the clause sentence that says so."""

    date: date
    clause: str
    phrase: str

    def rendered(self) -> str:
        """How the text writes the date (``2027年12月31日``)."""
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"


class Version(_Strict):
    """One version of the document and its metadata."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    title: str
    status: Literal["draft", "final"]
    file: str
    issued: Optional[date] = None
    effective_delay: EffectiveDelay
    expiry: Expiry

    @property
    def effective(self) -> Optional[date]:
        """The first day in force (issue date + delay); ``None`` for a version without an issue date."""
        return self.issued + timedelta(days=self.effective_delay.days) if self.issued else None

    @property
    def path(self) -> Path:
        """The verbatim text of this version."""
        return corpus_dir() / self.file

    @property
    def own_rules_dir(self) -> Path:
        """Rule files updated for this version (override the earlier versions' files of the same name)."""
        return corpus_dir() / "versions" / self.id / "rules"

    @property
    def status_label(self) -> str:
        """征求意见稿 / 正式文本."""
        return STATUS_LABELS[self.status]

    def basis_note(self) -> str:
        """What a calculation rests on, said in every calculation's notes."""
        if self.status == "draft":
            return f"本测算依据的是征求意见稿，正式文件印发后以正式文本及主管部门认定为准〔{self.effective_delay.clause}〕。"
        return f"本测算依据{self.label()}，具体以主管部门认定为准〔{self.effective_delay.clause}〕。"

    def start_note(self) -> str:
        """When the version took effect, for the validity step."""
        if self.issued is None:
            return "征求意见稿未载明发文日期，施行起始日以正式文件为准"
        return f"{self.status_label}于{_day(self.issued)}印发，自{_day(self.effective)}起施行"

    def label(self) -> str:
        """A one-line description for headers and citations, e.g. ``正式文本（2025年3月1日印发，2025年3月31日起施行）``."""
        if self.issued is None:
            return self.status_label
        return f"{self.status_label}（{_day(self.issued)}印发，{_day(self.effective)}起施行）"


class Versions(_Strict):
    """All versions, oldest first; the first is the base."""

    versions: list[Version] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> "Versions":
        ids = [v.id for v in self.versions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"versions: 版本编号须唯一（{ids}）")
        later = self.versions[1:]
        if any(v.issued is None for v in later):
            raise ValueError("versions: 除第一个版本外，每个版本都须填写印发日期 issued")
        dates = [v.effective for v in later]
        if dates != sorted(dates):
            raise ValueError("versions: 版本须按施行日期从早到晚排列")
        return self

    @property
    def base(self) -> Version:
        """The first version (the 征求意见稿)."""
        return self.versions[0]

    def get(self, version_id: str) -> Version:
        """The version with this id; raise :class:`VersionError` listing the ids otherwise."""
        for version in self.versions:
            if version.id == version_id:
                return version
        raise VersionError(f"没有版本“{version_id}”；已登记的版本：{'、'.join(v.id for v in self.versions)}")

    def in_force(self, day: date) -> Version:
        """The version in force on ``day``: the latest whose effective date has come, else the base."""
        started = [v for v in self.versions[1:] if v.effective <= day]
        return started[-1] if started else self.base

    def chain(self, version: Version) -> list[Version]:
        """The versions up to and including ``version`` (whose rule files it inherits), oldest first."""
        return self.versions[: self.versions.index(version) + 1]


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def versions_path() -> Path:
    """``corpus/versions.yaml``."""
    return corpus_dir() / VERSIONS_FILENAME


def _check_text(version: Version) -> None:
    """The version's file is readable UTF-8 and states its delay and expiry the way the metadata says."""
    try:
        text = version.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VersionError(f"{VERSIONS_FILENAME}: {version.id}.file: 无法读取“{version.file}”（{type(exc).__name__}）") from None
    for key, cited in (("effective_delay", version.effective_delay), ("expiry", version.expiry)):
        if cited.phrase not in text:
            raise VersionError(f"{VERSIONS_FILENAME}: {version.id}.{key}.phrase: 文本中没有“{cited.phrase}”")
        if cited.rendered() not in cited.phrase:
            raise VersionError(f"{VERSIONS_FILENAME}: {version.id}.{key}: 数值写作“{cited.rendered()}”，"
                               f"但短语“{cited.phrase}”中没有")


@lru_cache(maxsize=8)
def _load(path: Path, _mtime_ns: int) -> Versions:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        versions = Versions.model_validate(data)
    except yaml.YAMLError as exc:
        raise VersionError(f"{VERSIONS_FILENAME}: YAML 语法错误：{exc}") from None
    except ValidationError as exc:
        lines = [f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in exc.errors()]
        raise VersionError(f"{VERSIONS_FILENAME} 无效：\n" + "\n".join(lines)) from None
    for version in versions.versions:
        _check_text(version)
    return versions


def load_versions() -> Versions:
    """Load and validate ``corpus/versions.yaml`` (reloaded when the file changes)."""
    path = versions_path()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise VersionError(f"缺少版本登记文件 {path}") from None
    return _load(path, mtime)


_as_of: Optional[date] = None


def set_as_of(day: Optional[date]) -> None:
    """Answer as of ``day`` (``None``: today) — call before the document or the rules are first loaded."""
    global _as_of
    _as_of = day


def as_of() -> date:
    """The day whose version in force the process answers from (default today)."""
    return _as_of or date.today()


def active_version() -> Version:
    """The version in force on :func:`as_of`."""
    return load_versions().in_force(as_of())


def read_dates(text: str) -> tuple[EffectiveDelay, Expiry]:
    """Read the effective-date delay and the expiry from a text's 五、其他 (raise :class:`VersionError` if absent)."""
    delay, expiry = _DELAY_RE.search(text), _EXPIRY_RE.search(text)
    if not delay or not expiry:
        raise VersionError("文本中找不到“自发文之日N日后正式施行”或“有效期至YYYY年M月D日”，请在 versions.yaml 中手工登记")
    year, month, day = (int(g) for g in expiry.groups())
    return (EffectiveDelay(days=int(delay.group(1)), clause="五.1", phrase=delay.group(0)),
            Expiry(date=date(year, month, day), clause="五.1", phrase=expiry.group(0)))


def add_version(source: Path, status: str, issued: date, title: str, version_id: Optional[str] = None) -> Version:
    """Register ``source`` as a new version: copy it to ``corpus/versions/<id>/document.txt`` and append it to
    ``versions.yaml``. Validates the result and undoes both on failure (raise :class:`VersionError`)."""
    text = source.read_text(encoding="utf-8")
    delay, expiry = read_dates(text)
    version_id = version_id or f"{status}-{issued.isoformat()}"
    current = load_versions()
    if version_id in {v.id for v in current.versions}:
        raise VersionError(f"版本“{version_id}”已登记")
    target = corpus_dir() / "versions" / version_id / "document.txt"
    version = Version(id=version_id, title=title, status=status, file=target.relative_to(corpus_dir()).as_posix(),
                      issued=issued, effective_delay=delay, expiry=expiry)
    entry = yaml.safe_dump([version.model_dump(mode="json")], allow_unicode=True, sort_keys=False)
    path = versions_path()
    before = path.read_text(encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)  # byte for byte: the text is the published one
    # Appended as text so that the file's comments stay; the list items are indented like the existing ones.
    path.write_text(before.rstrip("\n") + "\n" + "".join(f"  {line}\n" for line in entry.splitlines()),
                    encoding="utf-8")
    try:
        load_versions().get(version_id)
    except (VersionError, ValueError):
        path.write_text(before, encoding="utf-8")
        shutil.rmtree(target.parent)
        raise
    return version
