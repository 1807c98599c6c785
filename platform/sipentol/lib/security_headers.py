"""Content-Security-Policy and the browser security headers Django does not send itself.

Django's SecurityMiddleware already sends HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy (see settings); Django 5.2 has no CSP, so this tiny middleware adds it
(Django 6 has a built-in one: switch to SECURE_CSP when the platform moves to Python 3.12).

The policy allows no inline script and no inline style: pages load their JS and CSS from
/static/. The only relaxation is inline *style* on the Swagger UI page (drf-spectacular's
template has a <style> block); its script is served from a URL (SpectacularSwaggerSplitView).
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Paths (prefixes) whose third-party templates need inline styles.
INLINE_STYLE_PATHS = ("/api/docs/",)
DEFAULT_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(self), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()"
)


def build_policy(policy: dict[str, list[str]], *, inline_style: bool = False, upgrade: bool = False) -> str:
    parts = []
    for directive, sources in policy.items():
        if directive == "style-src" and inline_style:
            sources = [*sources, "'unsafe-inline'"]
        parts.append(f"{directive} {' '.join(sources)}".strip())
    if upgrade:
        parts.append("upgrade-insecure-requests")
    return "; ".join(parts)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy, Permissions-Policy and Cross-Origin-Resource-Policy.

    A view that needs another policy sets the header itself; it is then left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)
        upgrade = getattr(settings, "CONTENT_SECURITY_POLICY_UPGRADE", False)
        self.csp = build_policy(policy, upgrade=upgrade)
        self.csp_inline_style = build_policy(policy, inline_style=True, upgrade=upgrade)
        self.permissions_policy = getattr(settings, "PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        inline_style = request.path_info.startswith(INLINE_STYLE_PATHS)
        response.setdefault("Content-Security-Policy", self.csp_inline_style if inline_style else self.csp)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        response.setdefault("Cross-Origin-Resource-Policy", "same-site")
        return response
