"""The proposal finder (``mash.retention.redaction``): which spans of text it proposes
for redaction in a subject access export, and which it leaves alone. Pure Python: no
database."""

from __future__ import annotations

import pytest

from mash.retention.redaction import (
    REDACTED,
    KnownName,
    Subject,
    ThirdParty,
    apply,
    author_name,
    excerpt,
    names_in,
    person_name,
)

ADA = Subject(names=(("Ada", "Okafor"),))
MOTHER = KnownName("Grace", "Okafor", ThirdParty.OTHER_PERSON, detail="parent")
UNCLE = KnownName("Tomasz", "Nowak", ThirdParty.OTHER_PERSON, detail="other adult")


def _found(text: str, *names: KnownName, subject: Subject = ADA) -> list[str]:
    return [span.text for span in names_in(text, third_parties=names, subject=subject)]


def test_it_finds_another_persons_full_name_as_one_span() -> None:
    spans = names_in("Seen with Tomasz Nowak at the park.", third_parties=[UNCLE], subject=ADA)
    assert [(s.start, s.end, s.text) for s in spans] == [(10, 22, "Tomasz Nowak")]
    assert spans[0].kind is ThirdParty.OTHER_PERSON and spans[0].detail == "other adult"


def test_it_finds_given_and_family_names_alone() -> None:
    assert _found("Tomasz came round; later Nowak left.", UNCLE) == ["Tomasz", "Nowak"]


def test_it_ignores_case() -> None:
    assert _found("TOMASZ NOWAK and tomasz", UNCLE) == ["TOMASZ NOWAK", "tomasz"]


def test_a_full_name_split_over_lines_is_one_span() -> None:
    assert _found("said Tomasz\n  Nowak", UNCLE) == ["Tomasz\n  Nowak"]


def test_it_matches_whole_words_only() -> None:
    jo = KnownName("Jo", "Hart", ThirdParty.OTHER_PERSON)
    text = "Joanne went jogging with Hartley near Hart-Smith's; John met Jo's friend."
    assert _found(text, jo) == ["Jo"]
    assert _found("O'Hart and Hart.", jo) == ["Hart"]


def test_it_never_proposes_the_subjects_own_name() -> None:
    text = "Ada Okafor told her teacher that Ada's mother shouts."
    assert _found(text, MOTHER) == []


def test_a_family_name_shared_with_the_subject_is_proposed_only_in_the_full_name() -> None:
    text = "Grace Okafor, Ada Okafor's mother, said Ms Okafor was Grace to her friends."
    assert _found(text, MOTHER) == ["Grace Okafor", "Grace"]


def test_someone_with_the_subjects_own_full_name_is_left_out() -> None:
    twin = KnownName("Ada", "Okafor", ThirdParty.REFERRER)
    assert _found("Ada Okafor referred herself.", twin) == []


def test_an_initial_alone_is_not_matched() -> None:
    initial = KnownName("J", "Hart", ThirdParty.OPINION_AUTHOR)
    assert _found("J said that J Hart agreed.", initial) == ["J Hart"]


def test_the_longest_match_wins_where_two_people_share_a_name() -> None:
    father = KnownName("Tomasz", "Okafor", ThirdParty.OTHER_PERSON, detail="parent")
    spans = names_in("Tomasz Nowak and Tomasz Okafor", third_parties=[UNCLE, father], subject=ADA)
    assert [(s.text, s.detail) for s in spans] == [
        ("Tomasz Nowak", "other adult"),
        ("Tomasz Okafor", "parent"),
    ]


def test_other_names_are_matched_too() -> None:
    known = KnownName("Tomasz", "Nowak", ThirdParty.OTHER_PERSON, other=("Tom, Tommy",))
    assert _found("Tom and Tommy, not Tomato.", known) == ["Tom", "Tommy"]


def test_nothing_is_found_in_empty_text() -> None:
    assert _found("", UNCLE) == []


@pytest.mark.parametrize(
    ("source", "given", "family"),
    [
        ("Mrs Jo Okafor, class teacher", "Jo", "Okafor"),
        ("Jo Okafor's view", "Jo", "Okafor"),
        ("Class teacher (Mr Sam Reid)", "Sam", "Reid"),
        ("PC Hughes", "", "Hughes"),
        ("Dr. Amir Khan - GP", "Amir", "Khan"),
    ],
)
def test_an_opinions_author_is_read_from_its_source(source: str, given: str, family: str) -> None:
    author = author_name(source)
    assert author is not None
    assert (author.given, author.family, author.kind) == (
        given,
        family,
        ThirdParty.OPINION_AUTHOR,
    )


@pytest.mark.parametrize(
    "source",
    [
        "Class teacher's view",
        "School nurse",
        "Westfield Primary School",
        "St Mary's Hospital",
        "A&E attendance record",
        "Agency system",
        "Police",
        "",
    ],
)
def test_a_source_that_names_a_role_or_a_place_names_no_author(source: str) -> None:
    assert author_name(source) is None


def test_an_opinions_author_found_in_the_text_is_proposed_as_the_author() -> None:
    author = author_name("Mrs Jo Okafor, class teacher")
    assert author is not None
    spans = names_in("Jo thinks Ada is withdrawn.", third_parties=[author], subject=ADA)
    assert [(s.text, s.kind) for s in spans] == [("Jo", ThirdParty.OPINION_AUTHOR)]


def test_a_name_written_in_one_string_loses_its_title() -> None:
    name = person_name("Mrs Jo Ann Smith", ThirdParty.REFERRER)
    assert name is not None
    assert (name.given, name.other, name.family) == ("Jo", ("Ann",), "Smith")
    assert person_name("  ", ThirdParty.REFERRER) is None


def test_applying_replaces_each_span_and_keeps_the_rest() -> None:
    text = "Tomasz Nowak and Grace were there."
    assert apply(text, [(0, 12), (17, 22)]) == f"{REDACTED} and {REDACTED} were there."
    assert apply(text, []) == text


def test_the_excerpt_shows_the_span_with_some_text_either_side() -> None:
    text = "word " * 30 + "Tomasz" + " more" * 30
    before, span, after = excerpt(text, 150, 156, around=20)
    assert span == "Tomasz"
    assert before.startswith("…") and before.endswith("word ")
    assert after.startswith(" more") and after.endswith("…")
    assert excerpt("Tomasz", 0, 6) == ("", "Tomasz", "")
