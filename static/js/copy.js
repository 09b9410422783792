// Copy buttons: copy the linked input's text and say so on the button for two seconds.
// Share buttons: open the phone's own share sheet with the link, where the phone has one.
// Without JavaScript both stay hidden and the read-only input can be selected.

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

// Show a share button when the browser has a share sheet; return whether it does.
export function enhanceShareButton(button) {
  const input = document.getElementById(button.dataset.shareFor);
  if (!input || typeof navigator.share !== "function") {
    return false;
  }
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.share({ title: button.dataset.title, text: button.dataset.text, url: input.value });
    } catch {
      input.select();  // she closed the sheet, or it failed: the link is there to copy
    }
  });
  return true;
}
