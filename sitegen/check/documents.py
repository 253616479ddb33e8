"""Checks on the rendered documents, in memory, before anything is written.

Each document is the template's HTML with the page's Markdown HTML inside it. The Markdown part was judged on
the parser's tree (its links carry their Markdown line), so only the rest, the template's part, is read here.
A problem is reported where it was written: ``content/page.md:LINE`` for Markdown, ``templates/x.html:LINE``
for a template. Links resolve against the set of outputs and their anchors; the file system is not asked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from urllib.parse import unquote

from ..html_facts import PageFacts, normalise_text
from ..load.schema import Suggester
from ..load.settings import UrgentHelp
from ..problems import Problem, error
from ..render.facts import RenderedDocument, TemplateFacts
from ..render.templating import TemplateOrigins
from ..urls import BLOCKED_SCHEMES, is_external, resolve, split_url

SAFE_SCHEMES = {"mailto", "tel", "http", "https"}


@dataclass
class _Reported:
    """Problems found on many pages from one template line are reported once, with the number of pages."""

    pages: dict[tuple[str, int, str], list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, shown: str, line: int, message: str, page: str) -> None:
        self.pages[(shown, line, message)].append(page)

    def problems(self) -> list[Problem]:
        found = []
        for (shown, line, message), pages in self.pages.items():
            where = f" (in {pages[0]})" if len(pages) == 1 else f" (in {len(pages)} pages, such as {pages[0]})"
            found.append(error(shown, line, message + where))
        return found


def check_documents(
    documents: list[tuple[RenderedDocument, TemplateFacts]], other_files: Iterable[str], origins: TemplateOrigins
) -> list[Problem]:
    """Every check on every document: the caveat and the urgent-help box are visible, and every address resolves.

    Linear in documents plus links: each address is resolved with set lookups against the outputs and their anchors.
    """
    anchors = {doc.path: facts.ids | doc.markdown_ids for doc, facts in documents}
    outputs = set(anchors) | set(other_files)
    reported = _Reported()
    hints = Hints(outputs, anchors)
    problems: list[Problem] = []
    known: dict[tuple[str, str, bool, str | None], str | None] = {}  # the same template link on many pages of a folder
    for doc, facts in documents:
        for message in visibility(doc, facts):
            reported.add(doc.template_shown, 1, message, doc.path)
        folder = doc.path.rpartition("/")[0]
        for ref in facts.urls:
            where = (folder if ref.url.partition("#")[0] else doc.path, ref.url, ref.loads, doc.root_path)
            if where not in known:
                known[where] = address_problem(ref.url, ref.loads, doc, outputs, anchors, hints)
            problem = known[where]
            if problem:
                shown, line = origins.locate(ref.url) or (doc.template_shown, 1)
                reported.add(shown, line, problem, doc.path)
        for link in doc.markdown_links:
            problem = address_problem(link.url, link.loads, doc, outputs, anchors, hints)
            if problem:
                problems.append(error(doc.source_shown, link.line, problem.replace(f"'{link.url}'", f"'{link.written}'", 1)))
    return problems + reported.problems()


def visibility(doc: RenderedDocument, facts: TemplateFacts) -> list[str]:
    """What readers would miss on doc: the caveat, the urgent-help box it needs, or a style their browser blocks."""
    urgent = doc.urgent_help if doc.needs_urgent_help else None
    form = doc.urgent_help.form_on(doc.path) if doc.urgent_help is not None else "full"
    return visibility_problems(facts.page, doc.caveat, urgent, form) + style_policy_problems(facts.page)


def visibility_problems(facts: PageFacts, caveat: str, urgent_help: UrgentHelp | None, form: str = "full") -> list[str]:
    if facts.main_count != 1:
        return [f"the page must have exactly one <main> element, but it has {facts.main_count}"]
    problems = []
    wanted = normalise_text(caveat)
    if wanted not in facts.main_text(visible_only=True, before_h2=True):
        if wanted in facts.main_text(visible_only=False, before_h2=True):
            hider = next(
                (h for index, (_, visible) in enumerate(facts.main_texts) if not visible and (h := facts.hidden_by.get(index))),
                "an element",
            )
            problems.append(f"the long-term survival caveat is on the page but hidden from readers by {hider}")
        else:
            problems.append("the page does not show the long-term survival caveat near the top of <main>, before the first section heading")
    if urgent_help is not None:
        visible = "".join(facts.main_text(visible_only=True).split())  # a link inside a sentence leaves spaces around it
        action = ("short action", urgent_help.compact_action) if form == "compact" else ("action", urgent_help.action)
        parts = (("heading", urgent_help.heading), action, ("emergency-help sentence", urgent_help.emergency_text))
        missing = [what for what, text in parts if "".join(text.split()) not in visible]
        if missing:
            whole = "" if form == "full" else "short form of the "
            problems.append(
                f"this page names a side effect, so it must show the {whole}'{urgent_help.heading}' box from the site settings, visibly; "
                f"its {' and '.join([', '.join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)} "
                f"{'is' if len(missing) == 1 else 'are'} missing"
            )
    return problems


def style_policy_problems(facts: PageFacts) -> list[str]:
    """Each <style> must be allowed by the page's Content-Security-Policy, by its hash: browsers ignore any other."""
    directives = [d.split() for policy in facts.policies for d in policy.split(";") if d.split()]
    allowed = {name.lower(): sources for name, *sources in directives}
    styles = allowed.get("style-src", allowed.get("default-src"))
    if not facts.style_hashes or styles is None:
        return []  # no <style>, or no policy for styles: every <style> applies
    if any(source.lower() == "'unsafe-inline'" for _, *sources in directives for source in sources):
        return ["the page's Content-Security-Policy allows 'unsafe-inline'; allow the page's <style> by its hash instead"]
    if all(source in styles for source in facts.style_hashes):
        return []
    return [
        "the page's Content-Security-Policy does not allow its <style>, so browsers would ignore it: name the style's hash "
        "in style-src, as templates/base.html does with {{ stylesheet.csp_source }}"
    ]


class Hints:
    """The "did you mean" of a missing file or anchor: one Suggester for the files, one for each page's anchors."""

    def __init__(self, outputs: Set[str], anchors: Mapping[str, Set[str]]) -> None:
        self.outputs = outputs
        self.anchors = anchors
        self.suggesters: dict[str | None, Suggester] = {}

    def __call__(self, word: str, target: str | None = None) -> str:
        if target not in self.suggesters:
            self.suggesters[target] = Suggester(self.outputs if target is None else self.anchors.get(target, set()))
        return self.suggesters[target](word)


def address_problem(
    url: str, loads: bool, doc: RenderedDocument, outputs: Set[str], anchors: Mapping[str, Set[str]], hints: Hints | None = None
) -> str | None:
    """Why url, written in doc, does not work, or None."""
    hint = hints or Hints(outputs, anchors)
    parts = split_url(url)
    if parts is None:
        return f"cannot read the address '{url}'"
    scheme = parts.scheme.lower()
    if scheme in BLOCKED_SCHEMES or (scheme and scheme not in SAFE_SCHEMES):
        return f"'{url}' is not allowed: use a link to a page, a file, or an https:// address"
    if is_external(parts):
        return f"'{url}' loads from another site; ship the file with the site" if loads else None
    path = unquote(parts.path)
    if path.startswith("/"):
        if doc.root_path and path.startswith(doc.root_path):
            path = path[len(doc.root_path) :]
            target: str | None = path
        else:
            return f"'{url}' starts with '/', which breaks when the site is served under a sub-path; use a relative link"
    else:
        target = resolve(doc.path, path) if path else doc.path
    if target is None:
        return f"'{url}' points outside the site"
    if target == "" or target.endswith("/"):
        target += "index.html"
    if target not in outputs:
        return f"'{url}' points to {target}, which the build does not write{hint(target)}"
    fragment = unquote(parts.fragment)
    if fragment and target in anchors and fragment not in anchors[target]:  # a page with problems is not rendered, nor judged
        return f"'{url}' points to '#{fragment}', but {target} has no such anchor{hint(fragment, target)}"
    return None
