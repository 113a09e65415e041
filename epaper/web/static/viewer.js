/* epaper viewer: pages, deep zoom (OpenSeadragon when present), stories read in place, search,
 * the page as text, read aloud, share links and the offline copy.
 *
 * Loaded as an external file (the page's CSP forbids inline script). Page data comes from the
 * <script type="application/json" id="epaper-data"> block, which browsers never execute; every word
 * the chrome shows comes from its "ui" catalogue (epaper/i18n/po/). Article text is inserted
 * with textContent, never as HTML.
 *
 * The location hash is the state a reader can share or go back to:
 *   #p=3            page 3
 *   #p=3&a=ID       page 3 with article ID highlighted and open in the reader panel (&q=words marks hits)
 *   #p=3&h=ID       page 3 with article ID highlighted (jump lines, "back to page")
 * Older links (#page=3&article=ID[&read=1]) still open.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("epaper-data").textContent);
  var ui = data.ui;
  var pages = data.pages;
  var view = document.getElementById("page-view");
  var OSD = typeof window.OpenSeadragon === "function" ? window.OpenSeadragon : null;
  // A phone held either way: narrow, or a landscape screen too short for the page beside the
  // toolbars (the page view is then sized to the screen: sizeView; and the document scrolls).
  var PHONE = window.matchMedia("(max-width: 40rem), (max-height: 30rem) and (orientation: landscape)");
  // A phone on its side: the masthead and the sections bar over the page's toolbar would leave the
  // page a strip; they scroll away as the viewer opens (and as the phone is turned), a swipe down
  // brings them back.
  var ON_SIDE = window.matchMedia("(max-height: 30rem) and (orientation: landscape)");
  // One scrolling column, as on a phone (viewer.css, max-width 60rem): a small tablet or a narrow
  // window, 641 to 960 px wide, has the page and under it its thumbnails and its story list.
  var COLUMN = window.matchMedia("(max-width: 60rem)");
  function oneColumn() { return PHONE.matches || COLUMN.matches; }
  var TAP_DELAY = 320; // ms: a second tap within this is a double tap (zoom), not a story
  // The reader's "reduce motion" setting (read as the viewer starts): zooms and pans jump, not sweep.
  var STILL = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var state = { page: 0, highlight: null, panel: null, query: "", text: false };
  var viewer = null; // OpenSeadragon viewer, when available
  var plain = null; // { box, img, layer, zoom } in the fallback
  var swipe = null;
  var pendingTap = null;
  var panelPushed = false; // the panel's history entry is ours: closing goes back to it
  var opener = null; // what had the focus when the panel opened
  var baseTitle = document.title;

  function $(id) { return document.getElementById(id); }
  // Numbers the script shows are written in the edition's digits (data.digits: "0123456789" or
  // Devanagari's); URLs and hashes keep 0-9.
  var digits = data.digits || "0123456789";
  function num(n) { return String(n).replace(/[0-9]/g, function (d) { return digits[+d]; }); }
  function shown(value) { return typeof value === "number" ? num(value) : value; }
  function t(key, values) {
    return (ui[key] || key).replace(/\{(\w+)\}/g, function (m, name) {
      return values && values[name] !== undefined ? shown(values[name]) : m;
    });
  }
  // t() into an element, where a value may be a node (a section's name in a span of its language).
  function tInto(element, key, values) {
    element.textContent = "";
    (ui[key] || key).split(/\{(\w+)\}/).forEach(function (part, i) { // odd parts: placeholders' names
      element.append(i % 2 === 0 ? part : values[part] === undefined ? "{" + part + "}" : shown(values[part]));
    });
  }
  // A section's name, in a span of its language where that is not the edition's (देश in an English
  // edition: a screen reader's Hindi voice), as the sections bar and thumbnails have it.
  var sectionLang = {};
  data.sections.forEach(function (s) { if (s.lang) { sectionLang[s.name] = s.lang; } });
  function sectionName(name) {
    if (!sectionLang[name]) { return name; }
    var span = el("span", "", name);
    span.lang = sectionLang[name];
    return span;
  }
  function clampPage(n) { return Math.max(1, Math.min(pages.length, n || 1)); }
  function pageData(n) { return pages[n - 1]; }
  function regionOf(page, id) { return page.regions.find(function (r) { return r.id === id; }) || null; }

  // ---- location hash ----------------------------------------------------------------------
  function parseHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var p = params.get("p") || params.get("page");
    var legacy = params.get("article");
    var panel = params.get("a") || (params.get("read") === "1" ? legacy : null);
    return {
      // A hash without a page (the skip link's #main) keeps the page the reader is on.
      page: p ? clampPage(parseInt(p, 10)) : (state.page || 1),
      panel: panel,
      highlight: panel || params.get("h") || legacy,
      query: params.get("q") || ""
    };
  }

  function hashFor(n, options) {
    options = options || {};
    var h = "#p=" + n;
    if (options.panel) { h += "&a=" + encodeURIComponent(options.panel); }
    else if (options.highlight) { h += "&h=" + encodeURIComponent(options.highlight); }
    if (options.query) { h += "&q=" + encodeURIComponent(options.query); }
    return h;
  }

  function go(n) {
    n = clampPage(n);
    if (n !== state.page || state.highlight || state.panel) { location.hash = hashFor(n); }
  }

  // Relative moves count from the location, which changes at once, not from the rendered state,
  // which catches up on "hashchange": two quick key presses move two pages.
  function step(delta) { go(parseHash().page + delta); }

  // ---- hotspots ---------------------------------------------------------------------------
  // One <a data-article> per article box; the first carries the accessible name (the headline),
  // the others are extra tap areas of the same story and are hidden from assistive technology.
  // href is the standalone text view (new tab, no script); a plain click reads the story in place.
  // Made in reading order, which is the order focus takes: a story's hotspot, then its own jump
  // lines and badges; a link outside every story (the teaser strip printed over the lead story, a
  // refer box) before the first story printed under it (the teasers were reached after every story).
  function makeHotspots(page) {
    var made = [];
    var storyTops = page.regions.map(function (region) { return unionBox(region.boxes)[1]; });
    var orderOf = function (box) {
      var at = page.regions.findIndex(function (r) { return r.boxes.some(function (b) { return inside(box, b); }); });
      if (at >= 0) { return at + 0.5; }
      var below = storyTops.findIndex(function (top) { return top >= box[1] + box[3] - 0.001; });
      return (below < 0 ? page.regions.length : below) - 0.25;
    };
    page.regions.forEach(function (region, index) {
      region.boxes.forEach(function (box, i) {
        var a = document.createElement("a");
        a.className = "hotspot";
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
        made.push({ el: a, box: box, order: index });
      });
      if (region.continuedTo || region.continuedFrom) {
        var other = region.continuedTo || region.continuedFrom;
        // A jump line is printed in the story's module (a link elsewhere to that page is not one).
        var printed = page.jumps.some(function (j) {
          return j.page === other && region.boxes.some(function (b) { return inside(j.box, b); });
        });
        if (!printed) {
          // No jump line in the IR to cover: a small badge on the module (the first box).
          var module = region.boxes[0];
          var badge = document.createElement("a");
          badge.className = "jump-link badge";
          badge.href = hashFor(other, { highlight: region.id });
          badge.textContent = t(region.continuedTo ? "continued_on" : "continued_from", { page: other });
          var bw = Math.min(module[2], 0.22), bh = 0.018;
          var by = region.continuedTo ? module[1] + module[3] - bh : module[1];
          made.push({ el: badge, box: [module[0] + module[2] - bw, by, bw, bh], order: index + 0.5 });
        }
      }
    });
    page.jumps.forEach(function (jump) {
      var a = document.createElement("a");
      a.className = "jump-link";
      var region = page.regions.find(function (r) {
        return r.boxes.some(function (b) { return inside(jump.box, b); });
      });
      a.href = hashFor(jump.page, { highlight: region ? region.id : null });
      var name = document.createElement("span");
      name.className = "sr-only";
      name.textContent = jump.label;
      a.appendChild(name);
      made.push({ el: a, box: jump.box, order: orderOf(jump.box) });
    });
    made.forEach(function (m, i) { m.el.addEventListener("click", onHotspotClick); m.seq = i; });
    return made.sort(function (a, b) { return a.order - b.order || a.seq - b.seq; });
  }

  function onHotspotClick(event) {
    var a = event.currentTarget;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button > 0) { return; } // new tab: the text view
    // Keep OpenSeadragon from treating a link click as a canvas click.
    event.stopPropagation();
    if (!a.dataset.article) { // a jump link: follow it
      if (viewer && event.detail !== 0) { event.preventDefault(); } // OSD's canvas-click follows it
      return;
    }
    event.preventDefault();
    if (event.detail === 0) { openArticle(a.dataset.article); return; } // keyboard: at once
    if (!viewer) { tap(a.dataset.article); } // plain page: OSD's own taps go through canvas-click
  }

  // A tap opens the story unless a second tap follows (then it was a double tap: zoom).
  function tap(id) {
    clearTimeout(pendingTap);
    pendingTap = setTimeout(function () { pendingTap = null; openArticle(id); }, TAP_DELAY);
  }

  function cancelTap() { clearTimeout(pendingTap); pendingTap = null; }

  function inside(a, b) {
    var cx = a[0] + a[2] / 2, cy = a[1] + a[3] / 2;
    return cx >= b[0] && cx <= b[0] + b[2] && cy >= b[1] && cy <= b[1] + b[3];
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
    if (navigator.onLine === false || offlineFallback) {
      // No network (a saved edition read in airplane mode): the saved page image, not tiles.
      return { type: "image", url: page.image, buildPyramid: false };
    }
    // info.json ids are written relative (the folder may be served from any URL): make the id
    // absolute against this page's URL before OpenSeadragon builds tile URLs from it.
    var info = JSON.parse(JSON.stringify(page.info));
    info.id = new URL(page.tiles, document.baseURI).href;
    return info;
  }
  var offlineFallback = false;

  // Tiles meet edge to edge, on whole device pixels. For a tile source without tile overlap (IIIF
  // has none), OpenSeadragon 6's canvas drawer draws every tile one CSS pixel wider and taller than
  // it is (TiledImage._positionTile adds the pixel where drawer.minimumOverlapRequired() says so,
  // against seams in browsers that antialias image edges). The tile is stretched by that pixel and
  // the next tile, drawn over it, hides its last column and row: a column of type was lost at every
  // tile edge ("counci|lmembers"; three device pixels on a 3x phone; bench/tile_seams.py). Here each
  // tile is drawn at its true size (Chromium then draws the tiles as one image, pixel for pixel), its
  // edges rounded to the device pixel: neighbours share each edge and no pixel is half covered, so a
  // browser that antialiases image edges has none to antialias either (untested: the tests have
  // only Chromium, which does not). OpenSeadragon internals: tests/test_tile_seams.py fails if an
  // upgrade changes them, and without _positionTile the tiles are only drawn at their true size.
  function tilesEdgeToEdge(osd) {
    osd.drawer.minimumOverlapRequired = function () { return false; };
    osd.world.addHandler("add-item", function (event) {
      var item = event.item, positionTile = item._positionTile;
      if (typeof positionTile !== "function") { return; }
      item._positionTile = function (tile) {
        positionTile.apply(this, arguments);
        var r = OSD.pixelDensityRatio, p = tile.position, s = tile.size;
        var x0 = Math.round(p.x * r), y0 = Math.round(p.y * r);
        var x1 = Math.round((p.x + s.x) * r), y1 = Math.round((p.y + s.y) * r);
        tile.position = new OSD.Point(x0 / r, y0 / r);
        tile.size = new OSD.Point((x1 - x0) / r, (y1 - y0) / r);
      };
    });
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
      gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: false },
      gestureSettingsTouch: { clickToZoom: false, dblClickToZoom: false, pinchToZoom: true, flickEnabled: false },
      visibilityRatio: 0.5,
      constrainDuringPan: true,
      maxZoomPixelRatio: 2,
      // OpenSeadragon counts device pixels: left alone it fetches, for a 3x phone screen, tiles
      // nine times the pixels of a 1x screen's. Half the device resolution is plenty for a page
      // fitted to the width (the type is read zoomed in, where finer tiles come): it keeps the
      // first phone view within budget (bench/bench_viewer.py).
      minPixelRatio: Math.max(0.5, Math.min(window.devicePixelRatio || 1, 3) / 2),
      // 0: each spring (zoom, pan, home, a story fitted) is at its target on the next frame, whatever
      // springStiffness says.
      animationTime: STILL ? 0 : 0.6,
      crossOriginPolicy: false,
      // Canvas 2D: the same pixels everywhere, and light where WebGL is emulated in software.
      drawer: "canvas"
    });
    tilesEdgeToEdge(viewer);
    // OpenSeadragon focuses its canvas on every click; on a phone, where the canvas is taller than
    // the screen, that focus scrolled the document under the finger between two taps.
    viewer.canvas.focus = function () { HTMLElement.prototype.focus.call(this, { preventScroll: true }); };
    // A tab stop of OpenSeadragon's, named: the page, its stories' links inside it.
    viewer.canvas.setAttribute("role", "group");
    viewer.canvas.setAttribute("aria-label", t("page_view_label"));
    // A story's link reached with Tab on a page zoomed in is panned into view (a focused jump line
    // was off the view: WCAG 2.4.11). The browser's own scroll to it moved OpenSeadragon's clipped
    // boxes under the page: undone.
    view.addEventListener("focusin", function (event) {
      var a = event.target;
      if (!a.matches || !a.matches("a.hotspot, a.jump-link")) { return; }
      [viewer.container, viewer.canvas].forEach(function (e) { e.scrollLeft = 0; e.scrollTop = 0; });
      revealLink(a);
    });
    viewer.addHandler("open", function () {
      viewMessage(null);
      var page = pageData(state.page);
      // The view may have been sized for this page (sizeView) after OpenSeadragon last measured
      // it: the first page on a small phone was fitted into the stylesheet's 78vh, 311 px wide
      // on a 360 px screen, with grey bands beside it. Sized again (the chrome over it may have
      // changed its height since, as its fonts came), measured now, and fitted to it.
      sizeView(page);
      var measured = new OSD.Point(viewer.container.clientWidth, viewer.container.clientHeight);
      if (!measured.equals(viewer.viewport.getContainerSize())) {
        viewer.viewport.resize(measured, false);
        viewer.viewport.goHome(true);
      }
      placeOverlays(page);
      markFit();
      markHighlight();
      if (state.highlight && !state.panel) { fitToArticle(true); }
      giveFocusBack();
      var item = viewer.world.getItemAt(0);
      if (item.getFullyLoaded()) { firstPageShown(); }
      item.addHandler("fully-loaded-change", function (event) { if (event.fullyLoaded) { firstPageShown(); } });
    });
    // At the page's fitted size a vertical drag scrolls the document (markFit); zoomed in, it pans.
    viewer.addHandler("zoom", function (event) { markFit(event.zoom); });
    viewer.addHandler("animation-finish", function () { markFit(); });
    // A vertical drag the browser took for a scroll (at fit: touch-action pan-y) is cancelled for
    // OpenSeadragon after its first moves: the page goes back to its fitted place.
    viewer.canvas.addEventListener("pointercancel", function () {
      if (view.classList.contains("at-fit")) { viewer.viewport.applyConstraints(); }
    });
    // The page itself could not be had (offline, the edition not saved; a dropped connection):
    // said in the reader's words, not OpenSeadragon's "Unable to open [object Object]".
    viewer.addHandler("open-failed", function () {
      viewMessage(t(navigator.onLine === false ? "page_offline" : "page_failed"));
    });
    viewer.addHandler("tile-load-failed", function () {
      // Tiles unreachable (offline, or a host without them): show the page image instead.
      if (!offlineFallback) { offlineFallback = true; viewer.open(tileSource(pageData(state.page))); }
    });
    // Taps are told apart here, for touch and mouse alike (OpenSeadragon's own double-click
    // detection missed quick double taps on touch screens): a second tap near the first within
    // TAP_DELAY zooms in about that point; a single tap on a story opens it once TAP_DELAY has passed.
    var lastTap = null;
    viewer.addHandler("canvas-click", function (event) {
      if (!event.quick) { return; }
      event.preventDefaultAction = true;
      var now = Date.now(), pos = event.position;
      if (lastTap && now - lastTap.time < TAP_DELAY && pos.distanceTo(lastTap.pos) < 30) {
        lastTap = null;
        cancelTap();
        viewer.viewport.zoomBy(2, viewer.viewport.pointFromPixel(pos));
        viewer.viewport.applyConstraints();
        return;
      }
      lastTap = { time: now, pos: pos };
      var oe = event.originalEvent;
      var hit = document.elementsFromPoint(oe.clientX, oe.clientY).find(function (el) {
        return el.matches && el.matches("a.hotspot, a.jump-link");
      });
      if (!hit) { return; }
      if (hit.dataset.article) { tap(hit.dataset.article); } else { hit.click(); }
    });
  }

  // The page's links are made again for each page (and each size): a link that had the focus is
  // gone with them, and the focus fell to <body> (an audit: a jump line followed from the keyboard).
  // keepFocus() before they go notes what had it; giveFocusBack() once they are made focuses the
  // same link again, or, on a page turned to, the story highlighted there (the jump's other part),
  // else the page itself.
  var refocus = null;
  var shownPage = 0; // the page whose links are over the view
  function keepFocus() {
    var a = document.activeElement;
    if (a && a !== document.body && view.contains(a) && a.matches("a")) {
      refocus = { page: shownPage, article: a.dataset.article || null, href: a.getAttribute("href") };
    }
  }
  function giveFocusBack() {
    var want = refocus;
    refocus = null;
    if (!want || (document.activeElement && document.activeElement !== document.body)) { return; }
    var links = Array.prototype.slice.call(view.querySelectorAll("a.hotspot:not([tabindex='-1']), a.jump-link"));
    var same = function (a) { return want.article ? a.dataset.article === want.article : a.getAttribute("href") === want.href; };
    var highlighted = function (a) { return !!state.highlight && a.dataset.article === state.highlight; };
    var target = (want.page === state.page ? links.find(same) : null) || links.find(highlighted) || pageFocus();
    target.focus({ preventScroll: true });
  }
  // The page view's own tab stop: OpenSeadragon's canvas, or the plain page's scrolling box.
  function pageFocus() {
    if (viewer) { return viewer.canvas; }
    if (!view.hasAttribute("tabindex")) { view.tabIndex = -1; }
    return view;
  }

  // The page's links as OpenSeadragon overlays, their tap areas grown for the page's fitted size.
  function placeOverlays(page) {
    var aspect = page.height / page.width;
    keepFocus();
    shownPage = page.number;
    viewer.clearOverlays();
    var fitted = viewer.viewport.getContainerSize().x * viewer.viewport.getHomeZoom(); // px a page's width
    growHits(makeHotspots(page), fitted, fitted * aspect).forEach(function (m) {
      var b = m.hit;
      viewer.addOverlay({ element: m.el, location: new OSD.Rect(b[0], b[1] * aspect, b[2], b[3] * aspect) });
    });
  }

  // Pan the page zoomed in so that a link's box partly or wholly out of the view is in it, with a
  // margin (by the least move; its top left where it is larger than the view).
  function revealLink(a) {
    if (atFit()) { return; } // the whole page is in the view
    var r = a.getBoundingClientRect(), v = viewer.container.getBoundingClientRect(), m = 12;
    var delta = function (lo, hi, vlo, vhi) {
      if (lo >= vlo && hi <= vhi) { return 0; }
      var margin = Math.max(0, Math.min(m, (vhi - vlo - (hi - lo)) / 2));
      return lo < vlo || hi - lo > vhi - vlo ? lo - (vlo + margin) : hi - (vhi - margin);
    };
    var dx = delta(r.left, r.right, v.left, v.right), dy = delta(r.top, r.bottom, v.top, v.bottom);
    if (Math.abs(dx) < 1 && Math.abs(dy) < 1) { return; }
    viewer.viewport.panBy(viewer.viewport.deltaPointsFromPixels(new OSD.Point(dx, dy), true));
  }

  // ---- tap areas ----------------------------------------------------------------------------
  // A link printed small (a jump line 26 x 4 px on a phone's fitted page; a refer box's entries
  // 52 x 20, a hair apart) is tapped in an area at least HIT px each way (WCAG 2.5.8), grown
  // invisibly about its drawn box (drawn by a child, .box, where it is grown) and never over a
  // neighbour's area. Where a column of entries has not the room about each one, their areas are
  // spread along it (growAxis), each over no more than the edge of a neighbour's drawn box (a
  // quarter of it: its middle half stays its own); where the column has not the room at all (a
  // landscape phone's whole page, 190 px wide), each has what room there is. A jump line inside its
  // story's box is not that story's neighbour (it lies over it). `sx`, `sy`: px a page's width and
  // height at fit.
  var HIT = 24.5; // CSS px (24, and half a pixel for rounding)

  function growHits(made, sx, sy) {
    var px = made.map(function (m) {
      var b = m.box;
      return { m: m, box: [b[0] * sx, b[1] * sy, b[2] * sx, b[3] * sy], hit: [b[0] * sx, b[1] * sy, b[2] * sx, b[3] * sy] };
    });
    growAxis(px, 1, sy); // heights first (a column's entries), then widths
    growAxis(px, 0, sx);
    return px.map(function (p) {
      var m = p.m, grown = p.hit.some(function (v, i) { return Math.abs(v - p.box[i]) > 0.01; }) && p.hit[2] > 0 && p.hit[3] > 0;
      m.hit = [p.hit[0] / sx, p.hit[1] / sy, p.hit[2] / sx, p.hit[3] / sy];
      if (grown) {
        // The drawn box inside the area, in per cent of it (it scales with the zoom).
        var box = document.createElement("span");
        box.className = "box";
        box.setAttribute("aria-hidden", "true");
        box.style.left = ((p.box[0] - p.hit[0]) / p.hit[2] * 100) + "%";
        box.style.top = ((p.box[1] - p.hit[1]) / p.hit[3] * 100) + "%";
        box.style.width = (p.box[2] / p.hit[2] * 100) + "%";
        box.style.height = (p.box[3] / p.hit[3] * 100) + "%";
        Array.prototype.slice.call(m.el.childNodes).forEach(function (node) { // a badge's words
          if (!(node.classList && node.classList.contains("sr-only"))) { box.appendChild(node); }
        });
        m.el.appendChild(box);
        m.el.classList.add("grown");
      }
      return m;
    });
  }

  // The areas' spans along `axis` (0: x, 1: y) grown to HIT where the drawn box is smaller, within
  // 0..limit: each centred on its box, then pushed along past the areas before it (forward), then
  // back before the areas after it (backward), then any overlap left split between the two.
  function growAxis(px, axis, limit) {
    var S = axis, Z = axis + 2, O = 1 - axis;
    var centre = function (p) { return p.box[S] + p.box[Z] / 2; };
    var small = function (p) { return p.box[Z] < HIT; };
    var end = function (p) { return p.hit[S] + p.hit[Z]; };
    var set = function (p, start, stop) { p.hit[S] = start; p.hit[Z] = Math.max(0, stop - start); };
    var nested = function (a, b) { return inside(a.box, b.box) || inside(b.box, a.box); };
    var order = px.slice().sort(function (a, b) { return centre(a) - centre(b); });
    // Neighbours: areas across from each other (their spans the other way meet), before and after.
    var near = function (p, q) {
      return q !== p && !nested(p, q) && p.hit[O] < q.hit[O] + q.hit[O + 2] && q.hit[O] < p.hit[O] + p.hit[O + 2];
    };
    var grow = order.filter(small);
    grow.forEach(function (p) {
      p.before = order.filter(function (q) { return near(p, q) && centre(q) < centre(p); });
      p.after = order.filter(function (q) { return near(p, q) && centre(q) >= centre(p); });
      // Bounds: a big neighbour's area, a small one's drawn box but its outer quarters.
      p.lo = Math.max.apply(null, [0].concat(p.before.map(function (q) { return small(q) ? q.box[S] + q.box[Z] * 0.75 : end(q); })));
      p.hi = Math.min.apply(null, [limit].concat(p.after.map(function (q) { return small(q) ? q.box[S] + q.box[Z] * 0.25 : q.hit[S]; })));
      var start = Math.max(p.lo, Math.min(centre(p) - HIT / 2, p.hi - HIT));
      set(p, start, Math.min(p.hi, start + HIT));
    });
    grow.forEach(function (p) {
      p.before.filter(small).forEach(function (q) {
        if (p.hit[S] < end(q)) {
          var start = Math.max(p.lo, Math.min(end(q), p.hi - HIT));
          set(p, start, Math.min(p.hi, Math.max(end(p), start + HIT)));
        }
      });
    });
    grow.slice().reverse().forEach(function (p) {
      p.after.filter(small).forEach(function (q) {
        if (end(p) > q.hit[S]) { set(p, Math.max(p.lo, Math.min(p.hit[S], q.hit[S] - HIT)), q.hit[S]); }
      });
    });
    grow.forEach(function (p) {
      p.after.filter(small).forEach(function (q) {
        if (end(p) > q.hit[S]) {
          var qEnd = end(q), middle = (end(p) + q.hit[S]) / 2;
          middle = Math.max(p.box[S] + p.box[Z] * 0.75, Math.min(q.box[S] + q.box[Z] * 0.25, middle));
          set(p, p.hit[S], middle);
          set(q, middle, qEnd);
        }
      });
    });
  }

  // ---- fallback: plain page image with percentage-positioned links ------------------------
  function setupPlain() {
    var box = document.createElement("div");
    box.className = "plain-page";
    var img = document.createElement("img");
    img.alt = "";
    img.addEventListener("load", firstPageShown);
    var layer = document.createElement("div");
    layer.className = "hotspots";
    box.appendChild(img);
    box.appendChild(layer);
    view.appendChild(box);
    view.classList.add("is-plain");
    view.addEventListener("dblclick", function (event) {
      cancelTap();
      event.preventDefault();
      // Zoom twice about the point tapped, keeping it under the finger.
      var r = view.getBoundingClientRect();
      var fx = (view.scrollLeft + event.clientX - r.left) / box.offsetWidth;
      var fy = (view.scrollTop + event.clientY - r.top) / box.offsetHeight;
      setPlainZoom(plain.zoom * 2);
      view.scrollLeft = fx * box.offsetWidth - (event.clientX - r.left);
      view.scrollTop = fy * box.offsetHeight - (event.clientY - r.top);
    });
    plain = { box: box, img: img, layer: layer, zoom: 1 };
  }

  function showPlain(page) {
    plain.img.src = page.image;
    plain.img.width = page.imageSize[0];
    plain.img.height = page.imageSize[1];
    plain.img.alt = t("page_image_alt", { label: page.label, section: page.section });
    keepFocus();
    shownPage = page.number;
    plain.layer.textContent = "";
    var fitted = plain.box.offsetWidth / plain.zoom || view.clientWidth; // px a page's width at zoom 1
    growHits(makeHotspots(page), fitted, fitted * page.height / page.width).forEach(function (m) {
      var b = m.hit;
      // CSSOM assignments are allowed under the CSP (style attributes in markup are not).
      m.el.style.left = (b[0] * 100) + "%";
      m.el.style.top = (b[1] * 100) + "%";
      m.el.style.width = (b[2] * 100) + "%";
      m.el.style.height = (b[3] * 100) + "%";
      plain.layer.appendChild(m.el);
    });
    setPlainZoom(1);
    markHighlight();
    if (state.highlight && !state.panel) { fitToArticle(true); }
    giveFocusBack();
  }

  function setPlainZoom(z) {
    plain.zoom = Math.max(1, Math.min(4, z));
    plain.box.style.width = (plain.zoom * 100) + "%";
  }

  // ---- zoom -------------------------------------------------------------------------------
  // The zoom buttons and keys zoom the page image, which the text view hides: the buttons are disabled
  // while it shows (setTextMode) and the keys do nothing (a zoom nobody saw was found on the way back).
  var ZOOM_BUTTONS = ["zoom-in", "zoom-out", "zoom-home"];

  function zoomBy(factor) {
    if (state.text) { return; }
    if (viewer) { viewer.viewport.zoomBy(factor); viewer.viewport.applyConstraints(); }
    else if (plain) { setPlainZoom(plain.zoom * factor); }
  }

  // "Fit": the whole page, and on a phone the page brought on screen whole (its toolbar on top), where
  // a part of it was off the screen.
  function zoomHome() {
    if (state.text) { return; }
    if (viewer) { viewer.viewport.goHome(); }
    else if (plain) { setPlainZoom(1); }
    if (oneColumn()) {
      var r = view.getBoundingClientRect();
      if (r.top < -1 || r.bottom > seenHeight() + 1) { $("main").scrollIntoView({ block: "start" }); }
    }
  }

  // The page at its fitted size: a vertical drag on it scrolls the document (to the thumbnails and
  // the story list under it), as on the rest of the screen; zoomed in, it pans the page
  // (viewer.css: touch-action on .at-fit). `zoom`: the zoom being gone to, else the current one.
  function markFit(zoom) {
    if (!viewer) { return; }
    var fit = atFit(zoom === undefined ? undefined : zoom / viewer.viewport.getHomeZoom());
    view.classList.toggle("at-fit", fit);
    viewer.panVertical = !fit; // (the first moves of a drag the browser then takes for a scroll)
  }

  function zoomLevel() {
    if (viewer) { return viewer.viewport.getZoom(true) / viewer.viewport.getHomeZoom(); }
    return plain ? plain.zoom : 1;
  }

  function atHomeZoom() { return zoomLevel() <= 1.05; }

  // The page at its fitted size, within a hundredth: a vertical drag scrolls the document, the arrow
  // keys turn pages, a link needs no panning into view. `level`: a zoom over the home zoom (default:
  // the current one).
  var FIT = 1.01;
  function atFit(level) { return (level === undefined ? zoomLevel() : level) <= FIT; }

  // A line over the page view (null: none), for when the page cannot be shown.
  function viewMessage(text) {
    var shown = view.querySelector(".view-message");
    if (shown) { shown.remove(); }
    if (!text) { return; }
    var line = document.createElement("p");
    line.className = "view-message";
    line.setAttribute("role", "status");
    line.textContent = text;
    view.appendChild(line);
  }

  // The height of the screen a reader sees: the visual viewport (without the browser's own bars,
  // which come and go), unless the reader has pinched the whole document larger.
  function seenHeight() {
    var vv = window.visualViewport;
    return vv && vv.scale < 1.01 ? vv.height : window.innerHeight;
  }

  // On a phone the page view is as tall as the page fitted to the screen's width, but no taller than
  // the screen under the page's toolbar: at "Fit" the whole page is on the screen (a landscape
  // phone's too, where the width would have shown the masthead only), and the document scrolls to
  // what is under it. In the one column of a small tablet or a narrow window it is no taller than
  // the screen under all the chrome over it (masthead, sections, toolbar), measured: the whole page
  // is on the screen as the viewer opens (an audit at 700 x 560: the stylesheet's 78vh put the
  // page's foot 53 px under the screen's edge). A desktop's is the stylesheet's.
  function sizeView(page) {
    if (view.hidden) { return; } // (the page as text: measured as the page view shows again)
    var room;
    if (viewer && PHONE.matches) {
      room = seenHeight() - document.querySelector(".toolbar").getBoundingClientRect().height;
    } else if (viewer && COLUMN.matches) {
      room = seenHeight() - (view.getBoundingClientRect().top + window.scrollY);
    } else {
      view.style.height = "";
      return;
    }
    var wide = view.clientWidth * page.height / page.width;
    view.style.height = Math.floor(Math.max(160, Math.min(wide, room))) + "px";
  }

  // A phone turned (or its browser's bars gone, or the chrome over the page grown: see
  // watchChrome): the page view sized again, the page fitted again if it was, and the tap areas
  // grown for the new fitted size. Not while the reader types (a keyboard that opens shrinks the
  // visual viewport), nor while the page shows as text (done as the page view shows again).
  // Whether the page was at its fitted size is read as the resizing begins: OpenSeadragon takes a
  // new size of its own in its next frame, keeping what was shown (a laptop's window made 700 x 560
  // left the page 15 % over its new fitted size, its foot off the screen).
  var resizing = null, fittedBefore = false;
  function onResize() {
    if (!viewer || !viewer.world.getItemCount() || view.hidden) { return; }
    var active = document.activeElement;
    if (active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) { return; }
    if (resizing === null) { fittedBefore = atHomeZoom(); }
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      resizing = null;
      var page = pageData(state.page), fitted = fittedBefore, before = view.style.height;
      sizeView(page);
      var measured = new OSD.Point(viewer.container.clientWidth, viewer.container.clientHeight);
      // (OpenSeadragon may have taken the new size already, keeping what was shown: a fitted page
      // left a little over its fitted size, its foot off the screen.)
      var drifted = fitted && Math.abs(viewer.viewport.getZoom() / viewer.viewport.getHomeZoom() - 1) > 1e-4;
      var resized = before !== view.style.height || !measured.equals(viewer.viewport.getContainerSize());
      if (!resized && !drifted) { return; }
      if (resized) { viewer.viewport.resize(measured, true); }
      if (fitted) {
        viewer.viewport.goHome(true);
        var r = view.getBoundingClientRect();
        if (ON_SIDE.matches && r.top > 0 && r.bottom > seenHeight() + 1) { $("main").scrollIntoView({ block: "start" }); }
      }
      // The tap areas are grown for the fitted page's size: made again only when the view's size
      // changed (a page merely fitted again keeps its links: made again as the viewer opened, under
      // load, they were gone for a frame, and a reader's finger or a test between two frames missed them).
      if (resized) {
        placeOverlays(page);
        markHighlight();
      }
      markFit();
      giveFocusBack();
    }, 150);
  }

  function markHighlight() {
    document.querySelectorAll("#page-view .hotspot").forEach(function (a) {
      a.classList.toggle("is-active", !!state.highlight && a.dataset.article === state.highlight);
    });
  }

  // Bring the highlighted story into view: used when a link lands on a page, never on a tap (the
  // reader's zoom stays where it was).
  function fitToArticle(immediately) {
    var region = state.highlight ? regionOf(pageData(state.page), state.highlight) : null;
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

  // The first page is up: now the thumbnails may load (never before it, on a phone's link).
  var thumbsLoaded = false;
  function firstPageShown() {
    if (thumbsLoaded) { return; }
    thumbsLoaded = true;
    window.epaper.shownAt = Date.now(); // for the budget test: requests started before this made the first view
    document.documentElement.classList.add("page-shown");
    document.querySelectorAll(".thumbs img[data-src]").forEach(function (img) {
      img.loading = "lazy";
      img.src = img.dataset.src;
      img.removeAttribute("data-src");
    });
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
    // A live region: written only when what it says changes (it was said again as each story
    // opened and closed).
    var counter = document.createElement("span");
    tInto(counter, "page_of_section", { label: page.label, total: pages.length, section: sectionName(page.section) });
    if (counter.innerHTML !== $("page-indicator").innerHTML) { $("page-indicator").replaceChildren.apply($("page-indicator"), Array.prototype.slice.call(counter.childNodes)); }
    // aria-disabled, not disabled: the focus stays on "Next page" as it reaches the last page (a
    // disabled button lost it to <body>).
    $("prev-page").setAttribute("aria-disabled", state.page <= 1 ? "true" : "false");
    $("next-page").setAttribute("aria-disabled", state.page >= pages.length ? "true" : "false");
    document.title = t("page_title", { label: page.label }) + " · " + baseTitle;
    var pdf = $("page-pdf");
    if (page.pdf) {
      pdf.href = page.pdf.href;
      pdf.querySelector(".size").textContent = page.pdf.size;
      pdf.hidden = false;
    } else {
      pdf.hidden = true;
    }
    rove(null); // (the toolbar's tab stop not on a PDF link hidden)
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

  // ---- the reader panel: a modal dialog over the page -------------------------------------
  function openArticle(id) {
    opener = document.activeElement;
    panelPushed = true;
    location.hash = hashFor(state.page, { panel: id });
  }

  function closePanel() {
    if (!state.panel) { return; }
    if (panelPushed) {
      history.back(); // the entry before the panel: same page, same zoom
    } else {
      history.replaceState(null, "", hashFor(state.page));
      render();
    }
  }

  function docFor(id) {
    if (!searchIndex) { return null; }
    var found = searchIndex.find(function (e) { return e.doc.id === id; });
    return found ? found.doc : null;
  }

  function hrefFor(id) {
    var region = regionOf(pageData(state.page), id);
    if (region) { return region.href; }
    var doc = docFor(id);
    return doc ? doc.href : null;
  }

  function updatePanel() {
    var dialog = $("reader");
    var href = state.panel ? hrefFor(state.panel) : null;
    if (state.panel && !href && !searchIndex) {
      // An article of another page, known only to the search index: load it, then try again.
      loadIndex().then(updatePanel, function () {});
      return;
    }
    if (!href) {
      if (dialog.open) {
        dialog.close();
        stopSpeech("panel");
        // Back to what opened it; where that is gone or hidden (a search's hit, its results closed;
        // a link of another page), to the search box or the page.
        var back = opener;
        if (!back || back === document.body || !back.isConnected || !back.getClientRects().length) {
          back = back && back.closest && back.closest("#search-form") ? $("search-input") : state.text ? $("text-mode") : pageFocus();
        }
        back.focus({ preventScroll: back !== $("search-input") });
        opener = null;
      }
      return;
    }
    showInFrame(href + (state.query ? "#q=" + encodeURIComponent(state.query) : ""));
    var region = regionOf(pageData(state.page), state.panel);
    // The dialog's name: the story's headline, in its language (a Hindi one in an English edition).
    $("reader-title").textContent = region ? region.headline : t("article");
    $("reader-title").lang = region ? region.lang : data.edition.lang;
    $("reader-open").href = href;
    $("reader-status").textContent = "";
    var iiif = $("reader-iiif");
    var contentState = region ? contentStateLink(region) : null;
    iiif.hidden = !contentState;
    if (contentState) { iiif.href = contentState; }
    if (!dialog.open) {
      if (!opener) { opener = document.activeElement; } // (a search's hit, a link's hash)
      dialog.showModal();
      $("reader-close").focus();
    }
    updateListen();
  }

  // The story is loaded into the panel's frame in place of the one before: setting the frame's src
  // again added a session history entry of the frame's own, and Close (history.back()) then went
  // back in the frame, to the story read before, with the address still naming the one closed.
  function showInFrame(src) {
    var frame = $("reader-frame");
    if (frame.dataset.src === src) { return; }
    frame.dataset.src = src;
    frame.contentWindow.location.replace(new URL(src, document.baseURI).href);
  }

  // A story link followed in the panel ("More from …", handed over by text.js): the panel's entry
  // names that story now, so the address, Share, the panel's name, "Open as page" and the IIIF link
  // follow it, and Close still returns to the page. It is shown on its page (the one behind the
  // panel when it is printed there too), as a search opens it.
  function openFromPanel(href) {
    var found = storyAt(href);
    if (!found) { location.assign(href); return; } // not a story of this edition's pages: as a page
    location.replace(hashFor(found.page, { panel: found.id }));
  }

  // The story whose text view is at `href`, and a page it is printed on (this one first).
  function storyAt(href) {
    var want = new URL(href, document.baseURI).href.split("#")[0];
    var numbers = [state.page].concat(pages.map(function (p, i) { return i + 1; }));
    for (var i = 0; i < numbers.length; i++) {
      var region = pageData(numbers[i]).regions.find(function (r) {
        return new URL(r.href, document.baseURI).href === want;
      });
      if (region) { return { id: region.id, page: numbers[i] }; }
    }
    return null;
  }

  function articleUrl(id) {
    return location.href.split("#")[0] + hashFor(state.page, { panel: id });
  }

  function share() {
    var region = regionOf(pageData(state.page), state.panel);
    var url = articleUrl(state.panel);
    var status = $("reader-status");
    if (navigator.share) {
      navigator.share({ title: region ? region.headline : document.title, url: url }).catch(function () {});
    } else if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () { status.textContent = t("link_copied"); },
        function () { status.textContent = t("copy_link") + ": " + url; });
    } else {
      status.textContent = t("copy_link") + ": " + url;
    }
  }

  // A IIIF Content State (https://iiif.io/api/content-state/1.0/) naming the story's region on its
  // canvas, carried as ?iiif-content= on this page's URL so IIIF viewers can open the same spot.
  function contentStateLink(region) {
    var page = pageData(state.page);
    var u = unionBox(region.boxes);
    var manifest = new URL(data.manifest, document.baseURI).href;
    var canvas = new URL("canvas/" + page.number, manifest).href;
    var xywh = [u[0] * page.width, u[1] * page.height, u[2] * page.width, u[3] * page.height].map(Math.round).join(",");
    var json = JSON.stringify({
      "@context": "http://iiif.io/api/presentation/3/context.json",
      id: canvas + "#xywh=" + xywh, type: "Canvas",
      partOf: [{ id: manifest, type: "Manifest" }]
    });
    var bytes = new TextEncoder().encode(json), bin = "";
    bytes.forEach(function (b) { bin += String.fromCharCode(b); });
    var encoded = btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    return location.href.split(/[?#]/)[0] + "?iiif-content=" + encoded + hashFor(state.page, { panel: region.id });
  }

  // ---- the page as text, in reading order -------------------------------------------------
  function renderPageText() {
    var page = pageData(state.page);
    $("page-text-title").textContent = t("page_text_label", { label: page.label });
    var body = $("page-text-body");
    body.textContent = "";
    pageArticles(page).forEach(function (item) {
      var doc = item.doc, region = item.region;
      var art = document.createElement("article");
      art.dataset.article = region.id;
      if (doc.lang) { art.lang = doc.lang; }
      if (doc.kicker) { art.appendChild(el("p", "kicker", doc.kicker)); }
      var h = el("h3", "", "");
      var a = el("a", "", region.headline);
      a.href = hashFor(state.page, { panel: region.id });
      h.appendChild(a);
      art.appendChild(h);
      if (item.continuation) {
        var back = el("a", "jump", t("continued_from", { page: region.continuedFrom }));
        back.href = hashFor(region.continuedFrom, { highlight: region.id });
        if (doc.lang) { back.lang = data.edition.lang; } // the edition's words, in a story of another language
        art.appendChild(back);
      } else {
        if (doc.deck) { art.appendChild(el("p", "deck", doc.deck)); }
        // Who wrote it and where from, as the story's own page says them (the printed page sets
        // the dateline before the first words).
        var meta = [doc.byline, doc.dateline].filter(Boolean).join(" · ");
        if (meta) { art.appendChild(el("p", "byline", meta)); }
        var heads = doc.heads || [];
        doc.text.split("\n").forEach(function (para, i) {
          art.appendChild(el(heads.indexOf(i) >= 0 ? "h4" : "p", "", para));
        });
      }
      body.appendChild(art);
    });
    var terms = fold(state.query).split(/\s+/).filter(Boolean);
    if (terms.length && window.epaperHighlight) { window.epaperHighlight(body, terms); }
  }

  // The page's stories in reading order; one that started on an earlier page is only named here
  // (its whole text is where it starts).
  function pageArticles(page) {
    return page.regions.map(function (region) {
      var doc = docFor(region.id);
      return doc ? { region: region, doc: doc, continuation: !!region.continuedFrom && doc.page !== page.number } : null;
    }).filter(Boolean);
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text) { e.textContent = text; }
    return e;
  }

  function setTextMode(on) {
    state.text = on;
    $("text-mode").setAttribute("aria-pressed", on ? "true" : "false");
    view.hidden = on;
    ZOOM_BUTTONS.forEach(function (id) { $(id).disabled = on; });
    $("page-text").hidden = !on;
    document.body.classList.toggle("is-text", on);
    rove(null); // (the toolbar's tab stop not on a zoom button disabled)
    if (on) {
      updateReadPage();
      loadIndex().then(renderPageText, function () { $("page-text-body").textContent = t("search_unavailable"); });
    } else {
      stopSpeech("page");
      onResize(); // the page view sized and measured again (a page turned, or the window resized, meanwhile)
    }
  }

  // ---- read aloud (the browser's speech synthesis) -----------------------------------------
  var speech = window.speechSynthesis || null;
  var speaking = null; // "panel" | "page" while speaking

  function voiceFor(lang) {
    if (!speech || !lang) { return null; }
    var want = lang.toLowerCase();
    var voices = speech.getVoices();
    return voices.find(function (v) { return v.lang.toLowerCase().replace("_", "-") === want; }) ||
      voices.find(function (v) { return v.lang.toLowerCase().split(/[-_]/)[0] === want.split("-")[0]; }) || null;
  }

  // Set a listen button for text in `lang`: enabled with a voice, else saying why not.
  function prepareListen(button, lang, idleKey) {
    button.lang = lang || "";
    button.dataset.lang = lang || "";
    var available = !!speech && !!voiceFor(lang);
    button.disabled = !available;
    button.setAttribute("aria-pressed", "false");
    if (!speech) { button.textContent = t("speech_unavailable"); }
    else if (!available) { button.textContent = t("voice_unavailable", { language: (data.languages || {})[(lang || "").split("-")[0]] || lang }); }
    else { button.textContent = t(idleKey); }
  }

  function updateListen() {
    var doc = state.panel ? docFor(state.panel) : null;
    var region = state.panel ? regionOf(pageData(state.page), state.panel) : null;
    var lang = doc ? doc.lang : region ? region.lang : data.edition.lang;
    if (speaking === "panel") { return; }
    prepareListen($("reader-listen"), lang, "listen");
    if (!doc) { loadIndex().then(function () { if (state.panel) { updateListen(); } }, function () {}); }
  }

  // "Read page" is for the page shown (set as text mode shows one), in its section's language: a
  // देश page of an English edition is read in Hindi, so a Hindi voice is what it needs.
  function updateReadPage() {
    if (speaking === "page") { return; }
    prepareListen($("read-page"), sectionLang[pageData(state.page).section] || data.edition.lang, "read_page");
  }

  function speak(source, docs, button) {
    if (speaking === source) { // pause / resume
      if (speech.paused) { speech.resume(); button.textContent = t("pause"); button.setAttribute("aria-pressed", "true"); }
      else { speech.pause(); button.textContent = t("resume"); button.setAttribute("aria-pressed", "false"); }
      return;
    }
    speech.cancel();
    speaking = source;
    var chunks = [];
    docs.forEach(function (doc) {
      [doc.headline, doc.deck].concat(doc.text.split("\n")).forEach(function (text) {
        if (text) { chunks.push({ text: text, lang: doc.lang }); }
      });
    });
    chunks.forEach(function (chunk, i) {
      var u = new SpeechSynthesisUtterance(chunk.text);
      u.lang = chunk.lang;
      var voice = voiceFor(chunk.lang);
      if (voice) { u.voice = voice; }
      if (i === chunks.length - 1) { u.onend = function () { if (speaking === source) { stopSpeech(source); } }; }
      speech.speak(u);
    });
    button.textContent = t("pause");
    button.setAttribute("aria-pressed", "true");
  }

  function stopSpeech(source) {
    if (!speech || speaking !== source) { return; }
    speaking = null;
    speech.cancel();
    if (source === "panel") { updateListen(); }
    else { updateReadPage(); }
  }

  function setupSpeech() {
    $("reader-listen").addEventListener("click", function () {
      var doc = docFor(state.panel);
      if (doc) { speak("panel", [doc], $("reader-listen")); }
    });
    $("read-page").addEventListener("click", function () {
      loadIndex().then(function () {
        var docs = pageArticles(pageData(state.page)).filter(function (i) { return !i.continuation; })
          .map(function (i) { return i.doc; });
        if (docs.length) { speak("page", docs, $("read-page")); }
      });
    });
    var refresh = function () {
      if (state.text) { updateReadPage(); }
      if (state.panel) { updateListen(); }
    };
    if (speech && speech.addEventListener) { speech.addEventListener("voiceschanged", refresh); }
    refresh();
  }

  // ---- save the edition for offline reading (service worker) --------------------------------
  function askWorker(worker, message, onProgress) {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        if (event.data.type === "progress") { if (onProgress) { onProgress(event.data); } }
        else { resolve(event.data); }
      };
      worker.postMessage(message, [channel.port2]);
    });
  }

  function setupSave() {
    var button = $("save-edition"), status = $("save-status");
    // The button is aria-disabled while it saves and once saved, never disabled: a disabled button
    // lost the focus to <body> as it was pressed.
    var busy = function (on) {
      if (on) { button.setAttribute("aria-disabled", "true"); } else { button.removeAttribute("aria-disabled"); }
    };
    // The status (a live region) is said at most at each quarter of the files, and not more often than
    // every SAY_SAVING ms (it was rewritten 23 times in 1.5 s, "Saving… 10 of 222"…, then emptied:
    // "Saved" was never heard); the end is said, and drawn by the button only.
    var SAY_SAVING = 1500, saidAt = 0, saidQuarter = -1;
    var say = function (text, visible) {
      status.classList.toggle("sr-only", !visible);
      status.textContent = text;
      saidAt = Date.now();
    };
    var progress = function (p) {
      var quarter = Math.floor(4 * p.done / Math.max(1, p.total));
      var since = Date.now() - saidAt;
      if (saidQuarter < 0 || (quarter > saidQuarter && since >= SAY_SAVING) || since >= 2 * SAY_SAVING) {
        saidQuarter = quarter;
        say(t("saving", { done: p.done, total: p.total }), true);
      }
    };
    var saved = function (announce) {
      busy(true);
      var icon = button.querySelector(".icon"); // (a phone draws it in place of the words)
      button.textContent = t("saved");
      if (icon) { button.appendChild(icon); }
      if (announce) { say(t("saved"), false); } else { status.textContent = ""; }
      document.documentElement.classList.add("is-saved");
    };
    if (!("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) {
      button.disabled = true;
      button.title = t("save_needs_http");
      return;
    }
    button.title = t("save_size", { size: data.offline.size });
    // This folder's own worker only: a kept version (versions/<n>/) lies in the scope of its
    // edition's, which saved the edition, not it.
    var here = new URL("./", location.href).href;
    navigator.serviceWorker.getRegistration().then(function (reg) {
      if (reg && reg.active && reg.scope === here) {
        askWorker(reg.active, { type: "status" }).then(function (reply) { if (reply.saved) { saved(false); } });
      }
    });
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-disabled") === "true") { return; }
      busy(true);
      saidQuarter = -1;
      navigator.serviceWorker.register(data.offline.worker, { scope: "./" })
        .then(function () { return navigator.serviceWorker.ready; })
        .then(function (reg) { return askWorker(reg.active, { type: "save" }, progress); })
        .then(function (reply) {
          if (reply.type === "saved") { saved(true); }
          else { throw new Error(reply.reason); }
        })
        .catch(function (error) {
          busy(false);
          say(t("save_failed", { reason: error && error.message || error }), true);
        });
    });
  }

  // ---- render the state of the hash --------------------------------------------------------
  function render() {
    var wanted = parseHash();
    var pageChanged = wanted.page !== state.page;
    var turned = pageChanged && state.page !== 0; // (0: the first render, where the reader has not scrolled)
    var highlightChanged = wanted.highlight !== state.highlight;
    state.page = wanted.page;
    state.highlight = wanted.highlight;
    state.panel = wanted.panel;
    state.query = wanted.query;
    if (!state.panel) { panelPushed = false; }
    updateChrome();
    var page = pageData(state.page);
    if (pageChanged) {
      sizeView(page);
      // A tile that failed on an earlier page (a dropped connection) does not keep later pages
      // from their tiles: online, each page tries them again.
      if (navigator.onLine !== false) { offlineFallback = false; }
      keepFocus();
      if (viewer) { viewer.open(tileSource(page)); }
      else { showPlain(page); }
      // On a phone or a small tablet the page, its thumbnails and its story list are one scrolling
      // column: a page chosen from the strip or the list below it (or a jump line) is brought up,
      // its toolbar on top.
      var top = turned && oneColumn() ? $("main").getBoundingClientRect().top : 0;
      if (top < 0 || top > window.innerHeight / 2) { $("main").scrollIntoView({ block: "start" }); }
      else if (!turned && ON_SIDE.matches && window.scrollY === 0) { $("main").scrollIntoView({ block: "start" }); }
      if (state.text) { setTextMode(true); }
    } else {
      markHighlight();
      if (highlightChanged && !state.panel) { fitToArticle(false); }
    }
    updatePanel();
  }

  // The chrome over the page changes its height after the page view is sized (its fonts come: the
  // sections bar's Devanagari; a line wraps) and the page view its own with it: the view is sized
  // and the page fitted again, as for a window resized (at 1024 x 768 the page was left 0.4 % over
  // its fitted size, its foot 3 px under the screen's edge).
  function watchChrome() {
    if (!window.ResizeObserver) { return; }
    var watch = new ResizeObserver(function () { onResize(); });
    [".masthead", ".sections", ".toolbar", "#page-view"].forEach(function (selector) {
      var element = document.querySelector(selector);
      if (element) { watch.observe(element); }
    });
  }

  // ---- the page's toolbar ----------------------------------------------------------------
  // WAI-ARIA's toolbar pattern (role="toolbar", viewer.html): Tab enters and leaves it at one control,
  // the one last used in it (a roving tabindex: that one 0, the others -1), first "Previous page";
  // Left and Right go to the control before and after it (round from the last to the first), Home
  // and End to the first and the last. A control disabled or hidden (the zoom buttons over the
  // page as text, a page without a PDF) is passed over, and is never the tab stop. In a text field
  // the keys move its caret.
  var toolbar = document.querySelector(".toolbar");
  var toolbarStop = null;
  var TOOLBAR_CONTROLS = "button, a[href], input, select, textarea";

  function toolbarControls() {
    return Array.prototype.filter.call(toolbar.querySelectorAll(TOOLBAR_CONTROLS), function (e) {
      return !e.disabled && e.getClientRects().length > 0;
    });
  }

  // The tab stop: `to`, else the one it was while it can still take the focus, else the first.
  function rove(to) {
    var controls = toolbarControls();
    if (controls.indexOf(to) < 0) { to = controls.indexOf(toolbarStop) >= 0 ? toolbarStop : controls[0]; }
    toolbarStop = to || null;
    toolbar.querySelectorAll(TOOLBAR_CONTROLS).forEach(function (e) { e.tabIndex = e === toolbarStop ? 0 : -1; });
  }

  function setupToolbar() {
    rove(null);
    toolbar.addEventListener("focusin", function (event) {
      if (toolbarControls().indexOf(event.target) >= 0) { rove(event.target); }
    });
    toolbar.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      var target = event.target;
      if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
      var controls = toolbarControls(), i = controls.indexOf(target), n = controls.length;
      if (i < 0) { return; }
      var ahead = getComputedStyle(toolbar).direction === "rtl" ? -1 : 1; // (Right goes back in a right-to-left script)
      var to;
      switch (event.key) {
        case "ArrowRight": to = (i + ahead + n) % n; break;
        case "ArrowLeft": to = (i - ahead + n) % n; break;
        case "Home": to = 0; break;
        case "End": to = n - 1; break;
        default: return;
      }
      event.preventDefault();
      rove(controls[to]);
      controls[to].focus();
    });
  }

  // ---- keyboard and swipe -----------------------------------------------------------------
  // Zoomed in past the page's fitted size, the arrow keys (and W A S D) pan the page, as a drag does
  // (they turned the page, and the zoom went with it: an audit); at fit they turn pages.
  var PAN_KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1],
    a: [-1, 0], d: [1, 0], w: [0, -1], s: [0, 1] };
  var PAN_STEP = 0.2; // of the view, each press

  function panBy(dx, dy) {
    if (viewer) {
      var b = viewer.viewport.getBounds();
      viewer.viewport.panBy(new OSD.Point(dx * b.width * PAN_STEP, dy * b.height * PAN_STEP));
      viewer.viewport.applyConstraints();
    } else {
      view.scrollBy(dx * view.clientWidth * PAN_STEP, dy * view.clientHeight * PAN_STEP);
    }
  }

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if ($("reader").open) { return; } // the dialog handles its own keys (Escape: "cancel")
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    // In the page's toolbar (its arrows, Home and End go from control to control: setupToolbar) and
    // on a button the arrows, Home and End neither turn the page nor pan it (the page was turned
    // under the focus on "Next page"); + - 0 still zoom.
    var onControl = !!(target && target.closest && target.closest(".toolbar, button, [role=button], summary"));
    if (onControl && /^(Arrow|Page|Home$|End$)/.test(event.key)) { return; }
    var pan = PAN_KEYS[event.key];
    if (pan && !event.shiftKey && !state.text && !atFit()) {
      panBy(pan[0], pan[1]);
      event.preventDefault();
      return;
    }
    var handled = true;
    switch (event.key) {
      case "ArrowRight": case "PageDown": step(1); break;
      case "ArrowLeft": case "PageUp": step(-1); break;
      case "Home": go(1); break;
      case "End": go(pages.length); break;
      case "+": case "=": zoomBy(1.5); break;
      case "-": zoomBy(1 / 1.5); break;
      case "0": zoomHome(); break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
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

  function fold(text) { return window.epaperFold(text); } // (static/text.js, loaded first)

  // search.js assigns the index to window.epaperSearch: a script element loads it from a server
  // and from disk alike (fetch of a file: URL is refused).
  function loadIndex() {
    if (!searchLoading) {
      searchLoading = new Promise(function (resolve, reject) {
        if (window.epaperSearch) { resolve(); return; }
        var script = document.createElement("script");
        script.src = data.search;
        script.onload = function () { if (window.epaperSearch) { resolve(); } else { reject(new Error("search index")); } };
        script.onerror = function () { searchLoading = null; reject(new Error("search index")); };
        document.head.appendChild(script);
      }).then(function () {
        searchIndex = window.epaperSearch.documents.map(function (d) {
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
    return hits;
  }
  var HITS_SHOWN = 20; // a list longer than a phone's screen or two is narrowed by another word

  function snippet(doc, term) {
    var text = doc.text || "";
    var at = fold(text).indexOf(term);
    return at < 0 ? wordsBetween(text, 0, 140) : wordsBetween(text, Math.max(0, at - 60), at + 100);
  }

  // The text from `from` to `to`, widened to whole words: cut inside a word, a Devanagari syllable
  // lost its consonant and the snippet began with a vowel sign alone ("ि है।"; an audit).
  function wordsBetween(text, from, to) {
    var start = from > 0 ? text.lastIndexOf(" ", from) + 1 : 0;
    var end = to < text.length ? text.indexOf(" ", to) : -1;
    if (end < 0) { end = text.length; }
    return (start ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  // A search's count, said once the reader stops typing, in a polite status of its own (the results
  // box as a live region was read whole at each letter typed).
  var SAY_AFTER = 700; // ms after the results last changed
  var sayTimer = null;
  function sayCount(text) {
    clearTimeout(sayTimer);
    var status = $("search-status");
    if (!text) { status.textContent = ""; return; } // (an emptied status says nothing)
    sayTimer = setTimeout(function () { status.textContent = text; }, SAY_AFTER);
  }

  function showResults(query) {
    var box = $("search-results");
    box.textContent = "";
    if (!query.trim()) { box.hidden = true; sayCount(""); return; }
    var hits = search(query);
    // The count is of every story found, not of those listed ("20" where 24 stories had the word).
    var count = !hits.length ? t("search_none") : hits.length === 1 ? t("search_one", { count: 1 }) :
      hits.length > HITS_SHOWN ? t("search_more", { count: hits.length, shown: HITS_SHOWN }) :
      t("search_many", { count: hits.length });
    box.appendChild(el("p", "search-status", count));
    sayCount(count);
    var list = document.createElement("ol");
    var first = fold(query).split(/\s+/).filter(Boolean)[0];
    hits.slice(0, HITS_SHOWN).forEach(function (hit) {
      var d = hit.entry.doc;
      var li = document.createElement("li");
      var a = el("a", "search-hit", "");
      a.href = hashFor(d.page, { panel: d.id, query: query.trim() });
      var h = el("span", "hit-headline", d.headline);
      if (d.lang) { h.lang = d.lang; }
      a.appendChild(h);
      var meta = el("span", "hit-meta", "");
      tInto(meta, "section_page", { section: sectionName(d.section), page: d.page });
      a.appendChild(meta);
      a.appendChild(el("span", "hit-snippet", snippet(d, first)));
      a.addEventListener("click", function () { box.hidden = true; });
      li.appendChild(a);
      list.appendChild(li);
    });
    box.appendChild(list);
    box.hidden = false;
    placeResults();
  }

  // The results hang from the search box's right edge, where a desktop's masthead ends with it. On a
  // phone the masthead wraps and the search box starts a row at the screen's left, or ends short of
  // its right: results nearly as wide as the screen, right-aligned with it, began off the screen's
  // left edge. They are moved right just far enough to start at the masthead's margin (or to be
  // centred, on a screen too narrow for both margins).
  function placeResults() {
    var box = $("search-results");
    box.style.right = ""; // the stylesheet's: right-aligned with the search box
    if (box.hidden) { return; }
    var left = box.getBoundingClientRect().left, width = box.offsetWidth;
    var margin = parseFloat(getComputedStyle(document.querySelector(".masthead")).paddingLeft) || 0;
    var edge = Math.max(0, Math.min(margin, (document.documentElement.clientWidth - width) / 2));
    if (left < edge) { box.style.right = (left - edge) + "px"; }
  }

  function setupSearch() {
    var input = $("search-input");
    var timer = null;
    var unavailable = function () {
      var box = $("search-results");
      box.textContent = t("search_unavailable");
      box.hidden = false;
      placeResults();
      sayCount(box.textContent);
    };
    input.addEventListener("focus", function () { loadIndex().catch(function () {}); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        loadIndex().then(function () { showResults(input.value); }, unavailable);
      }, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.value = ""; $("search-results").hidden = true; sayCount(""); }
    });
    // A tap outside the search closes its results (they stayed open behind the story it opened).
    document.addEventListener("pointerdown", function (event) {
      var results = $("search-results");
      if (!results.hidden && !$("search-form").contains(event.target) && !results.contains(event.target)) {
        results.hidden = true;
      }
    }, true);
    window.addEventListener("resize", placeResults); // a phone turned, the masthead wrapped again
    $("search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      loadIndex().then(function () {
        var hits = search(input.value);
        showResults(input.value);
        if (hits.length) {
          $("search-results").hidden = true;
          sayCount(""); // the first story opens: it is what is said
          location.hash = hashFor(hits[0].entry.doc.page, { panel: hits[0].entry.doc.id, query: input.value.trim() });
        }
      }, unavailable);
    });
  }

  // ---- start ------------------------------------------------------------------------------
  view.textContent = "";
  if (OSD) { setupOSD(); } else { setupPlain(); }
  $("prev-page").addEventListener("click", function () { if (state.page > 1) { step(-1); } });
  $("next-page").addEventListener("click", function () { if (state.page < pages.length) { step(1); } });
  $("zoom-in").addEventListener("click", function () { zoomBy(1.5); });
  $("zoom-out").addEventListener("click", function () { zoomBy(1 / 1.5); });
  $("zoom-home").addEventListener("click", zoomHome);
  $("text-mode").addEventListener("click", function () { setTextMode(!state.text); });
  $("reader-close").addEventListener("click", closePanel);
  $("reader-share").addEventListener("click", share);
  $("reader").addEventListener("cancel", function (event) { event.preventDefault(); closePanel(); });
  // The close event comes a task after dialog.close(): a story opened again meanwhile (a search's
  // address set right after Close) has the dialog open again, and the late event must not close it.
  $("reader").addEventListener("close", function () { if (state.panel && !$("reader").open) { closePanel(); } });
  window.addEventListener("message", function (event) {
    // From static/text.js in the panel's frame: Escape pressed inside the article, or a story link followed.
    if (event.source !== $("reader-frame").contentWindow || !event.data || !state.panel) { return; }
    if (event.data.epaper === "close") { closePanel(); }
    else if (event.data.epaper === "open" && typeof event.data.href === "string") { openFromPanel(event.data.href); }
  });
  document.querySelectorAll(".article-list a[data-article]").forEach(function (a) {
    a.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button > 0) { return; }
      event.preventDefault();
      openArticle(a.dataset.article);
    });
  });
  document.addEventListener("keydown", onKey);
  view.addEventListener("pointerdown", onPointerDown, true);
  view.addEventListener("pointerup", onPointerUp, true);
  view.addEventListener("pointercancel", function () { swipe = null; }, true);
  window.addEventListener("hashchange", render);
  window.addEventListener("resize", onResize);
  watchChrome();
  if (window.visualViewport) { window.visualViewport.addEventListener("resize", onResize); }
  // The skip link goes to the page without taking the address's place: "#main" there lost the
  // reader's page at the next reload.
  document.querySelectorAll(".skip-link").forEach(function (skip) {
    skip.addEventListener("click", function (event) {
      event.preventDefault();
      var main = $("main");
      main.setAttribute("tabindex", "-1");
      main.focus();
    });
  });
  setupToolbar();
  setupSearch();
  setupSpeech();
  setupSave();
  render();
  // For tests and the curious: the live state and the OpenSeadragon viewer.
  window.epaper = { state: state, viewer: viewer, go: go, mode: viewer ? "deepzoom" : "plain", zoom: zoomLevel };
})();
