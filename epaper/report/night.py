"""The proof sheet's night section: in an edition of a night (``epaper build-night``), the pages
that differ from the main edition, each beside the main edition's page of the same number, and why;
in the main edition, each zone and the pages it makes differently."""

from __future__ import annotations

import html

from epaper.i18n import Wording

__all__ = ["night_section"]


def night_section(night: dict, words: Wording = Wording()) -> str:
    """HTML for ``report.json``'s ``night`` block (see :mod:`epaper.night.build`); headings in ``words``."""
    esc = html.escape
    main_folder = esc(str(night.get("main_folder", "")))
    out = ["<section class='night'>"]
    if night.get("is_main"):
        out.append(f"<h2>{esc(words.say('night_report_zones'))}</h2><table class='night-editions'>"
                   f"<tr><th>{esc(words.say('night_report_edition'))}</th><th>{esc(words.say('figure_pages'))}</th>"
                   f"<th>{esc(words.say('night_report_differ'))}</th></tr>")
        for edition in night.get("editions", []):
            if edition.get("main"):
                continue
            differs = ", ".join(words.number(int(n)) for n in edition.get("differs_from_main", [])) or "–"  # as the archive says it
            out.append(f"<tr><td><a href='../{esc(edition['id'])}/report.html'>{esc(str(edition['name']))}</a></td>"
                       f"<td>{words.number(int(edition.get('pages', 0)))}</td><td>{esc(differs)}</td></tr>")
        out.append("</table></section>")
        return "".join(out)
    differs = night.get("differs_from_main", [])
    # The message escaped, then the link to the main edition's report put in its place.
    intro = esc(words.say("night_report_intro", name=str(night.get("name", "")), count=len(differs)))
    link = f"<a href='{main_folder}/report.html'>{esc(words.say('night_report_main_report'))}</a>"
    out.append(f"<h2>{esc(words.say('night_report_differs'))}</h2><p>{intro.replace('{report}', link)}</p>")
    main_pages = next((int(e.get("pages", 0)) for e in night.get("editions", []) if e.get("main")), 0)
    for page in differs:
        number = int(page["page"])
        heading = words.say("report_page", page=number, section=str(page["section"]))
        out.append(f"<figure class='night-page'><figcaption>{esc(heading)}: {esc(_why(page, words))}</figcaption>"
                   f"<img src='thumbs/{number:03d}.jpg' alt='{esc(words.say('night_report_this_page', page=number))}' "
                   "width='180'>")
        beside = _main_page_beside(page, main_pages)
        if beside is not None:
            out.append(f"<img src='{main_folder}/thumbs/{beside:03d}.jpg' "
                       f"alt='{esc(words.say('night_report_main_page', page=beside))}' width='180'>")
        out.append("</figure>")
    left_out = night.get("not_printed", [])
    if left_out:
        out.append(f"<h3>{esc(words.say('night_report_not_printed'))}</h3><ul>")
        out += [f"<li><b>{esc(str(item['id']))}</b>: {esc(str(item['reason']))}</li>" for item in left_out]
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def _main_page_beside(page: dict, main_pages: int) -> int | None:
    """The main edition's page shown beside a zone's page: the one it replays, moved to another
    number; else the main page of its number, where the main edition has one."""
    if page.get("main_page"):
        return int(page["main_page"])
    number = int(page["page"])
    return number if number <= main_pages else None


def _why(page: dict, words: Wording) -> str:
    """Why a zone's page is not the main edition's, in the edition's language (a report written
    before the reasons had codes: its English ``why``)."""
    message = f"night_why_{page.get('reason')}"
    if message not in words.messages:
        return str(page.get("why", ""))
    return words.say(message, main=int(page.get("main_page") or 0), page=int(page["page"]))
