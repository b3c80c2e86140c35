"""Notes and vocabulary in both languages: catalogue complete, report free of the other language."""

from __future__ import annotations

import html as htmllib
import json
import pickle
import re
import string
from pathlib import Path

import pandas as pd
import pytest

import netsoc
from netsoc import i18n, schema
from netsoc.geo import underserved_reason
from netsoc.i18n import NOTES, VOCAB, Note, label
from netsoc.report import render_report

SRC = Path(netsoc.__file__).parent


def _fields(template: str) -> dict[str, str]:
    return {name: spec for _, name, spec, _ in string.Formatter().parse(template) if name}


def _sample(key: str) -> Note:
    """A note of ``key`` with made-up values that fit each field's format spec."""
    fields = {**_fields(NOTES[key]["en"]), **_fields(NOTES[key]["sv"])}
    params = {}
    for name, spec in fields.items():
        if spec == "@term":
            params[name] = "C(host_type)[T.social_enterprise]"
        elif spec.startswith("@"):
            params[name] = next(iter(VOCAB[spec[1:]]))
        elif spec.endswith(("f", "g")) or "," in spec:
            params[name] = 12345.678
        else:
            params[name] = "X"
    return Note(key, **params)


def _chunks(template: str, min_words: int = 3) -> list[str]:
    """Literal runs of a template long enough to identify its language."""
    out = []
    for literal, *_ in string.Formatter().parse(template):
        out += [c.strip() for c in re.split(r"[():;,.≤<>=]", literal)
                if len(c.split()) >= min_words]
    return out


def test_every_note_has_both_languages_with_the_same_fields():
    assert len(NOTES) > 50
    for key, langs in NOTES.items():
        assert set(langs) == {"sv", "en"}, key
        assert langs["sv"].strip() and langs["en"].strip(), key
        assert set(_fields(langs["sv"])) == set(_fields(langs["en"])), key
        assert langs["sv"] != langs["en"] or not _chunks(langs["en"]), key


def test_every_note_key_used_in_the_code_exists_and_every_entry_is_used():
    code = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py")
                     if p.name not in ("i18n.py", "_notes_network.py"))  # the catalogues
    used = set(re.findall(r'Note\(\s*"([a-z_]+\.[a-z0-9_]+)"', code))
    used |= set(re.findall(r'"((?:models|geo|pipeline)\.[a-z0-9_]+)"', code)) & set(NOTES)
    assert used, "no Note(...) found in the sources"
    assert used - set(NOTES) == set(), "keys used but not in the catalogue"
    assert set(NOTES) - used == set(), "catalogue entries no code uses"


@pytest.mark.parametrize("key", sorted(NOTES))
def test_swedish_rendering_has_no_english_sentence_and_decimal_comma(key):
    n = _sample(key)
    sv, en = n.render("sv"), n.render("en")
    assert en == str(n)
    for chunk in _chunks(NOTES[key]["en"]):
        if chunk not in NOTES[key]["sv"]:  # e.g. a quoted option name is the same in both
            assert chunk not in sv, (key, chunk)
    for chunk in _chunks(NOTES[key]["sv"]):
        if chunk not in NOTES[key]["en"]:
            assert chunk not in en, (key, chunk)
    if "12345.678" in en or "12,345.678" in en:
        assert "." not in re.sub(r"[^\d.,\u202f]", " ", sv).replace(". ", " ").strip(". "), sv
    assert "social_enterprise" not in sv


def test_numbers_and_vocabulary_in_notes():
    n = Note("models.missing_rows", dropped=1500, n_rows=24000, unit="pairs", pct=6.25,
             parts=Note("models.missing_per_variable", parts=["x: 3"]))
    assert str(n) == ("1500 of 24000 pairs (6.2 %) were left out because of missing values "
                      "(missing per variable: x: 3).")
    assert n.render("sv") == ("1500 av 24000 par (6,2 %) utelämnades på grund av saknade värden "
                              "(saknade per variabel: x: 3).")
    big = Note("models.mrqap_too_large", n=-2000, pairs=3998000, limit=1000)
    assert "3,998,000 pairs" in big and "\u22122000" in big.render("sv")
    assert "3\u202f998\u202f000 par" in big.render("sv")
    nested = Note("pipeline.no_clear_communities", layer="collaboration",
                  reasons=[Note("communities.no_ties"), Note("communities.no_null")])
    assert str(nested) == ("No clear community structure on the collaboration layer: the layer "
                           "has no ties; no null-model comparison was made.")
    assert nested.render("sv") == ("Ingen tydlig klusterstruktur i lagret samverkan: lagret saknar "
                                   "relationer; ingen jämförelse med slumpnätverk gjordes.")


def test_note_is_a_str_that_survives_pickle_and_json():
    n = Note("measures.pivot_betweenness", runs=100, pivots=50, n=20000)
    assert isinstance(n, str) and n.startswith("betweenness in the 100 perturbation runs")
    back = pickle.loads(pickle.dumps(n))
    assert back == n and back.key == n.key and back.render("sv") == n.render("sv")
    assert json.loads(json.dumps({"notes": [n]})) == {"notes": [str(n)]}


def test_every_schema_code_has_a_word_in_both_languages():
    for kind, codes in [("type", schema.ACTOR_TYPES), ("relation", schema.TIE_RELATIONS),
                        ("affiliation", schema.AFFILIATION_RELATIONS),
                        ("program", schema.PROGRAMS), ("outcome", schema.OUTCOMES),
                        ("status", schema.RESPONDENT_STATUSES),
                        ("lisa", ("HH", "LL", "HL", "LH", "ns"))]:
        for code in codes:
            words = VOCAB[kind][code]
            assert words["sv"].strip() and words["en"].strip(), (kind, code)
            assert "_" not in words["sv"] and "_" not in words["en"], (kind, code)
    assert label("type", "social_enterprise", "sv") == "socialt företag"
    assert label("type", "samordningsforbund", "sv") == "samordningsförbund"
    assert label("type", "association", "sv") == "förening"
    assert label("type", "social_enterprise", "en") == "social enterprise"
    assert label("type", "not_a_type", "sv") == "not_a_type"
    assert i18n.term_label("C(program)[T.lonebidrag]", "sv") == "program = lönebidrag"


def test_geo_reason_uses_the_language_and_its_decimal_mark():
    row = pd.Series({"need_rate": 8.0123, "access": 0.041404})
    sv = underserved_reason(row, 4.3, 0.044891, 40.0, "percent", "sv")
    en = underserved_reason(row, 4.3, 0.044891, 40.0, "percent", "en")
    assert sv == ("behovsandel 8,01 % över medianen 4,3 %; tillgång 41,4 platser per 1 000 i "
                  "behov, lägsta femtedelen (≤ 44,9)")
    assert en == ("need rate 8.01 % above the median 4.3 %; access 41.4 places per 1,000 in need, "
                  "bottom quintile (≤ 44.9)")
    zero = underserved_reason(pd.Series({"need_rate": 5.25, "access": 0.0}), 4.3, 0.01, 40.0,
                              "per_1000", "sv")
    assert zero == "behovsandel 5,25 över medianen 4,3; ingen tillgång: inga platser inom 40 km"


# --- the embedded example's report --------------------------------------------------------

#: codes that are no word of either language: they must never reach a reader
RAW_CODES = sorted({c for kind in ("type", "relation", "affiliation", "program", "outcome")
                    for c in VOCAB[kind] if "_" in c}
                   | {"samordningsforbund", "arbetsformedlingen", "forsakringskassan",
                      "sysselsattning", "lonebidrag", "arbetstraning"})


def _visible(page: str) -> str:
    """What a reader sees: text and tooltips, without scripts and styles."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page))


def _tooltips(page: str) -> str:
    """Tooltip lines of the interactive network view (JSON inside its script)."""
    return " ".join(re.findall(r'"tip": \[(.*?)\]', page))


@pytest.fixture(scope="module")
def example():
    from netsoc.io import example_path

    results = netsoc.analyze(netsoc.load_study(example_path()), quiet=True)
    # every catalogue sentence once, as if some stage had said it
    results.notes.extend(_sample(k) for k in sorted(NOTES))
    pages = {}
    for lang in ("sv", "en"):
        results.options.lang = lang
        pages[lang] = render_report(results)
    return results, pages


def _all_notes(results) -> list:
    notes = list(results.notes)
    g = results.items.get("geo")
    notes += list(g.notes) if g is not None else []
    mr = results.items["models"]
    notes += list(mr.notes)
    for f in mr.fits:
        notes += list(f.warnings) + ([f.message] if not f.ok else [])
    return notes


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_example_report_shows_no_raw_vocabulary_code(example, lang):
    results, pages = example
    seen = _visible(pages[lang]) + " " + _tooltips(pages[lang])
    found = [c for c in RAW_CODES if re.search(rf"\b{c}\b", seen)]
    assert not found, f"raw codes in the {lang} report: {found}"
    # the codes are still in the tables (the data contract)
    assert "social_enterprise" in set(results.tables["actors"]["type"])


def test_example_swedish_report_has_no_english_note(example):
    results, pages = example
    sv, en = _visible(pages["sv"]), _visible(pages["en"])
    notes = [n for n in _all_notes(results) if isinstance(n, Note)]
    assert len(notes) > len(NOTES)  # the example's own notes and warnings too
    for n in notes:
        assert n.render("sv") in sv, n.key
        assert n.render("en") in en, n.key
        for chunk in _chunks(NOTES[n.key]["en"]):
            if chunk not in NOTES[n.key]["sv"]:
                assert chunk not in sv, (n.key, chunk)
        for chunk in _chunks(NOTES[n.key]["sv"]):
            if chunk not in NOTES[n.key]["en"]:
                assert chunk not in en, (n.key, chunk)


def test_example_report_words_for_types_layers_and_lisa(example):
    _, pages = example
    sv, en = _visible(pages["sv"]), _visible(pages["en"])
    assert "socialt företag" in sv and "social enterprise" in en
    assert "host_type = socialt företag" in sv  # model term with its category in words
    assert label("lisa", "HH", "sv") in sv and label("lisa", "HH", "en") in en
    assert "samverkan rapporterade relationer" in " ".join(sv.split())  # QAP layers
    sv_tips = _tooltips(pages["sv"])
    assert "socialt företag" in sv_tips and "mellanhet:" in sv_tips
