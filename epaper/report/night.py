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
            differs = ", ".join(str(n) for n in edition.get("differs_from_main", [])) or "none"
            out.append(f"<tr><td><a href='../{esc(edition['id'])}/report.html'>{esc(str(edition['name']))}</a></td>"
                       f"<td>{int(edition.get('pages', 0))}</td><td>{esc(differs)}</td></tr>")
        out.append("</table></section>")
        return "".join(out)
    differs = night.get("differs_from_main", [])
    out.append(f"<h2>{esc(words.say('night_report_differs'))}</h2><p>{esc(str(night.get('name', '')))} edition: "
               f"{len(differs)} of its pages differ from the main edition's "
               f"(<a href='{main_folder}/report.html'>its report</a>); every other page is the main edition's "
               "page itself (the same files). Each page below is shown left, the main edition's page of the "
               "same number right.</p>")
    for page in differs:
        number = int(page["page"])
        stem = f"{number:03d}"
        heading = words.say("report_page", page=number, section=str(page["section"]))
        out.append(f"<figure class='night-page'><figcaption>{esc(heading)}: "
                   f"{esc(str(page['why']))}</figcaption>"
                   f"<img src='thumbs/{stem}.jpg' alt='page {number} of this edition' width='180'>"
                   f"<img src='{main_folder}/thumbs/{stem}.jpg' alt='page {number} of the main edition' "
                   "width='180'></figure>")
    left_out = night.get("not_printed", [])
    if left_out:
        out.append(f"<h3>{esc(words.say('night_report_not_printed'))}</h3><ul>")
        out += [f"<li><b>{esc(str(item['id']))}</b>: {esc(str(item['reason']))}</li>" for item in left_out]
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)
