// Copy buttons on the bank-transfer page. Progressive: the buttons are
// rendered hidden and shown only where the browser can copy; without them
// the details are plain text to select.
(function () {
    if (!navigator.clipboard || !window.isSecureContext) return;
    const status = document.getElementById("copy-status");
    for (const button of document.querySelectorAll("button[data-copy]")) {
        const source = document.getElementById(button.dataset.copy);
        if (!source) continue;
        button.hidden = false;
        button.addEventListener("click", function () {
            const text = source.dataset.copyValue || source.textContent.trim();
            navigator.clipboard.writeText(text).then(function () {
                if (status) status.textContent = status.dataset.copied + " " + text;
            });
        });
    }
})();
