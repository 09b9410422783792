// The outbox on the phone (IndexedDB, one item per date) and its sending, shared by the page
// (outbox.js imports it) and the service worker (sw.js loads it with importScripts and sends
// on Background Sync with no page open). A classic script without imports or exports, so that
// both can load it: it sets self.diaryOutbox.
//
// An item: {date, entry, owner, state, reason?}. state is "waiting" (to be sent), "rejected"
// (the server refused it: shown with its reason until discarded, never retried on its own) or
// "conflict" (a newer edit of the day was on the server and is kept: shown until dismissed).
// owner is the account's opaque key (/api/v1/csrf-token): an item goes only to its account.
// PUT by date is idempotent, so sending an item twice never doubles a day.
(function (scope) {
  "use strict";

  const STORE = "outbox";
  // The worker's cache of the pages she has seen (sw.js), deleted by the page on logout (outbox.js).
  const PAGES_CACHE = "baekkendagbog-pages";

  function openDatabase() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("baekkendagbog", 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "date" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function inStore(mode, work) {
    const database = await openDatabase();
    try {
      return await new Promise((resolve, reject) => {
        const transaction = database.transaction(STORE, mode);
        const result = work(transaction.objectStore(STORE));
        transaction.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
    } finally {
      database.close();
    }
  }

  const allItems = () => inStore("readonly", (store) => store.getAll());
  const putItem = (item) => inStore("readwrite", (store) => store.put(item));

  // Change (or, with null, delete) the item of a date if it passes check(item).
  function changeItem(date, check, change) {
    return inStore("readwrite", (store) => {
      const request = store.get(date);
      request.onsuccess = () => {
        const item = request.result;
        if (item && check(item) && change) {
          store.put({ ...item, ...change });
        } else if (item && check(item)) {
          store.delete(date);
        }
      };
    });
  }

  // Delete one account's item of a day (another account's item of that day is not hers).
  const deleteItem = (owner, date) => changeItem(date, (item) => item.owner === owner, null);

  // A sent item changes (or goes, with null) only if it was not saved again while on its way:
  // a newer save of the day waits to be sent in its turn.
  const changeIfUnchanged = (sent, change) =>
    changeItem(sent.date, (item) => item.owner === sent.owner && item.entry.updated_at === sent.entry.updated_at, change);

  // Delete every item of one account (logging out); another account's items stay.
  function clearOwner(owner) {
    return inStore("readwrite", (store) => {
      const request = store.getAll();
      request.onsuccess = () => request.result.filter((item) => item.owner === owner).forEach((item) => store.delete(item.date));
    });
  }

  // Delete the pages the worker keeps for offline use (sw.js): at logout, and the moment the
  // server answers that her session has ended (401), so that they never outlive it.
  function forgetPages() {
    return scope.caches ? scope.caches.delete(PAGES_CACHE) : Promise.resolve(false);
  }

  // Send the waiting items of the account that is logged in now. Says how it went:
  // {status: "done"} (all sent or settled), {status: "login"} (the session has ended: they wait
  // for her to log in again) or {status: "retry"} (no connection or a passing server trouble);
  // and {sent: how many reached the server}.
  function sendWaiting() {
    // One sender at a time across the pages and the worker (an online event and Background
    // Sync come together): the second finds the first one's items sent, not sends them again.
    const locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request("baekkendagbog-outbox", sendNow) : sendNow();
  }

  async function sendNow() {
    if (!(await allItems()).some((item) => item.state === "waiting")) {
      return { status: "done", sent: 0 };
    }
    let session;
    try {
      // A fresh token: the page may have been open, or the day kept offline, longer than a token lives.
      const response = await fetch("/api/v1/csrf-token", { cache: "no-store", headers: { Accept: "application/json" } });
      if (response.status === 401) {
        await forgetPages();
        return { status: "login", sent: 0 };
      }
      if (!response.ok) {
        return { status: "retry", sent: 0 };
      }
      session = await response.json();
    } catch {
      return { status: "retry", sent: 0 };
    }
    let sent = 0;
    const tried = new Set(); // date and edit time of each item sent: a day saved again meanwhile goes next
    for (let round = 0; round < 5; round += 1) {
      const key = (item) => `${item.date} ${item.entry.updated_at}`;
      const items = (await allItems()).filter((item) => item.state === "waiting" && item.owner === session.owner && !tried.has(key(item)));
      if (!items.length) {
        break;
      }
      for (const item of items) {
        tried.add(key(item));
        const outcome = await sendOne(item, session.csrf_token);
        if (outcome === "sent") {
          sent += 1;
        } else if (outcome !== "settled") {
          return { status: outcome, sent };
        }
      }
    }
    return { status: "done", sent };
  }

  // PUT one item: "sent", "settled" (kept as a conflict or a refusal), or "login" or "retry".
  async function sendOne(item, token) {
    let response;
    try {
      response = await fetch(`/api/v1/entries/${item.date}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
        body: JSON.stringify(item.entry),
      });
    } catch {
      return "retry"; // the connection dropped on the way: the item stays
    }
    if (response.ok) {
      await changeIfUnchanged(item, null);
      return "sent";
    }
    if (response.status === 409) {
      await changeIfUnchanged(item, { state: "conflict" }); // the newer edit on the server is kept
      return "settled";
    }
    if (response.status === 401) {
      await forgetPages();
      return "login";
    }
    const error = await response.json().then((body) => body.error || {}, () => ({}));
    if (response.status >= 500 || response.status === 429 || error.code === "csrf") {
      return "retry"; // a passing trouble, or the token ended between fetching and sending it
    }
    const reasons = [error.message, ...Object.values(error.fields || {})].filter(Boolean);
    await changeIfUnchanged(item, { state: "rejected", reason: reasons.join(" ") || String(response.status) });
    return "settled";
  }

  scope.diaryOutbox = { allItems, putItem, deleteItem, clearOwner, sendWaiting, forgetPages, PAGES_CACHE };
})(self);
