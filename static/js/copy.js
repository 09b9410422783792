// Copy buttons: copy the linked input's text and say so on the button for two seconds.
// Without JavaScript the button stays hidden and the read-only input can be selected.

function copyBySelecting(input) {
  input.select();
  return document.execCommand("copy");
}

export function enhanceCopyButton(button) {
  const input = document.getElementById(button.dataset.copy);
  if (!input) {
    return;
  }
  const label = button.textContent;
  let timer;
  button.hidden = false;
  button.addEventListener("click", async () => {
    let copied;
    try {
      await navigator.clipboard.writeText(input.value);
      copied = true;
    } catch {
      copied = copyBySelecting(input);
    }
    if (!copied) {
      input.select();  // she can copy it herself
      return;
    }
    button.textContent = button.dataset.copied;
    clearTimeout(timer);
    timer = setTimeout(() => {
      button.textContent = label;
    }, 2000);
  });
}
