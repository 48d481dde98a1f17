"""Contract v2: how the information is shared (How?) and why it is necessary and
proportionate (Necessary and proportionate; Record), asked of every share; and the
version 2 shape of the decision."""

from __future__ import annotations

from mash.policy import SharingDecision, decide

from .helpers import EXAMPLE, reaching_consent


def test_a_share_lists_what_its_record_still_needs() -> None:
    data = decide(reaching_consent(consent={"status": "given"}, contract_version=2)).to_dict()
    assert data["record_needs"] == [
        "how",
        "necessity.necessary",
        "necessity.proportionate",
        "lawful_basis.article_6",
    ]


def test_a_share_with_how_necessity_and_a_confirmed_basis_needs_nothing_more() -> None:
    question = reaching_consent(
        consent={"status": "given"},
        how="secure_email",
        necessity={
            "necessary": "The school needs to know to keep the child safe at school.",
            "proportionate": "Only the dates of the incidents are shared.",
        },
        lawful_basis={"article_6": "6(1)(a)"},
    )
    data = decide(question).to_dict()
    assert data["record_needs"] == []
    assert data["how"] == "secure_email"
    assert data["lawful_basis"]["confirmed"] is True


def test_blank_necessity_reasons_are_still_needed() -> None:
    question = reaching_consent(
        consent={"status": "given"}, necessity={"necessary": "  ", "proportionate": "x"}
    )
    assert "necessity.necessary" in decide(question).to_dict()["record_needs"]


def test_a_v2_decision_validates_against_the_schema() -> None:
    data = decide({**EXAMPLE, "how": "strategy_discussion"}).to_dict()
    assert data["contract_version"] == 2
    SharingDecision.model_validate(data)


def test_a_v1_question_keeps_the_v1_shape() -> None:
    assert "contract_version" not in decide(EXAMPLE).to_dict()
