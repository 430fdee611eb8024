// The outreach pages' service worker (served by Proxima at /outreach/sw.js, scope
// /outreach/): the form and its files are kept on the phone so that the form opens
// without network. Nothing else is kept: no other page, no answer of the server about
// contacts. The contacts waiting are in the page's IndexedDB, not here.
var CACHE = "proxima-outreach-__VERSION__";
var FILES = __FILES__;
var SHELL = "/outreach/";

function keepShell(cache) {
  return fetch(SHELL, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
    if (response.ok && response.type === "basic") return cache.put(SHELL, response);
    return null;
  }).catch(function () { return null; });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(FILES).then(function () { return keepShell(cache); });
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("proxima-outreach-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === SHELL && request.mode === "navigate") {
    // The network first (a fresh form, the emergencies under way); the copy without it.
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok && !response.redirected) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(SHELL, copy); });
        }
        return response;
      }).catch(function () {
        return caches.open(CACHE).then(function (cache) { return cache.match(SHELL); }).then(function (kept) {
          return kept || Response.error();
        });
      })
    );
    return;
  }
  if (FILES.indexOf(url.pathname) >= 0) {
    event.respondWith(
      caches.open(CACHE).then(function (cache) {
        return cache.match(request).then(function (kept) { return kept || fetch(request); });
      })
    );
  }
});
