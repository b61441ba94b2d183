"""Actor mentions: registry matching, variants, non-actors, roles by date.

The sentences are written for these tests.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pycountry
import pytest
from conftest import shared_path
from nlp_corpora import read_seed

from analysis import schema
from analysis.nlp import find_mentions, load_registry, match_actors, split_sentences
from analysis.nlp.actors import (
    ACTOR_KINDS,
    SILENT_KINDS,
    TITLE_KIND,
    home_state,
    office_holder,
    role_on,
    state_aliases,
)
from analysis.resources import read_csv

SEED = "000_b0b6ea29c2469582.txt"


def actors(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], actor) for s, e, actor, _kind, _person in match_actors(text)]


def kinds(text: str) -> list[tuple[str, str, str]]:
    return [(text[s:e], actor, kind) for s, e, actor, kind, _person in match_actors(text)]


def people(text: str, day: str, home: str | None = None) -> list[tuple[str, str, str]]:
    """The person mentions of ``text`` published on ``day``: (text, actor, person)."""
    found = match_actors(text, day=dt.date.fromisoformat(day), home=home)
    return [(text[s:e], actor, person) for s, e, actor, kind, person in found if kind == "person"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kim Jong-un spoke.", [("Kim Jong-un", "PRK")]),
        ("Kim Jong Un spoke.", [("Kim Jong Un", "PRK")]),
        ("Kim Jong Eun spoke.", [("Kim Jong Eun", "PRK")]),
        ("Kim Yo Jong warned Seoul.", [("Kim Yo Jong", "PRK"), ("Seoul", "KOR")]),
        (
            "Pyongyang fired; Tokyo and Beijing protested.",
            [("Pyongyang", "PRK"), ("Tokyo", "JPN"), ("Beijing", "CHN")],
        ),
        ("Moscow and Kyiv traded blows.", [("Moscow", "RUS"), ("Kyiv", "UKR")]),
        ("Washington said so.", [("Washington", "USA")]),
        ("The UN Security Council met.", [("UN Security Council", "UN")]),
        ("The U.N. Security Council met.", [("U.N. Security Council", "UN")]),
        ("USFK and the JCS said the KPA moved.", [("USFK", "USA"), ("JCS", "KOR"), ("KPA", "PRK")]),
        (
            "IAEA inspectors and NATO and the EU and ASEAN.",
            [("IAEA", "IAEA"), ("NATO", "NATO"), ("EU", "EU"), ("ASEAN", "ASEAN")],
        ),
        ("The DPRK and the ROK.", [("DPRK", "PRK"), ("ROK", "KOR")]),
        (
            "The Democratic People's Republic of Korea said.",
            [("Democratic People's Republic of Korea", "PRK")],
        ),
        ("The Republic of Korea said.", [("Republic of Korea", "KOR")]),
        (
            "North Korean troops and South Korean police.",
            [("North Korean", "PRK"), ("South Korean", "KOR")],
        ),
        ("N. Korea and S. Korea.", [("N. Korea", "PRK"), ("S. Korea", "KOR")]),
        (
            "Choe Son Hui met Sergey Lavrov and Vladimir Putin.",
            [("Choe Son Hui", "PRK"), ("Sergey Lavrov", "RUS"), ("Vladimir Putin", "RUS")],
        ),
        (
            "Yoon Suk Yeol and Lee Jae-myung and Moon Jae-in.",
            [("Yoon Suk Yeol", "KOR"), ("Lee Jae-myung", "KOR"), ("Moon Jae-in", "KOR")],
        ),
        (
            "Xi Jinping and Wang Yi met Fumio Kishida.",
            [("Xi Jinping", "CHN"), ("Wang Yi", "CHN"), ("Fumio Kishida", "JPN")],
        ),
        (
            "Sung Kim and Jung Pak met Kim Gunn.",
            [("Sung Kim", "USA"), ("Jung Pak", "USA"), ("Kim Gunn", "KOR")],
        ),
        (
            "USAID, KOICA and JICA; the Defense Department and the China Coast Guard.",
            [
                ("USAID", "USA"),
                ("KOICA", "KOR"),
                ("JICA", "JPN"),
                ("Defense Department", "USA"),
                ("China Coast Guard", "CHN"),
            ],
        ),
    ],
)
def test_actor_variants(text: str, expected: list[tuple[str, str]]) -> None:
    assert actors(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "KCNA said.",
        "The Korean Central News Agency reported.",
        "Yonhap and Rodong Sinmun and Reuters reported.",
        "The Korean Peninsula and the Korean War.",
        "A Korean restaurant.",
        "Ships in the South China Sea and the Sea of Japan.",
        "The USS George Washington docked.",
        "KCNAX and XKCNA are not outlets.",
        "It cost US$100.",
        "The National Security Council met.",
    ],
)
def test_non_actors(text: str) -> None:
    assert actors(text) == []


def test_provinces_are_not_north_korea() -> None:
    found = match_actors("Farms in North Gyeongsang and South Jeolla provinces; South Hamgyong.")
    assert [(actor, kind) for _s, _e, actor, kind, _p in found] == [
        ("KOR", "place"),
        ("KOR", "place"),
        ("PRK", "place"),
    ]
    assert all(actor != "PRK" for _s, _e, actor, _k, _p in match_actors("South Korean provinces"))


def test_the_north_and_the_south_need_korean_context() -> None:
    assert actors("North Korea fired; the North said the South lied.") == [
        ("North Korea", "PRK"),
        ("the North", "PRK"),
        ("the South", "KOR"),
    ]
    assert actors("Storms hit the North and the South of the island.") == []
    # "the North Korean ..." is the demonym, not "the North".
    assert actors("Seoul said the North Korean army moved.") == [
        ("Seoul", "KOR"),
        ("North Korean", "PRK"),
    ]


def test_roles_by_date() -> None:
    assert role_on("Ban Ki-moon", dt.date(2005, 6, 1)) == "foreign minister"
    assert role_on("Ban Ki-moon", dt.date(2012, 6, 1)) == "UN secretary-general"
    assert role_on("Marco Rubio", dt.date(2025, 8, 1)) == "secretary of state"
    assert role_on("Kim Jong Un", pd.Timestamp("2011-06-01").date()) == "heir apparent"
    assert role_on("Kim Jong Un", pd.Timestamp("2024-01-18").date()) == "supreme leader"
    assert role_on("Choe Son Hui", pd.Timestamp("2024-01-16").date()) == "foreign minister"
    assert role_on("Donald Trump", pd.Timestamp("2016-05-01").date()) == "presidential candidate"
    assert role_on("Donald Trump", pd.Timestamp("2018-06-12").date()) == "president"
    assert role_on("Nobody", None) is None


def test_registry_is_consistent() -> None:
    registry = read_csv("nlp_actors.csv")
    people_table = read_csv("nlp_people.csv")
    aliases = [a for row in people_table["aliases"] for a in row.split(";")]
    # One meaning per alias: a repeated alias would silently shadow another
    # (load_registry raises when two files give one alias two meanings).
    assert registry["alias"].is_unique
    assert len(aliases) == len(set(aliases))
    assert people_table["person"].is_unique
    assert set(registry["actor_kind"]) <= {*ACTOR_KINDS, *SILENT_KINDS}
    assert (registry.loc[~registry["actor_kind"].isin(SILENT_KINDS), "actor"] != "").all()
    reg = load_registry()
    named = {e.person for e in reg.entries.values() if e.kind == "person"}
    assert named <= set(reg.roles["person"]), named - set(reg.roles["person"])
    roles = reg.roles
    ordered = roles["start_date"].isna() | roles["end_date"].isna()
    assert (ordered | (roles["start_date"] <= roles["end_date"])).all()
    assert (roles["actor"] != "").all()


def test_codes_are_iso_states_or_organisations() -> None:
    states = read_csv("nlp_states.csv")
    iso = {c.alpha_3 for c in pycountry.countries}
    assert states["code"].is_unique
    assert set(states["code"]) <= iso
    sovereign = set(states.loc[states["sovereign"] == "", "code"])
    territories = set(states["code"]) - sovereign
    assert set(states["sovereign"]) - {""} <= sovereign
    reg = load_registry()
    codes = {e.actor for e in reg.entries.values() if e.actor} | set(reg.roles["actor"])
    # A code that looks like ISO 3166 is a sovereign state's, never a
    # territory's (Guam is a place of the United States) nor an
    # organisation's that happens to spell one.
    assert not codes & territories
    assert codes & iso <= sovereign
    assert {"PRK", "KOR", "USA", "JPN", "CHN", "RUS", "UKR", "UN", "EU"} <= codes


def test_every_title_names_a_registered_office() -> None:
    roles = set(read_csv("nlp_roles.csv")["role"])
    for role in read_csv("nlp_titles.csv")["role"]:
        assert any(r == role or r.endswith(" " + role) for r in roles), role


def test_find_mentions_frame() -> None:
    articles = pd.DataFrame(
        {
            "article_id": ["a", "b"],
            "body": ["Pyongyang fired.\nKim Jong Un watched, KCNA said.", None],
            "published_date": pd.to_datetime(["2024-01-18", None]),
        }
    )
    out = find_mentions(articles)
    schema.check(out, schema.MENTIONS)
    assert out[["text", "actor", "actor_kind", "sentence_id"]].values.tolist() == [
        ["Pyongyang", "PRK", "capital", 0],
        ["Kim Jong Un", "PRK", "person", 1],
    ]
    assert out["role"].tolist()[1] == "supreme leader"
    pd.testing.assert_frame_equal(out, find_mentions(articles, sentences=split_sentences(articles)))


def test_find_mentions_resolves_titles_by_home_state() -> None:
    articles = pd.DataFrame(
        {
            "article_id": ["seoul", "tokyo", "none"],
            "body": ["The president said talks would resume."] * 3,
            "published_date": pd.to_datetime(["2019-03-01"] * 3),
            "dateline": ["SEOUL", None, None],
            "outlet": ["Reuters", "Kyodo", None],
        }
    )
    out = find_mentions(articles)
    schema.check(out, schema.MENTIONS)
    assert out[["article_id", "text", "actor", "actor_kind", "person", "role"]].values.tolist() == [
        ["seoul", "president", "KOR", "person", "Moon Jae-in", "president"],
    ]
    tokyo = articles.assign(body="The prime minister said talks would resume.")
    assert find_mentions(tokyo)["person"].tolist() == ["Lee Nak-yon", "Shinzo Abe"]


def test_find_mentions_bad_input() -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        find_mentions(None)


def test_seed_mentions() -> None:
    path = shared_path("seeds", SEED)
    body = read_seed(path.parents[1], SEED)
    articles = pd.DataFrame(
        {"article_id": ["seed"], "body": [body], "published_date": pd.to_datetime(["2024-01-18"])}
    )
    sentences = split_sentences(articles)
    out = find_mentions(articles, sentences=sentences)
    people = dict(zip(out["person"].dropna(), out.loc[out["person"].notna(), "actor"], strict=True))
    assert people["Kim Gunn"] == "KOR"
    assert people["Jung Pak"] == "USA"
    assert people["Hiroyuki Namazu"] == "JPN"
    assert people["Choe Son Hui"] == "PRK"
    assert people["Sergey Lavrov"] == "RUS"
    assert people["Vladimir Putin"] == "RUS"
    assert people["Kim Jong Un"] == "PRK"
    assert not out["text"].isin(["KYODO", "Kyodo", "AP"]).any()
    # Every mention lies inside the sentence it names.
    spans = sentences.set_index("sentence_id")
    for row in out.itertuples():
        assert spans.loc[row.sentence_id, "start"] <= row.start < spans.loc[row.sentence_id, "end"]
        assert body[row.start : row.end] == row.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A Romanian delegation held talks with officials.", [("Romanian", "ROU")]),
        ("The ambassador of Nigeria visited Mangyongdae.", [("Nigeria", "NGA")]),
        ("Cambodia and Laos sent messages.", [("Cambodia", "KHM"), ("Laos", "LAO")]),
        ("Papers in the United Arab Emirates reported it.", [("United Arab Emirates", "ARE")]),
    ],
)
def test_states_beyond_the_peninsula(text: str, expected: list[tuple[str, str]]) -> None:
    assert actors(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Names from pycountry: name, official name, common name.
        (
            "The Federative Republic of Brazil abstained.",
            [("Federative Republic of Brazil", "BRA")],
        ),
        ("Vietnam and Viet Nam are one state.", [("Vietnam", "VNM"), ("Viet Nam", "VNM")]),
        ("Türkiye, long called Turkey, voted.", [("Türkiye", "TUR"), ("Turkey", "TUR")]),
        ("The Kingdom of Saudi Arabia hosted.", [("Kingdom of Saudi Arabia", "SAU")]),
        # Short names and spellings the project adds.
        ("The UAE and the DPRK signed nothing.", [("UAE", "ARE"), ("DPRK", "PRK")]),
        ("Burma, now Myanmar, sent envoys.", [("Burma", "MMR"), ("Myanmar", "MMR")]),
        # Demonyms.
        ("Filipino and Emirati officials spoke.", [("Filipino", "PHL"), ("Emirati", "ARE")]),
        ("Pakistani troops and Nigerien police.", [("Pakistani", "PAK"), ("Nigerien", "NER")]),
        # States whose names hold another's.
        (
            "Niger and Nigeria; Sudan and South Sudan.",
            [
                ("Niger", "NER"),
                ("Nigeria", "NGA"),
                ("Sudan", "SDN"),
                ("South Sudan", "SSD"),
            ],
        ),
        (
            "Papua New Guinea, Equatorial Guinea and Guinea.",
            [
                ("Papua New Guinea", "PNG"),
                ("Equatorial Guinea", "GNQ"),
                ("Guinea", "GIN"),
            ],
        ),
        # Georgia is also a US state: only its capital and demonym stand for it.
        (
            "Tbilisi protested; a Georgian envoy left Georgia.",
            [("Tbilisi", "GEO"), ("Georgian", "GEO")],
        ),
    ],
)
def test_every_state_by_name(text: str, expected: list[tuple[str, str]]) -> None:
    assert actors(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Seoul said it would respond.", [("Seoul", "KOR", "capital")]),
        (
            "Tokyo will protest, and Kyiv agreed.",
            [("Tokyo", "JPN", "capital"), ("Kyiv", "UKR", "capital")],
        ),
        (
            "Tehran rejected what Jerusalem proposed.",
            [("Tehran", "IRN", "capital"), ("Jerusalem", "ISR", "capital")],
        ),
        ("The envoys held talks in Seoul.", [("Seoul", "KOR", "place")]),
        ("In Beijing, crowds gathered.", [("Beijing", "CHN", "place")]),
        ("He arrived at the Kremlin.", [("Kremlin", "RUS", "place")]),
        ("A Washington-based group said so.", [("Washington", "USA", "place")]),
        ("It signed the Ottawa Convention.", [("Ottawa", "CAN", "place")]),
        ("As agreed at the Phnom Penh summit.", [("Phnom Penh", "KHM", "place")]),
        (
            "Moscow warned after talks in Hanoi.",
            [("Moscow", "RUS", "capital"), ("Hanoi", "VNM", "place")],
        ),
        # Territories are places of the state they belong to.
        (
            "Bombers flew from Guam over Hong Kong.",
            [("Guam", "USA", "place"), ("Hong Kong", "CHN", "place")],
        ),
    ],
)
def test_capital_as_government_or_place(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The UN General Assembly voted.", [("UN General Assembly", "UN")]),
        (
            "The U.N. Security Council met; the OPCW did not.",
            [
                ("U.N. Security Council", "UN"),
                ("OPCW", "OPCW"),
            ],
        ),
        (
            "The African Union and the G20 and the G7.",
            [("African Union", "AU"), ("G20", "G20"), ("G7", "G7")],
        ),
        (
            "The European Commission said Brussels would act.",
            [
                ("European Commission", "EU"),
                ("Brussels", "EU"),
            ],
        ),
        ("NATO and ASEAN and the IAEA.", [("NATO", "NATO"), ("ASEAN", "ASEAN"), ("IAEA", "IAEA")]),
    ],
)
def test_organisations(text: str, expected: list[tuple[str, str]]) -> None:
    assert actors(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Storms hit New Jersey and New Mexico.",
        "Latin American and North American markets rose.",
        "Ships sailed through the Taiwan Strait.",
        "Signatories of the Paris Agreement met.",
    ],
)
def test_names_that_hold_a_state_name_are_not_the_state(text: str) -> None:
    assert actors(text) == []


@pytest.mark.parametrize(
    ("actor", "role", "day", "holder"),
    [
        ("KOR", "president", "2010-05-01", "Lee Myung-bak"),
        ("KOR", "president", "2019-03-01", "Moon Jae-in"),
        ("KOR", "president", "2025-01-10", "Choi Sang-mok"),
        ("KOR", "president", "2025-08-01", "Lee Jae-myung"),
        ("PRK", "premier", "2012-01-01", "Choe Yong Rim"),
        ("USA", "president", "2005-01-01", "George W. Bush"),
        ("USA", "secretary of state", "2016-06-01", "John Kerry"),
        ("USA", "defense secretary", "2019-03-01", "Patrick Shanahan"),
        ("USA", "national security adviser", "2018-01-01", "H.R. McMaster"),
        ("JPN", "prime minister", "2021-10-04", "Fumio Kishida"),
        ("JPN", "foreign minister", "2016-01-01", "Fumio Kishida"),
        ("CHN", "foreign minister", "2005-01-01", "Li Zhaoxing"),
        ("RUS", "president", "2010-01-01", "Dmitry Medvedev"),
        ("UN", "secretary-general", "2010-01-01", "Ban Ki-moon"),
        ("NATO", "secretary-general", "2020-01-01", "Jens Stoltenberg"),
    ],
)
def test_office_holder_by_role_and_date(actor: str, role: str, day: str, holder: str) -> None:
    assert office_holder(actor, role, dt.date.fromisoformat(day)) == holder


def test_office_holder_unknown() -> None:
    assert office_holder("KOR", "president", dt.date(1950, 1, 1)) is None
    assert office_holder("GBR", "president", dt.date(2024, 6, 1)) is None
    # A deputy secretary of state is not a secretary of state.
    assert office_holder("USA", "deputy secretary of state", dt.date(2024, 6, 1)) == "Kurt Campbell"
    assert office_holder("USA", "secretary of state", dt.date(2024, 6, 1)) == "Antony Blinken"


def test_titles_resolve_to_office_holders() -> None:
    # By surname and date.
    assert people("President Lee spoke.", "2010-05-01") == [
        ("President Lee", "KOR", "Lee Myung-bak"),
    ]
    assert people("President Lee spoke.", "2025-08-01") == [
        ("President Lee", "KOR", "Lee Jae-myung"),
    ]
    assert people("Former President Moon spoke.", "2023-01-05") == [
        ("President Moon", "KOR", "Moon Jae-in"),
    ]
    # An unknown name is someone else, not the office's holder.
    assert people("President Nobody spoke.", "2019-03-01", home="KOR") == []
    # By the state before or after the title.
    assert people("Japan's prime minister arrived.", "2015-06-01") == [
        ("prime minister", "JPN", "Shinzo Abe"),
    ]
    assert people("The South Korean foreign minister arrived.", "2016-06-01") == [
        ("foreign minister", "KOR", "Yun Byung-se"),
    ]
    assert people("He met the President of the Republic of Korea.", "2023-05-01") == [
        ("President", "KOR", "Yoon Suk Yeol"),
    ]
    # An indefinite article: no one in particular.
    assert people("The job a U.S. president does.", "2016-05-01") == []
    # A body that is not registered: no office holder.
    assert people("He met the president of the federation.", "2023-05-01", home="KOR") == []
    # A name after the title is the mention itself.
    assert people("Prime Minister Fumio Kishida and the president, Joe Biden.", "2023-05-01") == [
        ("Fumio Kishida", "JPN", "Fumio Kishida"),
        ("Joe Biden", "USA", "Joe Biden"),
    ]


def test_bare_titles_refer_back_or_to_the_home_state() -> None:
    text = "U.S. President Joe Biden spoke. The president said talks would go on."
    assert people(text, "2023-05-01", home="KOR")[-1] == ("president", "USA", "Joe Biden")
    # Two presidents named: the home state's, or none without a home state.
    text = "President Biden met President Yoon. Later the president said so."
    assert people(text, "2023-05-01", home="KOR")[-1] == ("president", "KOR", "Yoon Suk Yeol")
    assert people(text, "2023-05-01")[-1] == ("President Yoon", "KOR", "Yoon Suk Yeol")
    # The same words name the office of the day.
    assert people("The president said so.", "2019-03-01", home="USA") == [
        ("president", "USA", "Donald Trump"),
    ]
    assert people("The president-elect said so.", "2024-12-01", home="USA") == [
        ("president-elect", "USA", "Donald Trump"),
    ]
    # "a president" names no one; nor does a title without a publication date.
    assert people("A president said so.", "2019-03-01", home="USA") == []
    assert match_actors("The president said so.", home="USA") == []


def test_people_stand_for_the_office_they_held() -> None:
    assert people("Ban Ki-moon spoke.", "2005-06-01") == [("Ban Ki-moon", "KOR", "Ban Ki-moon")]
    assert people("Ban Ki-moon spoke.", "2012-06-01") == [("Ban Ki-moon", "UN", "Ban Ki-moon")]


def test_home_state() -> None:
    assert home_state("Reuters", "SEOUL/WASHINGTON") == "KOR"
    assert home_state("Reuters", "PAJU, South Korea") == "KOR"
    assert home_state("Yonhap", None) == "KOR"
    assert home_state("KCNA", None) == "PRK"
    assert home_state("Reuters", None) is None
    assert home_state(None, None) is None


def test_state_aliases_from_pycountry_and_the_table() -> None:
    rows = pd.DataFrame(
        [
            {
                "code": "GEO",
                "sovereign": "",
                "names": "",
                "demonyms": "Georgian",
                "capitals": "Tbilisi",
                "exclude": "Georgia",
            },
            {
                "code": "GUM",
                "sovereign": "USA",
                "names": "",
                "demonyms": "",
                "capitals": "",
                "exclude": "",
            },
        ]
    )
    assert state_aliases(rows) == [
        ("Georgian", "GEO", "demonym"),
        ("Tbilisi", "GEO", "capital"),
        ("Guam", "USA", "place"),
    ]
    with pytest.raises(ValueError, match="XYZ"):
        state_aliases(rows.assign(code="XYZ"))


def test_titles_are_not_emitted_unresolved() -> None:
    found = match_actors("The President and the Foreign Minister spoke.")
    assert found == []
    assert TITLE_KIND not in ACTOR_KINDS


def test_a_person_named_in_full_is_then_named_by_surname() -> None:
    text = (
        "President Moon Jae-in flew to Berlin. Moon said he would speak there. "
        "Moon Hee-sang, the speaker, stayed home."
    )
    assert people(text, "2017-07-05") == [
        ("Moon Jae-in", "KOR", "Moon Jae-in"),
        ("Moon", "KOR", "Moon Jae-in"),
    ]
    # Before the full name, the surname alone names nobody.
    assert people("Moon said so. President Moon Jae-in agreed.", "2017-07-05")[0][0] != "Moon"
    # Two people who share a surname: it names neither.
    text = "Kim Jong Un met Kim Yo Jong. Kim said so."
    assert [p[0] for p in people(text, "2023-05-01")] == ["Kim Jong Un", "Kim Yo Jong"]
