"""Who acted and when: actors and dates belong to the predicate of their clause.

Sentences written for these tests, of the shapes that issue 12 names: a date
of another predicate ("a spokesman on April 16 denounced the launch"), an
actor of another predicate ("Seoul condemned the launch"), a pronoun subject
("Japan said it had launched"), background clauses ("since they met in June"),
joined paragraphs ("..., The rocket ..."), quoted titles, and other states'
launches. Real sentences are in ``tests/data/event_cases.csv``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.events import extract_events
from analysis.events.context import ARGUMENT, HEAD, sentence_parts, trigger_clause
from analysis.events.parties import is_state
from analysis.events.triggers import find_triggers, lower_keeping_offsets


def _events(body: str, published: str, title: str, outlet: str = "Test Wire") -> pd.DataFrame:
    articles = pd.DataFrame(
        [
            {
                "article_id": "a1",
                "source_id": "a1.md",
                "body": body,
                "published_date": pd.Timestamp(published),
                "title": title,
                "outlet": outlet,
            }
        ]
    )
    return extract_events(articles)


def _rows(events: pd.DataFrame, event_type: str) -> list[tuple[str, str, str]]:
    """(actor, date_start, date_end) of the rows of one type."""
    rows = events.loc[events["event_type"] == event_type]
    return [
        (r.actor, f"{r.date_start:%Y-%m-%d}", f"{r.date_end:%Y-%m-%d}") for r in rows.itertuples()
    ]


# ----------------------------------------------------------------- who acted


@pytest.mark.parametrize(
    ("body", "published", "title", "etype", "expected"),
    [
        # a pronoun subject after a reporting verb stands for the speaker
        (
            "Japan said it had launched a spy satellite on Tuesday.",
            "2023-03-02",
            "Japan launches spy satellite",
            "satellite_launch",
            [("JPN", "2023-02-28", "2023-02-28")],
        ),
        # the subject of a support verb acts ("conducted a ... test")
        (
            "The U.S. conducted another interceptor missile test on June 26 despite protests.",
            "2012-06-28",
            "U.S. missile test",
            "missile_launch",
            [("USA", "2012-06-26", "2012-06-26")],
        ),
        # ... and of a gerund after "succeeded in"
        (
            "Iran succeeded in putting a satellite into orbit in February this year.",
            "2012-03-10",
            "Iran's satellite",
            "satellite_launch",
            [("IRN", "2012-02-01", "2012-02-29")],
        ),
        # a second verb shares the subject of the first
        (
            "North Korea conducted its fourth nuclear test on Jan. 6 and a month later "
            "launched a long-range rocket.",
            "2016-04-05",
            "Sanctions tighten",
            "satellite_launch",
            [("PRK", "2016-02-01", "2016-02-29")],
        ),
        # a possessive pronoun stands for the party named before it
        (
            "The United States strongly condemns the DPRK for its launch of a ballistic missile.",
            "2022-03-24",
            "Statement on the DPRK's missile launch",
            "missile_launch",
            [("PRK", "2022-03-24", "2022-03-24")],
        ),
    ],
)
def test_a_launch_belongs_to_the_state_the_text_attaches_it_to(
    body, published, title, etype, expected
):
    assert _rows(_events(body, published, title), etype) == expected


def test_a_launch_reported_by_a_state_outlet_is_not_north_koreas_by_default():
    # Two sentences joined by ", " (as a corpus joins its paragraphs): the
    # second names no launcher; the first does.
    events = _events(
        "China on Sunday successfully launched a navigation satellite., A Long March rocket "
        "carrying the satellite took off on Sunday morning from the Xichang launch centre.",
        "2011-04-11",
        "China launches satellite",
    )
    assert _rows(events, "satellite_launch") == [("CHN", "2011-04-10", "2011-04-10")]


def test_a_reaction_does_not_make_its_subject_the_launcher():
    events = _events(
        "Seoul condemned the launch, which followed a nuclear test on Jan. 6.",
        "2016-02-08",
        "North Korea launches rocket",
    )
    assert _rows(events, "nuclear_test") == [("PRK", "2016-01-06", "2016-01-06")]


# ----------------------------------------------------------------- and when


def test_a_date_of_the_reaction_does_not_date_the_launch():
    events = _events(
        "A North Korean spokesman on April 16 denounced the launch of the satellite.",
        "2012-04-17",
        "Spokesman denounces sanctions",
    )
    assert events.empty


def test_a_launch_talked_about_by_others_is_not_breaking_news():
    events = _events(
        "A Peruvian group on May 8 denounced a statement accusing the DPRK of launching "
        "a satellite.",
        "2012-05-10",
        "Peruvian group supports DPRK satellite launch",
    )
    assert events.empty


def test_a_quoted_title_is_dated_by_its_document_not_the_event_in_it():
    events = _events(
        'The Hong Kong paper on March 22 in an article titled "North Korea launches '
        'satellite of peace" said the launch is peaceful.',
        "2012-03-29",
        "Paper supports DPRK satellite launch",
    )
    assert events.empty


def test_a_background_clause_keeps_its_own_date():
    events = _events(
        "South Korea's president will hold talks with Japan's prime minister on Friday, "
        "their third meeting since they met in Osaka in June.",
        "2019-10-21",
        "Leaders to meet",
    )
    talks = events.loc[events["modality"] == "planned"]
    assert [f"{d:%Y-%m-%d}" for d in talks["date_start"]] == ["2019-10-25"]
    # June dates the background meeting only, never the talks
    june = events.loc[events["date_start"].dt.month == 6]
    assert (june["modality"] == "happened").all()


def test_a_date_that_closes_the_clause_dates_its_verb_however_far():
    events = _events(
        "The DPRK launched its first application satellite Kwangmyongsong-3 at the Sohae "
        "Satellite Launching Station in Cholsan County, North Phyongan Province at 07:38:55 "
        "a.m. on Friday.,  The earth observation satellite failed to enter its preset orbit.",
        "2012-04-13",
        "DPRK's Satellite Fails to Enter Its Orbit",
    )
    assert _rows(events, "satellite_launch") == [("PRK", "2012-04-13", "2012-04-13")]


# ----------------------------------------------------------------- the clause facts


def _clause(text: str, trigger_text: str):
    low = lower_keeping_offsets(text)
    [match] = [m for m in find_triggers(low) if low[m.start : m.end] == trigger_text]
    return trigger_clause(text, low, match.start, match.end)


@pytest.mark.parametrize(
    ("text", "trigger_text", "role", "verbal"),
    [
        (
            "A spokesman on April 16 denounced the launch of the satellite.",
            "launch of the satellite",
            ARGUMENT,
            False,
        ),
        (
            "Japan said it had launched a spy satellite on Tuesday.",
            "launched a spy satellite",
            HEAD,
            True,
        ),
        ("The U.S. conducted a nuclear test.", "nuclear test", HEAD, False),
        ("Sanctions followed over its satellite launch.", "satellite launch", ARGUMENT, False),
        ("The DPRK's projected satellite launch is legitimate.", "satellite launch", HEAD, False),
    ],
)
def test_trigger_clause_tells_a_predicate_from_an_argument(text, trigger_text, role, verbal):
    facts = _clause(text, trigger_text)
    assert (facts.role, facts.verbal) == (role, verbal)


def test_sentence_parts_split_joined_paragraphs_but_not_abbreviations():
    assert len(sentence_parts("It fired on Friday., The U.S. said so.")) == 2
    assert len(sentence_parts("Talks with the U.S., Japan and the ROK began.")) == 1
    assert len(sentence_parts("Joseph R. Biden, Jr., met Yoon.")) == 1
    assert len(sentence_parts("A spokesman said:, We denounce it.")) == 2


def test_only_states_launch():
    assert is_state("PRK") and is_state("JPN")
    assert not is_state("UN") and not is_state("NATO") and not is_state(None)


# ----------------------------------------------- who takes part: the occasion


def _statement(body: str, published: str, title: str) -> pd.DataFrame:
    """Events of one White House text (its outlet speaks for the United States)."""
    return _events(body, published, title, outlet="The White House")


def _parties(events: pd.DataFrame, event_type: str) -> list[tuple[str, str, str]]:
    """(participants, date_start, date_end) of the rows of one type."""
    rows = events.loc[events["event_type"] == event_type]
    return [
        (r.participants, f"{r.date_start:%Y-%m-%d}", f"{r.date_end:%Y-%m-%d}")
        for r in rows.itertuples()
    ]


def test_a_joint_speaker_without_a_meeting_is_the_state_the_statement_speaks_for():
    # no meeting row: the warning is the statement's, not the tested state's
    body = (
        "Today in Manila, the Prime Minister of Australia, the President of the Philippines "
        "and the President of the United States reaffirmed their maritime partnership. "
        "They stress that a North Korean nuclear test would be met with a firm response."
    )
    events = _statement(
        body, "2024-05-02", "Manila Statement of Australia, the Philippines and the U.S."
    )
    assert _rows(events, "threat") == [("USA", "2024-05-02", "2024-05-02")]


def test_they_and_their_in_a_readout_stand_for_the_meetings_parties():
    body = (
        "President Biden met today with Prime Minister Albanese of Australia at the White House. "
        "They noted that their March 3 summit had deepened cooperation. "
        "The two leaders also committed to expand joint research."
    )
    events = _statement(body, "2024-04-10", "Readout of President Biden's Meeting with Australia")
    assert ("AUS;USA", "2024-03-03", "2024-03-03") in _parties(events, "meeting")
    assert _parties(events, "agreement") == [("AUS;USA", "2024-04-10", "2024-04-10")]


def test_a_plural_pronoun_in_another_clause_does_not_make_a_meeting_joint():
    # "they" is the subject of "said", not of the talks; only Spain is named
    body = (
        "President Biden met today with Prime Minister Albanese of Australia at the White House. "
        "They said Spain held a summit on March 3 on fisheries."
    )
    events = _statement(body, "2024-04-10", "Readout of President Biden's Meeting with Australia")
    assert ("AUS;USA", "2024-03-03", "2024-03-03") not in _parties(events, "meeting")


def test_a_we_opening_names_the_parties_of_a_joint_statement():
    body = (
        "We, the leaders of Canada, Japan and the United States, affirm a common vision "
        "for the Pacific. We also resolved to hold a trilateral summit every year."
    )
    events = _statement(body, "2024-06-01", "Pacific Principles")
    assert _parties(events, "agreement") == [("CAN;JPN;USA", "2024-06-01", "2024-06-01")]


def test_the_city_a_meeting_is_held_in_is_no_party():
    body = "Iran's foreign minister held talks in Doha on Monday on shipping."
    events = _events(body, "2024-04-10", "Talks on shipping")
    assert _parties(events, "meeting") == []
    # a capital standing for its government is a party
    body = "Iran's foreign minister held talks with Seoul on Monday on shipping."
    events = _events(body, "2024-04-10", "Talks on shipping")
    assert [p for p, _, _ in _parties(events, "meeting")] == ["IRN;KOR"]


def test_a_listed_subject_makes_a_joint_decision_of_all_its_parties():
    # the clause cut at the last comma still has the whole list as subject
    body = "Canada, the Philippines, and Japan are committed to a new coast guard network."
    events = _statement(body, "2024-06-01", "Joint Statement on Coast Guards")
    assert _parties(events, "agreement") == [("CAN;JPN;PHL", "2024-06-01", "2024-06-01")]
