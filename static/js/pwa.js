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

// The pages the worker precaches (the offline page, the warning signs) are made when it
// installs, often before logging in, in the browser's language. Once logged in, keep them as
// she sees them: with her menu and outbox, in her language. Logged out, forget every kept page.
const SHELL_PAGES = ["/offline", "/advice/warning-signs"];

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
    for (const path of SHELL_PAGES) {
      // The copy the worker shows offline: hers, or the one it precached, which is hers already
      // if it installed while she was logged in.
      const kept = (await pages.match(path, { ignoreVary: true })) || (await caches.match(path, { ignoreVary: true }));
      if (!kept || !isHers(await kept.text())) {
        await pages.add(path).catch(() => {});
      }
    }
  });
}

function isHers(html) {
  const kept = new DOMParser().parseFromString(html, "text/html");
  return kept.getElementById("outbox-status") !== null && kept.documentElement.lang === document.documentElement.lang;
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
