// The installed app: the service worker, the "new version" offer, the install button, and
// which pages the phone keeps (static/js/sw.js keeps them; this says when, and for whom).
import { forgetPages } from "./outbox.js";

function offerUpdate(worker, banner) {
  banner.hidden = false;
  banner.querySelector("button").addEventListener("click", () => {
    navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload());
    worker.postMessage({ type: "skip-waiting" });
  });
}

// The worker is registered with the release's version, which it reads from its URL: the one this
// module was loaded under (/static/<version>/js/pwa.js).
export function registerWorker(banner) {
  if (!("serviceWorker" in navigator)) {
    return;
  }
  const version = new URL(import.meta.url).pathname.split("/")[2];
  navigator.serviceWorker.register(`/sw.js?v=${version}`, { scope: "/" }).then((registration) => {
    if (registration.waiting && navigator.serviceWorker.controller) {
      offerUpdate(registration.waiting, banner);
    }
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) {
          offerUpdate(worker, banner);
        }
      });
    });
  });
}

// The worker precaches the shell's pages (the offline page, the warning signs) as it installs,
// often before she logs in. Logged in, ask it to keep them as she sees them (with her menu and
// outbox, in her language): it fetches anew only a copy not made for her. Logged out, forget
// every kept page.
export function keepPagesFor(owner) {
  if (!("caches" in window) || !navigator.onLine || document.getElementById("offline-page")) {
    return;
  }
  if (!owner) {
    forgetPages();
    return;
  }
  navigator.serviceWorker?.ready.then((registration) => {
    const reader = { owner, language: document.documentElement.lang };
    registration.active?.postMessage({ type: "keep-shell-pages", reader });
  });
}

// The install button shows only when the browser offers to install the app.
export function enhanceInstallButton(button) {
  let offer = null;
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    offer = event;
    button.hidden = false;
  });
  // An offer can be taken once, whatever she answers: the button goes with it.
  button.addEventListener("click", () => {
    offer?.prompt();
    offer = null;
    button.hidden = true;
  });
  window.addEventListener("appinstalled", () => {
    button.hidden = true;
  });
}
