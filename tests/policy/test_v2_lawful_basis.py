"""Contract v2: the lawful basis proposed from the answers (UK GDPR Articles 6, 9 and 10;
DPA 2018 Schedule 1) and the practitioner's confirmed or changed choice."""

from __future__ import annotations

from typing import Any

import pytest

from mash.policy import QuestionError, decide, validate

from .helpers import reaching_consent, without_consent


def basis_of(question: dict[str, Any]) -> dict[str, Any]:
    data = decide({**question, "contract_version": 2}).to_dict()
    assert data["outcome"] == "share", data["reasons"]
    proposed: dict[str, Any] = data["lawful_basis"]["proposed"]
    return proposed


def test_consent_given_proposes_article_6_1_a() -> None:
    assert basis_of(reaching_consent(consent={"status": "given"})) == {
        "article_6": "6(1)(a)",
        "article_9": None,
        "article_10": False,
        "schedule_1": None,
    }


def test_explicit_consent_to_share_sensitive_data_proposes_article_9_2_a() -> None:
    question = reaching_consent(sensitive=True, consent={"status": "given", "explicit": True})
    assert basis_of(question)["article_9"] == "9(2)(a)"


def test_consent_to_share_criminal_offence_data_proposes_schedule_1_para_29() -> None:
    question = reaching_consent(criminal_offence=True, consent={"status": "given"})
    proposed = basis_of(question)
    assert proposed["article_10"] is True
    assert proposed["schedule_1"] == "para_29"


@pytest.mark.parametrize("risk", [{"significant_harm": True}, {"urgent": True}])
def test_significant_harm_or_urgency_proposes_public_task_and_safeguarding(
    risk: dict[str, bool],
) -> None:
    question = without_consent(sensitive=True, risk=risk)
    assert basis_of(question) == {
        "article_6": "6(1)(e)",
        "article_9": "9(2)(g)",
        "article_10": False,
        "schedule_1": "para_18",
    }


def test_significant_harm_without_special_category_data_needs_no_schedule_1_condition() -> None:
    proposed = basis_of(without_consent(risk={"significant_harm": True}))
    assert proposed["article_6"] == "6(1)(e)"
    assert proposed["article_9"] is None and proposed["schedule_1"] is None


def test_criminal_offence_data_shared_for_safeguarding_uses_para_18() -> None:
    question = without_consent(criminal_offence=True, risk={"significant_harm": True})
    proposed = basis_of(question)
    assert proposed["article_10"] is True and proposed["schedule_1"] == "para_18"


def test_vital_interests_proposes_article_6_1_d_and_9_2_c() -> None:
    question = without_consent(sensitive=True, other_basis={"vital_interests": True})
    proposed = basis_of(question)
    assert (proposed["article_6"], proposed["article_9"]) == ("6(1)(d)", "9(2)(c)")


def test_a_public_function_proposes_public_task_with_statutory_purposes() -> None:
    question = without_consent(sensitive=True, other_basis={"public_function": True})
    proposed = basis_of(question)
    assert (proposed["article_6"], proposed["schedule_1"]) == ("6(1)(e)", "para_6")


def test_a_legal_obligation_is_a_ground_and_proposes_article_6_1_c() -> None:
    data = decide(without_consent(other_basis={"legal_obligation": True})).to_dict()
    assert data["outcome"] == "share"
    assert data["basis"] == "legal_obligation"
    assert data["without_consent"] is True
    assert data["lawful_basis"]["proposed"]["article_6"] == "6(1)(c)"


def test_public_interest_in_crime_uses_preventing_or_detecting_unlawful_acts() -> None:
    question = without_consent(
        sensitive=True,
        other_basis={
            "public_interest": {
                "criteria": ["detection_of_crime"],
                "test": {
                    "proportionate": True,
                    "alternative_means": False,
                    "necessary_to_prevent_or_detect_crime": True,
                },
            }
        },
    )
    assert basis_of(question)["schedule_1"] == "para_10"


def test_information_that_identifies_nobody_needs_no_lawful_basis() -> None:
    data = decide(
        {"purpose": {"legitimate": True}, "identifies_individual": False, "contract_version": 2}
    ).to_dict()
    assert data["lawful_basis"]["proposed"]["article_6"] is None
    assert any("not personal data" in reason for reason in data["reasons"])


def test_no_lawful_basis_is_proposed_when_not_sharing() -> None:
    data = decide({"purpose": {"legitimate": False}, "contract_version": 2}).to_dict()
    assert data["lawful_basis"] is None
    assert data["record_needs"] == []


def test_the_practitioner_confirms_the_proposal() -> None:
    question = without_consent(
        sensitive=True,
        risk={"significant_harm": True},
        lawful_basis={"article_6": "6(1)(e)", "article_9": "9(2)(g)", "schedule_1": "para_18"},
    )
    basis = decide(question).to_dict()["lawful_basis"]
    assert basis["confirmed"] is True
    assert basis["chosen"] == basis["proposed"]
    assert basis["warnings"] == []
    assert "DPA 2018 Schedule 1 paragraph 18" in basis["words"][-1]


def test_choosing_consent_without_valid_consent_is_warned() -> None:
    question = without_consent(
        risk={"significant_harm": True}, lawful_basis={"article_6": "6(1)(a)"}
    )
    basis = decide(question).to_dict()["lawful_basis"]
    assert basis["confirmed"] is False
    assert any("no valid consent" in warning for warning in basis["warnings"])


def test_special_category_data_without_an_article_9_condition_is_warned() -> None:
    question = without_consent(
        sensitive=True, risk={"significant_harm": True}, lawful_basis={"article_6": "6(1)(e)"}
    )
    basis = decide(question).to_dict()["lawful_basis"]
    assert any("Article 9(2) condition is needed" in warning for warning in basis["warnings"])


def test_a_choice_outside_the_agencys_allowed_list_is_an_error_naming_the_field() -> None:
    with pytest.raises(QuestionError) as error:
        validate(
            without_consent(
                lawful_basis={"article_6": "6(1)(c)", "allowed": ["6(1)(a)", "6(1)(e)"]}
            )
        )
    assert error.value.paths == ["lawful_basis.article_6"]
    assert "6(1)(c) is not one of the lawful bases your agency may rely on" in str(error.value)


def test_a_choice_inside_the_allowed_list_is_accepted() -> None:
    question = validate(
        without_consent(lawful_basis={"article_6": "6(1)(e)", "allowed": ["6(1)(e)", "para_18"]})
    )
    assert question.lawful_basis is not None


def test_an_unknown_article_code_is_an_error() -> None:
    with pytest.raises(QuestionError) as error:
        validate(without_consent(lawful_basis={"article_6": "6(1)(f)"}))
    assert error.value.paths == ["lawful_basis.article_6"]
