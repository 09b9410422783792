// The service worker: the app shell works offline, pages are fresh when there is a network.
// Served from the root by the /sw.js view (diary/pwa.py), which fills in the next two lines:
// VERSION is a hash of every static file, so any change reaches phones as an update, and
// the app shell's static files get their ?v= fingerprints.
const VERSION = "development";
const APP_SHELL = ["/offline", "/static/css/app.css", "/static/js/app.js", "/static/icons/icon.svg", "/static/icons/sprite.svg", "/static/icons/icon-192.png"];
// The modules app.js imports: the browser asks for them without a fingerprint, so they are
// kept by their plain URLs (fetched with revalidation, so this version gets today's copies).
const MODULES = ["/static/js/pelvis.js", "/static/js/stepper.js", "/static/js/copy.js", "/static/js/outbox.js", "/static/js/pwa.js"];

const PREFIX = "baekkendagbog-";
const SHELL_CACHE = `${PREFIX}shell-${VERSION}`;
// Pages seen online, kept for offline use: deleted on logout (static/js/outbox.js).
const PAGES_CACHE = `${PREFIX}pages`;
// Only the pages offline use needs: the log page, history, the week and the advice.
const PAGES_KEPT = [/^\/$/, /^\/history$/, /^\/week(\/[\d-W]+)?$/, /^\/advice(\/[\w-]+)?$/];

self.addEventListener("install", (event) => {
  const modules = MODULES.map((url) => new Request(url, { cache: "no-cache" }));
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll([...APP_SHELL, ...modules])));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== SHELL_CACHE && name !== PAGES_CACHE) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") {
    self.skipWaiting();
  }
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(event.request, url));
  } else if (event.request.mode === "navigate") {
    event.respondWith(page(event.request, url));
  }
});

// Static files: cache first. A fingerprinted URL must match exactly (a newer ?v= is fetched);
// a plain one (an ES module import) takes this version's copy.
async function staticFile(request, url) {
  const cache = await caches.open(SHELL_CACHE);
  const cached = await cache.match(request, { ignoreSearch: !url.searchParams.has("v") });
  if (cached) {
    return cached;
  }
  try {
    const response = await fetch(request);
    if (response.ok) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    // Offline, a page kept from an older version still gets this version's styles and scripts.
    const older = await caches.match(request, { ignoreSearch: true });
    if (older) {
      return older;
    }
    throw error;
  }
}

// Pages: network first; offline, the copy from the last online visit, or the offline page.
async function page(request, url) {
  const keep = PAGES_KEPT.some((pattern) => pattern.test(url.pathname));
  try {
    const response = await fetch(request);
    if (keep && response.ok && !response.redirected) {
      const pages = await caches.open(PAGES_CACHE);
      await pages.put(pageKey(url), response.clone());
    }
    return response;
  } catch {
    const pages = await caches.open(PAGES_CACHE);
    const copy = keep ? await pages.match(pageKey(url), { ignoreVary: true }) : undefined;
    return copy || (await pages.match("/offline")) || (await caches.match("/offline", { ignoreVary: true }));
  }
}

// The home screen's "/?source=pwa" and the log page are one page.
function pageKey(url) {
  const key = new URL(url);
  key.searchParams.delete("source");
  return key.href;
}

// Background Sync: the connection is back; the open pages send the outbox.
self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") {
    event.waitUntil(
      self.clients.matchAll({ type: "window" }).then((windows) => {
        for (const client of windows) {
          client.postMessage({ type: "flush-outbox" });
        }
      }),
    );
  }
});
