"""``ShareAnswers``: what the decision page asks of every share, built and checked once
from the page, then handed to the engine and the service alike."""

from __future__ import annotations

import dataclasses

import pytest

from mash.policy import Article6, HowShared, Schedule1, decide
from mash.sharing.share_answers import NONE, ShareAnswers, needs_errors, proposed_raw

HARM = {
    "purpose": {"legitimate": True},
    "identifies_individual": True,
    "confidential": True,
    "criminal_offence": True,
    "consent": {"status": "refused"},
    "risk": {"significant_harm": True},
}


def _raw(**fields: str) -> dict[str, str]:
    return {
        "how": "hub",
        "necessary": "To judge the risk.",
        "proportionate": "Only the arrest.",
        "article_6": "6(1)(e)",
        "article_9": NONE,
        "schedule_1": "para_18",
        **fields,
    }


def test_the_pages_answers_become_the_contracts_version_2_keys() -> None:
    answers, errors = ShareAnswers.from_raw(_raw(), allowed=None)
    assert errors == {}
    assert answers.how is HowShared.HUB
    question = answers.apply(HARM)
    assert question["how"] == "hub"
    assert question["necessity"] == {
        "necessary": "To judge the risk.",
        "proportionate": "Only the arrest.",
    }
    assert question["lawful_basis"]["article_6"] == "6(1)(e)"
    assert question["lawful_basis"]["article_9"] is None
    decision = decide(question).to_dict()
    assert decision["record_needs"] == []
    assert decision["lawful_basis"]["confirmed"] is True


def test_a_frozen_value_cannot_be_changed() -> None:
    answers, _ = ShareAnswers.from_raw(_raw(), allowed=None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        answers.how = HowShared.TELEPHONE  # type: ignore[misc]
    assert answers.how is HowShared.HUB


def test_values_not_in_the_lists_are_errors_naming_the_field() -> None:
    _answers, errors = ShareAnswers.from_raw(
        _raw(how="fax", article_6="6(1)(f)", schedule_1="para_99"), allowed=None
    )
    assert errors == {
        "how": ["Select how the information will be shared from the list"],
        "article_6": ["Select the lawful basis from the list"],
        "schedule_1": ["Select the lawful basis from the list"],
    }


def test_a_basis_outside_the_agencys_list_is_refused_in_words() -> None:
    _answers, errors = ShareAnswers.from_raw(
        _raw(article_6="6(1)(a)"), allowed=["6(1)(e)", "para_18"], agency_name="Police"
    )
    assert errors == {
        "article_6": [
            "UK GDPR Article 6(1)(a): consent is not one of the lawful bases Police may rely "
            "on: choose one from the list, or ask your agency's administrator"
        ]
    }


def test_blank_answers_are_left_for_the_engines_record_needs() -> None:
    answers, errors = ShareAnswers.from_raw({}, allowed=None)
    assert errors == {}
    decision = decide(answers.apply(HARM)).to_dict()
    assert needs_errors(decision["record_needs"], decision["lawful_basis"]["warnings"]) == {
        "how": ["Select how the information will be shared"],
        "necessary": ["Enter why sharing this information is necessary"],
        "proportionate": ["Enter why what you share is proportionate"],
        "article_6": ["Confirm or choose the lawful basis (UK GDPR Article 6)"],
        "schedule_1": ["Confirm or choose the Data Protection Act 2018 Schedule 1 condition"],
    }


def test_the_proposal_fills_the_lawful_basis_fields() -> None:
    answers, _ = ShareAnswers.from_raw({}, allowed=None)
    lawful = decide(answers.apply(HARM)).to_dict()["lawful_basis"]
    assert proposed_raw(lawful) == {
        "article_6": "6(1)(e)",
        "article_9": NONE,
        "schedule_1": "para_18",
    }


def test_a_recorded_question_gives_back_its_answers() -> None:
    answers, _ = ShareAnswers.from_raw(_raw(how="secure_email"), allowed=None)
    again = ShareAnswers.from_question(answers.apply(HARM))
    assert again.how is HowShared.SECURE_EMAIL
    assert again.necessity == answers.necessity
    assert again.lawful_basis.article_6 is Article6.PUBLIC_TASK
    assert again.lawful_basis.schedule_1 is Schedule1.SAFEGUARDING
    assert again.to_raw() == {**_raw(how="secure_email"), "article_9": ""}
