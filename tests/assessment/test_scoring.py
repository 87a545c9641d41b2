"""The pure scoring function: exact values and properties (hypothesis)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.framework import parse
from assessment.scoring import AnswerError, AnswerInput, score
from tests.factories.assessment import default_framework_data, small_framework_data

SMALL = parse(small_framework_data())
DEFAULT = parse(default_framework_data())


def test_weighted_means_bottom_up():
    result = score(
        SMALL,
        {
            "Q1": AnswerInput(option=2),
            "Q2": AnswerInput(share=20),
            "Q3": AnswerInput(option=1),
        },
    )
    # p1 = (100*1 + 20*3) / 4 = 40; p2 = 50; overall = 45 -> level 2 (25..50)
    assert result.pillar("p1").score == 40.0
    assert result.pillar("p2").score == 50.0
    assert result.overall == 45.0
    assert result.level == 2
    assert result.pillar("p1").level == 2
    assert result.pillar("p2").level == 3


def test_not_applicable_leaves_the_denominator():
    result = score(
        SMALL, {"Q1": AnswerInput(option=2), "Q2": AnswerInput(not_applicable=True)}
    )
    assert result.pillar("p1").score == 100.0
    assert dict(result.criteria)["Q2"] is None


def test_pillar_with_every_criterion_not_applicable_leaves_the_overall():
    result = score(
        SMALL, {"Q1": AnswerInput(option=1), "Q3": AnswerInput(not_applicable=True)}
    )
    assert result.pillar("p2").score is None
    assert result.pillar("p2").level is None
    assert result.overall == pytest.approx(50 / 4)


def test_unanswered_counts_as_zero():
    result = score(SMALL, {})
    assert result.overall == 0.0
    assert result.level == 0


def test_share_full_at_caps_the_score():
    data = small_framework_data()
    data["pillars"][0]["sub_indices"][0]["criteria"][1]["full_at"] = 50
    framework = parse(data)
    assert dict(score(framework, {"Q2": AnswerInput(share=80)}).criteria)["Q2"] == 100.0
    assert dict(score(framework, {"Q2": AnswerInput(share=25)}).criteria)["Q2"] == 50.0


@pytest.mark.parametrize(
    "answer",
    [AnswerInput(option=3), AnswerInput(option=-1)],
)
def test_option_out_of_range_is_refused(answer):
    with pytest.raises(AnswerError):
        score(SMALL, {"Q1": answer})


@pytest.mark.parametrize("share", [-0.1, 100.5])
def test_share_out_of_range_is_refused(share):
    with pytest.raises(AnswerError):
        score(SMALL, {"Q2": AnswerInput(share=share)})


def test_not_applicable_where_not_allowed_is_refused():
    with pytest.raises(AnswerError):
        score(SMALL, {"Q1": AnswerInput(not_applicable=True)})


def test_the_default_framework_is_dbi_shaped():
    codes = [p.code for p in DEFAULT.pillars]
    assert codes == [
        "customer",
        "strategy",
        "infrastructure",
        "operations",
        "culture",
        "data",
        "agri",
    ]
    assert 55 <= len(DEFAULT.criteria) <= 70
    assert [b.name.vi for b in DEFAULT.levels] == [
        "Chưa chuyển đổi số",
        "Khởi động",
        "Bắt đầu",
        "Hình thành",
        "Nâng cao",
        "Dẫn dắt",
    ]
    assert DEFAULT.pillar("agri").sectors == (
        "rice",
        "fruit",
        "aquaculture",
        "food_processing",
    )
    assert [p.code for p in DEFAULT.for_sector("handicraft").pillars][-1] == "data"


# --- Properties -------------------------------------------------------------------


def _answer_strategy(criterion):
    value = (
        st.builds(AnswerInput, option=st.integers(0, len(criterion.options) - 1))
        if criterion.kind == "ladder"
        else st.builds(
            AnswerInput, share=st.floats(0, 100, allow_nan=False, allow_infinity=False)
        )
    )
    options = [st.none(), value]
    if criterion.allow_not_applicable:
        options.append(st.just(AnswerInput(not_applicable=True)))
    return st.one_of(*options)


answers_strategy = st.fixed_dictionaries(
    {c.code: _answer_strategy(c) for c in DEFAULT.criteria}
).map(lambda d: {k: v for k, v in d.items() if v is not None})


def _all_scores(result):
    values = [result.overall]
    for pillar in result.pillars:
        values.append(pillar.score)
        values.extend(s.score for s in pillar.sub_indices)
    values.extend(v for _, v in result.criteria)
    return values


@settings(max_examples=60, deadline=None)
@given(answers=answers_strategy)
def test_scores_stay_in_bounds(answers):
    result = score(DEFAULT, answers)
    for value in _all_scores(result):
        assert value is None or 0.0 <= value <= 100.0
    assert 0 <= result.level <= 5


@settings(max_examples=60, deadline=None)
@given(answers=answers_strategy, data=st.data())
def test_a_better_answer_never_lowers_any_score(answers, data):
    criterion = data.draw(st.sampled_from(DEFAULT.criteria))
    current = answers.get(criterion.code)
    if current is not None and current.not_applicable:
        return
    if criterion.kind == "ladder":
        low = current.option if current and current.option is not None else 0
        better = AnswerInput(
            option=data.draw(st.integers(low, len(criterion.options) - 1))
        )
    else:
        low = current.share if current and current.share is not None else 0.0
        better = AnswerInput(
            share=data.draw(st.floats(low, 100, allow_nan=False, allow_infinity=False))
        )
    before = score(DEFAULT, answers)
    after = score(DEFAULT, {**answers, criterion.code: better})
    for old, new in zip(_all_scores(before), _all_scores(after), strict=True):
        if old is not None:
            assert new >= old
    assert after.level >= before.level


@settings(max_examples=40, deadline=None)
@given(answers=answers_strategy, data=st.data())
def test_not_applicable_never_changes_other_pillars(answers, data):
    candidates = [c for c in DEFAULT.criteria if c.allow_not_applicable]
    criterion = data.draw(st.sampled_from(candidates))
    before = score(DEFAULT, answers)
    after = score(
        DEFAULT, {**answers, criterion.code: AnswerInput(not_applicable=True)}
    )
    own = next(p.code for p in DEFAULT.pillars if criterion in p.criteria)
    for old, new in zip(before.pillars, after.pillars, strict=True):
        if old.code != own:
            assert old == new


@settings(max_examples=15, deadline=None)
@given(answers=answers_strategy)
def test_same_input_same_output(answers):
    again = json.loads(json.dumps(default_framework_data()))
    assert score(DEFAULT, answers) == score(parse(again), dict(answers))
