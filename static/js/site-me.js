// The header's personal bits (cart count, account links) and the messages of
// the visitor's last action. Public pages are cached the same for everyone,
// so they carry none of it: /_/me.json (private, never cached) does. Without
// JavaScript the header keeps its plain cart and account links, and messages
// show on the next page that is not cached (the cart, checkout, account).
// Wide screens show the menu as a row (site.css); a browser without
// ::details-content needs the <details> opened for that.
(function () {
    const menu = document.querySelector("[data-site-menu]");
    if (!menu || !window.CSS || CSS.supports("selector(::details-content)")) return;
    if (window.matchMedia("(min-width: 900px)").matches) menu.open = true;
})();

(function () {
    const links = document.querySelector(".account-links[data-me-url]");
    if (!links) return;

    function showState(me) {
        const count = document.querySelector(".site-header .cart-badge__count");
        if (count) {
            count.textContent = me.cart_count ? String(me.cart_count) : "";
            count.hidden = !me.cart_count;
        }
        const label = document.querySelector(".site-header [data-me-cart-label]");
        if (label) label.textContent = me.cart_label;
        const shown = {
            unknown: false,
            user: me.is_authenticated,
            admin: me.is_admin,
            anonymous: !me.is_authenticated,
        };
        links.querySelectorAll("[data-me]").forEach(function (item) {
            item.hidden = !shown[item.dataset.me];
        });
        links.querySelectorAll("form[data-me-logout]").forEach(function (form) {
            if (!me.csrf_token || form.elements.csrfmiddlewaretoken) return;
            const token = document.createElement("input");
            token.type = "hidden";
            token.name = "csrfmiddlewaretoken";
            token.value = me.csrf_token;
            form.appendChild(token);
        });
    }

    function showMessages(messages) {
        const region = document.querySelector("[data-flash]");
        if (!region || !messages.length) return;
        let list = region.querySelector("ul.messages");
        if (!list) {
            list = document.createElement("ul");
            list.className = "messages";
            region.appendChild(list);
        }
        messages.forEach(function (message) {
            const item = document.createElement("li");
            item.className = "message message--" + message.tags;
            item.textContent = message.text;
            list.appendChild(item);
        });
    }

    fetch(links.dataset.meUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
    })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (me) {
            if (!me) return;
            showState(me);
            showMessages(me.messages);
        })
        .catch(function () { /* the plain links stay */ });
})();
