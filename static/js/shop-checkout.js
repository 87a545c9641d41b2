// After a refused submit, the first field to correct has the focus: keyboard
// and screen-reader users land on it (its error is read through
// aria-describedby) instead of at the top of the page.
(function () {
    const invalid = document.querySelector("form.checkout-form [aria-invalid=true]");
    if (invalid) invalid.focus();
})();

// The address parts: without JavaScript both show (each says when it
// applies); here only the one for the chosen country. Hidden fields are still
// posted, and the server ignores the part that does not apply.
(function () {
    const country = document.getElementById("id_country");
    if (!country) return;
    const show = function () {
        const abroad = country.value !== "VN";
        for (const part of document.querySelectorAll("[data-address-part]")) {
            part.hidden = (part.dataset.addressPart === "abroad") !== abroad;
        }
        for (const when of document.querySelectorAll(".address-part__when")) when.hidden = true;
    };
    country.addEventListener("change", show);
    show();
})();

// The commune suggestions follow the province (one small cached list each).
(function () {
    const province = document.getElementById("id_province");
    const list = document.getElementById("commune-names");
    if (!province || !list || !window.fetch) return;
    province.addEventListener("change", function () {
        const url = list.dataset.communesUrl + "?province=" + encodeURIComponent(province.value);
        fetch(url, {credentials: "same-origin"})
            .then(function (response) { return response.ok ? response.json() : {communes: []}; })
            .then(function (data) {
                list.replaceChildren(...data.communes.map(function (name) {
                    const option = document.createElement("option");
                    option.value = name;
                    return option;
                }));
            })
            .catch(function () { /* the server still checks the commune */ });
    });
})();

// Fills the address fields from a saved address (the server validates them again).
(function () {
    const picker = document.querySelector("[data-address-picker]");
    if (!picker) return;
    const names = ["recipient_name", "recipient_phone", "country", "province", "commune",
        "street", "address_line2", "city", "region", "postal_code"];
    picker.addEventListener("change", function () {
        const option = picker.selectedOptions[0];
        if (!option || !option.value) return;
        for (const name of names) {
            const field = document.getElementById("id_" + name);
            if (field) {
                field.value = option.dataset[name] || "";
                field.dispatchEvent(new Event("change"));
            }
        }
    });
})();
