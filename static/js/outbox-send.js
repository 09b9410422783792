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

  // Run work(store) in one transaction; gives the result of the request work returns, if any.
  async function inStore(mode, work) {
    const database = await new Promise((resolve, reject) => {
      const request = indexedDB.open("baekkendagbog", 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "date" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      return await new Promise((resolve, reject) => {
        const transaction = database.transaction(STORE, mode);
        const result = work(transaction.objectStore(STORE));
        transaction.oncomplete = () => resolve(result?.result);
        transaction.onabort = () => reject(transaction.error); // a failed request aborts it too
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
        if (item && check(item)) {
          change ? store.put({ ...item, ...change }) : store.delete(date);
        }
      };
    });
  }

  // Delete one account's item of a day (another account's item of that day is not hers).
  const deleteItem = (owner, date) => changeItem(date, (item) => item.owner === owner, null);

  // Delete every item of one account (logging out); another account's items stay.
  const clearOwner = async (owner) => Promise.all((await allItems()).map((item) => deleteItem(owner, item.date)));

  // A sent item changes (or goes, with null) only if it was not saved again while on its way:
  // a newer save of the day waits to be sent in its turn.
  const changeIfUnchanged = (sent, change) =>
    changeItem(sent.date, (item) => item.owner === sent.owner && item.entry.updated_at === sent.entry.updated_at, change);

  // Delete the pages the worker keeps for offline use (sw.js): at logout, and the moment the
  // server answers that her session has ended (401), so that they never outlive it.
  const forgetPages = async () => scope.caches?.delete(PAGES_CACHE);

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
    // A fresh token: the page may have been open, or the day kept offline, longer than a token lives.
    const answer = await request("/api/v1/csrf-token", { cache: "no-store" });
    const session = answer.ok && (await answer.json().catch(() => null));
    if (!session) {
      return { status: typeof answer === "string" ? answer : "retry", sent: 0 };
    }
    let sent = 0;
    const tried = new Set(); // each edit goes once: a day saved again meanwhile goes next, in its turn
    const key = (item) => `${item.date} ${item.entry.updated_at}`;
    while (true) {
      const item = (await allItems()).find((each) => each.state === "waiting" && each.owner === session.owner && !tried.has(key(each)));
      if (!item) {
        return { status: "done", sent };
      }
      tried.add(key(item));
      const outcome = await sendOne(item, session.csrf_token);
      if (outcome === "sent") {
        sent += 1;
      } else if (outcome !== "settled") {
        return { status: outcome, sent };
      }
    }
  }

  // PUT one item: "sent", "settled" (kept as a conflict or a refusal), or "login" or "retry".
  async function sendOne(item, token) {
    const response = await request(`/api/v1/entries/${item.date}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(item.entry),
    });
    if (typeof response === "string") {
      return response;
    }
    if (response.ok) {
      await changeIfUnchanged(item, null);
      return "sent";
    }
    if (response.status === 409) {
      await changeIfUnchanged(item, { state: "conflict" }); // the newer edit on the server is kept
      return "settled";
    }
    const error = await response.json().then((body) => body.error || {}, () => ({}));
    if (response.status >= 500 || response.status === 429 || error.code === "csrf") {
      return "retry"; // a passing trouble, or the token ended between fetching and sending it
    }
    const reasons = [error.message, ...Object.values(error.fields || {})].filter(Boolean);
    await changeIfUnchanged(item, { state: "rejected", reason: reasons.join(" ") || String(response.status) });
    return "settled";
  }

  // A request to the API: its response, or "retry" when it never came (no connection, or it
  // dropped on the way), or "login" when her session has ended (the pages kept for her go now).
  async function request(url, options) {
    const response = await fetch(url, { ...options, headers: { Accept: "application/json", ...options.headers } }).catch(() => null);
    if (response?.status === 401) {
      await forgetPages();
      return "login";
    }
    return response ?? "retry";
  }

  scope.diaryOutbox = { allItems, putItem, deleteItem, clearOwner, sendWaiting, forgetPages, PAGES_CACHE };
})(self);
