// The menu button of narrow screens: opens and closes the navigation, and says which it is to screen readers.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".menu-toggle");
  if (!button) return;
  const bar = button.closest(".topbar");
  const open = bar.classList.toggle("open");
  button.setAttribute("aria-expanded", open ? "true" : "false");
});
