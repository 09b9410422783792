// The service worker: the app shell works offline, pages are fresh when there is a network,
// and the outbox is sent on Background Sync even when no page of the app is open.
// Served from the root by the /sw.js view (diary/pwa/views.py), which fills in the VERSION line and
// the ?v= fingerprint of every static file named below: VERSION is a hash of every static
// file, so any change reaches phones as an update.
const VERSION = "development";
// The modules are listed with app.js: their imports of each other carry fingerprints too
// (diary/pwa/static_files.py), so the exact copies this version needs are kept.
const APP_SHELL = ["/offline", "/advice/warning-signs", "/static/css/app.css", "/static/js/app.js", "/static/js/log-form.js", "/static/js/stepper.js", "/static/js/copy.js", "/static/js/outbox.js", "/static/js/outbox-send.js", "/static/js/pwa.js", "/static/icons/icon.svg", "/static/icons/sprite.svg", "/static/icons/icon-192.png"];

// The shell's pages (the offline page, the warning signs), kept as she sees them (keepShellPages).
const SHELL_PAGES = APP_SHELL.filter((path) => !path.startsWith("/static/"));

// The outbox's store and sending, the same code the page uses: self.diaryOutbox.
importScripts("/static/js/outbox-send.js");

const PREFIX = "baekkendagbog-";
const SHELL_CACHE = `${PREFIX}shell-${VERSION}`;
// Pages seen online, kept for offline use: deleted on logout (static/js/outbox.js), when the
// server says her session has ended, and once the session would have ended (sessionEnded).
const { PAGES_CACHE, forgetPages } = self.diaryOutbox;
// Only the pages offline use needs: the log page, history, the week and the advice.
const PAGES_KEPT = [/^\/$/, /^\/history$/, /^\/week(\/[\d-W]+)?$/, /^\/advice(\/[\w-]+)?$/];

// Without her cookies: the shell's copies are the anonymous pages (no pregnancy week, no saved
// numbers on the warning signs), as nothing deletes them at logout. Her own copies, made while
// she is logged in (keepShellPages), live in the pages cache and go with her session.
self.addEventListener("install", (event) => {
  const requests = APP_SHELL.map((path) => new Request(path, { credentials: "omit" }));
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(requests)));
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
      await forgetPagesWithoutSessionEnd();
      // Her kept copies of the shell's pages link the old version's files: fetch them anew.
      await refreshShellPages(async (path, pages) => (await pages.match(path, { ignoreVary: true })) !== undefined);
    })(),
  );
});

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "skip-waiting") {
    self.skipWaiting();
  } else if (type === "keep-shell-pages") {
    event.waitUntil(keepShellPages(event.data.reader));
  }
});

// The worker precaches the shell's pages as it installs, often before she logs in, in the
// browser's language. A page she is logged in on names its reader ({owner, language}): the copy
// shown offline is fetched anew unless its headers say it was made for her (diary/pwa/views.py).
function keepShellPages(reader) {
  return refreshShellPages(async (path) => {
    const copy = await keptCopy(path);
    return !copy || copy.headers.get("Diary-Owner") !== reader.owner || copy.headers.get("Content-Language") !== reader.language;
  });
}

// Fetch anew each of the shell's pages for which isStale(path, her kept pages) says so.
async function refreshShellPages(isStale) {
  const pages = await caches.open(PAGES_CACHE);
  for (const path of SHELL_PAGES) {
    if (await isStale(path, pages)) {
      await pages.add(path).catch(() => {}); // offline now: the copy it has stays until the next try
    }
  }
}

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

// Static files: cache first. A fingerprinted URL must match exactly (a newer ?v= is fetched,
// never an older copy served); a plain one (nothing the templates link today, but a kept
// page or an outside link may) takes this version's copy. Modules always carry fingerprints.
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
    // Offline, a page kept from an older version gets this version's styles and scripts
    // (this version's app.js imports this version's modules by their fingerprints).
    const older = await caches.match(request, { ignoreSearch: true });
    if (older) {
      return older;
    }
    throw error;
  }
}

// The page a redirect leads to, fetched while following it (below): served once, to the
// navigation that follows, instead of fetching it again.
const followed = new Map();

// Pages: network first; offline, the copy from the last online visit, or the offline page.
async function page(request, url) {
  const ready = followed.get(url.href);
  if (ready) {
    followed.delete(url.href);
    return ready;
  }
  const keep = isKept(url);
  try {
    if (!keep) {
      return await fetch(request);
    }
    // A kept address may redirect (/week leads to this week's /week/2026-W47): follow it here,
    // so that the page is kept under the address she opens as well as where it led.
    const response = await fetch(new Request(request, { redirect: "follow" }));
    // A logged-in page names her session's end (diary/accounts/sessions.py). A page without it (the
    // landing page, the public advice, the log-in page a kept page led to) says nobody is
    // logged in: her session has ended, here or on another device, and nothing of hers stays
    // on the phone. Such a page is nobody's: it is not kept either. (A server error says
    // nothing about her session: her copies stay for offline use.)
    const hers = response.headers.has("Session-Expires");
    if (response.ok && !hers) {
      await forgetPages();
    }
    if (!response.redirected) {
      if (response.ok && hers) {
        await keepPage(pageKey(url), response.clone());
      }
      return response;
    }
    const target = new URL(response.url);
    if (response.ok && hers && isKept(target)) {
      await keepPage(pageKey(url), response.clone());
      await keepPage(pageKey(target), response.clone());
    }
    followed.set(target.href, plain(response));
    setTimeout(() => followed.delete(target.href), 10_000);
    return Response.redirect(target.href, 302);
  } catch {
    await sessionEnded();
    const copy = keep ? await keptCopy(pageKey(url)) : undefined;
    return copy || (await keptCopy(new URL("/offline", url).href));
  }
}

function isKept(url) {
  return url.origin === self.location.origin && PAGES_KEPT.some((pattern) => pattern.test(url.pathname));
}

// A response as if it had not been redirected: a navigation may not be answered with one that was.
function plain(response) {
  const { status, statusText, headers } = response;
  return new Response(response.body, { status, statusText, headers });
}

async function keepPage(key, response) {
  const pages = await caches.open(PAGES_CACHE);
  await pages.put(key, plain(response));
}

// Her own copy from the last online visit, else the one this version precached.
async function keptCopy(key) {
  const pages = await caches.open(PAGES_CACHE);
  return (await pages.match(key, { ignoreVary: true })) || (await caches.match(key, { ignoreVary: true }));
}

// The home screen's "/?source=pwa", the shortcuts' "?source=shortcut" and the page are one page.
function pageKey(url) {
  const key = new URL(url);
  key.searchParams.delete("source");
  return key.href;
}

// Her session's end, as the server said it on the logged-in pages she kept (the Session-Expires
// header, diary/accounts/sessions.py): the latest word counts, as each visit moves it on. Once it has
// passed, her kept pages are deleted before any is served: on a shared phone nobody reads them
// offline after her session would have ended, even if she never pressed "Log out".
async function sessionEnded() {
  const pages = await caches.open(PAGES_CACHE);
  let end = NaN;
  for (const response of await pages.matchAll()) {
    const said = Date.parse(response.headers.get("Session-Expires"));
    if (!Number.isNaN(said) && !(said <= end)) {
      end = said;
    }
  }
  if (end <= Date.now()) {
    await forgetPages();
    return true;
  }
  return false;
}

// Copies kept by a version of the worker before pages named their session's end: their end is
// unknown, so they go (an anonymous page comes back at her next visit).
async function forgetPagesWithoutSessionEnd() {
  const pages = await caches.open(PAGES_CACHE);
  for (const request of await pages.keys()) {
    const response = await pages.match(request);
    if (response && !response.headers.has("Session-Expires")) {
      await pages.delete(request);
    }
  }
}

// Background Sync: the connection is back. Send the outbox from here, so it goes even with the
// app closed; a failure makes the browser try again later. Open pages show the new state.
self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") {
    event.waitUntil(sendOutbox());
  }
});

async function sendOutbox() {
  const result = await self.diaryOutbox.sendWaiting();
  for (const client of await self.clients.matchAll({ type: "window" })) {
    client.postMessage({ type: "outbox-changed", result });
  }
  if (result.status === "retry") {
    throw new Error("the outbox could not be sent yet");
  }
}
