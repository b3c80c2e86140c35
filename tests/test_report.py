"""The report: complete in both languages, numbers per language, self-contained."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import netsoc
from netsoc.report import render_report, translator
from netsoc.report.html import Translator, esc
from netsoc.report.sections import SECTIONS, all_texts

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def results():
    return netsoc.analyze(netsoc.load_study(MINI), quiet=True)


def test_every_text_has_both_languages():
    for key, langs in all_texts().items():
        assert set(langs) >= {"sv", "en"}, key
        assert langs["sv"].strip() and langs["en"].strip(), key


def test_every_section_renders_in_both_languages(results):
    for lang in ("sv", "en"):
        results.options.lang = lang
        html = render_report(results)
        assert "section_failed" not in html
        assert translator(lang)("section_failed") not in html, lang
        assert f'<html lang="{lang}">' in html
    results.options.lang = None


def test_sections_use_only_known_keys(results):
    """A section asking for a key no TEXT defines would fail: record every key asked for."""
    asked = []
    texts = all_texts()

    class Recording(Translator):
        def __call__(self, key, **fmt):
            asked.append(key)
            return super().__call__(key, **fmt)

    for m in SECTIONS:
        m.render(results, Recording("en", texts))
    assert asked and all(k in texts for k in asked)


def test_swedish_numbers_use_decimal_comma():
    sv, en = Translator("sv", all_texts()), Translator("en", all_texts())
    assert sv.num(1234.5, 1) == "1\u202f234,5"
    assert en.num(1234.5, 1) == "1,234.5"
    assert sv.num(-0.25) == "\u22120,25"
    assert sv.pct(0.305) == "30\u00a0%"


def test_names_are_escaped():
    assert esc('<script>alert("x")</script>') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def test_report_has_no_external_resources(results):
    html = render_report(results)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "<link" not in html and "@import" not in html
    assert not re.search(r"url\(\s*['\"]?https?:", html)


def test_every_section_has_a_translated_nav_label_and_no_key_clashes():
    from netsoc.report.sections import COMMON_TEXT

    seen = {k: "common" for k in COMMON_TEXT}
    for m in SECTIONS:
        assert f"nav_{m.KEY}" in m.TEXT, f"section {m.KEY} has no nav_{m.KEY} text"
        for key, value in m.TEXT.items():
            # all sections share one namespace: a key defined twice must mean the same
            if key in seen and seen[key] != m.KEY:
                owner = COMMON_TEXT if seen[key] == "common" else next(
                    x.TEXT for x in SECTIONS if x.KEY == seen[key])
                assert owner[key] == value, f"text key {key!r} clashes: {seen[key]} and {m.KEY}"
            seen.setdefault(key, m.KEY)


def test_analyze_gives_the_garbage_collector_its_objects_back():
    # analyze freezes the study and graphs during the run (gc.freeze) and must unfreeze
    # them, or a notebook running many analyses would never free them
    import gc

    before = gc.get_freeze_count()
    seen = []
    from netsoc import communities

    original = communities.detect_communities

    def spy(*args, **kwargs):
        seen.append(gc.get_freeze_count())
        return original(*args, **kwargs)

    communities.detect_communities = spy
    try:
        netsoc.analyze(netsoc.load_study(MINI), quiet=True)
    finally:
        communities.detect_communities = original
    assert seen and seen[0] > before  # frozen while the stages ran
    assert gc.get_freeze_count() == before
