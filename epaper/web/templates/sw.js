/* epaper service worker: serves a saved edition offline. The line above (CONFIG) is written per build.
 *
 * Nothing is stored until the reader asks ("Save edition" posts {type: "save"}). Once saved, the
 * edition's files come from the cache, pages (navigations) from the network first so a replate shows
 * at once when online. A rebuild changes CONFIG.version, hence this file: the browser installs the new
 * worker, which re-saves the edition under the new version when an older one was saved (taking each
 * file whose digest did not change from the older copy: a replate of one page fetches that page's
 * files, not the 17 MB of the edition), then drops the older caches of this edition. Until the new
 * worker takes over, the old one asks the network first, so the replated page is not shown from
 * the old copy beside the new version's "updated" mark. It knows before the browser has fetched
 * the new worker: the edition's page (index.html, fetched first) is not the one it saved, by
 * digest; the page's other requests wait for that comparison. Asking the network, it revalidates
 * (a replated page image has the old one's address, which the browser's HTTP cache may hold).
 *
 * Caches are named by the worker's scope too: a kept version (versions/<n>/) is saved apart from
 * the edition it was replaced in, and saving one does not drop the other.
 */
"use strict";
var PREFIX = CONFIG.prefix + self.registration.scope + ":";
var CACHE = PREFIX + CONFIG.version;
var DIGESTS = "saved-digests.json";  // in each cache: {file: digest} of what it holds

function savedCaches() {
  return caches.keys().then(function (keys) {
    return keys.filter(function (k) {
      // (An epaper before scopes named its caches CONFIG.prefix + version: taken as this scope's.)
      return k.indexOf(PREFIX) === 0 || (k.indexOf(CONFIG.prefix) === 0 && k.indexOf(":", CONFIG.prefix.length) < 0);
    });
  });
}

// The newest older copy of this edition with its digests, or null: what a re-save takes unchanged files from.
function olderCopy() {
  return savedCaches().then(function (keys) {
    var older = keys.filter(function (k) { return k !== CACHE; }).pop();
    if (older === undefined) { return null; }
    return caches.open(older).then(function (cache) {
      return cache.match(DIGESTS).then(function (hit) { return hit ? hit.json() : {}; })
        .then(function (digests) { return { cache: cache, digests: digests }; });
    });
  }).catch(function () { return null; });
}

// Every file into the cache named for this version, each taken from the older copy where its
// digest is the same, else fetched; report progress to the asking page.
function save(report) {
  var done = 0, total = CONFIG.files.length, digests = {};
  return Promise.all([caches.open(CACHE), olderCopy()]).then(function (opened) {
    var cache = opened[0], older = opened[1];
    var queue = CONFIG.files.slice();
    function keep(name, digest) {
      var same = older && older.digests[name] === digest ? older.cache.match(name) : Promise.resolve(null);
      return same.then(function (hit) {
        return hit ? cache.put(name, hit) : cache.add(new Request(name, { cache: "reload" }));
      });
    }
    function next() {
      var entry = queue.shift();
      if (entry === undefined) { return Promise.resolve(); }
      return keep(entry[0], entry[1]).then(function () {
        digests[entry[0]] = entry[1];
        done += 1;
        if (report && (done % 10 === 0 || done === total)) { report({ type: "progress", done: done, total: total }); }
        return next();
      });
    }
    // Four requests at a time: quick on a good line, gentle on a phone's.
    return Promise.all([next(), next(), next(), next()]).then(function () {
      return cache.put(DIGESTS, new Response(JSON.stringify(digests), { headers: { "Content-Type": "application/json" } }));
    });
  });
}

function dropOthers() {
  return savedCaches().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  });
}

self.addEventListener("install", function (event) {
  // A replate: the edition was saved under an older version, so save this one before taking over.
  event.waitUntil(savedCaches().then(function (keys) {
    return keys.some(function (k) { return k !== CACHE; }) ? save(null) : null;
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.has(CACHE).then(function (saved) {
    return saved ? dropOthers() : null;
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  var reply = function (message) { if (port) { port.postMessage(message); } };
  if (data.type === "save") {
    event.waitUntil(save(reply).then(dropOthers).then(function () {
      reply({ type: "saved", version: CONFIG.version });
    }, function (error) {
      caches.delete(CACHE);
      reply({ type: "failed", reason: String(error && error.message || error) });
    }));
  } else if (data.type === "status") {
    event.waitUntil(caches.has(CACHE).then(function (saved) { reply({ type: "status", saved: saved, version: CONFIG.version }); }));
  }
});

// Whether the edition's page as the network has it now is not the one saved (a replate since):
// then the saved copy is the one a newer worker replaces. Settled by each navigation to the page.
var edited = Promise.resolve(false);

function hex(buffer) {
  return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
}

function isEditionPage(url) {
  var path = new URL(url).pathname, scope = new URL(self.registration.scope).pathname;
  return path === scope || path === scope + "index.html";
}

// Is the page ``response`` (fetched for a navigation) another than the saved one? (Digests as the
// build writes them: the first 16 hex digits of the SHA-256.)
function differsFromSaved(response) {
  return caches.match(DIGESTS, { cacheName: CACHE }).then(function (hit) {  // (an unsaved edition: none)
    if (!hit) { return false; }
    return Promise.all([hit.json(), response.arrayBuffer()]).then(function (both) {
      return crypto.subtle.digest("SHA-256", both[1]).then(function (sum) {
        return both[0]["./"] !== undefined && hex(sum).slice(0, 16) !== both[0]["./"];
      });
    });
  }).catch(function () { return false; });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  // caches.match with a cacheName never creates the cache: an unsaved edition stays unsaved.
  var fromCache = function () { return caches.match(request, { cacheName: CACHE, ignoreSearch: true }); };
  // Revalidated: the browser's HTTP cache may hold the file a replate replaced at the same address.
  var fromNetwork = function () {
    return fetch(request, { cache: "no-cache" }).catch(function () {
      return fromCache().then(function (hit) { return hit || Response.error(); });
    });
  };
  if (request.mode === "navigate") {
    // Network first: online readers always see the latest replate.
    var fetched = fetch(request);
    if (isEditionPage(request.url)) {
      edited = fetched.then(function (response) {
        return response.ok ? differsFromSaved(response.clone()) : false;
      }, function () { return false; }).then(function (differs) {
        if (differs) { self.registration.update().catch(function () {}); }
        return differs;
      });
      event.waitUntil(edited);
    }
    event.respondWith(fetched.catch(function () {
      return fromCache().then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  event.respondWith(edited.then(function (differs) {
    // A newer version is published (or being saved): this copy is the one it replaces.
    if (differs || self.registration.installing || self.registration.waiting) { return fromNetwork(); }
    return fromCache().then(function (hit) { return hit || fetch(request); });
  }));
});
