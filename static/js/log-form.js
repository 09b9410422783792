// The log page: each folded part of the form names what it holds, "Same as yesterday" fills
// today from yesterday's answers kept in the page (so it works without a connection; saving is
// the second tap and goes through the outbox like any save), and the saved day gives way to
// the form when the phone holds newer answers than the server showed.
// Without this file the page still works: the button asks the server for the filled form.

const NAMED = "[data-chosen-for], [data-wakings-for], [data-note-for]";

function nameChosen(form) {
  for (const line of document.querySelectorAll(NAMED)) {
    if (line.dataset.chosenFor) {
      const checked = form.querySelectorAll(`input[name="${line.dataset.chosenFor}"]:checked`);
      const names = [...checked].map((input) => input.dataset.label);
      line.textContent = names.length ? names.join(", ") : line.dataset.none || "";
    } else if (line.dataset.wakingsFor) {
      const count = Number.parseInt(form.elements[line.dataset.wakingsFor].value, 10) || 0;
      const text = count === 1 ? line.dataset.one : line.dataset.many;
      line.textContent = count > 0 ? text.replace("{count}", String(count)) : "";
    } else {
      const note = form.elements[line.dataset.noteFor].value.trim();
      line.textContent = note.length > 40 ? `${note.slice(0, 39)}…` : note;
    }
  }
}

// Yesterday's answers in the form (the note stays today's own).
function fill(form, answers) {
  for (const input of form.querySelectorAll("input[type=radio], input[type=checkbox]")) {
    const chosen = input.name === "pain" ? [String(answers.pain)] : answers[input.name];
    if (Array.isArray(chosen)) {
      input.checked = chosen.includes(input.value);
    }
  }
  form.elements.night_wakings.value = String(answers.night_wakings || 0);
  // A chosen trigger behind "more" is shown, so that nothing she saves is out of sight.
  for (const fold of form.querySelectorAll("details.more-chips")) {
    fold.open = fold.open || fold.querySelector("input:checked") !== null;
  }
  form.dispatchEvent(new Event("change"));
}

function offerYesterday(form) {
  const button = document.getElementById("like-yesterday-button");
  const kept = document.getElementById("yesterday-answers");
  if (!button || !kept) {
    return;
  }
  const answers = JSON.parse(kept.textContent);
  button.addEventListener("click", (event) => {
    event.preventDefault(); // filled here, from the page: no request, so offline too
    fill(form, answers);
    button.hidden = true;
    document.getElementById("like-yesterday-done").hidden = false;
    document.getElementById("save-button").focus({ preventScroll: true });
  });
}

function withdrawYesterday() {
  document.getElementById("like-yesterday-button")?.remove();
}

// The saved day shown above a folded form says what the server has. A page kept on the phone
// from an earlier day (the outbox moved its form to today), or a day whose newer answers wait
// on the phone, shows the form with those answers instead.
async function showNewerAnswers(form) {
  const saved = document.getElementById("saved-day");
  const moved = form.dataset.day !== form.dataset.pageDay; // the page's own day, which the outbox leaves alone
  const outbox = self.diaryOutbox;
  const owner = document.getElementById("outbox-status")?.dataset.owner;
  let waiting = false;
  if (outbox && owner) {
    const items = await outbox.allItems().catch(() => []);
    waiting = items.some((item) => item.owner === owner && item.date === form.dataset.day && item.state === "waiting");
  }
  if (waiting || moved) {
    withdrawYesterday(); // today has answers of its own, or the kept yesterday is no longer yesterday
  }
  if (saved && (moved || waiting)) {
    saved.hidden = true;
    document.getElementById("edit-day").open = true;
  }
  nameChosen(form);
}

export function enhanceLogForm(form) {
  form.addEventListener("change", () => nameChosen(form));
  form.addEventListener("input", () => nameChosen(form));
  offerYesterday(form);
  showNewerAnswers(form);
  // A save kept on the phone (static/js/outbox.js) shows in the outbox's status: look again.
  const status = document.getElementById("outbox-status");
  if (status) {
    new MutationObserver(() => showNewerAnswers(form)).observe(status, { childList: true });
  }
}
