from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address django-axes locks out, as our reverse proxy saw it.

    Behind the proxy every request comes from the proxy's own address, which
    would lock out everyone at once. The proxy appends the peer it saw to
    X-Forwarded-For, so the rightmost entry is the one we trust; entries to its
    left were sent by the client and can be anything.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-1] if hops else request.META.get("REMOTE_ADDR")
