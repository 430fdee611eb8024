// Privacy pages: a "Print" button (no inline script, for the Content-Security-Policy).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});
