// The outbox on the page: a day saved on the log form waits on this phone (outbox-send.js keeps
// and sends it, here and in the service worker) and goes with PUT /api/v1/entries/{date}: at
// once when online, else when the connection returns. Without JavaScript the form POSTs itself.
import "./outbox-send.js";

const { allItems, putItem, deleteItem, clearOwner, sendWaiting, forgetPages } = self.diaryOutbox;
export { forgetPages };

const FIRST_RETRY_MS = 3000;
const LAST_RETRY_MS = 5 * 60 * 1000;
const SAVED_MESSAGE = "baekkendagbog-saved"; // sessionStorage: the next page says the day is saved

// A moment's date on the phone's calendar, as YYYY-MM-DD (today's, by default).
function phoneDate(moment = new Date()) {
  const pad = (number) => String(number).padStart(2, "0");
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
}

// The log form as the API's entry, with the fields the server names (entry-fields): code sets
// as lists, numbers as numbers, an unanswered number left out; the day and the edit time its own.
function formToEntry(form, fields) {
  const data = new FormData(form);
  const entry = { date: form.dataset.day, updated_at: new Date().toISOString() };
  for (const name of fields) {
    const type = form.querySelector(`[name="${name}"]`)?.type;
    const number = Number.parseInt(String(data.get(name)), 10);
    if (type === "checkbox") {
      entry[name] = data.getAll(name);
    } else if ((type === "radio" || type === "number") && !Number.isNaN(number)) {
      entry[name] = number;
    } else if (type === "textarea") {
      entry[name] = String(data.get(name));
    }
  }
  return entry;
}

// Show an entry in the form: a waiting one, or none ({}: every answer cleared, a number to its lowest).
function fillForm(form, entry) {
  for (const input of form.querySelectorAll("input[name]:not([type=hidden]), textarea[name]")) {
    const value = entry[input.name];
    if (input.type === "radio" || input.type === "checkbox") {
      input.checked = [value].flat().map(String).includes(input.value);
    } else {
      input.value = value ?? input.min ?? "";
    }
  }
}

function dayName(date, options = { dateStyle: "long" }) {
  // English dates in their British form, as the server writes them: "4 December 2026".
  const language = document.documentElement.lang || "da";
  const format = new Intl.DateTimeFormat(language === "en" ? "en-GB" : language, { ...options, timeZone: "UTC" });
  return format.format(new Date(`${date}T00:00:00Z`));
}

function message(box, name, values = {}) {
  return Object.entries(values).reduce((text, [key, value]) => text.replace(`{${key}}`, value), box.status.dataset[name]);
}

function line(text, action, onAction) {
  const paragraph = document.createElement("p");
  paragraph.className = "outbox-line";
  paragraph.append(text);
  if (action) {
    const control = document.createElement(typeof onAction === "string" ? "a" : "button");
    control.className = "button button-small button-quiet";
    control.textContent = action;
    if (typeof onAction === "string") {
      control.href = onAction;
    } else {
      control.type = "button";
      control.addEventListener("click", onAction);
    }
    paragraph.append(" ", control);
  }
  return paragraph;
}

async function render(box) {
  const mine = (await allItems()).filter((item) => item.owner === box.owner);
  const waiting = mine.filter((item) => item.state === "waiting");
  const discard = (item) => () => deleteItem(box.owner, item.date).then(() => render(box));
  const lines = [];
  if (waiting.length) {
    const count = waiting.length === 1 ? message(box, "one") : message(box, "many", { count: waiting.length });
    lines.push(line(`${message(box, "saved")}. ${count}`));
    if (box.loginNeeded) {
      const back = `/login?next=${encodeURIComponent(window.location.pathname)}`;
      lines.push(line(message(box, "login"), message(box, "loginAction"), back));
    }
  } else if (box.sent) {
    lines.push(line(message(box, "sent")));
  }
  // A refused day (with the server's reason) or a conflict, until she discards or dismisses it.
  for (const item of mine.filter((item) => item.state !== "waiting")) {
    const text = message(box, item.state, { day: dayName(item.date), reason: item.reason });
    lines.push(line(text, message(box, item.state === "rejected" ? "discard" : "dismiss"), discard(item)));
  }
  box.status.replaceChildren(...lines);
  box.status.classList.toggle("has-waiting", waiting.length > 0);
}

// What one sending (here or in the service worker) means for this page. While it fails, the page
// tries again on its own (phones without Background Sync), waiting twice as long each time.
function settle(box, result) {
  box.loginNeeded = result.status === "login";
  box.sent ||= result.sent > 0;
  box.failures = result.status === "retry" ? box.failures + 1 : 0;
  clearTimeout(box.retryTimer);
  if (box.failures) {
    box.retryTimer = setTimeout(() => flush(box), Math.min(FIRST_RETRY_MS * 2 ** (box.failures - 1), LAST_RETRY_MS));
  }
}

// Send what waits, then show what is left. Asked again while sending, it sends once more after
// the first (sendWaiting takes turns): a day saved in the meantime goes then.
async function flush(box) {
  settle(box, await sendWaiting().catch(() => ({ status: "retry", sent: 0 })));
  await render(box);
}

// Saving the log form: the day goes into the outbox and, online, straight to the server. Sent,
// the next page opens and says so; otherwise the page stays and the status says what waits.
async function save(box, form) {
  const entry = formToEntry(form, box.fields);
  await putItem({ date: entry.date, entry, owner: box.owner, state: "waiting" });
  box.sent = false;
  form.closest("main")?.querySelector(".saved-badge")?.remove(); // the server has an older version, if any
  await (navigator.onLine ? flush(box) : render(box));
  if (!(await allItems()).some((item) => item.date === entry.date && item.owner === box.owner)) {
    sessionStorage.setItem(SAVED_MESSAGE, form.dataset.savedMessage);
    window.location.assign(form.dataset.next);
    return;
  }
  window.scrollTo({ top: 0 });
  navigator.storage?.persist?.().catch(() => {});
  navigator.serviceWorker?.ready.then((registration) => registration.sync?.register("outbox")).catch(() => {});
}

// A log page kept on the phone from an earlier day, opened the next morning, logs the phone's
// today: its date, answers and "saved" belong to the day it was kept. A page made today is
// left alone, even when the phone's calendar differs from the diary's time zone.
function moveToToday(box, form) {
  const today = phoneDate();
  if (form.dataset.today === undefined || form.dataset.day === today || phoneDate(new Date(box.status.dataset.made)) === today) {
    return;
  }
  form.dataset.day = today;
  form.action = `/entries/${today}`;
  fillForm(form, {});
  const header = document.querySelector(".day-header");
  if (header) {
    header.querySelector("h1").textContent = dayName(today, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
    header.querySelector(".day-meta")?.remove();
    header.insertAdjacentHTML("beforeend", '<p class="flash" id="other-day"></p>');
    header.lastChild.textContent = message(box, "otherDay", { day: dayName(today) });
  }
}

async function enhanceLogForm(box, form) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save(box, form);
  });
  moveToToday(box, form);
  const item = (await allItems()).find((each) => each.date === form.dataset.day && each.owner === box.owner);
  if (item?.state === "waiting") {
    fillForm(form, item.entry);
    form.closest("main")?.querySelector(".saved-badge")?.remove();
  }
}

// Logging out: warn when this account's days have not reached the server, then clear them
// and the kept pages. Another account's waiting days stay for it.
function enhanceLogout(box, form) {
  form.addEventListener("submit", async (event) => {
    if (form.dataset.cleared) {
      return;
    }
    event.preventDefault();
    const unsent = (await allItems()).filter((item) => item.owner === box.owner && item.state !== "conflict");
    if (unsent.length && !window.confirm(message(box, "logoutWarning"))) {
      return;
    }
    await clearOwner(box.owner);
    await forgetPages();
    form.dataset.cleared = "yes";
    form.submit();
  });
}

// The day the previous page saved, said as the server says it after a form POST.
function sayWhatWasSaved(status) {
  const saved = sessionStorage.getItem(SAVED_MESSAGE);
  sessionStorage.removeItem(SAVED_MESSAGE);
  if (saved) {
    status.insertAdjacentHTML("afterend", '<div class="flashes" role="status"><p class="flash flash-success"></p></div>');
    status.nextElementSibling.firstChild.textContent = saved;
  }
}

// Wire the outbox into the page: its status, the log form, logging out, and every moment to send.
// Gives this account's key, or null when no one is logged in.
export function startOutbox() {
  const status = document.getElementById("outbox-status");
  if (!status) {
    return null;
  }
  const fields = JSON.parse(document.getElementById("entry-fields")?.textContent ?? "[]");
  // This page's outbox: its status element, the account whose items it sends, and its sending.
  const box = { status, owner: status.dataset.owner, fields, sent: false, loginNeeded: false, failures: 0, retryTimer: null };
  sayWhatWasSaved(status);
  for (const form of document.querySelectorAll("form[data-outbox]")) {
    enhanceLogForm(box, form);
  }
  for (const form of document.querySelectorAll('form[action="/logout"]')) {
    enhanceLogout(box, form);
  }
  const sendNow = () => navigator.onLine && flush(box);
  window.addEventListener("online", sendNow);
  // Back to the app after a while: phones pause timers of a page in the background.
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && sendNow());
  window.addEventListener("pageshow", (event) => event.persisted && sendNow());
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type === "outbox-changed") {
      settle(box, event.data.result); // the worker sent the outbox (Background Sync)
      render(box);
    }
  });
  if (navigator.onLine) {
    flush(box);
  } else {
    render(box);
  }
  return box.owner;
}
