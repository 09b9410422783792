// The outbox: a day logged without a connection waits on this phone (IndexedDB, one item per
// date) and is sent with PUT /api/v1/entries/{date} when the connection returns. PUT by date
// is idempotent, so sending an item twice never doubles a day. Online, the log form is the
// ordinary POST form and this module stays out of its way.
//
// An item: {date, entry, owner, state, reason?}. state is "waiting" (to be sent), "rejected"
// (the server refused it: shown with its reason until discarded, never retried on its own) or
// "conflict" (a newer edit of the day was on the server and is kept: shown until dismissed).

const DATABASE = "baekkendagbog";
const STORE = "outbox";
const PAGES_CACHE = "baekkendagbog-pages"; // the service worker's kept pages (static/js/sw.js)
const FIRST_RETRY_MS = 3000;
const LAST_RETRY_MS = 5 * 60 * 1000;

let status = null; // the #outbox-status element, with the messages as data attributes
let owner = null; // this account's key: items of another account wait for it
let flushing = null;
let retryTimer = null;
let retryDelay = FIRST_RETRY_MS;
let loginNeeded = false;
let sent = false;

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

export const allItems = () => inStore("readonly", (store) => store.getAll());
const putItem = (item) => inStore("readwrite", (store) => store.put(item));
const deleteItem = (date) => inStore("readwrite", (store) => store.delete(date));
const clearItems = () => inStore("readwrite", (store) => store.clear());

// Delete a sent item only if it was not saved again while it was on its way.
function deleteIfUnchanged(item) {
  return inStore("readwrite", (store) => {
    const request = store.get(item.date);
    request.onsuccess = () => {
      if (request.result && request.result.entry.updated_at === item.entry.updated_at) {
        store.delete(item.date);
      }
    };
  });
}

// The day a form logs. Today's page kept on the phone may be from an earlier day: opened
// offline the next morning, "today" is the phone's today, not the kept page's.
function dayOf(form) {
  if (form.dataset.today === undefined) {
    return form.dataset.day;
  }
  const now = new Date();
  const pad = (number) => String(number).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// The log form as the API's entry: numbers as numbers, the code sets as lists.
export function formToEntry(form) {
  const data = new FormData(form);
  const whole = (name, fallback) => {
    const value = Number.parseInt(String(data.get(name) ?? ""), 10);
    return Number.isNaN(value) ? fallback : value;
  };
  return {
    date: dayOf(form),
    pain: whole("pain", null),
    locations: data.getAll("locations"),
    sensations: data.getAll("sensations"),
    triggers: data.getAll("triggers"),
    night_wakings: whole("night_wakings", 0),
    relief: data.getAll("relief"),
    note: String(data.get("note") ?? ""),
    updated_at: new Date().toISOString(),
  };
}

// Show a waiting entry in the form of its day (a page kept from before it was saved).
function fillForm(form, entry) {
  for (const input of form.querySelectorAll("input[type=radio], input[type=checkbox]")) {
    const chosen = input.name === "pain" ? [String(entry.pain)] : entry[input.name];
    if (Array.isArray(chosen)) {
      input.checked = chosen.includes(input.value);
    }
  }
  form.elements.night_wakings.value = String(entry.night_wakings);
  form.elements.note.value = entry.note;
}

function dayName(date) {
  const format = new Intl.DateTimeFormat(document.documentElement.lang || "da", { dateStyle: "long", timeZone: "UTC" });
  return format.format(new Date(`${date}T00:00:00Z`));
}

function message(name, values = {}) {
  return Object.entries(values).reduce((text, [key, value]) => text.replace(`{${key}}`, value), status.dataset[name]);
}

function line(text, action, onAction) {
  const paragraph = document.createElement("p");
  paragraph.className = "outbox-line";
  paragraph.append(text);
  if (action) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small button-quiet";
    button.textContent = action;
    button.addEventListener("click", onAction);
    paragraph.append(" ", button);
  }
  return paragraph;
}

async function render() {
  if (!status) {
    return;
  }
  const mine = (await allItems()).filter((item) => item.owner === owner);
  const waiting = mine.filter((item) => item.state === "waiting");
  const lines = [];
  if (waiting.length) {
    const count = waiting.length === 1 ? message("one") : message("many", { count: waiting.length });
    lines.push(line(`${message("saved")}. ${count}`));
    if (loginNeeded) {
      lines.push(line(message("login")));
    }
  } else if (sent) {
    lines.push(line(message("sent")));
  }
  for (const item of mine.filter((item) => item.state === "rejected")) {
    const text = message("rejected", { day: dayName(item.date), reason: item.reason });
    lines.push(line(text, status.dataset.discard, () => deleteItem(item.date).then(render)));
  }
  for (const item of mine.filter((item) => item.state === "conflict")) {
    const text = message("conflict", { day: dayName(item.date) });
    lines.push(line(text, status.dataset.dismiss, () => deleteItem(item.date).then(render)));
  }
  status.replaceChildren(...lines);
  status.classList.toggle("has-waiting", waiting.length > 0);
}

function retryLater() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(flushOutbox, retryDelay);
  retryDelay = Math.min(retryDelay * 2, LAST_RETRY_MS);
}

// Send every waiting item of this account; keep what could not be sent for a later try.
export function flushOutbox() {
  flushing ??= send().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function send() {
  const waiting = (await allItems()).filter((item) => item.state === "waiting" && item.owner === owner);
  if (!waiting.length) {
    return render();
  }
  let session;
  try {
    // A fresh token: the page may have been open, or kept offline, for longer than a token lives.
    const response = await fetch("/api/v1/csrf-token", { cache: "no-store", headers: { Accept: "application/json" } });
    loginNeeded = response.status === 401;
    if (!response.ok) {
      return loginNeeded ? render() : retryLater();
    }
    session = await response.json();
  } catch {
    return retryLater();
  }
  if (session.owner !== owner) {
    return render(); // another account is logged in now: these wait for theirs
  }
  for (const item of waiting) {
    let response;
    try {
      response = await fetch(`/api/v1/entries/${item.date}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": session.csrf_token },
        body: JSON.stringify(item.entry),
      });
    } catch {
      await render();
      return retryLater(); // the connection dropped on the way: the item stays
    }
    if (response.ok) {
      await deleteIfUnchanged(item);
      sent = true;
    } else if (response.status === 409) {
      await putItem({ ...item, state: "conflict" }); // the newer edit on the server is kept
    } else if (response.status >= 500 || response.status === 429 || response.status === 401) {
      loginNeeded = response.status === 401;
      await render();
      return loginNeeded ? undefined : retryLater();
    } else if (response.status === 400 && (await errorOf(response.clone())).code === "csrf") {
      await render();
      return retryLater();
    } else {
      const error = await errorOf(response);
      const reasons = [error.message, ...Object.values(error.fields || {})].filter(Boolean);
      await putItem({ ...item, state: "rejected", reason: reasons.join(" ") || String(response.status) });
    }
  }
  retryDelay = FIRST_RETRY_MS;
  return render();
}

async function errorOf(response) {
  try {
    return (await response.json()).error || {};
  } catch {
    return {};
  }
}

async function keepOnPhone(form) {
  const entry = formToEntry(form);
  await putItem({ date: entry.date, entry, owner, state: "waiting" });
  sent = false;
  await render();
  window.scrollTo({ top: 0 });
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persist().catch(() => {});
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register("outbox"))
      .catch(() => {});
  }
}

function enhanceLogForm(form) {
  allItems().then((items) => {
    const item = items.find((each) => each.date === form.dataset.day && each.owner === owner);
    if (item && item.state === "waiting") {
      fillForm(form, item.entry);
    }
  });
  form.addEventListener("submit", async (event) => {
    if (form.dataset.posting) {
      return; // the ordinary POST, sent again below to show the server's own page
    }
    event.preventDefault();
    if (!navigator.onLine) {
      keepOnPhone(form);
      return;
    }
    let response;
    try {
      // The same POST the browser would send; a redirect means the server has the day.
      response = await fetch(form.action, { method: "POST", body: new FormData(form), redirect: "manual" });
    } catch {
      keepOnPhone(form); // the phone thought it was online, but the request failed
      return;
    }
    if (response.type === "opaqueredirect") {
      window.location.assign(form.dataset.next);
      return;
    }
    form.dataset.posting = "true"; // not saved (e.g. a missing answer): let the server's page say why
    form.requestSubmit();
  });
}

// Logging out: warn when entries have not been sent, then clear the outbox and the kept pages.
function enhanceLogout(form) {
  form.addEventListener("submit", async (event) => {
    if (form.dataset.cleared) {
      return;
    }
    event.preventDefault();
    const unsent = await allItems();
    if (unsent.length && !window.confirm(status.dataset.logoutWarning)) {
      return;
    }
    await clearItems();
    await forgetPages();
    form.dataset.cleared = "yes";
    form.submit();
  });
}

export function forgetPages() {
  return "caches" in window ? caches.delete(PAGES_CACHE) : Promise.resolve();
}

// Wire the outbox into the page: its status, the log form, logging out, and every moment to send.
export function startOutbox() {
  status = document.getElementById("outbox-status");
  if (!status) {
    return false; // not logged in
  }
  owner = status.dataset.owner;
  const form = document.querySelector("form[data-outbox]");
  if (form) {
    enhanceLogForm(form);
  }
  const logout = document.querySelector('form[action="/logout"]');
  if (logout) {
    enhanceLogout(logout);
  }
  window.addEventListener("online", () => {
    retryDelay = FIRST_RETRY_MS;
    flushOutbox();
  });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "flush-outbox") {
        flushOutbox();
      }
    });
  }
  if (navigator.onLine) {
    flushOutbox();
  } else {
    render();
  }
  return true;
}
