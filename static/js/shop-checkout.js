// After a refused submit, the first field to correct has the focus: keyboard
// and screen-reader users land on it (its error is read through
// aria-describedby) instead of at the top of the page.
(function () {
    const invalid = document.querySelector("form.checkout-form [aria-invalid=true]");
    if (invalid) invalid.focus();
})();

// Fills the address fields from a saved address (the server validates them again).
(function () {
    const picker = document.querySelector("[data-address-picker]");
    if (!picker) return;
    picker.addEventListener("change", function () {
        const option = picker.selectedOptions[0];
        for (const name of ["recipient_name", "recipient_phone", "province", "commune", "street"]) {
            const field = document.getElementById("id_" + name);
            if (field && option && option.value) field.value = option.dataset[name] || "";
        }
    });
})();
