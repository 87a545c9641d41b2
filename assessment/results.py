"""What the results page, the PDF and the exports show, built once from stored data."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from brands.selectors import brand_admin_links
from organisations.models import Organisation

from .framework import Framework, LevelBand
from .models import Assessment
from .selectors import (
    Peers,
    ProgressPoint,
    answer_is_given,
    answers_by_code,
    framework_for,
    peers_for,
    progress,
)

# A pillar this far below the overall score, or below level 3, is a weak spot.
WEAK_MARGIN = 10.0
WEAK_LEVEL = 3

# Decree 80/2021 (Art. 11) support for digital transformation, in million VND a
# year: up to 50 % of the cost of renting or buying digital solutions, and of a
# consulting contract, with these caps per size class.
SUPPORT_CAPS: dict[str, dict[str, int | None]] = {
    "micro": {"solutions": 20, "consulting": None},
    "small": {"solutions": 50, "consulting": 50},
    "medium": {"solutions": 100, "consulting": 100},
}


def support_text(size_class: str) -> str:
    caps = SUPPORT_CAPS.get(size_class)
    if caps is None:
        return _(
            "Decree 80/2021 support is for small and medium-sized enterprises; a large "
            "organisation does not qualify, but the province's digital transformation "
            "programmes may still help."
        )
    text = _(
        "As a %(size)s organisation you can ask for up to 50%% of the cost of renting "
        "or buying digital solutions, up to %(solutions)s million VND a year "
        "(Decree 80/2021/ND-CP, Art. 11)."
    ) % {"size": _size_label(size_class), "solutions": caps["solutions"]}
    if caps["consulting"]:
        text += " " + _(
            "Digital transformation consulting is supported up to 50%% of the contract, "
            "at most %(consulting)s million VND per contract a year."
        ) % {"consulting": caps["consulting"]}
    return text


def _size_label(size_class: str) -> str:
    return {"micro": _("micro"), "small": _("small"), "medium": _("medium")}.get(
        size_class, size_class
    )


Link = tuple[str, str]  # (label, URL)


def _url(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def application_form_link() -> Link | None:
    """The next step of an organisation with no brand page yet: apply to join."""
    return (_("Apply for your brand page on this portal"), reverse("joining:apply"))


def action_links(*, organisation: Organisation) -> dict[str, tuple[Link, ...]]:
    """Where exactly each kind of next step is taken, for this organisation.

    A verified organisation with a brand page goes to its brand editor, its
    first product's traceability records, its QR label sheet and its
    payments statement; any other goes to the application form (or nowhere
    while there is none).
    """
    links = brand_admin_links(organisation=organisation)
    if links is None:
        apply = application_form_link()
        only = (apply,) if apply else ()
        return {"brand": only, "shop": only, "qr": only}
    traceability = (
        _("Add traceability records (batches) to your product")
        if links.has_products
        else _("Add your first product, with its traceability records")
    )
    return {
        "brand": ((_("Improve your brand page"), links.brand_edit),),
        "shop": (
            (
                _("See your payments and payouts from the portal's shop"),
                _url("shop_statement:index", "/admin/"),
            ),
        ),
        "qr": (
            (traceability, links.product_traceability),
            (_("Print QR labels for your products"), links.label_sheet),
        ),
    }


@dataclass(frozen=True)
class PillarView:
    code: str
    title: str
    description: str
    score: float | None
    level: int | None
    level_name: str
    recommendation: str
    # The peers' average, None when there are no peers or this pillar is
    # suppressed (fewer than MIN_GROUP peers scored it).
    peer_score: float | None
    # How many peers scored this pillar (0 without a peer group).
    peer_count: int
    previous_score: float | None
    actions: tuple[Link, ...]
    has_peer_group: bool = False

    @property
    def peer_suppressed(self) -> bool:
        """Peers exist, but too few scored this pillar to show a figure."""
        return self.has_peer_group and self.peer_score is None

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


@dataclass(frozen=True)
class ResultView:
    assessment: Assessment
    framework: Framework
    band: LevelBand
    overall: float
    pillars: tuple[PillarView, ...]
    strengths: tuple[PillarView, ...]
    weak: tuple[PillarView, ...]
    peers: Peers | None
    history: tuple[ProgressPoint, ...]
    support: str
    language: str

    @property
    def has_suppressed_peers(self) -> bool:
        return any(p.peer_suppressed for p in self.pillars)


def result_view(*, assessment: Assessment, language: str) -> ResultView:
    framework = framework_for(assessment.framework).for_sector(assessment.sector)
    stored = {r.pillar_code: r for r in assessment.pillar_results.all()}
    peers = peers_for(assessment=assessment)
    history = tuple(progress(organisation=assessment.organisation))
    earlier = [
        p
        for p in history
        if p.assessment.submitted_at
        and assessment.submitted_at
        and p.assessment.submitted_at < assessment.submitted_at
    ]
    previous = earlier[-1].pillar_scores if earlier else {}
    links = action_links(organisation=assessment.organisation)
    pillars = []
    for pillar in framework.pillars:
        row = stored.get(pillar.code)
        pillar_peers = peers.pillars.get(pillar.code) if peers else None
        score = row.score if row else None
        level = row.level if row else None
        recommendation = pillar.recommendation(level or 0)
        pillars.append(
            PillarView(
                code=pillar.code,
                title=pillar.title.get(language),
                description=pillar.description.get(language),
                score=score,
                level=level,
                level_name=framework.band(level).name.get(language)
                if level is not None
                else _("Not applicable"),
                recommendation=recommendation.get(language) if recommendation else "",
                peer_score=pillar_peers.average if pillar_peers else None,
                peer_count=pillar_peers.count if pillar_peers else 0,
                has_peer_group=peers is not None,
                previous_score=previous.get(pillar.code),
                actions=_unique(
                    link for a in pillar.actions for link in links.get(a, ())
                ),
            )
        )
    scored = [(p.score, p) for p in pillars if p.score is not None]
    overall = assessment.overall_score or 0.0
    ranked = sorted(scored, key=lambda sp: (-sp[0], sp[1].code))
    strengths = tuple(p for score, p in ranked[:2] if score >= overall)
    weak = tuple(
        p
        for score, p in sorted(scored, key=lambda sp: (sp[0], sp[1].code))
        if score < overall - WEAK_MARGIN or (p.level or 0) < WEAK_LEVEL
    )[:3]
    return ResultView(
        assessment=assessment,
        framework=framework,
        band=framework.band(assessment.level or 0),
        overall=overall,
        pillars=tuple(pillars),
        strengths=strengths,
        weak=weak,
        peers=peers,
        history=history,
        support=support_text(assessment.size_class),
        language=language,
    )


def next_step_pillars(view: ResultView) -> tuple[PillarView, ...]:
    """The pillars whose advice is the next step: the weak spots, or else the
    first three."""
    return (view.weak or view.pillars)[:3]


def _unique(links) -> tuple[Link, ...]:
    """In order, each link once (two actions may lead to the same form)."""
    return tuple(dict.fromkeys(links))


@dataclass(frozen=True)
class AnswerRow:
    pillar_code: str
    pillar: str
    code: str
    question: str
    answer: str
    score: float | None
    note: str
    is_answered: bool


def answer_rows(*, assessment: Assessment, language: str) -> list[AnswerRow]:
    """Every question with its answer in words, for CSV/XLSX and the review."""
    framework = framework_for(assessment.framework).for_sector(
        assessment.sector or assessment.organisation.sector
    )
    answers = answers_by_code(assessment=assessment)
    rows = []
    for pillar in framework.pillars:
        for criterion in pillar.criteria:
            answer = answers.get(criterion.code)
            if answer is None or not answer_is_given(answer):
                text = _("Not answered")
            elif answer.not_applicable:
                text = _("Not applicable")
            elif criterion.kind == "ladder" and answer.option is not None:
                text = criterion.options[answer.option].label.get(language)
            else:
                text = f"{answer.share:g} %"
            rows.append(
                AnswerRow(
                    pillar_code=pillar.code,
                    pillar=pillar.title.get(language),
                    code=criterion.code,
                    question=criterion.text.get(language),
                    answer=text,
                    score=answer.score if answer else None,
                    note=answer.note if answer else "",
                    is_answered=answer_is_given(answer),
                )
            )
    return rows


@dataclass(frozen=True)
class ReviewGroup:
    step: int
    title: str
    answered: int
    total: int
    rows: tuple[AnswerRow, ...]

    @property
    def open_rows(self) -> tuple[AnswerRow, ...]:
        return tuple(r for r in self.rows if not r.is_answered)


def review_groups(
    *, assessment: Assessment, framework: Framework, language: str
) -> list[ReviewGroup]:
    """Every answer under its pillar (one wizard step each), in step order."""
    rows = answer_rows(assessment=assessment, language=language)
    groups = []
    for number, pillar in enumerate(framework.pillars, start=1):
        own = tuple(r for r in rows if r.pillar_code == pillar.code)
        groups.append(
            ReviewGroup(
                step=number,
                title=pillar.title.get(language),
                answered=sum(r.is_answered for r in own),
                total=len(own),
                rows=own,
            )
        )
    return groups
