"""Event extraction: triggers, modality, dates, actors, deduplication.

Sentences here are written for the tests (no text from ../shared).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import schema
from analysis.codes import code_for, event_codes
from analysis.events import (
    extract_events,
    find_keywords,
    find_triggers,
    load_lexicon,
    may_hold_keyword,
)
from analysis.events.modality import find_modality


def _articles(rows: list[dict]) -> pd.DataFrame:
    base = {
        "source_id": None,
        "outlet": "Wire",
        "url": None,
        "title": "",
        "section": None,
        "dateline": "SEOUL",
        "byline": None,
        "caption": None,
        "language": "en",
        "published_at": None,
        "timezone": "Asia/Seoul",
        "date_method": "metadata",
        "date_precision": "day",
        "n_words": 50,
        "duplicate_of": None,
        "format": "text",
    }
    out = []
    for i, row in enumerate(rows):
        r = {**base, "article_id": f"k{i}", **row}
        r["source_id"] = r["source_id"] or f"story-{i}.txt"
        out.append(r)
    frame = pd.DataFrame(out)
    frame["published_date"] = pd.to_datetime(frame["published_date"])
    return schema.conform(frame, schema.ARTICLES)


def _one(events: pd.DataFrame, etype: str) -> pd.Series:
    rows = events.loc[events["event_type"] == etype]
    assert len(rows) == 1, events[["event_type", "actor", "date_start", "evidence"]]
    return rows.iloc[0]


def test_launch_dated_by_weekday_with_class_count_and_codes():
    # 2024-03-14 is a Thursday
    arts = _articles(
        [
            {
                "title": "North Korea fires missiles",
                "body": "North Korea fired two short-range ballistic missiles into the sea "
                "on Monday, the South's military said.",
                "published_date": "2024-03-14",
            }
        ]
    )
    events = extract_events(arts)
    schema.check(events, schema.EVENTS)
    row = _one(events, "missile_launch")
    assert row["actor"] == "PRK"
    assert row["date_start"] == row["date_end"] == pd.Timestamp("2024-03-11")
    assert row["precision"] == "day" and row["modality"] == "happened"
    assert row["missile_class"] == "SRBM" and row["n_items"] == 2
    assert row["trigger"] == "fire_missile" and row["date_rule"].startswith("timex:")
    assert (row["cameo_code"], row["plover_type"]) == code_for("missile_launch")[:2]
    assert row["source_id"] == "story-0.txt" and row["article_id"] == "k0"
    body = arts.loc[0, "body"]
    assert body[row["start"] : row["end"]].lower().startswith("fired")


def test_background_event_gets_its_own_month_and_hypotheticals_are_dropped():
    arts = _articles(
        [
            {
                "body": "Officials said the North could conduct a nuclear test at any time. "
                "The country carried out its sixth nuclear test in September 2017.",
                "published_date": "2024-03-14",
            }
        ]
    )
    events = extract_events(arts)
    row = _one(events, "nuclear_test")
    assert (row["date_start"], row["date_end"]) == (
        pd.Timestamp("2017-09-01"),
        pd.Timestamp("2017-09-30"),
    )
    assert row["precision"] == "month"


def test_year_only_and_undated_events_are_not_events():
    arts = _articles(
        [
            {
                "title": "Analysis",
                "body": "Pyongyang has fired dozens of missiles this year. "
                "Experts discussed the missile program at length in a later session.",
                "published_date": "2024-03-14",
            }
        ]
    )
    assert extract_events(arts).empty


def test_breaking_news_lead_falls_back_to_publication_date_only_in_the_lead():
    lead = "North Korea fired a ballistic missile into the sea, the military said."
    arts = _articles(
        [
            {"title": "North Korea fires missile", "body": lead, "published_date": "2024-03-14"},
            {"title": "Markets", "body": lead, "published_date": "2024-03-14"},
        ]
    )
    events = extract_events(arts)
    assert events["article_id"].tolist() == ["k0"]
    assert events.loc[0, "date_rule"] == "fallback:breaking_news"
    assert events.loc[0, "date_start"] == pd.Timestamp("2024-03-14")


def test_planned_meeting_has_parties_and_next_weekday():
    arts = _articles(
        [
            {
                "body": "Defence officials from South Korea and Japan will meet on Friday "
                "to discuss the North's weapons programme.",
                "published_date": "2024-03-12",
            }
        ]
    )
    row = _one(extract_events(arts), "meeting")
    assert row["modality"] == "planned"
    assert row["participants"] == "JPN;KOR"
    assert row["date_start"] == pd.Timestamp("2024-03-15")


def test_sanctions_actor_is_the_imposer_not_the_target():
    arts = _articles(
        [
            {
                "body": "The U.N. Security Council imposed new sanctions on North Korea "
                "on Wednesday.",
                "published_date": "2024-03-14",
            }
        ]
    )
    row = _one(extract_events(arts), "sanctions")
    assert row["actor"] == "UN" and row["target"] == "PRK"


def test_each_event_takes_its_own_date_in_a_shared_sentence():
    arts = _articles(
        [
            {
                "body": "The North tested a nuclear device on Jan. 6 and launched a "
                "long-range rocket on Feb. 7.",
                "published_date": "2016-03-01",
            }
        ]
    )
    events = extract_events(arts).set_index("event_type")
    assert events.loc["nuclear_test", "date_start"] == pd.Timestamp("2016-01-06")
    assert events.loc["satellite_launch", "date_start"] == pd.Timestamp("2016-02-07")


def test_repeats_in_one_article_are_one_row_and_exact_duplicates_are_skipped():
    body = (
        "North Korea fired a cruise missile on Monday. "
        "The missile fired on Monday flew for two hours, officials said."
    )
    arts = _articles(
        [
            {"body": body, "published_date": "2024-03-14"},
            {"body": body, "published_date": "2024-03-14", "duplicate_of": "k0"},
        ]
    )
    events = extract_events(arts)
    assert len(events) == 1
    assert events.loc[0, "missile_class"] == "cruise"


def test_denied_events_are_kept_as_denied():
    arts = _articles(
        [
            {
                "body": "South Korea denied that it fired artillery shells across the border "
                "on Tuesday.",
                "published_date": "2024-03-14",
            }
        ]
    )
    row = _one(extract_events(arts), "artillery_fire")
    assert row["modality"] == "denied"


def test_triggers_resolve_overlaps_by_priority_and_skip_technology():
    matches = find_triggers("Officials condemned the use of ballistic missile technology.")
    assert [m.trigger.event_type for m in matches] == []
    matches = find_triggers("The army fired artillery shells during a live-fire drill.")
    assert [m.trigger.event_type for m in matches] == ["artillery_fire", "artillery_fire"]


def test_lexicon_and_codes_are_complete():
    lex = load_lexicon()
    types = {t.event_type for t in lex.triggers}
    assert set(schema.EVENT_TYPES) - types == set()
    codes = event_codes()
    assert sorted(codes["event_type"]) == sorted(schema.EVENT_TYPES)
    with pytest.raises(KeyError):
        code_for("picnic")


def test_codes_agree_with_the_published_tables(shared):
    goldstein = pd.read_csv(
        shared / "reference" / "cameo_goldstein.tsv", sep="\t", dtype={"CAMEOEVENTCODE": str}
    ).set_index("CAMEOEVENTCODE")["GOLDSTEINSCALE"]
    plover = {}
    for line in (shared / "reference" / "cameo_to_plover.txt").read_text("utf-8").splitlines():
        code, sep, rest = line.partition(":")
        if sep and code.strip().isdigit():
            plover[code.strip()] = rest.split(",")[0].split("#")[0].strip()
    for row in event_codes().itertuples():
        assert goldstein[row.cameo_code] == pytest.approx(row.goldstein), row.event_type
        assert plover[row.cameo_code] == row.plover_type, row.event_type


def test_empty_and_bad_input():
    empty = schema.empty(schema.ARTICLES)
    out = extract_events(empty)
    assert out.empty and list(out.columns) == list(schema.EVENTS)
    with pytest.raises(schema.SchemaError):
        extract_events(pd.DataFrame({"body": ["x"]}))


def test_offsets_survive_characters_that_lower_case_to_two():
    text = "İstanbul talks aside, North Korea fired two missiles on Monday."
    (match,) = find_triggers(text)
    assert text[match.start : match.end] == "fired two missiles"


def test_event_anchored_offsets_and_the_articles_launch():
    arts = _articles(
        [
            {
                "title": "North Korea fires missile",
                "body": "North Korea fired a ballistic missile on Saturday, the military said. "
                "The launch came a day after the United States and South Korea agreed to "
                "deploy a missile defence system.",
                "published_date": "2016-07-09",
            }
        ]
    )
    events = extract_events(arts).set_index("event_type")
    assert events.loc["missile_launch", "date_start"] == pd.Timestamp("2016-07-09")
    assert events.loc["agreement", "date_start"] == pd.Timestamp("2016-07-08")
    assert events.loc["agreement", "date_rule"] == "timex:offset_from_event"
    assert events.loc["agreement", "participants"] == "KOR;USA"


def test_articles_in_other_languages_are_not_read():
    body = "North Korea fired two ballistic missiles on Monday, the military said."
    arts = _articles(
        [
            {"body": body, "published_date": "2024-03-14", "language": "es"},
            {"body": body, "published_date": "2024-03-14", "language": "und"},
        ]
    )
    assert extract_events(arts)["article_id"].tolist() == ["k1"]


def test_without_a_headline_the_lead_sentence_stands_for_it():
    lead = "North Korea fired a ballistic missile into the sea, the military said."
    arts = _articles(
        [{"title": None, "body": lead + " Japan protested.", "published_date": "2024-03-14"}]
    )
    events = extract_events(arts)
    assert events["date_rule"].tolist() == ["fallback:breaking_news"]


def _events_of(body: str, *, title: str = "Story", published: str = "2024-03-14") -> pd.DataFrame:
    return extract_events(_articles([{"title": title, "body": body, "published_date": published}]))


@pytest.mark.parametrize(
    "sentence",
    [
        # demands, proposals, hedges and "mulling" are not events yet
        "On March 4, Pyongyang demanded the conclusion of a peace treaty with Washington.",
        "Seoul proposed to hold summit talks with the North in late April.",
        "Concerns that the North is about to conduct another nuclear test grew in early March.",
        "The U.S. is mulling staging joint military exercises with Seoul from March 20 to 31.",
        # a trend or a count of occurrences is no single event
        "North Korea has fired cruise missiles five times since late January, officials said.",
        "The allies staged joint exercises from January to March twice as many as last year.",
        # a photo's date is the picture's
        "A photo released by the agency on Tuesday, March 12, shows Kim watching a drill.",
        # dangers described, not threats made
        "Relations are threatened with the outbreak of a war at any moment, it said on Monday.",
        "Officials on Monday discussed setting a flood warning period before the rainy season "
        "and the response of military units.",
        "On Monday it called the exercise a drill for a preemptive nuclear attack on the North.",
        # interceptors and air strikes are not the launches of the guidelines
        "On Monday a warship of Germany launched two interceptor missiles at a drone.",
        "On Monday a U.S. drone fired missiles at a compound in the mountains.",
        # site visits, gifts and letters are no meetings or agreements
        "On Monday Kim Jong Un visited the Revolutionary Martyrs Cemetery on Mt Taesong.",
        "Kim received a gift from a Chinese visitor on a visit to the country on Monday.",
        "On Monday an open letter was signed by more than 300 Koreans in Japan and the U.S.",
    ],
)
def test_not_events(sentence):
    assert _events_of(sentence, title="Commentary").empty, sentence


def test_a_visit_abroad_is_still_a_meeting():
    events = _events_of(
        "Kim Jong Un will pay a visit to the northeast area of China on March 20.",
        title="Visit",
    )
    row = _one(events, "meeting")
    assert row["participants"] == "CHN;PRK" and row["modality"] == "planned"


def test_passive_talks_and_dialogue_between_are_meetings():
    events = _events_of(
        "Talks were held on Monday between delegations of North Korea and China.",
        published="2024-03-14",
    )
    row = _one(events, "meeting")
    assert row["participants"] == "CHN;PRK"
    assert row["date_start"] == pd.Timestamp("2024-03-11")


def test_a_closed_relative_clause_leaves_the_date_to_the_main_clause():
    events = _events_of(
        "Pyongyang launched a long-range rocket, which Seoul sees as a cover for a ballistic "
        "missile, on February 7, after its nuclear test on January 6.",
        published="2024-03-14",
    )
    row = _one(events, "satellite_launch")
    assert row["date_start"] == pd.Timestamp("2024-02-07")


def test_a_date_before_a_consequence_clause_dates_the_cause_only():
    events = _events_of(
        "The North conducted a long-range rocket launch last month, triggering new U.N. sanctions.",
        published="2024-03-14",
    )
    assert _one(events, "satellite_launch")["date_start"] == pd.Timestamp("2024-02-01")
    assert events.loc[events["event_type"] == "sanctions"].empty


def test_a_cause_named_in_passing_gets_no_breaking_news_date():
    events = _events_of(
        "North Korea said Friday it had tested an underwater weapon system in response to a "
        "naval exercise by South Korea, the United States and Japan.",
        title="North Korea tests underwater weapon after drill",
        published="2024-01-19",
    )
    assert events.loc[events["event_type"] == "military_exercise"].empty


def test_border_incident_takes_the_passive_agent():
    events = _events_of(
        "On Friday morning, rubbish scattered by a large balloon sent by the ROK was found "
        "near the border.",
        published="2024-10-18",
    )
    row = _one(events, "border_incident")
    assert row["actor"] == "KOR"
    assert row["date_start"] == pd.Timestamp("2024-10-18")


def test_a_date_naming_a_document_or_a_report_dates_no_event():
    # "the June 15 joint declaration" is a name; "in a statement on March 4"
    # and "Tuesday observes" date the writing, not the exercise it is about.
    assert _events_of(
        "The group abused the June 15 joint declaration and the October 4 declaration.",
        title="Commentary",
    ).empty
    assert _events_of(
        "A friendship group in a statement on March 4 protested against the joint military "
        "exercises of the U.S. and South Korea.",
        title="Commentary",
    ).empty
    assert _events_of(
        "The joint military exercises of the U.S. and South Korea are a rehearsal for war, "
        "Rodong Sinmun Tuesday observes.",
        title="Commentary",
    ).empty
    dated = _events_of(
        "The U.S. and South Korea began joint military exercises on March 4.",
        title="Commentary",
    )
    assert _one(dated, "military_exercise")["date_start"] == pd.Timestamp("2024-03-04")


@pytest.mark.parametrize(
    "text",
    [
        "un accord signed",  # keywords that end in a space, back to back
        "The UN",  # ... and at the very end
        "kn-08 missile, u.n. sanctions",
        "x-missile",  # a mark before a keyword is a boundary
        "submissile",  # a letter is not
        "Ok, K\u212a\u212aN-08",  # the Kelvin sign lower-cases to k
        "x \u017fanction",  # the long s does not
        "",
    ],
)
def test_fast_keyword_scan_and_gate_agree_with_the_plain_pattern(text):
    # find_keywords is the fast form of the lexicon's plain keyword pattern
    # and must equal it; the RE2 sentence gate may only over-flag.
    lex = load_lexicon()
    low = text.lower()
    plain = [(m.start(), m.group()) for m in lex.prefilter.finditer(low)]
    assert find_keywords(low, lex) == plain
    for start in range(len(low)):
        sub = [(m.start(), m.group()) for m in lex.prefilter.finditer(low, start)]
        assert find_keywords(low, lex, start) == sub
    (flag,) = may_hold_keyword(pd.Series([text], dtype="string"), lex)
    assert flag or not plain
    # What the scan is for: the patterns it picks find what all patterns find.
    gated = [(m.start, m.end, m.trigger.name) for m in find_triggers(text)]
    assert gated == [(m.start, m.end, m.trigger.name) for m in find_triggers(text, gate=False)]


@pytest.mark.parametrize(
    ("title", "body", "published", "date", "rule"),
    [
        # "will meet": planned, though no verb near "Monday" says so.
        (
            "Talks",
            "The U.S. envoy will meet Japanese officials in Tokyo and the foreign minister "
            "of South Korea in Seoul on Monday.",
            "2024-03-14",
            "2024-03-18",
            "timex:weekday_past+future",
        ),
        # "fired": it happened, though "could" stands nearer "Friday".
        (
            "Missile",
            "North Korea fired a missile that experts say could reach Japan on Friday.",
            "2024-03-13",
            "2024-03-08",
            "timex:weekday_future+past",
        ),
        # "planning": a day without a year that has passed is the next one.
        (
            "Drills",
            "South Korea and the United States are planning to stage joint drills that "
            "started on Feb. 20.",
            "2024-03-14",
            "2025-02-20",
            "timex:month_day+planned_next_year",
        ),
    ],
)
def test_the_event_modality_moves_a_date_its_verb_misplaced(title, body, published, date, rule):
    events = extract_events(
        _articles([{"title": title, "body": body, "published_date": published}])
    )
    assert len(events) == 1, events
    row = events.iloc[0]
    assert (row["date_start"], row["date_rule"]) == (pd.Timestamp(date), rule)


# ------------------------------------------------------- diplomacy and statements


def _rows(events: pd.DataFrame, etype: str) -> list[tuple]:
    """(actor, participants, date_start, date_end, modality, date_rule) of each row of a type."""
    rows = events.loc[events["event_type"] == etype]
    return [
        (
            r.actor,
            r.participants,
            f"{r.date_start:%Y-%m-%d}",
            f"{r.date_end:%Y-%m-%d}",
            r.modality,
            r.date_rule,
        )
        for r in rows.itertuples()
    ]


def test_a_readout_dates_the_undated_joint_decision_by_its_meeting():
    # 2024-03-14: the readout is issued the day after the meeting
    events = _events_of(
        "The U.S. Secretary of State met with the South Korean Foreign Minister in Seoul "
        "yesterday. They committed to deepen cooperation on supply chains.",
        title="Readout of the Secretary's Meeting with the Foreign Minister",
    )
    assert _rows(events, "agreement") == [
        ("USA", "KOR;USA", "2024-03-13", "2024-03-13", "happened", "fallback:occasion")
    ]


def test_one_side_reaffirming_its_own_commitment_is_no_agreement():
    events = _events_of(
        "The U.S. Secretary of State met with the South Korean Foreign Minister today. "
        "The United States reaffirmed its commitment to the defense of South Korea.",
        title="Readout of the Secretary's Meeting",
    )
    assert _rows(events, "agreement") == []
    assert len(_rows(events, "meeting")) == 1


def test_a_joint_statement_dates_its_pledges_by_its_issue():
    events = _events_of(
        "We, the leaders of Japan and the United States, affirm a shared vision for the region.",
        title="Joint Leaders' Statement",
    )
    assert _rows(events, "agreement") == [
        ("JPN", "JPN;USA", "2024-03-14", "2024-03-14", "happened", "fallback:statement")
    ]


def test_an_undated_joint_decision_in_a_news_story_is_no_event():
    # no meeting on the story's day and no statement: nothing dates it
    events = _events_of("Japan and China agreed to resume talks on fisheries.")
    assert events.empty


def test_a_decision_in_a_meetings_relative_clause_takes_its_date():
    events = _events_of(
        "It follows the trilateral meeting on Sunday with Japan and South Korea, where the "
        "leaders resolved to deepen cooperation.",
        title="Statement on the Launch",
    )
    agreements = _rows(events, "agreement")
    assert [(a[2], a[5]) for a in agreements] == [("2024-03-10", "fallback:occasion")]


def test_a_conditional_warning_is_the_speakers_threat():
    events = _events_of(
        "The United States reaffirmed that any attack by North Korea will be met with a swift "
        "and decisive response.",
        title="Statement by the Press Secretary",
    )
    assert _rows(events, "threat") == [
        ("USA", "", "2024-03-14", "2024-03-14", "happened", "fallback:statement")
    ]


def test_a_multilateral_gathering_is_no_meeting_of_its_own():
    events = _events_of(
        "The leaders of South Korea and Japan met on the sidelines of the G20 summit on Saturday."
    )
    rows = events.loc[events["event_type"] == "meeting"]
    assert rows["trigger"].tolist() == ["met"]
    assert rows["participants"].tolist() == ["JPN;KOR"]


def test_held_a_meeting_is_a_meeting_only_with_someone():
    with_someone = _events_of(
        "The foreign minister of North Korea had a conversation with the Chinese ambassador on "
        "Thursday."
    )
    assert [r[1] for r in _rows(with_someone, "meeting")] == ["CHN;PRK"]
    session = _events_of("The association of Koreans in Japan held a meeting on Thursday.")
    assert _rows(session, "meeting") == []


def test_a_keyword_inside_a_longer_one_still_calls_its_triggers():
    # "met with" and "space launch" are keywords that hold "met" and "launch"
    for text, name in [
        ("At the summit, the president met with the premier on Monday.", "met"),
        ("This claimed space launch used missile technology.", "rocket_launch_noun"),
    ]:
        fast = [(m.start, m.end, m.trigger.name) for m in find_triggers(text)]
        full = [(m.start, m.end, m.trigger.name) for m in find_triggers(text, gate=False)]
        assert fast == full and name in {n for *_, n in fast}, (text, fast, full)


def test_the_month_may_is_no_modal():
    lex = load_lexicon()
    for text, modality in [
        ("they reviewed progress since the may summit with japan.", "happened"),
        ("the two leaders may hold a summit with japan.", None),
    ]:
        (match,) = find_triggers(text, lexicon=lex)
        assert find_modality(text, match, lex) == modality, text


def test_a_dateline_left_in_the_body_names_no_party():
    events = _events_of("SEOUL, South Korea — Japanese and Chinese envoys met on Monday.")
    assert [r[1] for r in _rows(events, "meeting")] == ["CHN;JPN"]


def test_a_visit_of_several_days_and_the_talks_during_it_are_two_meetings():
    events = _events_of(
        "South Korean President Yoon Suk Yeol will visit Japan from March 18 to 20. South Korean "
        "President Yoon Suk Yeol and Japanese Prime Minister Fumio Kishida will hold talks on "
        "March 19."
    )
    assert sorted((r[2], r[3]) for r in _rows(events, "meeting")) == [
        ("2024-03-18", "2024-03-20"),
        ("2024-03-19", "2024-03-19"),
    ]


def test_first_person_in_a_transcript_is_the_speaker_under_its_label():
    # Remarks: a capitalised label opens each turn; "I" is that speaker's.
    body = (
        "The Presidential Office\nSeoul, Republic of Korea\n3:00 P.M. KST\n"
        "PRESIDENT BIDEN:  Thank you all. I visited Japan last week.\n"
        "PRESIDENT YOON:  (As interpreted.)  Thank you. "
        "I met the Chinese foreign minister yesterday.\n"
        "Q:  One question, please."
    )
    arts = _articles([{"body": body, "published_date": "2022-05-21", "outlet": "The White House"}])
    events = extract_events(arts).set_index("date_start")
    assert events.loc[pd.Timestamp("2022-05-20"), "actor"] == "KOR"
    assert events.loc[pd.Timestamp("2022-05-09"), "actor"] == "USA"
    # The same words with one label are no transcript: the outlet speaks.
    one = body.replace("PRESIDENT BIDEN:  ", "").replace("Q:  ", "")
    arts = _articles([{"body": one, "published_date": "2022-05-21", "outlet": "The White House"}])
    assert set(extract_events(arts)["actor"]) == {"USA"}
