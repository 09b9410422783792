// The night-wakings stepper: − and + buttons around the number input.

export function enhanceSteppers(stepper) {
  const input = stepper.querySelector("input[type=number]");
  const min = Number(input.min || 0);
  const max = Number(input.max || 20);

  for (const button of stepper.querySelectorAll("[data-step]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      const current = Number.parseInt(input.value, 10) || 0;
      const next = Math.min(max, Math.max(min, current + Number(button.dataset.step)));
      input.value = String(next);
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
}
