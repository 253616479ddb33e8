"""A site in two languages: Spanish pages in content/es/, each bound to the English page it translates; every guarantee
of the English site (the caveat, the urgent-help box, citations, numbers, the glossary, the reading grade, dates and the
site's own words) holds in Spanish, and a translation cannot go stale unnoticed."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from sitegen.i18n import (
    DOMAIN,
    GENERATOR_DOMAIN,
    PACKAGE_LOCALE,
    catalogue_path,
    collation_key,
    extract_generator_messages,
    extract_template_messages,
    generator_messages,
    long_date,
    missing_messages,
    read_catalogue,
    template_messages,
)
from tests.conftest import AS_OF, BASE_URL, REPO, SITE_SETTINGS, Project, page, sources_page

SPANISH_SETTINGS = """\
title: Sitio de prueba
funding: El equipo de prueba paga este sitio.
conflicts_of_interest: Ninguno que el equipo conozca.
caveat: Todavía no se sabe cuánto tiempo viven las personas después de una segunda infusión.
urgent_help:
  heading: Busque ayuda de inmediato
  action: Llame a su equipo de atención médica de inmediato, de día o de noche, si nota alguna de estas señales.
  signs: [fiebre, confusión]
  emergency: "Si no puede comunicarse con su equipo de inmediato, busque ayuda de emergencia: llame al {emergency_number}."
  shown_on_pages_that_mention: [efecto secundario, efectos secundarios, SLC]
"""
SPANISH_KEY_POINTS = "## Puntos clave\n\n- El primer punto.\n- El segundo punto.\n\n## La página\n\n"


def spanish(title: str = "Inicio", body: str = "Hola [@gauthier2021].", translation_of: str = "index.md", **extra: str) -> str:
    """A valid Spanish page that translates translation_of."""
    text = page(title, body, key_points=False, translation_of=translation_of, **extra)
    return text.replace("---\n" + body, "---\n" + SPANISH_KEY_POINTS + body, 1)


@pytest.fixture
def bilingual(project: Project) -> Project:
    """The small test site in English and Spanish: a home page in each, and the English sources page."""
    project.write("content/_site.yml", SITE_SETTINGS.replace("language: en\n", "languages: [en, es]\n"))
    project.write("content/es/_site.yml", SPANISH_SETTINGS)
    project.write("content/es/index.md", spanish())
    return project


def build(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status, out, err = project.build(*args, capsys=capsys)
    return status, out + err


def record(project: Project, capsys: pytest.CaptureFixture[str], translation: str, *args: str) -> None:
    status, out = build(project, capsys, "translated", str(project.content / translation), *args)
    assert status == 0, out


def lines_with(output: str, text: str) -> list[str]:
    return [line for line in output.splitlines() if text in line]


# --- pages, addresses and links between the languages ---------------------------------------------------------------


def test_a_spanish_page_is_written_to_site_es_in_spanish_with_links_both_ways(
    bilingual: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    record(bilingual, capsys, "es/index.md")
    status, out = build(bilingual, capsys, "--strict", "--base-url", "https://example.org/site/")
    assert status == 0, out
    english, spanish_page = (bilingual.site / "index.html").read_text(), (bilingual.site / "es/index.html").read_text()
    assert '<html lang="en">' in english and '<html lang="es">' in spanish_page
    alternates = (
        '<link rel="alternate" hreflang="en" href="https://example.org/site/">\n'
        '<link rel="alternate" hreflang="es" href="https://example.org/site/es/">\n'
        '<link rel="alternate" hreflang="x-default" href="https://example.org/site/">'
    )
    assert alternates in english and alternates in spanish_page
    assert '<li><a href="es/index.html" lang="es" hreflang="es">Español</a></li>' in english
    assert '<li><a href="../index.html" lang="en" hreflang="en">English</a></li>' in spanish_page
    assert '<ul class="languages" aria-label="Other languages">' in english
    assert '<ul class="languages" aria-label="Otros idiomas">' in spanish_page
    assert '<a class="skip-link" href="#main">Ir al contenido principal</a>' in spanish_page
    assert '"inLanguage": "es"' in spanish_page


def test_a_page_without_a_translation_links_to_the_home_page_of_the_other_language(
    bilingual: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    bilingual.write("content/other.md", page("Other", order=2))
    status, out = build(bilingual, capsys)
    assert status == 0, out
    other = (bilingual.site / "other.html").read_text()
    assert '<li><a href="es/index.html" lang="es" hreflang="es">Español</a></li>' in other
    assert 'hreflang="x-default"' not in other  # a page in one language has no alternates (and none without a base URL)


def test_the_sitemap_lists_each_pages_versions_in_every_language(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = build(bilingual, capsys, "--base-url", "https://example.org/site/")
    assert status == 0, out
    text = (bilingual.site / "sitemap.xml").read_text()
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in text
    tree = ET.fromstring(text)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    spanish_entry = next(u for u in tree.findall("s:url", namespace) if u.findtext("s:loc", namespaces=namespace).endswith("/es/"))
    links = [(link.get("hreflang"), link.get("href")) for link in spanish_entry.findall("x:link", namespace)]
    assert links == [
        ("en", "https://example.org/site/"),
        ("es", "https://example.org/site/es/"),
        ("x-default", "https://example.org/site/"),
    ]


def test_each_language_has_its_own_page_not_found_page(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = build(bilingual, capsys, "--base-url", "https://example.org/site/")
    assert status == 0, out
    missing = (bilingual.site / "es/404.html").read_text()
    assert '<html lang="es">' in missing and "<title>Página no encontrada | Sitio de prueba</title>" in missing
    assert '<p class="back-home"><a href="/site/es/index.html">Ir a la página principal</a></p>' in missing
    assert "Todavía no se sabe cuánto tiempo viven las personas después de una segunda infusión." in missing
    assert '<link rel="alternate" hreflang="en" href="https://example.org/site/404.html">' in missing


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (
            {"content/es/b.md": spanish("Otra", translation_of="index.md", nav_order="2")},
            "content/es/b.md:10: content/es/index.md translates index.md already: a page has one translation in each language; "
            "delete one of them, or correct its 'translation_of'",
        ),
        (
            {"content/es/b.md": spanish("Otra", translation_of="indx.md", nav_order="2")},
            "content/es/b.md:10: 'translation_of' names 'indx.md', which is not a page of the site (did you mean 'index.md'?)",
        ),
        (
            {"content/es/b.md": page("Otra", order=2, key_points=False).replace("## Key", "## Puntos")},
            "content/es/b.md:1: this page is in content/es/, so it translates a page of the site: name that page with "
            "'translation_of', such as 'translation_of: b.md' (its file in content/). The build keeps a translation in step "
            "with its original",
        ),
        (
            {"content/other.md": page("Other", order=2, translation_of="index.md")},
            "content/other.md:10: 'translation_of' is for pages in another language (in content/es/ and the like); this page "
            "is in the site's first language, 'en': delete the line",
        ),
    ],
    ids=["two-translations", "missing-original", "translates-nothing", "english-translation"],
)
def test_a_translation_that_names_no_page_or_one_already_translated_is_an_error(
    bilingual: Project, capsys: pytest.CaptureFixture[str], write: dict[str, str], message: str
) -> None:
    for path, text in write.items():
        bilingual.write(path, text)
    status, out = build(bilingual, capsys)
    assert status == 1
    assert message in out.splitlines()


def test_a_language_without_its_settings_file_is_an_error(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (bilingual.content / "es/_site.yml").unlink()
    status, out = build(bilingual, capsys)
    assert status == 1
    assert (
        "content/es/_site.yml:1: the site's texts in Spanish are missing: create this file with the title, funding, "
        "conflicts_of_interest, caveat and urgent_help of content/_site.yml, written in Spanish "
        "(see docs/translations.md, 'Adding a language')"
    ) in out.splitlines()


def test_a_spanish_emergency_text_must_say_where_the_number_goes(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    bilingual.write("content/es/_site.yml", SPANISH_SETTINGS.replace("llame al {emergency_number}.", "llame al 112."))
    status, out = build(bilingual, capsys)
    assert status == 1
    assert lines_with(out, "content/es/_site.yml:9:")[0].startswith(
        "content/es/_site.yml:9: 'emergency' in 'urgent_help' must say where the emergency number goes"
    )


# --- the site's own words --------------------------------------------------------------------------------------------


def test_dates_and_the_review_lines_are_in_spanish(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = build(bilingual, capsys)
    assert status == 0, out
    html = (bilingual.site / "es/index.html").read_text()
    assert "<p>Contenido revisado por última vez: 2 de enero de 2026 · Próxima revisión: 1 de julio de 2026</p>" in html
    assert "<p>Revisión clínica: aún no realizada.</p>" in html
    assert "<p>Traducción: aún no revisada.</p>" in html
    assert '<h2 id="sources-for-this-page">Fuentes de esta página</h2>' in html
    assert long_date(AS_OF, "es") == "1 de marzo de 2026" and long_date(AS_OF) == "1 March 2026"


def test_a_message_the_spanish_catalogue_lacks_fails_the_build_at_the_line_that_uses_it(
    bilingual: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    footer = bilingual.templates / "base.html"
    footer.write_text(footer.read_text().replace("</footer>", '<p>{{ _("New words") }}</p>\n</footer>'))
    status, out = build(bilingual, capsys)
    assert status == 1
    line = footer.read_text().splitlines().index('<p>{{ _("New words") }}</p>') + 1
    assert (
        f'templates/base.html:{line}: the message "New words" has no Spanish translation in '
        "templates/locale/es/LC_MESSAGES/messages.po: `python3 build.py translations --update` adds it, then write its msgstr"
    ) in out.splitlines()
    assert not (bilingual.site / "es").exists()


def test_an_empty_or_fuzzy_translation_fails_the_build_at_the_catalogues_line(
    bilingual: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    catalogue = bilingual.templates / "locale/es/LC_MESSAGES/messages.po"
    text = catalogue.read_text()
    text = text.replace('msgstr "Menú"', 'msgstr ""').replace('msgid "Other languages"', '#, fuzzy\nmsgid "Other languages"')
    catalogue.write_text(text)
    lines = text.splitlines()
    status, out = build(bilingual, capsys)
    assert status == 1
    assert (
        f"templates/locale/es/LC_MESSAGES/messages.po:{lines.index(chr(109) + 'sgid ' + chr(34) + 'Menu' + chr(34)) + 1}: "
        'the message "Menu" has no Spanish translation yet: write its msgstr'
    ) in out.splitlines()
    assert (
        f"templates/locale/es/LC_MESSAGES/messages.po:{lines.index(chr(109) + 'sgid ' + chr(34) + 'Other languages' + chr(34)) + 1}: "
        'the Spanish translation of "Other languages" is marked fuzzy (a guess by the update): check it, then delete its "#, fuzzy" line'
    ) in out.splitlines()


def test_translations_update_adds_a_new_message_and_keeps_the_translations(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    footer = bilingual.templates / "base.html"
    footer.write_text(footer.read_text().replace("</footer>", '<p>{{ _("New words") }}</p>\n</footer>'))
    generator = [p.stat().st_mtime_ns for p in sorted(PACKAGE_LOCALE.rglob("*.po*"))]
    status, out = build(bilingual, capsys, "translations", "--update")
    assert status == 0, out
    assert "Updated templates/locale/es/LC_MESSAGES/messages.po" in out.splitlines()
    assert [p.stat().st_mtime_ns for p in sorted(PACKAGE_LOCALE.rglob("*.po*"))] == generator  # the generator's own is not the site's
    text = (bilingual.templates / "locale/es/LC_MESSAGES/messages.po").read_text()
    assert 'msgid "New words"\nmsgstr ""' in text and 'msgid "Menu"\nmsgstr "Menú"' in text


# --- the caveat and the urgent-help box --------------------------------------------------------------------------------


def test_a_spanish_page_shows_the_box_whenever_its_english_page_does(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    bilingual.write("content/index.md", page(body="Side effects can be severe [@gauthier2021]."))  # names a side effect in English
    bilingual.write("content/es/index.md", spanish(body="Puede ser grave [@gauthier2021]."))  # no Spanish trigger word
    bilingual.write("content/other.md", page("Other", order=2))
    bilingual.write("content/es/otra.md", spanish("Otra", "El SLC es una reacción [@gauthier2021].", "other.md", nav_order="2"))
    status, out = build(bilingual, capsys)
    assert status == 0, out
    inherited = (bilingual.site / "es/index.html").read_text()
    assert (
        '<h2 id="urgent-help-title"><span class="urgent-help-mark" aria-hidden="true">!</span> Busque ayuda de inmediato</h2>' in inherited
    )
    assert 'llame al <a class="urgent-help-number" href="tel:112">112</a>.' in inherited
    assert "Busque ayuda de inmediato" in (bilingual.site / "es/otra.html").read_text()  # a Spanish trigger word: SLC
    assert "Get help straight away" not in (bilingual.site / "other.html").read_text()


def test_a_translated_full_box_page_shows_the_whole_box_and_the_other_spanish_pages_the_short_form(
    bilingual: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = SITE_SETTINGS.replace("language: en\n", "languages: [en, es]\n") + (
        "  compact_action: Call your care team at once if you get a fever.\n  full_box_page: side-effects.md\n"
    )
    bilingual.write("content/_site.yml", settings)
    bilingual.write("content/es/_site.yml", SPANISH_SETTINGS + "  compact_action: Llame a su equipo si tiene fiebre.\n")
    bilingual.write("content/side-effects.md", page("Side effects", "What to watch for [@gauthier2021].", order=2))
    bilingual.write("content/es/efectos.md", spanish("Efectos", "Qué vigilar [@gauthier2021].", "side-effects.md", nav_order="2"))
    bilingual.write("content/es/index.md", spanish(body="Los efectos secundarios pueden ser graves [@gauthier2021]."))
    status, out = build(bilingual, capsys)
    assert status == 0, out
    assert 'id="urgent-help"' in (bilingual.site / "es/efectos.html").read_text()
    short = (bilingual.site / "es/index.html").read_text()
    assert "Llame a su equipo si tiene fiebre." in short
    assert '<a href="../es/efectos.html#urgent-help">Vea todas las señales</a>' in short


def test_a_spanish_page_that_hides_the_spanish_caveat_fails_the_build(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    caveat = bilingual.templates / "_caveat.html"
    caveat.write_text(caveat.read_text().replace("{{ site.caveat }}", "{{ site.caveat if language == 'en' else '' }}"))
    status, out = build(bilingual, capsys)
    assert status == 1
    assert (
        "templates/page.html:1: the page does not show the long-term survival caveat near the top of <main>, before the first "
        "section heading (in es/index.html)"
    ) in out.splitlines()


# --- citations and numbers ---------------------------------------------------------------------------------------------


def test_spanish_pages_cite_the_same_sources_listed_on_the_spanish_sources_page(
    bilingual: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    bilingual.write("content/es/fuentes.md", spanish("Fuentes", "La lista de fuentes [@gauthier2021].", "sources.md", nav_order="9"))
    bilingual.write(
        "content/es/otra.md", spanish("Otra", "Un dato [@gauthier2012].", "index.md", nav_order="2").replace("index.md", "other.md")
    )
    bilingual.write("content/other.md", page("Other", order=2))
    status, out = build(bilingual, capsys)
    assert status == 1
    assert "content/es/otra.md:19: unknown source '@gauthier2012' (did you mean 'gauthier2021'?)" in out.splitlines()
    bilingual.write("content/es/otra.md", spanish("Otra", "Un dato [@gauthier2021].", "other.md", nav_order="2"))
    status, out = build(bilingual, capsys)
    assert status == 0, out
    listing = (bilingual.site / "es/fuentes.html").read_text()
    assert '<h2 id="all-sources">Todas las fuentes</h2>' in listing
    assert '<li id="source-gauthier2021" lang="en">Gauthier J, et al.' in listing
    assert (
        'href="../es/fuentes.html#source-gauthier2021">Referencia completa en la página de fuentes'
        in (bilingual.site / "es/otra.html").read_text()
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Unas 39 de cada 100 personas respondieron.", "warning: '39 de cada 100' has no citation in the same paragraph"),
        ("El 39 % respondió.", "warning: '39 %' has no citation in the same paragraph"),
        (
            "El 39% respondió [@gauthier2021].",
            "warning: '39%': in Spanish, write a space between the number and %: '39 %' (RAE and Fundéu)",
        ),
        (
            "La mitad duró más de 6,5 meses [@gauthier2021].",
            "warning: '6,5': the site's Spanish writes decimals with a point, as US Spanish does: '6.5'",
        ),
    ],
    ids=["frequency", "percentage", "percent-without-space", "decimal-comma"],
)
def test_numbers_on_a_spanish_page_are_checked_in_spanish(
    bilingual: Project, capsys: pytest.CaptureFixture[str], body: str, message: str
) -> None:
    bilingual.write("content/es/index.md", spanish(body=body))
    status, out = build(bilingual, capsys, "--strict")
    assert status == 1
    assert any(line.startswith(f"content/es/index.md:19: {message}") for line in out.splitlines()), out


def test_a_spanish_number_is_recorded_in_the_first_languages_list_of_sources(
    bilingual: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    bilingual.write("content/es/fuentes.md", spanish("Fuentes", "La lista de fuentes [@gauthier2021].", "sources.md", nav_order="9"))
    bilingual.write("content/es/index.md", spanish(body="Unas 39 de cada 100 personas (39 %) respondieron [@gauthier2021]."))
    status, out = build(bilingual, capsys, "--strict")
    assert status == 1
    (line,) = lines_with(out, "content/es/index.md:19:")
    assert line.endswith("record each figure under the source that gives it in content/sources.md (only what the source says)"), line


def test_a_screen_reader_hears_citations_in_the_pages_language(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = build(bilingual, capsys)
    assert status == 0, out
    assert '<span class="visually-hidden">fuente </span>1</a>' in (bilingual.site / "es/index.html").read_text()
    assert '<span class="visually-hidden">source </span>1</a>' in (bilingual.site / "index.html").read_text()


def test_a_spanish_page_is_held_to_the_same_recorded_figures_in_spanish_words(
    bilingual: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    bilingual.write("content/sources.md", sources_page(**{"Overall response": "39%"}))
    bilingual.write("content/es/index.md", spanish(body="Unas 39 de cada 100 personas (39 %) respondieron [@gauthier2021]."))
    status, out = build(bilingual, capsys)
    assert status == 0, out
    bilingual.write("content/es/index.md", spanish(body="Unas 41 de cada 100 personas (41 %) respondieron [@gauthier2021]."))
    status, out = build(bilingual, capsys)
    assert status == 1
    assert lines_with(out, "content/es/index.md:19:") == [
        "content/es/index.md:19: '41 de cada 100' and '41 %' match no figure recorded for gauthier2021; did you mean "
        "'39 de cada 100' (Overall response: 39%)?"
    ], out


def test_a_spanish_percentage_keeps_its_sign_on_the_same_line(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    bilingual.write("content/es/index.md", spanish(body="El 39 % respondió [@gauthier2021]."))
    status, out = build(bilingual, capsys)
    assert status == 0, out
    assert "El 39\u00a0% respondió" in (bilingual.site / "es/index.html").read_text()


ICON_ARRAY = """
```icon-array
title: Respuesta
affected: 39
statement: {statement}
affected_label: Respondieron
unaffected_label: No respondieron
sources: [gauthier2021]
```
"""


def test_a_spanish_risk_picture_is_checked_and_drawn_in_spanish(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    bilingual.write("content/es/index.md", spanish(body=ICON_ARRAY.format(statement="Unas 39 out of 100 personas respondieron.")))
    status, out = build(bilingual, capsys)
    assert status == 1
    assert "content/es/index.md:23: 'statement' must give the number in words: '39 de cada 100'" in out.splitlines()
    bilingual.write("content/es/index.md", spanish(body=ICON_ARRAY.format(statement="Unas 39 de cada 100 personas respondieron.")))
    status, out = build(bilingual, capsys)
    assert status == 0, out
    html = (bilingual.site / "es/index.html").read_text()
    assert "Un gráfico de 100 personas. Respondieron: 39 de cada 100. No respondieron: 61 de cada 100." in html
    assert '<th scope="col">Grupo</th><th scope="col">Personas de cada 100</th>' in html
    assert "<caption>Respuesta: las cifras</caption>" in html
    assert '<span class="figure-source">Fuente: ' in html


# --- the glossary ----------------------------------------------------------------------------------------------------

GLOSARIO = """\
---
title: Glosario
description: Palabras.
nav_title: Glosario
nav_order: 3
published: 2026-01-01
last_reviewed: 2026-01-02
next_review: 2026-07-01
reviewed_by: []
translation_of: glossary.md
terms:
  - term: Síndrome de liberación de citocinas
    abbreviation: SLC
    definition: Una reacción en la que las células del sistema inmunitario liberan muchos mensajeros químicos.
    sources: [gauthier2021]
  - term: Ñame de prueba
    definition: Una palabra que empieza por eñe, para ordenar.
    sources: [gauthier2021]
  - term: Neurotoxicidad
    definition: Efectos en el cerebro y los nervios.
    sources: [gauthier2021]
  - term: Análisis
    definition: Un estudio de algo.
    sources: [gauthier2021]
---
## Puntos clave

- Palabras que verá en este sitio.
- Cada una con su fuente.
"""


def test_the_spanish_glossary_links_spanish_terms_and_abbreviations_in_spanish_order(
    bilingual: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    bilingual.write(
        "content/glossary.md",
        page(
            "Glossary",
            order=3,
            terms="[{term: Cytokine release syndrome, abbreviation: CRS, definition: A reaction., sources: [gauthier2021]}]",
        ),
    )
    bilingual.write("content/es/glosario.md", GLOSARIO)
    bilingual.write("content/es/index.md", spanish(body="El SLC es frecuente. CRS no es una palabra española [@gauthier2021]."))
    status, out = build(bilingual, capsys)
    assert status == 0, out
    html = (bilingual.site / "es/index.html").read_text()
    assert (
        '<a class="term" href="glosario.html#term-sindrome-de-liberacion-de-citocinas"><abbr title="Síndrome de liberación de '
        'citocinas">SLC</abbr></a>'
    ) in html
    assert "CRS no es" in html and "glossary.html" not in html
    terms = re.findall(r'<dt id="([^"]+)">', (bilingual.site / "es/glosario.html").read_text())
    assert terms == ["term-analisis", "term-neurotoxicidad", "term-name-de-prueba", "term-sindrome-de-liberacion-de-citocinas"]
    assert sorted(["nube", "ñame", "nudo", "árbol", "oso"], key=lambda t: collation_key(t, "es")) == [
        "árbol",
        "nube",
        "nudo",
        "ñame",
        "oso",
    ]


# --- the reading grade -----------------------------------------------------------------------------------------------


def test_a_hard_spanish_page_is_graded_on_the_inflesz_scale(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    hard = (
        "La inmunoterapia adoptiva con linfocitos genéticamente modificados demostró considerable heterogeneidad "
        "interindividual respecto a la durabilidad de las respuestas terapéuticas observadas [@gauthier2021]. "
    )
    bilingual.write("content/es/index.md", spanish(body=hard * 3))
    status, out = build(bilingual, capsys, "--strict")
    assert status == 1
    [warning] = lines_with(out, "reading grade")
    assert warning.startswith("content/es/index.md:19: warning: reading grade is below 55 on the INFLESZ scale (INFLESZ (Szigriszt-Pazos) ")
    assert warning.endswith("use shorter sentences and everyday words")
    assert "es/index.md INFLESZ" in out


# --- translations that cannot go stale --------------------------------------------------------------------------------


def test_a_translation_without_a_record_is_a_warning_with_the_command_that_writes_it(
    bilingual: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = build(bilingual, capsys, "--strict")
    assert status == 1
    assert (
        "content/es/index.md:10: warning: there is no record of the text of content/index.md that this translation was made "
        "from, so the build cannot tell when content/index.md changes: once the translation is up to date with it, run "
        "`python3 build.py translated content/es/index.md`"
    ) in out.splitlines()


def test_changing_the_english_page_flags_its_translation_until_it_is_brought_up_to_date(
    bilingual: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    record(bilingual, capsys, "es/index.md")
    saved = json.loads((bilingual.content / "es/_translations/index.json").read_text())
    assert saved["translation_of"] == "index.md" and saved["original"]["title"] == "Home" and saved["recorded"] == "2026-03-01"
    status, out = build(bilingual, capsys, "--strict")
    assert status == 0, out
    bilingual.write("content/index.md", page(body="Hello again, and welcome [@gauthier2021]."))
    status, out = build(bilingual, capsys)
    assert status == 0, out  # a warning: the site builds, and the page says so
    assert (
        "content/es/index.md:10: warning: content/index.md has changed since this translation was brought up to date with it "
        "on 1 March 2026: translate the changes (each listed as a notice at this line), then run "
        "`python3 build.py translated content/es/index.md`. Until then the page tells readers that the original has changed"
    ) in out.splitlines()
    assert (
        "content/es/index.md:10: notice: changed in content/index.md: Hello [added: again, and welcome] [@gauthier2021]."
    ) in out.splitlines()
    notice = (
        '<p class="translation-notice" role="note">La <a href="../index.html" hreflang="en">página original</a> (en inglés) '
        "se ha actualizado después de hacer esta traducción."
    )
    assert notice in (bilingual.site / "es/index.html").read_text()
    status, out = build(bilingual, capsys, "--strict")
    assert status == 1
    record(bilingual, capsys, "es/index.md")
    status, out = build(bilingual, capsys, "--strict")
    assert status == 0, out
    assert 'class="translation-notice"' not in (bilingual.site / "es/index.html").read_text()


def test_a_record_edited_by_hand_is_an_error_at_the_record(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    record(bilingual, capsys, "es/index.md")
    path = bilingual.content / "es/_translations/index.json"
    path.write_text(path.read_text().replace('"title": "Home"', '"title": "Home page"'))
    status, out = build(bilingual, capsys)
    assert status == 1
    assert (
        "content/es/_translations/index.json:1: the record of the translation content/es/index.md cannot be used: it is not "
        "a record that `build.py translated` writes (its fingerprint is not that of the text it holds). Records are written "
        "by `python3 build.py translated content/es/index.md`, never by hand: check that the translation is up to date with "
        "content/index.md, then run it"
    ) in out.splitlines()


def test_a_translation_review_is_shown_while_it_covers_both_texts(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    record(
        bilingual,
        capsys,
        "es/index.md",
        "--translator",
        "Test Translator",
        "--reviewer",
        "Test Reviewer",
        "--credentials",
        "Test credentials",
    )
    status, out = build(bilingual, capsys, "--strict")
    assert status == 0, out
    html = (bilingual.site / "es/index.html").read_text()
    assert "<p>Traducción de Test Translator, revisada por Test Reviewer, Test credentials, el 1 de marzo de 2026.</p>" in html
    bilingual.write("content/es/index.md", spanish(body="Hola otra vez [@gauthier2021]."))
    status, out = build(bilingual, capsys, "--strict")
    assert status == 0, out
    assert "<p>Traducción: aún no revisada.</p>" in (bilingual.site / "es/index.html").read_text()


def test_translated_refuses_a_page_that_is_not_a_translation(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = build(bilingual, capsys, "translated", str(bilingual.content / "index.md"))
    assert status == 1
    assert (
        "content/index.md:1: this page is not a translation: only a page in content/LANG/ with 'translation_of' has a record"
    ) in out.splitlines()


# --- the real site ---------------------------------------------------------------------------------------------------


def test_a_review_packet_is_of_one_language(bilingual: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """A Spanish page is reviewed against the Spanish settings: a packet holds the pages of one language."""
    out = bilingual.root / "packet"
    status, text = build(
        bilingual, capsys, "review-packet", str(bilingual.content / "index.md"), str(bilingual.content / "es/index.md"), "--out", str(out)
    )
    assert status == 1
    assert lines_with(text, "the pages named are in")[0].endswith(
        "the pages named are in 2 languages: make one review packet for each language"
    )
    status, text = build(bilingual, capsys, "review-packet", str(bilingual.content / "es/index.md"), "--out", str(out))
    assert status == 0, text
    assert "es/index.md" in (out / "index.html").read_text()


def test_every_spanish_page_of_the_real_site_shows_the_box_when_its_english_page_does(published_site: Path) -> None:
    spanish_pages = sorted((published_site / "es").rglob("*.html"))
    assert len(spanish_pages) >= 3
    checked = 0
    for path in spanish_pages:
        html = path.read_text(encoding="utf-8")
        english = re.search(rf'<link rel="alternate" hreflang="en" href="{re.escape(BASE_URL)}([^"]*)">', html)
        if english is None:
            continue
        address = english.group(1)
        original = (published_site / (address + "index.html" if not address or address.endswith("/") else address)).read_text()
        has_box = 'class="urgent-help' in original
        assert has_box <= ('class="urgent-help' in html), path
        assert "Busque ayuda de inmediato" in html if has_box else True
        checked += has_box
    assert checked >= 1


def test_every_page_of_the_real_site_declares_its_language(built_site: Path) -> None:
    for path in built_site.rglob("*.html"):
        relative = path.relative_to(built_site).as_posix()
        html = path.read_text(encoding="utf-8")
        wanted = "es" if relative.startswith("es/") else "en"
        assert f'<html lang="{wanted}">' in html, relative
        for link in re.findall(r"<a [^>]*hreflang=[^>]*>", html):
            if 'class="languages"' in html and ("English<" in link or "Español<" in link):
                assert re.search(r'lang="(en|es)" hreflang="\1"', link), (relative, link)


def test_the_real_spanish_home_page_is_up_to_date_and_honest_about_its_review(built_site: Path) -> None:
    html = (built_site / "es/index.html").read_text(encoding="utf-8")
    assert 'class="translation-notice"' not in html
    assert "<p>Traducción: aún no revisada.</p>" in html


# --- the catalogues: complete, and up to date with the templates and the generator ---------------------------------------


def msgids(path: Path) -> set[object]:
    with path.open("rb") as file:
        return {m.id for m in read_po(file) if m.id}


def test_the_catalogue_templates_are_up_to_date_with_the_templates_and_the_generator() -> None:
    """`build.py translations --update` was run after the last change to a message."""
    assert {m.id for m in extract_template_messages(REPO / "templates") if m.id} == msgids(REPO / "templates/locale/messages.pot")
    assert {m.id for m in extract_generator_messages() if m.id} == msgids(PACKAGE_LOCALE / "sitegen.pot")


@pytest.mark.parametrize("language", ["es"])
def test_every_catalogue_translates_every_message(language: str) -> None:
    sources = {p.relative_to(REPO / "templates").as_posix(): p.read_text() for p in (REPO / "templates").glob("*.html")}
    for folder, domain, used in (
        (REPO / "templates/locale", DOMAIN, template_messages(REPO / "templates", sources)),
        (PACKAGE_LOCALE, GENERATOR_DOMAIN, generator_messages()),
    ):
        catalogue, problems = read_catalogue(catalogue_path(folder, language, domain), language)
        assert problems == [] and catalogue.exists
        assert missing_messages(used, catalogue, "update") == []
        assert all(not entry.fuzzy for entry in catalogue.entries.values())
