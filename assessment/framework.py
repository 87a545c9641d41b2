"""A framework (question bank) as frozen dataclasses, parsed and validated from data.

Pure code, no Django: a framework file (JSON under ``assessment/frameworks/``) or a
stored version's ``definition`` is turned into a ``Framework`` by ``parse``. Every
problem found is collected, so a bad file gets one complete list of errors
instead of one error per run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

LANGUAGES = ("vi", "en")
LEVELS = tuple(range(6))


class FrameworkError(ValueError):
    """The framework data is malformed; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class Text:
    vi: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.vi


@dataclass(frozen=True)
class Option:
    score: float  # 0..100: share of the criterion this answer earns
    label: Text


@dataclass(frozen=True)
class Criterion:
    code: str
    kind: str  # "ladder" (choose one option) or "share" (a percentage 0..100)
    text: Text
    help: Text
    weight: float
    allow_not_applicable: bool
    options: tuple[Option, ...] = ()
    # For shares: the percentage that already earns the full score.
    full_at: float = 100.0


@dataclass(frozen=True)
class SubIndex:
    code: str
    title: Text
    weight: float
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Recommendation:
    level: int
    text: Text


@dataclass(frozen=True)
class Pillar:
    code: str
    title: Text
    description: Text
    weight: float
    sub_indices: tuple[SubIndex, ...]
    recommendations: tuple[Recommendation, ...]
    # Empty: applies to everyone. Otherwise only to organisations of these sectors.
    sectors: tuple[str, ...] = ()
    # Where on this site the organisation can act on this pillar ("brand", "shop", "qr").
    actions: tuple[str, ...] = ()

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for s in self.sub_indices for c in s.criteria)

    def recommendation(self, level: int) -> Text | None:
        for recommendation in self.recommendations:
            if recommendation.level == level:
                return recommendation.text
        return None


@dataclass(frozen=True)
class LevelBand:
    level: int
    min_score: float
    name: Text
    description: Text


@dataclass(frozen=True)
class Framework:
    code: str
    version: str
    title: Text
    description: Text
    levels: tuple[LevelBand, ...]
    pillars: tuple[Pillar, ...]

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for p in self.pillars for c in p.criteria)

    def criterion(self, code: str) -> Criterion | None:
        return self._criteria_by_code.get(code)

    def pillar(self, code: str) -> Pillar | None:
        for pillar in self.pillars:
            if pillar.code == code:
                return pillar
        return None

    def for_sector(self, sector: str) -> Framework:
        """The pillars that apply to an organisation of ``sector``."""
        pillars = tuple(p for p in self.pillars if not p.sectors or sector in p.sectors)
        return Framework(
            self.code, self.version, self.title, self.description, self.levels, pillars
        )

    def level_for(self, score: float) -> int:
        level = 0
        for band in self.levels:
            if score >= band.min_score:
                level = band.level
        return level

    def band(self, level: int) -> LevelBand:
        return next(b for b in self.levels if b.level == level)

    @cached_property
    def _criteria_by_code(self) -> dict[str, Criterion]:
        # cached_property writes to __dict__ directly, which a frozen dataclass allows.
        return {c.code: c for c in self.criteria}


@dataclass
class _Parser:
    errors: list[str] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)

    def text(self, value: Any, where: str) -> Text:
        if not isinstance(value, Mapping):
            self.errors.append(f"{where}: expected an object with 'vi' and 'en' texts.")
            return Text("", "")
        missing = [lang for lang in LANGUAGES if not str(value.get(lang, "")).strip()]
        if missing:
            self.errors.append(f"{where}: missing text in {', '.join(missing)}.")
        return Text(str(value.get("vi", "")), str(value.get("en", "")))

    def weight(self, value: Any, where: str) -> float:
        if value is None:
            return 1.0
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.errors.append(f"{where}: weight must be a number.")
            return 1.0
        if not value > 0 or value != value or value == float("inf"):
            self.errors.append(f"{where}: weight must be positive (got {value}).")
            return 1.0
        return float(value)

    def code(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.errors.append(f"{where}: missing code.")
            return ""
        if value in self.codes:
            self.errors.append(f"{where}: duplicate code '{value}'.")
        self.codes.add(value)
        return value

    def items(self, data: Mapping, key: str, where: str) -> list:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            self.errors.append(f"{where}: '{key}' must be a non-empty list.")
            return []
        return value

    def criterion(self, data: Any, where: str) -> Criterion:
        if not isinstance(data, Mapping):
            self.errors.append(f"{where}: expected an object.")
            return Criterion("", "ladder", Text("", ""), Text("", ""), 1.0, False)
        code = self.code(data.get("code"), where)
        where = f"{where} ({code})"
        kind = data.get("kind", "ladder")
        options: list[Option] = []
        full_at = 100.0
        if kind == "ladder":
            raw_options = self.items(data, "options", where)
            if len(raw_options) == 1:
                self.errors.append(f"{where}: a ladder needs at least two options.")
            for index, raw in enumerate(raw_options):
                at = f"{where} option {index}"
                if not isinstance(raw, Mapping):
                    self.errors.append(f"{at}: expected an object.")
                    continue
                score = raw.get("score")
                if (
                    isinstance(score, bool)
                    or not isinstance(score, int | float)
                    or not 0 <= score <= 100
                ):
                    self.errors.append(f"{at}: score must be a number from 0 to 100.")
                    score = 0
                options.append(Option(float(score), self.text(raw.get("label"), at)))
            scores = [o.score for o in options]
            if options and (min(scores) != 0 or max(scores) != 100):
                self.errors.append(
                    f"{where}: the lowest option must score 0 and the highest 100."
                )
        elif kind == "share":
            raw_full = data.get("full_at", 100)
            if (
                isinstance(raw_full, bool)
                or not isinstance(raw_full, int | float)
                or not 0 < raw_full <= 100
            ):
                self.errors.append(f"{where}: full_at must be above 0 and at most 100.")
            else:
                full_at = float(raw_full)
        else:
            self.errors.append(f"{where}: kind must be 'ladder' or 'share'.")
        return Criterion(
            code=code,
            kind=str(kind),
            text=self.text(data.get("text"), f"{where} text"),
            help=self.text(data.get("help", {"vi": "-", "en": "-"}), f"{where} help"),
            weight=self.weight(data.get("weight"), where),
            allow_not_applicable=bool(data.get("allow_not_applicable", False)),
            options=tuple(options),
            full_at=full_at,
        )

    def pillar(self, data: Any, where: str) -> Pillar:
        if not isinstance(data, Mapping):
            self.errors.append(f"{where}: expected an object.")
            return Pillar("", Text("", ""), Text("", ""), 1.0, (), ())
        code = self.code(data.get("code"), where)
        where = f"pillar {code}"
        sub_indices = []
        for index, raw in enumerate(self.items(data, "sub_indices", where)):
            at = f"{where} sub-index {index}"
            if not isinstance(raw, Mapping):
                self.errors.append(f"{at}: expected an object.")
                continue
            sub_code = self.code(raw.get("code"), at)
            at = f"sub-index {sub_code}"
            criteria = tuple(
                self.criterion(c, f"{at} criterion {i}")
                for i, c in enumerate(self.items(raw, "criteria", at))
            )
            sub_indices.append(
                SubIndex(
                    sub_code,
                    self.text(raw.get("title"), f"{at} title"),
                    self.weight(raw.get("weight"), at),
                    criteria,
                )
            )
        recommendations = []
        seen_levels = set()
        for raw in data.get("recommendations") or []:
            level = raw.get("level") if isinstance(raw, Mapping) else None
            if level not in LEVELS:
                self.errors.append(f"{where}: recommendation level must be 0-5.")
                continue
            seen_levels.add(level)
            recommendations.append(
                Recommendation(
                    level, self.text(raw.get("text"), f"{where} level {level}")
                )
            )
        missing = sorted(set(LEVELS) - seen_levels)
        if missing:
            self.errors.append(
                f"{where}: recommendations missing for levels {missing}."
            )
        sectors = data.get("sectors") or []
        actions = data.get("actions") or []
        if not isinstance(sectors, list) or not isinstance(actions, list):
            self.errors.append(f"{where}: sectors and actions must be lists.")
            sectors, actions = [], []
        return Pillar(
            code=code,
            title=self.text(data.get("title"), f"{where} title"),
            description=self.text(data.get("description"), f"{where} description"),
            weight=self.weight(data.get("weight"), where),
            sub_indices=tuple(sub_indices),
            recommendations=tuple(recommendations),
            sectors=tuple(str(s) for s in sectors),
            actions=tuple(str(a) for a in actions),
        )

    def levels(self, data: Mapping) -> tuple[LevelBand, ...]:
        raw_levels = data.get("levels")
        if not isinstance(raw_levels, list) or not raw_levels:
            self.errors.append("levels: the level bands 0-5 are missing.")
            return ()
        bands = []
        for raw in raw_levels:
            if not isinstance(raw, Mapping) or raw.get("level") not in LEVELS:
                self.errors.append("levels: each band needs a level from 0 to 5.")
                continue
            level = raw["level"]
            min_score = raw.get("min_score")
            if (
                isinstance(min_score, bool)
                or not isinstance(min_score, int | float)
                or not 0 <= min_score <= 100
            ):
                self.errors.append(f"level {level}: min_score must be from 0 to 100.")
                min_score = 0
            bands.append(
                LevelBand(
                    level,
                    float(min_score),
                    self.text(raw.get("name"), f"level {level} name"),
                    self.text(raw.get("description"), f"level {level} description"),
                )
            )
        found = sorted(b.level for b in bands)
        if found != list(LEVELS):
            self.errors.append(
                f"levels: need exactly one band for each level 0-5 (found {found})."
            )
        bands.sort(key=lambda b: b.level)
        if bands and bands[0].min_score != 0:
            self.errors.append("levels: level 0 must start at 0.")
        if any(
            a.min_score >= b.min_score for a, b in zip(bands, bands[1:], strict=False)
        ):
            self.errors.append("levels: min_score must rise with the level.")
        return tuple(bands)


def parse(data: Any) -> Framework:
    """Turn framework data into a ``Framework``; raise ``FrameworkError`` listing all errors."""
    parser = _Parser()
    if not isinstance(data, Mapping):
        raise FrameworkError(["The framework must be a JSON object."])
    code = data.get("code")
    version = data.get("version")
    if not isinstance(code, str) or not code.strip():
        parser.errors.append("code: missing framework code.")
    if not isinstance(version, str) or not version.strip():
        parser.errors.append("version: missing framework version.")
    levels = parser.levels(data)
    pillars = tuple(
        parser.pillar(p, f"pillar {i}")
        for i, p in enumerate(parser.items(data, "pillars", "framework"))
    )
    framework = Framework(
        code=str(code or ""),
        version=str(version or ""),
        title=parser.text(data.get("title"), "title"),
        description=parser.text(data.get("description"), "description"),
        levels=levels,
        pillars=pillars,
    )
    if parser.errors:
        raise FrameworkError(parser.errors)
    return framework
