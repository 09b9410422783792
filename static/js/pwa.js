// The installed app: the service worker, the "new version" offer, the install button, and
// which pages the phone keeps (static/js/sw.js keeps them; this decides when to forget them).
import { forgetPages } from "./outbox.js";

const PAGES_CACHE = "baekkendagbog-pages";

function offerUpdate(worker, banner) {
  banner.hidden = false;
  banner.querySelector("button").addEventListener("click", () => {
    navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload());
    worker.postMessage({ type: "skip-waiting" });
  });
}

export function registerWorker(banner) {
  if (!("serviceWorker" in navigator)) {
    return;
  }
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then((registration) => {
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

// The offline page the worker keeps was made when it was installed, often before logging in;
// once logged in, keep one with her menu and outbox. Logged out, forget every kept page.
export function keepPagesFor(loggedIn) {
  if (!("caches" in window) || !navigator.onLine || document.getElementById("offline-page")) {
    return;
  }
  if (!loggedIn) {
    forgetPages();
    return;
  }
  navigator.serviceWorker?.ready.then(async () => {
    const pages = await caches.open(PAGES_CACHE);
    const kept = (await pages.match("/offline")) || (await caches.match("/offline"));
    if (!kept || !(await kept.text()).includes('id="outbox-status"')) {
      await pages.add("/offline");
    }
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
  button.addEventListener("click", async () => {
    if (!offer) {
      return;
    }
    offer.prompt();
    await offer.userChoice;
    offer = null;
    button.hidden = true;
  });
  window.addEventListener("appinstalled", () => {
    button.hidden = true;
  });
}
