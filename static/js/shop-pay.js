// Card payment that works with Stripe.js and with localstripe's fake Stripe.js
// (docs/payments.md): card element -> createToken -> the server attaches the
// card to the order's PaymentIntent and confirms it -> 3-D Secure, if asked,
// is completed in the browser -> the order page waits for the webhook.
(function () {
    const form = document.getElementById("payment-form");
    if (!form || typeof Stripe === "undefined") return;
    const stripe = Stripe(form.dataset.publishableKey, { locale: form.dataset.locale });
    const elements = stripe.elements();
    const card = elements.create("card", { hidePostalCode: true });
    card.mount("#card-element");
    const errors = document.getElementById("card-errors");
    const button = document.getElementById("pay-button");
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

    function fail(message) {
        errors.textContent = message || form.dataset.msgGeneric;
        button.disabled = false;
    }

    form.addEventListener("submit", async function (event) {
        event.preventDefault();
        button.disabled = true;
        errors.textContent = "";
        const result = await stripe.createToken(card);
        if (result.error || !result.token) return fail(result.error && result.error.message);
        const body = new URLSearchParams({ card: result.token.card.id });
        let answer;
        try {
            const response = await fetch(form.dataset.cardUrl, {
                method: "POST",
                headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
                body: body,
                credentials: "same-origin",
            });
            answer = await response.json();
            if (!response.ok) return fail(answer.message);
        } catch (err) {
            return fail();
        }
        if (answer.status === "requires_action") {
            // Real Stripe.js: handleNextAction (server-side confirmation);
            // localstripe's fake only has confirmCardPayment for 3-D Secure.
            const action = stripe.handleNextAction
                ? stripe.handleNextAction({ clientSecret: answer.client_secret })
                : stripe.confirmCardPayment(answer.client_secret);
            const outcome = await action;
            if (outcome.error) return fail(outcome.error.message);
        }
        window.location.assign(answer.next || form.dataset.doneUrl);
    });
})();
