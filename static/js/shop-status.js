// "Processing" until the payment is settled: poll the status URL, then reload
// once the server says to stop waiting (paid, or not paid and payable again).
// Without JS the page says to refresh.
(function () {
    const note = document.getElementById("processing-note");
    if (!note) return;
    let tries = 0;
    async function poll() {
        tries += 1;
        try {
            const response = await fetch(note.dataset.statusUrl, { headers: { Accept: "application/json" } });
            const data = await response.json();
            if (data.processing === false) return window.location.reload();
        } catch (err) { /* try again */ }
        if (tries < 60) window.setTimeout(poll, tries < 10 ? 1500 : 5000);
    }
    window.setTimeout(poll, 1500);
})();
