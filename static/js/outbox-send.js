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

  const DATABASE = "baekkendagbog";
  const STORE = "outbox";
  // The worker's cache of the pages she has seen (sw.js), deleted by the page on logout (outbox.js).
  const PAGES_CACHE = "baekkendagbog-pages";

  function openDatabase() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DATABASE, 1);
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

  // Delete one account's item of a day (another account's item of that day is not hers).
  function deleteItem(owner, date) {
    return inStore("readwrite", (store) => {
      const request = store.get(date);
      request.onsuccess = () => {
        if (request.result && request.result.owner === owner) {
          store.delete(date);
        }
      };
    });
  }

  // Delete every item of one account (logging out); another account's items stay.
  function clearOwner(owner) {
    return inStore("readwrite", (store) => {
      const cursor = store.openCursor();
      cursor.onsuccess = () => {
        if (cursor.result) {
          if (cursor.result.value.owner === owner) {
            cursor.result.delete();
          }
          cursor.result.continue();
        }
      };
    });
  }

  // Change (or, with null, delete) an item that was sent, but only if it was not saved again
  // while it was on its way: a newer save of the day waits to be sent in its turn.
  function changeIfUnchanged(item, change) {
    return inStore("readwrite", (store) => {
      const request = store.get(item.date);
      request.onsuccess = () => {
        const stored = request.result;
        if (stored && stored.owner === item.owner && stored.entry.updated_at === item.entry.updated_at) {
          if (change === null) {
            store.delete(item.date);
          } else {
            store.put({ ...stored, ...change });
          }
        }
      };
    });
  }

  // Delete the pages the worker keeps for offline use (sw.js): at logout, and the moment the
  // server answers that her session has ended (401), so that they never outlive it.
  function forgetPages() {
    return scope.caches ? scope.caches.delete(PAGES_CACHE) : Promise.resolve(false);
  }

  // The API's error of a refused request ({code, message, fields?}), or {} when it sent none.
  async function errorOf(response) {
    try {
      return (await response.json()).error || {};
    } catch {
      return {};
    }
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
      const response = await fetch("/api/v1/csrf-token", {
        cache: "no-store",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
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
      const items = (await allItems()).filter(
        (item) => item.state === "waiting" && item.owner === session.owner && !tried.has(`${item.date} ${item.entry.updated_at}`),
      );
      if (!items.length) {
        break;
      }
      for (const item of items) {
        tried.add(`${item.date} ${item.entry.updated_at}`);
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
        credentials: "same-origin",
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
    if (response.status >= 500 || response.status === 429) {
      return "retry";
    }
    const error = await errorOf(response);
    if (error.code === "csrf") {
      return "retry"; // the token ended between fetching and sending it
    }
    const reasons = [error.message, ...Object.values(error.fields || {})].filter(Boolean);
    await changeIfUnchanged(item, { state: "rejected", reason: reasons.join(" ") || String(response.status) });
    return "settled";
  }

  scope.diaryOutbox = { allItems, putItem, deleteItem, clearOwner, sendWaiting, errorOf, forgetPages, PAGES_CACHE };
})(self);
