// Card payment that works with Stripe.js and with localstripe's fake Stripe.js
// (docs/payments.md): card element -> createToken -> the server attaches the
// card to the order's PaymentIntent and confirms it -> 3-D Secure, if asked,
// is completed in the browser -> the order page waits for the webhook.
// The form is rendered hidden (no JavaScript, no empty card box); this script
// reveals it once Stripe.js is there.
(function () {
    const form = document.getElementById("payment-form");
    if (!form) return;
    if (typeof Stripe === "undefined") {
        // Stripe.js did not load (blocked, offline): say so instead of a dead form.
        const unavailable = document.getElementById("pay-unavailable");
        if (unavailable) unavailable.hidden = false;
        return;
    }
    const stripe = Stripe(form.dataset.publishableKey, { locale: form.dataset.locale });
    const elements = stripe.elements();
    const card = elements.create("card", { hidePostalCode: true });
    form.hidden = false;
    card.mount("#card-element");
    const errors = document.getElementById("card-errors");
    const notPaid = document.getElementById("pay-not-paid");
    const button = document.getElementById("pay-button");
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

    // The payment did not go through: "not paid", and the same form to pay again.
    function fail(message) {
        errors.textContent = message || form.dataset.msgGeneric;
        if (notPaid) notPaid.hidden = false;
        button.disabled = false;
    }

    function done(next) {
        window.location.assign(next || form.dataset.doneUrl);
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
        let status = answer.status;
        if (status === "requires_action") {
            // Real Stripe.js: handleNextAction (server-side confirmation);
            // localstripe's fake only has confirmCardPayment for 3-D Secure.
            const action = stripe.handleNextAction
                ? stripe.handleNextAction({ clientSecret: answer.client_secret })
                : stripe.confirmCardPayment(answer.client_secret);
            let outcome;
            try {
                outcome = await action;
            } catch (err) {
                return fail();
            }
            if (outcome.error) return fail(outcome.error.message);
            // A failed check is not an error to Stripe.js: the intent is back
            // in requires_payment_method with the reason in last_payment_error.
            const intent = outcome.paymentIntent || {};
            status = intent.status;
            if (status === "requires_payment_method" || status === "canceled") {
                return fail(form.dataset.msgNotAuthenticated);
            }
        }
        if (status === "succeeded" || status === "processing" || status === "requires_capture") {
            return done(answer.next);
        }
        // Anything else (requires_payment_method after a decline the provider
        // answered without an error, an unknown state) is not a payment.
        fail();
    });
})();
