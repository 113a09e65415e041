/* Text view helpers: mark the searched words (articles/x.html#q=words) and, inside the viewer's
 * reader panel, pass Escape up so the panel closes wherever the focus is. */
(function () {
  "use strict";

  // How searched text and what is typed are compared (the viewer's search uses it too): without
  // case and accents; without the Devanagari nukta, which most readers and phone keyboards leave
  // out ("जिला" finds "ज़िला"); Devanagari digits as Latin ("३५०" finds "350"). A Hindi desk's audit.
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f\u093c]/g, "")
      .replace(/[\u0966-\u096f]/g, function (d) { return String.fromCharCode(d.charCodeAt(0) - 0x0966 + 48); })
      .toLowerCase();
  }

  // A range of ``text`` widened to whole letters (grapheme clusters): "किसान" found in "किसानों" or
  // "महत" in "महत्व" marked the letters' bases and left their vowel signs and conjunct halves
  // outside the mark, drawn apart on a dotted circle (a Hindi desk's audit).
  var letters = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  function joined(text, i) { // whether a letter boundary may not fall before text[i]
    return /[\p{M}\u200c\u200d]/u.test(text[i]) || text[i - 1] === "\u094d";
  }
  function whole(text, range, bounds) { // (bounds: the text's letter boundaries, or null)
    var start = range[0], end = range[1];
    if (bounds) {
      start = Math.max.apply(null, bounds.filter(function (b) { return b <= start; }));
      end = Math.min.apply(null, bounds.filter(function (b) { return b >= end; }));
    }
    // (Older engines without Intl.Segmenter, and a conjunct their Unicode data splits at the virama.)
    while (start > 0 && joined(text, start)) { start--; }
    while (end < text.length && joined(text, end)) { end++; }
    return [start, end];
  }

  // Wrap each occurrence of each term in <mark>. Matching runs on folded text, so the offsets are
  // mapped back through a per-character index into the original text node.
  function highlight(root, terms) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    var first = null;
    nodes.forEach(function (node) {
      var text = node.nodeValue, folded = "", map = [];
      for (var i = 0; i < text.length; i++) {
        var f = fold(text[i]);
        for (var k = 0; k < f.length; k++) { folded += f[k]; map.push(i); }
      }
      map.push(text.length);
      var ranges = [];
      terms.forEach(function (term) {
        for (var at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + term.length)) {
          ranges.push([map[at], map[at + term.length]]);
        }
      });
      if (!ranges.length) { return; }
      var bounds = letters && Array.from(letters.segment(text), function (s) { return s.index; }).concat(text.length);
      ranges = ranges.map(function (r) { return whole(text, r, bounds); });
      ranges.sort(function (a, b) { return a[0] - b[0]; });
      var frag = document.createDocumentFragment(), pos = 0;
      ranges.forEach(function (r) {
        if (r[0] < pos) { return; } // overlapping terms: the first wins
        frag.appendChild(document.createTextNode(text.slice(pos, r[0])));
        var mark = document.createElement("mark");
        mark.textContent = text.slice(r[0], r[1]);
        frag.appendChild(mark);
        if (!first) { first = mark; }
        pos = r[1];
      });
      frag.appendChild(document.createTextNode(text.slice(pos)));
      node.parentNode.replaceChild(frag, node);
    });
    return first;
  }

  // Take the marks out again (the words searched changed): each back into its text.
  function unmark(root) {
    root.querySelectorAll("mark").forEach(function (mark) {
      var parent = mark.parentNode;
      parent.replaceChild(document.createTextNode(mark.textContent), mark);
      parent.normalize();
    });
  }

  // The words of the address's #q=, marked. Again at each change of it: the viewer's reader panel
  // opens a story it showed before by its hash alone (the page is not loaded again), and a search
  // opening it showed no marks there.
  function markSearched() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var terms = fold(params.get("q") || "").split(/\s+/).filter(Boolean);
    var article = document.querySelector("article");
    if (!article) { return; }
    unmark(article);
    if (!terms.length) { return; }
    var first = highlight(article, terms);
    if (first) { first.scrollIntoView({ block: "center" }); }
  }
  markSearched();
  window.addEventListener("hashchange", markSearched);

  if (window.parent !== window) {
    document.documentElement.classList.add("in-panel");
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { window.parent.postMessage({ epaper: "close" }, "*"); }
    });
  }
  // The viewer's panel names its frame (viewer.html); a page framed by anyone else keeps its links.
  if (window.parent !== window && window.name === "epaper-reader") {
    document.addEventListener("click", handStoryLinkUp);
  }

  // A link to another story ("More from …") is opened by the viewer, not followed by the frame:
  // followed here, the panel showed the new story while the address, Share, the panel's name and
  // links still named the one before, and Close went back to it (the frame's own history entry).
  function handStoryLinkUp(event) {
    var a = event.target.closest ? event.target.closest("a[href]") : null;
    if (!a || a.target || event.defaultPrevented || event.button !== 0 ||
        event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; } // (a new tab: as it is)
    // A story is a page of this one's folder (articles/); "Back to page" and the like go to the top.
    if (!/\.html$/.test(a.pathname) || new URL(".", a.href).href !== new URL(".", location.href).href) { return; }
    event.preventDefault();
    window.parent.postMessage({ epaper: "open", href: a.href }, "*");
  }

  window.epaperHighlight = highlight;
  window.epaperFold = fold;
})();
