// The service worker: the app shell works offline, pages are fresh when there is a network,
// and the outbox is sent on Background Sync even when no page of the app is open. Served from
// the root for its scope and registered as /sw.js?v=<version> (pwa.js): the version of the
// release (diary/pwa/static_files.py), which names this worker's cache and every static URL.
const VERSION = new URL(self.location).searchParams.get("v");
const STATIC = `/static/${VERSION}/`;
const SHELL_PAGES = ["/offline", "/advice/warning-signs"]; // kept as she sees them (keepShellPages)
// app.js with every module it imports, and what the shell's pages show.
const SHELL_FILES = ["css/app.css", "js/app.js", "js/log-form.js", "js/stepper.js", "js/copy.js", "js/outbox.js", "js/outbox-send.js", "js/pwa.js", "icons/icon.svg", "icons/sprite.svg", "icons/icon-192.png"];

importScripts(`${STATIC}js/outbox-send.js`); // the outbox's store and sending, as the page uses them

const PREFIX = "baekkendagbog-";
const SHELL_CACHE = `${PREFIX}shell-${VERSION}`;
// Pages seen online, kept for offline use: deleted on logout (outbox.js), when the server says
// her session has ended, and once the session would have ended (sessionEnded).
const { PAGES_CACHE, forgetPages, sendWaiting } = self.diaryOutbox;
// Only the pages offline use needs: the log page, history, the week and the advice.
const PAGES_KEPT = [/^\/$/, /^\/history$/, /^\/week(\/[\d-W]+)?$/, /^\/advice(\/[\w-]+)?$/];

// The worker's events, in one place; each is handled by a function below.
self.addEventListener("install", (event) => event.waitUntil(install()));
self.addEventListener("activate", (event) => event.waitUntil(activate()));
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method === "GET" && url.origin === self.location.origin) {
    if (url.pathname.startsWith("/static/")) {
      event.respondWith(staticFile(event.request, url));
    } else if (event.request.mode === "navigate") {
      event.respondWith(page(event.request, url));
    }
  }
});
self.addEventListener("message", (event) => {
  if (event.data?.type === "skip-waiting") {
    self.skipWaiting();
  } else if (event.data?.type === "keep-shell-pages") {
    event.waitUntil(keepShellPages(event.data.reader));
  }
});
// Background Sync: the connection is back. Send the outbox from here, so it goes even with the
// app closed; a failure makes the browser try again later.
self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") {
    event.waitUntil(sendOutbox());
  }
});

// Without her cookies: the shell's copies are the anonymous pages (no pregnancy week, no saved
// numbers on the warning signs), as nothing deletes them at logout. Her own copies, made while
// she is logged in (keepShellPages), live in the pages cache and go with her session.
async function install() {
  const paths = [...SHELL_PAGES, ...SHELL_FILES.map((name) => STATIC + name)];
  const cache = await caches.open(SHELL_CACHE);
  await cache.addAll(paths.map((path) => new Request(path, { credentials: "omit" })));
}

async function activate() {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== SHELL_CACHE && name !== PAGES_CACHE) {
      await caches.delete(name);
    }
  }
  await self.clients.claim();
  // Her kept copies of the shell's pages link the old version's files: fetch them anew.
  await refreshShellPages(async (path, pages) => (await pages.match(path, { ignoreVary: true })) !== undefined);
}

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

// Static files: cache first, as a versioned URL never changes. Offline, a page kept from an
// older version gets this version's copy of the same file.
async function staticFile(request, url) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    return (await cache.match(request)) || (await fetch(request));
  } catch {
    return (await cache.match(url.pathname.replace(/^\/static\/[^/]+\//, STATIC))) || Response.error();
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
    const target = new URL(response.url);
    // A logged-in page names her session's end (diary/accounts/sessions.py). A page without it
    // (the landing page, the public advice, the log-in page a kept page led to) says nobody is
    // logged in: her session has ended, here or on another device, and nothing of hers stays on
    // the phone. Such a page is nobody's: it is not kept either. (A server error says nothing
    // about her session: her copies stay for offline use.)
    const hers = response.headers.has("Session-Expires");
    if (response.ok && !hers) {
      await forgetPages();
    } else if (response.ok && isKept(target)) {
      const pages = await caches.open(PAGES_CACHE);
      for (const key of new Set([pageKey(url), pageKey(target)])) {
        await pages.put(key, plain(response.clone()));
      }
    }
    if (!response.redirected) {
      return response;
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
// header): the latest word counts, as each visit moves it on. Once it has passed, her kept pages
// are deleted before any is served: on a shared phone nobody reads them offline after her
// session would have ended, even if she never pressed "Log out".
async function sessionEnded() {
  const pages = await caches.open(PAGES_CACHE);
  const said = (await pages.matchAll()).map((response) => Date.parse(response.headers.get("Session-Expires")));
  const ends = said.filter((end) => !Number.isNaN(end));
  if (ends.length && Math.max(...ends) <= Date.now()) {
    await forgetPages();
  }
}

// Send the outbox and tell the open pages how it went; a failure makes the browser try again.
async function sendOutbox() {
  const result = await sendWaiting();
  for (const client of await self.clients.matchAll({ type: "window" })) {
    client.postMessage({ type: "outbox-changed", result });
  }
  if (result.status === "retry") {
    throw new Error("the outbox could not be sent yet");
  }
}

// ---- Daily reminders (Web Push) -------------------------------------------------------------
// The server's push message (diary/reminders/sender.py) carries title, body and url, and the
// declarative fields (web_push, notification) that iOS 18.4+ shows by itself. Tapping the
// notification opens the log page: in a window of the diary that is open already, else in a new one.
// The log page shows the form, or the saved day when today is logged.

const REMINDER_FALLBACK = { title: "Bækkendagbog", body: "", url: "/?source=reminder" };

function reminderFrom(event) {
  try {
    const message = event.data ? event.data.json() : {};
    const shown = message.notification || {};
    return {
      title: message.title || shown.title || REMINDER_FALLBACK.title,
      body: message.body || shown.body || REMINDER_FALLBACK.body,
      url: message.url || shown.navigate || REMINDER_FALLBACK.url,
      lang: shown.lang,
    };
  } catch {
    return REMINDER_FALLBACK;
  }
}

// Only a page of the diary itself: a message can never send her to another site.
function reminderTarget(url) {
  const target = new URL(url, self.location.origin);
  return target.origin === self.location.origin ? target.href : new URL(REMINDER_FALLBACK.url, self.location.origin).href;
}

function showReminder(reminder) {
  return self.registration.showNotification(reminder.title, {
    body: reminder.body,
    lang: reminder.lang,
    tag: "daily-reminder", // a newer reminder replaces an unread one
    icon: "/static/icons/icon-192.png",
    badge: "/static/icons/icon-192.png",
    data: { url: reminderTarget(reminder.url) },
  });
}

async function openReminder(notification) {
  notification.close();
  const url = (notification.data && notification.data.url) || reminderTarget(REMINDER_FALLBACK.url);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).origin !== self.location.origin) {
      continue;
    }
    const focused = await client.focus().catch(() => client);
    const moved = await focused.navigate(url).catch(() => null);
    if (moved) {
      return moved;
    }
  }
  return self.clients.openWindow(url);
}

self.addEventListener("push", (event) => {
  event.waitUntil(showReminder(reminderFrom(event)));
});

self.addEventListener("notificationclick", (event) => {
  event.waitUntil(openReminder(event.notification));
});
