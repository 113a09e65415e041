/* epaper service worker: serves a saved edition offline. The line above (CONFIG) is written per build.
 *
 * Nothing is stored until the reader asks ("Save edition" posts {type: "save"}). Once saved, the
 * edition's files come from the cache, pages (navigations) from the network first so a replate shows
 * at once when online. A rebuild changes CONFIG.version, hence this file: the browser installs the new
 * worker, which re-saves the edition under the new version when an older one was saved, then drops
 * the older caches of this edition.
 */
"use strict";
var CACHE = CONFIG.prefix + CONFIG.version;

function savedCaches() {
  return caches.keys().then(function (keys) {
    return keys.filter(function (k) { return k.indexOf(CONFIG.prefix) === 0; });
  });
}

// Fetch every file into the cache named for this version; report progress to the asking page.
function save(report) {
  var done = 0, total = CONFIG.files.length;
  return caches.open(CACHE).then(function (cache) {
    var queue = CONFIG.files.slice();
    function next() {
      var name = queue.shift();
      if (name === undefined) { return Promise.resolve(); }
      return cache.add(new Request(name, { cache: "reload" })).then(function () {
        done += 1;
        if (report && (done % 10 === 0 || done === total)) { report({ type: "progress", done: done, total: total }); }
        return next();
      });
    }
    // Four requests at a time: quick on a good line, gentle on a phone's.
    return Promise.all([next(), next(), next(), next()]);
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

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  // caches.match with a cacheName never creates the cache: an unsaved edition stays unsaved.
  var fromCache = function () { return caches.match(request, { cacheName: CACHE, ignoreSearch: true }); };
  if (request.mode === "navigate") {
    // Network first: online readers always see the latest replate.
    event.respondWith(fetch(request).catch(function () {
      return fromCache().then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  event.respondWith(fromCache().then(function (hit) { return hit || fetch(request); }));
});
