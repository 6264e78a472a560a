// The menu button of narrow screens: opens and closes the navigation, and says which it is to screen readers.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".menu-toggle");
  if (!button) return;
  const bar = button.closest(".topbar");
  const open = bar.classList.toggle("open");
  button.setAttribute("aria-expanded", open ? "true" : "false");
});

// Behaviour that pages declare with data attributes, because the Content-Security-Policy refuses inline handlers.
// data-remove-closest="li": the button removes its nearest such ancestor (an example chip of a channel form).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-remove-closest]");
  if (!button) return;
  button.closest(button.dataset.removeClosest)?.remove();
});

// data-confirm="question": a plain form asks before it is sent (deleting a channel).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// data-shows-value="id": a slider writes its value (two decimals) into the <output> with that id as it moves (My Taste › Tune).
document.addEventListener("input", (event) => {
  const slider = event.target.closest("input[data-shows-value]");
  if (!slider) return;
  const output = document.getElementById(slider.dataset.showsValue);
  if (output) output.value = Number(slider.value).toFixed(2);
});

// data-bar="42": a chart bar's width in percent (My Taste's genre chart), set through the CSSOM because the
// Content-Security-Policy refuses style attributes. htmx.onLoad runs for the page and for every fragment htmx swaps in.
function sizeBars(root) {
  const bars = [...root.querySelectorAll("[data-bar]")];
  if (root.matches?.("[data-bar]")) bars.push(root);
  for (const bar of bars) {
    const percent = Math.min(100, Math.max(0, Number(bar.dataset.bar) || 0));
    bar.style.width = `${percent}%`;
  }
}
if (window.htmx) htmx.onLoad(sizeBars);
else document.addEventListener("DOMContentLoaded", () => sizeBars(document));
