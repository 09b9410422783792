// The pelvis drawing: tapping a region toggles the matching location checkbox.
// The checkboxes stay the accessible control; the drawing mirrors them (CSS :has()).

export function enhancePelvis(diagram) {
  const group = diagram.closest("fieldset");
  const checkboxFor = (code) => group.querySelector(`input[name="locations"][value="${code}"]`);

  diagram.classList.add("is-interactive");
  diagram.addEventListener("click", (event) => {
    const region = event.target.closest("[data-location]");
    if (!region) {
      return;
    }
    const checkbox = checkboxFor(region.dataset.location);
    if (checkbox) {
      checkbox.checked = !checkbox.checked;
      checkbox.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
}
