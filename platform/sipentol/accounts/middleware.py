"""Idle and absolute lifetime of a signed-in session (staff, Diskominfo, regency leaders).

A session whose user did nothing for SESSION_IDLE_SECONDS, or that signed in more than
SESSION_ABSOLUTE_SECONDS ago, is signed out before the view runs: the page asks to sign in again
and a POST (signing letters, suspending a kecamatan) is refused by the view's sign-in check.
Citizens' sessions carry no user and are left alone.
"""

from __future__ import annotations

import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import logout

from tenants.crossing import in_kecamatan_schema

from . import services
from .models import SignInEvent

STARTED = "signin_started_at"
LAST_SEEN = "signin_last_seen_at"
# Writing the session on every request costs a database write; a minute's precision is enough.
TOUCH_EVERY = 60


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request, user)
        return self.get_response(request)

    def _check(self, request, user) -> None:
        now = int(time.time())
        session = request.session
        started = session.setdefault(STARTED, now)
        last_seen = session.get(LAST_SEEN, now)
        reason = ""
        if now - last_seen > settings.SESSION_IDLE_SECONDS:
            reason = "idle"
        elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
            reason = "absolute"
        if reason:
            services.sign_in_event_record(
                site="staff" if in_kecamatan_schema() else "regency",  # the regency host: ops or dashboard
                action=SignInEvent.Action.SESSION_EXPIRED,
                username=user.get_username(),
                user=user,
                ip_address=get_client_ip_address(request),
                details={"reason": reason},
            )
            logout(request)
            return
        if now - last_seen >= TOUCH_EVERY or LAST_SEEN not in session:
            session[LAST_SEEN] = now
