// Small enhancements of server-rendered pages. Every form works without this file.
import { enhanceLogForm } from "./log-form.js";
import { enhanceSteppers } from "./stepper.js";
import { enhanceCopyButton, enhanceShareButton } from "./copy.js";
import { startOutbox } from "./outbox.js";
import { enhanceInstallButton, keepPagesFor, registerWorker } from "./pwa.js";

for (const stepper of document.querySelectorAll("[data-stepper]")) {
  enhanceSteppers(stepper);
}
// The phone's share sheet where it has one, a copy button otherwise.
for (const button of document.querySelectorAll("[data-copy]")) {
  const share = document.querySelector(`[data-share-for="${button.dataset.copy}"]`);
  if (!share || !enhanceShareButton(share)) {
    enhanceCopyButton(button);
  }
}

// A form's problems, or what it did (templates/_forms.html, form_outcome), are read first.
const outcome = document.getElementById("error-summary") || document.querySelector("[data-outcome]");
if (outcome) {
  outcome.focus();
}

registerWorker(document.getElementById("update-banner"));
keepPagesFor(startOutbox());
const logForm = document.getElementById("log-form");
if (logForm) {
  enhanceLogForm(logForm); // after the outbox, which may have moved a kept page's form to today
}
const install = document.getElementById("install-button");
if (install) {
  enhanceInstallButton(install);
}
