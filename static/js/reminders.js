// The daily reminder on the settings page. The form saves the settings without this script;
// with it, saving with the box ticked also subscribes this phone to Web Push (unticked, it
// unsubscribes this phone), and a reminder never saved before takes the phone's time zone.
// The server learns how the subscription went (reminder-push) and says so after the reload.

const API = "/api/v1";

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]').content;
}

async function send(method, path, body) {
  const response = await fetch(API + path, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status}`);
  }
}

// The VAPID public key as the bytes PushManager.subscribe takes.
function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (char) => char.charCodeAt(0));
}

function sameKey(buffer, base64url) {
  if (!buffer) {
    return false;
  }
  const wanted = keyBytes(base64url);
  const have = new Uint8Array(buffer);
  return have.length === wanted.length && have.every((byte, index) => byte === wanted[index]);
}

function pushSupported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

// Subscribe this phone; the answer is what the server is told: subscribed, denied, unsupported or failed.
async function subscribeThisDevice() {
  if (!pushSupported()) {
    return "unsupported";
  }
  if ((await Notification.requestPermission()) !== "granted") {
    return "denied";
  }
  const registration = await navigator.serviceWorker.ready;
  const response = await fetch(`${API}/push-key`, { credentials: "same-origin" });
  const { public_key: publicKey } = await response.json();
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options.applicationServerKey, publicKey)) {
    await subscription.unsubscribe(); // made with another server key: it would never be delivered
    subscription = null;
  }
  subscription ||= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
  await send("POST", "/push-subscriptions", subscription.toJSON());
  return "subscribed";
}

async function unsubscribeThisDevice() {
  if (!pushSupported()) {
    return;
  }
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = registration && (await registration.pushManager.getSubscription());
  if (subscription) {
    await send("DELETE", "/push-subscriptions", { endpoint: subscription.endpoint });
    await subscription.unsubscribe();
  }
}

function enhanceReminderForm(form) {
  const zone = form.elements["reminder-timezone"];
  const phoneZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (form.dataset.saved !== "true" && phoneZone && !zone.getAttribute("aria-invalid")) {
    zone.value = phoneZone;
  }
  const outcome = document.createElement("input");
  outcome.type = "hidden";
  outcome.name = "reminder-push";
  form.append(outcome);
  let ready = false;
  form.addEventListener("submit", async (event) => {
    if (ready) {
      return;
    }
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      if (form.elements["reminder-enabled"].checked) {
        outcome.value = await subscribeThisDevice();
      } else {
        await unsubscribeThisDevice();
      }
    } catch (error) {
      console.warn("Web Push:", error);
      outcome.value = "failed";
    }
    ready = true;
    button.disabled = false;
    form.requestSubmit(button);
  });
}

const form = document.querySelector("[data-reminder-form]");
if (form) {
  enhanceReminderForm(form);
}
