"""The bank feed's endpoint: signed notifications of incoming transfers."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..payments import bankfeed


@csrf_exempt
@require_POST
def bank_feed(request):
    try:
        result = bankfeed.notification_process(
            payload=request.body,
            signature=request.headers.get(bankfeed.SIGNATURE_HEADER),
            timestamp=request.headers.get(bankfeed.TIMESTAMP_HEADER),
        )
    except bankfeed.BankFeedSignatureError:
        return HttpResponseBadRequest("invalid signature")
    except bankfeed.MalformedNotification:
        return HttpResponseBadRequest("malformed notification")
    except bankfeed.BankFeedConfigurationError:
        # 503, not 400: the service retries until the secret is configured.
        return HttpResponse("bank feed secret not configured", status=503)
    # SePay's documented acknowledgement; any 2xx stops its retries.
    return JsonResponse({"success": True, "result": result})
