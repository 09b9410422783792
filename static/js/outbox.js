// The outbox on the page: a day logged without a connection, or whose save did not reach the
// server, waits on this phone (outbox-send.js keeps and sends it, here and in the service
// worker) and is sent with PUT /api/v1/entries/{date} when the connection returns. Online, the
// log form is saved with the same POST the browser would send, asking for a plain answer
// (204 saved, 400 with field errors), so that anything else keeps the day on the phone.
import "./outbox-send.js";

const { allItems, putItem, deleteItem, clearOwner, sendWaiting, errorOf, forgetPages } = self.diaryOutbox;

const FIRST_RETRY_MS = 3000;
const LAST_RETRY_MS = 5 * 60 * 1000;

let status = null; // the #outbox-status element, with the messages as data attributes
let owner = null; // this account's key: items of another account wait for it
let flushing = null;
let flushAgain = false;
let retryTimer = null;
let retryDelay = FIRST_RETRY_MS;
let loginNeeded = false;
let sent = false;

// A moment's date on the phone's calendar, as YYYY-MM-DD (today's, by default).
function phoneDate(moment = new Date()) {
  const pad = (number) => String(number).padStart(2, "0");
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
}

// The log form as the API's entry: numbers as numbers, the code sets as lists.
export function formToEntry(form) {
  const data = new FormData(form);
  const whole = (name, fallback) => {
    const value = Number.parseInt(String(data.get(name) ?? ""), 10);
    return Number.isNaN(value) ? fallback : value;
  };
  return {
    date: form.dataset.day,
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

// Show an entry in the form (a waiting one, or none: every answer cleared).
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

const NO_ANSWERS = { pain: null, locations: [], sensations: [], triggers: [], night_wakings: 0, relief: [], note: "" };

function dayName(date, options = { dateStyle: "long" }) {
  // English dates in their British form, as the server writes them: "4 December 2026".
  const language = document.documentElement.lang || "da";
  const format = new Intl.DateTimeFormat(language === "en" ? "en-GB" : language, { ...options, timeZone: "UTC" });
  return format.format(new Date(`${date}T00:00:00Z`));
}

function message(name, values = {}) {
  return Object.entries(values).reduce((text, [key, value]) => text.replace(`{${key}}`, value), status.dataset[name]);
}

function line(text, action, onAction) {
  const paragraph = document.createElement("p");
  paragraph.className = "outbox-line";
  paragraph.append(text);
  if (typeof onAction === "string") {
    const link = document.createElement("a");
    link.className = "button button-small button-quiet";
    link.href = onAction;
    link.textContent = action;
    paragraph.append(" ", link);
  } else if (action) {
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
      const back = `/login?next=${encodeURIComponent(window.location.pathname)}`;
      lines.push(line(message("login"), message("loginAction"), back));
    }
  } else if (sent) {
    lines.push(line(message("sent")));
  }
  for (const item of mine.filter((item) => item.state === "rejected")) {
    const text = message("rejected", { day: dayName(item.date), reason: item.reason });
    lines.push(line(text, status.dataset.discard, () => deleteItem(owner, item.date).then(render)));
  }
  for (const item of mine.filter((item) => item.state === "conflict")) {
    const text = message("conflict", { day: dayName(item.date) });
    lines.push(line(text, status.dataset.dismiss, () => deleteItem(owner, item.date).then(render)));
  }
  status.replaceChildren(...lines);
  status.classList.toggle("has-waiting", waiting.length > 0);
}

function retryLater() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(flushOutbox, retryDelay);
  retryDelay = Math.min(retryDelay * 2, LAST_RETRY_MS);
}

// What one sending (here or in the service worker) means for this page.
function settle(result) {
  loginNeeded = result.status === "login";
  if (result.sent) {
    sent = true;
  }
  if (result.status === "retry") {
    retryLater();
  } else {
    clearTimeout(retryTimer);
    retryDelay = FIRST_RETRY_MS;
  }
}

// Send what waits; keep what could not be sent for a later try (backing off while it fails).
// Asked again while sending, it sends once more afterwards (a day saved in the meantime).
export function flushOutbox() {
  if (flushing) {
    flushAgain = true;
    return flushing;
  }
  flushing = sendWaiting()
    .then(settle, retryLater)
    .then(render)
    .finally(() => {
      flushing = null;
      if (flushAgain) {
        flushAgain = false;
        flushOutbox();
      }
    });
  return flushing;
}

async function keepOnPhone(form) {
  const entry = formToEntry(form);
  await putItem({ date: entry.date, entry, owner, state: "waiting" });
  sent = false;
  form.closest("main")?.querySelector(".saved-badge")?.remove(); // the server has an older version, if any
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
  if (navigator.onLine) {
    flushOutbox(); // the save failed although the phone is online: try the API now, then back off
  }
}

// A log page kept on the phone from an earlier day, opened the next morning, logs the phone's
// today: its date, answers and "saved" belong to the day it was kept. A page made today is
// left alone, even when the phone's calendar differs from the diary's time zone.
function moveToToday(form) {
  const today = phoneDate();
  const made = new Date(status.dataset.made);
  if (form.dataset.today === undefined || form.dataset.day === today || phoneDate(made) === today) {
    return;
  }
  form.dataset.day = today;
  form.action = `/entries/${today}`;
  fillForm(form, NO_ANSWERS);
  const header = document.querySelector(".day-header");
  if (header) {
    header.querySelector("h1").textContent = dayName(today, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
    header.querySelector(".day-meta")?.remove();
    const notice = document.createElement("p");
    notice.className = "flash";
    notice.id = "other-day";
    notice.textContent = message("otherDay", { day: dayName(today) });
    header.append(notice);
  }
}

function enhanceLogForm(form) {
  moveToToday(form);
  allItems().then((items) => {
    const item = items.find((each) => each.date === form.dataset.day && each.owner === owner);
    if (item && item.state === "waiting") {
      fillForm(form, item.entry);
      form.closest("main")?.querySelector(".saved-badge")?.remove();
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
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        redirect: "manual", // an ended session answers with a redirect to the login page
      });
    } catch {
      keepOnPhone(form); // the phone thought it was online, but the request failed
      return;
    }
    if (response.status === 204) {
      await deleteItem(owner, form.dataset.day); // saved now: an older waiting copy must not follow it
      window.location.assign(form.dataset.next);
    } else if (response.status === 400 && (await errorOf(response)).code === "invalid") {
      form.dataset.posting = "true"; // a missing answer: let the server's page say which
      form.requestSubmit();
    } else {
      keepOnPhone(form); // an ended session, an expired form, a server in trouble: nothing is lost
    }
  });
}

// Logging out: warn when this account's days have not reached the server, then clear them
// and the kept pages. Another account's waiting days stay for it.
function enhanceLogout(form) {
  form.addEventListener("submit", async (event) => {
    if (form.dataset.cleared) {
      return;
    }
    event.preventDefault();
    const unsent = (await allItems()).filter((item) => item.owner === owner && item.state !== "conflict");
    if (unsent.length && !window.confirm(message("logoutWarning"))) {
      return;
    }
    await clearOwner(owner);
    await forgetPages();
    form.dataset.cleared = "yes";
    form.submit();
  });
}

export { forgetPages };

// Wire the outbox into the page: its status, the log form, logging out, and every moment to send.
// Gives this account's key, or null when no one is logged in.
export function startOutbox() {
  status = document.getElementById("outbox-status");
  if (!status) {
    return null; // not logged in
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
  const sendNow = () => {
    if (navigator.onLine) {
      retryDelay = FIRST_RETRY_MS;
      flushOutbox();
    }
  };
  window.addEventListener("online", sendNow);
  // Back to the app after a while: phones pause timers of a page in the background.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      sendNow();
    }
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      sendNow();
    }
  });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "outbox-changed") {
        settle(event.data.result); // the worker sent the outbox (Background Sync)
        render();
      }
    });
  }
  if (navigator.onLine) {
    flushOutbox();
  } else {
    render();
  }
  return owner;
}
