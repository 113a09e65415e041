/* epaper viewer: page navigation, deep zoom (OpenSeadragon when present), article hotspots, search.
 *
 * Loaded as an external file (the page's CSP forbids inline script). Page data comes from the
 * <script type="application/json" id="epaper-data"> block, which browsers never execute.
 * All article text is inserted with textContent, never as HTML.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("epaper-data").textContent);
  var pages = data.pages;
  var view = document.getElementById("page-view");
  var OSD = typeof window.OpenSeadragon === "function" ? window.OpenSeadragon : null;
  var state = { page: 0, article: null, read: false };
  var viewer = null; // OpenSeadragon viewer, when available
  var plain = null; // { box, img, layer, zoom } in the fallback
  var swipe = null;

  function $(id) { return document.getElementById(id); }
  function clampPage(n) { return Math.max(1, Math.min(pages.length, n || 1)); }
  function pageData(n) { return pages[n - 1]; }

  // ---- location hash: #page=3&article=id[&read=1] -------------------------------------------
  function parseHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    return {
      page: clampPage(parseInt(params.get("page") || "1", 10)),
      article: params.get("article"),
      read: params.get("read") === "1"
    };
  }

  function hashFor(n, article, read) {
    return "#page=" + n + (article ? "&article=" + encodeURIComponent(article) : "") + (read ? "&read=1" : "");
  }

  function go(n) {
    n = clampPage(n);
    if (n !== state.page || state.article) { location.hash = hashFor(n); }
  }

  // Relative moves count from the location, which changes at once, not from the rendered state,
  // which catches up on "hashchange": two quick key presses move two pages.
  function step(delta) { go(parseHash().page + delta); }

  // ---- hotspots ---------------------------------------------------------------------------
  // One <a> per article box; the first carries the accessible name (the headline), the others
  // are extra click areas of the same link and are hidden from assistive technology.
  function makeHotspots(page) {
    var made = [];
    page.regions.forEach(function (region) {
      region.boxes.forEach(function (box, i) {
        var a = document.createElement("a");
        a.className = "hotspot" + (region.id === state.article ? " is-active" : "");
        a.href = region.href;
        a.dataset.article = region.id;
        if (i === 0) {
          var name = document.createElement("span");
          name.className = "sr-only";
          name.textContent = region.headline;
          if (region.lang) { name.lang = region.lang; }
          a.appendChild(name);
        } else {
          a.tabIndex = -1;
          a.setAttribute("aria-hidden", "true");
        }
        made.push({ el: a, box: box });
      });
      if (region.continuedTo || region.continuedFrom) {
        var other = region.continuedTo || region.continuedFrom;
        // A jump line is printed in the story's module (a link elsewhere to that page is not one).
        var printed = page.jumps.some(function (j) {
          return j.page === other && region.boxes.some(function (b) { return inside(j.box, b); });
        });
        if (!printed) {
          // No jump line in the IR to cover: show a small badge on the article instead.
          // On the module (the first box; a later one is a quotation's space beside it).
          var module = region.boxes[0];
          var badge = document.createElement("a");
          badge.className = "jump-link badge";
          badge.href = hashFor(other, region.id);
          badge.textContent = (region.continuedTo ? "Continued on page " : "Continued from page ") + other;
          var bw = Math.min(module[2], 0.22), bh = 0.018;
          var by = region.continuedTo ? module[1] + module[3] - bh : module[1];
          made.push({ el: badge, box: [module[0] + module[2] - bw, by, bw, bh] });
        }
      }
    });
    page.jumps.forEach(function (jump) {
      var a = document.createElement("a");
      a.className = "jump-link";
      var region = page.regions.find(function (r) {
        return r.boxes.some(function (b) { return inside(jump.box, b); });
      });
      a.href = hashFor(jump.page, region ? region.id : null);
      var name = document.createElement("span");
      name.className = "sr-only";
      name.textContent = jump.label;
      a.appendChild(name);
      made.push({ el: a, box: jump.box });
    });
    made.forEach(function (m) {
      m.el.addEventListener("click", function (event) {
        // Keep OpenSeadragon from treating a link click as a canvas click.
        event.stopPropagation();
        // Pointer clicks inside OpenSeadragon are resolved in its canvas-click handler, which
        // knows a click from the end of a drag; keyboard activation (detail 0) follows the link.
        if (viewer && event.detail !== 0) { event.preventDefault(); }
      });
    });
    return made;
  }

  function inside(a, b) {
    var cx = a[0] + a[2] / 2, cy = a[1] + a[3] / 2;
    return cx >= b[0] && cx <= b[0] + b[2] && cy >= b[1] && cy <= b[1] + b[3];
  }

  function activeRegion() {
    if (!state.article) { return null; }
    return pageData(state.page).regions.find(function (r) { return r.id === state.article; }) || null;
  }

  function unionBox(boxes) {
    var x0 = 1, y0 = 1, x1 = 0, y1 = 0;
    boxes.forEach(function (b) {
      x0 = Math.min(x0, b[0]); y0 = Math.min(y0, b[1]);
      x1 = Math.max(x1, b[0] + b[2]); y1 = Math.max(y1, b[1] + b[3]);
    });
    return [x0, y0, x1 - x0, y1 - y0];
  }

  // ---- deep zoom (OpenSeadragon) ---------------------------------------------------------
  function tileSource(page) {
    // info.json ids are written relative (the folder may be served from any URL): make the id
    // absolute against this page's URL before OpenSeadragon builds tile URLs from it.
    var info = JSON.parse(JSON.stringify(page.info));
    info.id = new URL(page.tiles, document.baseURI).href;
    return info;
  }

  function setupOSD() {
    // OpenSeadragon injects an inline <style> (refused by our CSP) unless it finds
    // style[data-openseadragon-mobile-css]. A "style" element outside the HTML namespace matches
    // that selector but is never treated as a style sheet; viewer.css carries the rule instead.
    if (!document.querySelector("style[data-openseadragon-mobile-css]")) {
      var marker = document.createElementNS("urn:epaper:marker", "style");
      marker.setAttribute("data-openseadragon-mobile-css", "true");
      document.head.appendChild(marker);
    }
    var holder = document.createElement("div");
    holder.className = "osd";
    holder.id = "osd";
    view.appendChild(holder);
    viewer = OSD({
      element: holder,
      prefixUrl: "static/vendor/openseadragon/images/",
      showNavigationControl: false, // our own labelled buttons, see the toolbar
      keyboardNavEnabled: false, // arrows turn pages; +/- zoom (handled below)
      gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true },
      visibilityRatio: 0.5,
      constrainDuringPan: true,
      maxZoomPixelRatio: 2,
      animationTime: 0.6,
      crossOriginPolicy: false
    });
    viewer.addHandler("open", function () {
      var page = pageData(state.page);
      var aspect = page.height / page.width;
      viewer.clearOverlays();
      makeHotspots(page).forEach(function (m) {
        var b = m.box;
        viewer.addOverlay({ element: m.el, location: new OSD.Rect(b[0], b[1] * aspect, b[2], b[3] * aspect) });
      });
      focusArticle(false);
    });
    viewer.addHandler("canvas-click", function (event) {
      if (!event.quick) { return; }
      var oe = event.originalEvent;
      var hit = document.elementsFromPoint(oe.clientX, oe.clientY).find(function (el) {
        return el.matches && el.matches("a.hotspot, a.jump-link");
      });
      if (hit) {
        event.preventDefaultAction = true;
        hit.click(); // a synthetic click has detail 0: the link is followed
      }
    });
  }

  // ---- fallback: plain page image with percentage-positioned links ------------------------
  function setupPlain() {
    var box = document.createElement("div");
    box.className = "plain-page";
    var img = document.createElement("img");
    img.alt = "";
    var layer = document.createElement("div");
    layer.className = "hotspots";
    box.appendChild(img);
    box.appendChild(layer);
    view.appendChild(box);
    view.classList.add("is-plain");
    plain = { box: box, img: img, layer: layer, zoom: 1 };
  }

  function showPlain(page) {
    plain.img.src = page.image;
    plain.img.width = page.imageSize[0];
    plain.img.height = page.imageSize[1];
    plain.img.alt = "Page " + page.label + ": " + page.section;
    plain.layer.textContent = "";
    makeHotspots(page).forEach(function (m) {
      var b = m.box;
      // CSSOM assignments are allowed under the CSP (style attributes in markup are not).
      m.el.style.left = (b[0] * 100) + "%";
      m.el.style.top = (b[1] * 100) + "%";
      m.el.style.width = (b[2] * 100) + "%";
      m.el.style.height = (b[3] * 100) + "%";
      plain.layer.appendChild(m.el);
    });
    setPlainZoom(1);
    focusArticle(false);
  }

  function setPlainZoom(z) {
    plain.zoom = Math.max(1, Math.min(4, z));
    plain.box.style.width = (plain.zoom * 100) + "%";
  }

  // ---- zoom buttons -----------------------------------------------------------------------
  function zoomBy(factor) {
    if (viewer) { viewer.viewport.zoomBy(factor); viewer.viewport.applyConstraints(); }
    else if (plain) { setPlainZoom(plain.zoom * factor); }
  }

  function zoomHome() {
    if (viewer) { viewer.viewport.goHome(); }
    else if (plain) { setPlainZoom(1); }
  }

  function focusArticle(immediately) {
    var region = activeRegion();
    document.querySelectorAll(".hotspot").forEach(function (a) {
      a.classList.toggle("is-active", !!region && a.dataset.article === region.id);
    });
    if (!region) { return; }
    var u = unionBox(region.boxes);
    if (viewer && viewer.world.getItemCount()) {
      var aspect = pageData(state.page).height / pageData(state.page).width;
      var pad = 0.02;
      viewer.viewport.fitBounds(new OSD.Rect(u[0] - pad, (u[1] - pad) * aspect, u[2] + 2 * pad, (u[3] + 2 * pad) * aspect), immediately);
    } else if (plain) {
      var first = plain.layer.querySelector(".hotspot.is-active");
      if (first) { first.scrollIntoView({ block: "center", inline: "nearest" }); }
    }
  }

  // ---- page chrome: indicator, thumbnails, sections, article list, PDF link ----------------
  // Scroll only the thumbnail strip (vertical on desktop, horizontal on phones), never the
  // document: scrollIntoView would drag a phone's whole page down to the strip.
  function revealThumb(a) {
    [document.querySelector(".thumbs"), document.querySelector(".thumbs ol")].forEach(function (box) {
      if (!box) { return; }
      var b = box.getBoundingClientRect(), r = a.getBoundingClientRect();
      if (box.scrollHeight > box.clientHeight) {
        if (r.top < b.top) { box.scrollTop -= b.top - r.top; }
        else if (r.bottom > b.bottom) { box.scrollTop += r.bottom - b.bottom; }
      }
      if (box.scrollWidth > box.clientWidth) {
        if (r.left < b.left) { box.scrollLeft -= b.left - r.left; }
        else if (r.right > b.right) { box.scrollLeft += r.right - b.right; }
      }
    });
  }

  function updateChrome() {
    var page = pageData(state.page);
    $("page-indicator").textContent = "Page " + page.label + " of " + pages.length + " · " + page.section;
    $("prev-page").disabled = state.page <= 1;
    $("next-page").disabled = state.page >= pages.length;
    document.title = document.title.replace(/^(Page [^·]+· )?/, "Page " + page.label + " · ");
    var pdf = $("page-pdf");
    if (page.pdf) {
      pdf.href = page.pdf.href;
      pdf.querySelector(".size").textContent = page.pdf.size;
      pdf.hidden = false;
    } else {
      pdf.hidden = true;
    }
    document.querySelectorAll(".thumbs a[data-page]").forEach(function (a) {
      var current = Number(a.dataset.page) === state.page;
      if (current) {
        a.setAttribute("aria-current", "page");
        revealThumb(a);
      } else {
        a.removeAttribute("aria-current");
      }
    });
    var sectionPage = 0;
    data.sections.forEach(function (s) { if (s.page <= state.page) { sectionPage = s.page; } });
    document.querySelectorAll(".sections a[data-page]").forEach(function (a) {
      if (Number(a.dataset.page) === sectionPage) { a.setAttribute("aria-current", "true"); }
      else { a.removeAttribute("aria-current"); }
    });
    document.querySelectorAll(".article-list[data-page]").forEach(function (ul) {
      ul.hidden = Number(ul.dataset.page) !== state.page;
    });
  }

  function updateReader() {
    var reader = $("reader");
    var region = activeRegion();
    var doc = null;
    if (state.read && state.article) {
      var href = region ? region.href : null;
      if (!href && searchIndex) {
        var found = searchIndex.find(function (d) { return d.doc.id === state.article; });
        href = found ? found.doc.href : null;
      }
      doc = href;
    }
    if (!doc) {
      reader.hidden = true;
      document.body.classList.remove("is-reading");
      return;
    }
    var frame = $("reader-frame");
    if (frame.getAttribute("src") !== doc) { frame.setAttribute("src", doc); }
    $("reader-open").href = doc;
    reader.hidden = false;
    document.body.classList.add("is-reading");
  }

  function render() {
    var wanted = parseHash();
    var pageChanged = wanted.page !== state.page;
    state.page = wanted.page;
    state.article = wanted.article;
    state.read = wanted.read;
    updateChrome();
    var page = pageData(state.page);
    if (pageChanged) {
      if (viewer) { viewer.open(tileSource(page)); }
      else { showPlain(page); }
    } else {
      focusArticle(false);
    }
    updateReader();
  }

  // ---- keyboard and swipe -----------------------------------------------------------------
  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var t = event.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) { return; }
    var handled = true;
    switch (event.key) {
      case "ArrowRight": case "PageDown": step(1); break;
      case "ArrowLeft": case "PageUp": step(-1); break;
      case "Home": go(1); break;
      case "End": go(pages.length); break;
      case "+": case "=": zoomBy(1.5); break;
      case "-": zoomBy(1 / 1.5); break;
      case "0": zoomHome(); break;
      case "Escape":
        if (state.read) { location.hash = hashFor(state.page, state.article); } else { handled = false; }
        break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  }

  function atHomeZoom() {
    if (viewer) { return viewer.viewport.getZoom() <= viewer.viewport.getHomeZoom() * 1.05; }
    return !plain || plain.zoom <= 1;
  }

  function onPointerDown(event) {
    if (event.pointerType === "mouse" || !event.isPrimary) { swipe = null; return; }
    swipe = { x: event.clientX, y: event.clientY, t: Date.now() };
  }

  function onPointerUp(event) {
    if (!swipe) { return; }
    var dx = event.clientX - swipe.x, dy = event.clientY - swipe.y, dt = Date.now() - swipe.t;
    swipe = null;
    // A quick, mostly horizontal swipe turns the page, unless the reader is zoomed in (then it pans).
    if (dt < 800 && Math.abs(dx) > 60 && Math.abs(dx) > 1.5 * Math.abs(dy) && atHomeZoom()) {
      step(dx < 0 ? 1 : -1);
    }
  }

  // ---- search -----------------------------------------------------------------------------
  var searchIndex = null;
  var searchLoading = null;

  function fold(text) {
    // Case- and accent-insensitive matching; Devanagari is left untouched (its marks are letters).
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function loadIndex() {
    if (!searchLoading) {
      searchLoading = fetch(data.search)
        .then(function (r) { if (!r.ok) { throw new Error("search index: HTTP " + r.status); } return r.json(); })
        .then(function (json) {
          searchIndex = json.documents.map(function (d) {
            return {
              doc: d,
              head: fold([d.kicker, d.headline, d.deck].join(" ")),
              body: fold([d.text, d.byline, (d.tags || []).join(" ")].join(" "))
            };
          });
          return searchIndex;
        });
    }
    return searchLoading;
  }

  function search(query) {
    var terms = fold(query).split(/\s+/).filter(Boolean);
    if (!terms.length) { return []; }
    var hits = [];
    searchIndex.forEach(function (entry) {
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var inHead = entry.head.indexOf(terms[i]) >= 0;
        var inBody = entry.body.indexOf(terms[i]) >= 0;
        if (!inHead && !inBody) { return; }
        score += (inHead ? 10 : 0) + (inBody ? 1 : 0);
      }
      hits.push({ entry: entry, score: score });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.entry.doc.page - b.entry.doc.page; });
    return hits.slice(0, 20);
  }

  function snippet(doc, term) {
    var text = doc.text || "";
    var at = fold(text).indexOf(term);
    if (at < 0) { return text.slice(0, 140) + (text.length > 140 ? "…" : ""); }
    var start = Math.max(0, at - 60);
    return (start ? "…" : "") + text.slice(start, at + 100) + (at + 100 < text.length ? "…" : "");
  }

  function showResults(query) {
    var box = $("search-results");
    box.textContent = "";
    if (!query.trim()) { box.hidden = true; return; }
    var hits = search(query);
    var status = document.createElement("p");
    status.className = "search-status";
    status.textContent = hits.length ? hits.length + (hits.length === 1 ? " article" : " articles") : "No articles found";
    box.appendChild(status);
    var list = document.createElement("ol");
    var first = fold(query).split(/\s+/).filter(Boolean)[0];
    hits.forEach(function (hit) {
      var d = hit.entry.doc;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = hashFor(d.page, d.id, true);
      a.className = "search-hit";
      var h = document.createElement("span");
      h.className = "hit-headline";
      h.textContent = d.headline;
      if (d.lang) { h.lang = d.lang; }
      var meta = document.createElement("span");
      meta.className = "hit-meta";
      meta.textContent = d.section + " · page " + d.page;
      var p = document.createElement("span");
      p.className = "hit-snippet";
      p.textContent = snippet(d, first);
      a.appendChild(h);
      a.appendChild(meta);
      a.appendChild(p);
      a.addEventListener("click", function () { box.hidden = true; });
      li.appendChild(a);
      list.appendChild(li);
    });
    box.appendChild(list);
    box.hidden = false;
  }

  function setupSearch() {
    var input = $("search-input");
    var timer = null;
    input.addEventListener("focus", function () { loadIndex().catch(function () {}); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        loadIndex().then(function () { showResults(input.value); }, function () {
          var box = $("search-results");
          box.textContent = "Search is not available (the index could not be loaded).";
          box.hidden = false;
        });
      }, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.value = ""; $("search-results").hidden = true; }
    });
    $("search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      loadIndex().then(function () {
        var hits = search(input.value);
        showResults(input.value);
        if (hits.length) {
          $("search-results").hidden = true;
          location.hash = hashFor(hits[0].entry.doc.page, hits[0].entry.doc.id, true);
        }
      });
    });
  }

  // ---- start ------------------------------------------------------------------------------
  view.textContent = "";
  if (OSD) { setupOSD(); } else { setupPlain(); }
  $("prev-page").addEventListener("click", function () { step(-1); });
  $("next-page").addEventListener("click", function () { step(1); });
  $("zoom-in").addEventListener("click", function () { zoomBy(1.5); });
  $("zoom-out").addEventListener("click", function () { zoomBy(1 / 1.5); });
  $("zoom-home").addEventListener("click", zoomHome);
  $("reader-close").addEventListener("click", function () { location.hash = hashFor(state.page, state.article); });
  document.addEventListener("keydown", onKey);
  view.addEventListener("pointerdown", onPointerDown, true);
  view.addEventListener("pointerup", onPointerUp, true);
  view.addEventListener("pointercancel", function () { swipe = null; }, true);
  window.addEventListener("hashchange", render);
  setupSearch();
  render();
  // For tests and the curious: the live state and the OpenSeadragon viewer.
  window.epaper = { state: state, viewer: viewer, go: go, mode: viewer ? "deepzoom" : "plain" };
})();
