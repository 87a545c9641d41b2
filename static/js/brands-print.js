// Print button of the QR label sheet (no inline handlers: the CSP forbids them).
document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
});
