"""The lawful basis of a share, proposed from the answers (contract version 2).

Consent to Share Information: "In some cases, the work of the MASH might be obstructed if
Partners were to seek consent. In such cases the disclosing Partner must consider other
lawful basis for processing the information." The guidance is written against the data
protection law (7 Golden Rules 1: "GDPR and DPA 2018 is not a barrier to sharing
information"), so each share records:

- its UK GDPR Article 6(1) basis: (a) consent, (c) legal obligation, (d) vital interests,
  (e) public task;
- for special category ("sensitive") data, its Article 9(2) condition, and where that
  condition is (b), (g) or (h), the Data Protection Act 2018 Schedule 1 condition that
  goes with it (DPA 2018 s. 10(1)-(3));
- for criminal offence data, that Article 10 applies and the Schedule 1 condition that
  authorises it (DPA 2018 s. 10(5); Schedule 1 Part 3, para 36 extends the Part 2
  conditions, such as para 18, to it).

The engine proposes; the practitioner confirms or changes it (``lawful_basis`` in the
question), from the codes their agency may rely on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mash.policy.decision import Basis
from mash.policy.question import Article6, Article9, Criterion, Question, Schedule1

ARTICLE_6_WORDS: dict[str, str] = {
    "6(1)(a)": "UK GDPR Article 6(1)(a): consent",
    "6(1)(c)": "UK GDPR Article 6(1)(c): legal obligation",
    "6(1)(d)": "UK GDPR Article 6(1)(d): vital interests",
    "6(1)(e)": "UK GDPR Article 6(1)(e): public task (a task in the public interest or in "
    "the exercise of official authority)",
}
ARTICLE_9_WORDS: dict[str, str] = {
    "9(2)(a)": "UK GDPR Article 9(2)(a): explicit consent",
    "9(2)(b)": "UK GDPR Article 9(2)(b): employment, social security and social protection law",
    "9(2)(c)": "UK GDPR Article 9(2)(c): vital interests, where the person cannot give consent",
    "9(2)(g)": "UK GDPR Article 9(2)(g): reasons of substantial public interest",
    "9(2)(h)": "UK GDPR Article 9(2)(h): health or social care",
}
SCHEDULE_1_WORDS: dict[str, str] = {
    "para_2": "DPA 2018 Schedule 1 paragraph 2: health or social care purposes",
    "para_6": "DPA 2018 Schedule 1 paragraph 6: statutory and government purposes",
    "para_10": "DPA 2018 Schedule 1 paragraph 10: preventing or detecting unlawful acts",
    "para_18": "DPA 2018 Schedule 1 paragraph 18: safeguarding of children and of "
    "individuals at risk",
    "para_29": "DPA 2018 Schedule 1 paragraph 29: consent (criminal offence data)",
    "para_30": "DPA 2018 Schedule 1 paragraph 30: protecting the individual's vital interests "
    "(criminal offence data)",
}
ARTICLE_10 = "UK GDPR Article 10: criminal offence data, with a DPA 2018 Schedule 1 condition"
WORDS: dict[str, str] = {**ARTICLE_6_WORDS, **ARTICLE_9_WORDS, **SCHEDULE_1_WORDS}
"""Every code an agency may be allowed, in words (for the admin's list and the record)."""

_SAFEGUARDING_CRITERIA = frozenset({Criterion.PROTECTION_OF_VULNERABLE, Criterion.PUBLIC_SAFETY})


@dataclass(frozen=True, slots=True)
class LawfulBasis:
    """One lawful basis: Article 6, and where needed Article 9, Article 10, Schedule 1."""

    article_6: Article6 | None
    article_9: Article9 | None
    article_10: bool
    schedule_1: Schedule1 | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_6": self.article_6.value if self.article_6 else None,
            "article_9": self.article_9.value if self.article_9 else None,
            "article_10": self.article_10,
            "schedule_1": self.schedule_1.value if self.schedule_1 else None,
        }

    def words(self) -> list[str]:
        """Each part of the basis in words, citing the statute."""
        out = []
        if self.article_6 is not None:
            out.append(ARTICLE_6_WORDS[self.article_6.value])
        if self.article_9 is not None:
            out.append(ARTICLE_9_WORDS[self.article_9.value])
        if self.article_10:
            out.append(ARTICLE_10)
        if self.schedule_1 is not None:
            out.append(SCHEDULE_1_WORDS[self.schedule_1.value])
        return out


def _safeguarding_condition(question: Question) -> Schedule1:
    """Public Interest: the safeguarding condition (para 18) when the criteria are the
    protection of the vulnerable or public safety; otherwise, crime criteria, para 10."""
    other = question.other_basis
    pi = other.public_interest if other is not None else None
    criteria = set(pi.criteria or ()) if pi is not None else set()
    if criteria and not criteria & _SAFEGUARDING_CRITERIA:
        return Schedule1.UNLAWFUL_ACTS
    return Schedule1.SAFEGUARDING


def propose(question: Question, basis: Basis) -> LawfulBasis:
    """The lawful basis the answers point to, for a share resting on ``basis``.

    - consent: 6(1)(a); sensitive: 9(2)(a) explicit consent; criminal offence data:
      Schedule 1 para 29.
    - significant harm, urgency (Sharing without consent), or information that is not
      confidential but still identifies someone: 6(1)(e) public task; sensitive: 9(2)(g)
      with Schedule 1 para 18 (safeguarding of children and individuals at risk);
      criminal offence data: para 18 (by Schedule 1 para 36).
    - vital interests (When? Q5): 6(1)(d); sensitive: 9(2)(c); criminal: para 30.
    - a public function (When? Q5): 6(1)(e); sensitive: 9(2)(g) with para 6 (statutory
      purposes); criminal: para 6.
    - the public interest (Public Interest): 6(1)(e); sensitive: 9(2)(g) with para 18
      (protection of the vulnerable, public safety) or para 10 (crime criteria).
    - a legal obligation: 6(1)(c); sensitive: 9(2)(g) with para 6.
    - not identifying: not personal data, so no basis is needed (UK GDPR Recital 26).
    """
    sensitive = question.sensitive is True
    criminal = question.criminal_offence is True
    if basis is Basis.NOT_IDENTIFYING:
        return LawfulBasis(None, None, False, None)
    if basis is Basis.CONSENT:
        return LawfulBasis(
            Article6.CONSENT,
            Article9.EXPLICIT_CONSENT if sensitive else None,
            criminal,
            Schedule1.CONSENT if criminal else None,
        )
    if basis is Basis.VITAL_INTERESTS:
        return LawfulBasis(
            Article6.VITAL_INTERESTS,
            Article9.VITAL_INTERESTS if sensitive else None,
            criminal,
            Schedule1.VITAL_INTERESTS if criminal else None,
        )
    if basis in (Basis.PUBLIC_FUNCTION, Basis.LEGAL_OBLIGATION):
        article_6 = (
            Article6.LEGAL_OBLIGATION if basis is Basis.LEGAL_OBLIGATION else Article6.PUBLIC_TASK
        )
        return LawfulBasis(
            article_6,
            Article9.SUBSTANTIAL_PUBLIC_INTEREST if sensitive else None,
            criminal,
            Schedule1.STATUTORY_PURPOSES if sensitive or criminal else None,
        )
    condition = (
        _safeguarding_condition(question)
        if basis is Basis.PUBLIC_INTEREST
        else Schedule1.SAFEGUARDING
    )
    return LawfulBasis(
        Article6.PUBLIC_TASK,
        Article9.SUBSTANTIAL_PUBLIC_INTEREST if sensitive else None,
        criminal,
        condition if sensitive or criminal else None,
    )


def chosen(question: Question) -> LawfulBasis | None:
    """The practitioner's confirmed or changed basis, or None when none was given."""
    choice = question.lawful_basis
    if choice is None or (
        choice.article_6 is None and choice.article_9 is None and choice.schedule_1 is None
    ):
        return None
    return LawfulBasis(
        choice.article_6, choice.article_9, question.criminal_offence is True, choice.schedule_1
    )


def warnings(question: Question, basis: Basis, consent_valid: bool) -> list[str]:
    """What is wrong with the chosen basis given the answers (each citing its source)."""
    choice = chosen(question)
    if choice is None:
        return []
    out = []
    allowed = question.lawful_basis.allowed if question.lawful_basis is not None else None
    if allowed is not None:
        for code in (choice.article_6, choice.article_9, choice.schedule_1):
            if code is not None and code.value not in allowed:
                out.append(
                    f"{WORDS[code.value]} is not one of the lawful bases your agency may rely "
                    "on (agency's lawful bases)."
                )
    if choice.article_6 is Article6.CONSENT and not consent_valid:
        out.append(
            "Consent (UK GDPR Article 6(1)(a)) is chosen, but there is no valid consent for "
            "this share, so it cannot be the lawful basis (Consent)."
        )
    if choice.article_9 is Article9.EXPLICIT_CONSENT and not (
        consent_valid and question.consent is not None and question.consent.explicit is True
    ):
        out.append(
            "Explicit consent (UK GDPR Article 9(2)(a)) is chosen, but there is no valid "
            "explicit consent for this share (Consent to Share Information)."
        )
    if question.sensitive is True and basis is not Basis.NOT_IDENTIFYING:
        if choice.article_9 is None:
            out.append(
                "The information is special category (sensitive) data, so an Article 9(2) "
                "condition is needed as well as the Article 6 basis (UK GDPR Article 9)."
            )
        elif (
            choice.article_9
            in (
                Article9.SOCIAL_PROTECTION,
                Article9.SUBSTANTIAL_PUBLIC_INTEREST,
                Article9.HEALTH_OR_SOCIAL_CARE,
            )
            and choice.schedule_1 is None
        ):
            out.append(
                f"{ARTICLE_9_WORDS[choice.article_9.value]} needs a DPA 2018 Schedule 1 "
                "condition as well (DPA 2018 s. 10)."
            )
    if question.criminal_offence is True and choice.schedule_1 is None:
        out.append(
            "The information is criminal offence data, so a DPA 2018 Schedule 1 condition is "
            "needed (UK GDPR Article 10; DPA 2018 s. 10(5))."
        )
    return out
