"""Actor mentions: registry matching, variants, non-actors, roles by date."""

from __future__ import annotations

from importlib.resources import files

import pandas as pd
import pytest
from conftest import shared_path
from nlp_corpora import read_seed

from analysis import schema
from analysis.nlp import find_mentions, load_registry, match_actors, split_sentences
from analysis.nlp.actors import ACTOR_KINDS, SILENT_KINDS, role_on

SEED = "000_b0b6ea29c2469582.txt"


def actors(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], actor) for s, e, actor, _kind, _person in match_actors(text)]


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
    assert actors("Storms hit the North and the South of England.") == []
    # "the North Korean ..." is the demonym, not "the North".
    assert actors("Seoul said the North Korean army moved.") == [
        ("Seoul", "KOR"),
        ("North Korean", "PRK"),
    ]


def test_roles_by_date() -> None:
    assert role_on("Kim Jong Un", pd.Timestamp("2011-06-01").date()) == "heir apparent"
    assert role_on("Kim Jong Un", pd.Timestamp("2024-01-18").date()) == "supreme leader"
    assert role_on("Choe Son Hui", pd.Timestamp("2024-01-16").date()) == "foreign minister"
    assert role_on("Donald Trump", pd.Timestamp("2016-05-01").date()) == "presidential candidate"
    assert role_on("Donald Trump", pd.Timestamp("2018-06-12").date()) == "president"
    assert role_on("Nobody", None) is None


def test_registry_is_consistent() -> None:
    registry = pd.read_csv(
        files("analysis").joinpath("data", "nlp_actors.csv"), keep_default_na=False
    )
    people = pd.read_csv(
        files("analysis").joinpath("data", "nlp_people.csv"), keep_default_na=False
    )
    aliases = [a for row in people["aliases"] for a in row.split(";")]
    # One meaning per alias: a repeated alias would silently shadow another.
    assert registry["alias"].is_unique
    assert len(aliases) == len(set(aliases))
    assert not set(aliases) & set(registry["alias"])
    assert set(registry["actor_kind"]) <= {*ACTOR_KINDS, *SILENT_KINDS}
    assert (registry.loc[~registry["actor_kind"].isin(SILENT_KINDS), "actor"] != "").all()
    reg = load_registry()
    people = {e.person for e in reg.entries.values() if e.kind == "person"}
    assert people <= set(reg.roles["person"]), people - set(reg.roles["person"])
    assert ((reg.roles["start_date"] <= reg.roles["end_date"]) | reg.roles["end_date"].isna()).all()


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
