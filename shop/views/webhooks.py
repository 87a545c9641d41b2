"""Stripe's webhook endpoint."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..payments import gateway, webhooks


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        result = webhooks.webhook_process(
            payload=request.body,
            signature_header=request.headers.get("Stripe-Signature"),
        )
    except gateway.WebhookSignatureError:
        return HttpResponseBadRequest("invalid signature")
    except webhooks.MalformedWebhookEvent:
        return HttpResponseBadRequest("malformed event")
    except gateway.PaymentConfigurationError:
        # 503, not 400: Stripe keeps retrying until the secret is configured.
        return HttpResponse("webhook secret not configured", status=503)
    return HttpResponse(result, content_type="text/plain")
