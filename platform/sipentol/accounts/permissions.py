"""The one permission table: which staff role holds which capability in a kecamatan's back office.

Views, services, selectors and templates ask `can(user, Capability.X)` (or `roles_with(...)` to
filter a queryset); nothing else names a role. Changing who may do what is a change to
`PERMISSIONS` alone, and `tests/backoffice/test_permissions.py` walks every staff URL with every
role against this table.

`can` knows roles only: the password, the second factor (TOTP) and the kecamatan (a user exists
only in their own kecamatan's schema) are checked by `decorators.staff_required` and the tenant
routing; which application a capability reaches is the selectors' job (`see_all_applications`).
"""

from __future__ import annotations

from enum import StrEnum

from .models import RegencyRole, Role


class Capability(StrEnum):
    # applications
    VIEW_APPLICATIONS = "view_applications"  # the queue, an application's page, its files and its letter
    SEE_ALL_APPLICATIONS = "see_all_applications"  # every application of the kecamatan (else: own desa only)
    REVIEW_APPLICATION = "review_application"  # start review, verdicts, completion, verify, reject, assign,
    # draft and send the letter, record the pickup
    BE_ASSIGNED = "be_assigned"  # may be named the staff member handling an application
    APPLY_ON_BEHALF = "apply_on_behalf"  # assisted mode, with the citizen's recorded consent
    ADD_NOTE = "add_note"  # an internal note on an application's timeline
    PRINT_FILES = "print_files"  # every uploaded file of an application as one PDF
    # letters
    SIGN_AS_CAMAT = "sign_as_camat"  # signs in their own name, no delegation needed
    SIGN_BY_DELEGATION = "sign_by_delegation"  # may be named delegate (a.n. / Plh.) while the Camat is away
    SIGN_LETTERS = "sign_letters"  # the signing queue and a signing certificate: one of the two above
    REVOKE_LETTER = "revoke_letter"
    MANAGE_DELEGATIONS = "manage_delegations"
    EDIT_LETTER_TEMPLATES = "edit_letter_templates"
    MANAGE_SIGNERS = "manage_signers"  # signers' certificates (PKCS#12, BSrE enrolment), trusted root CAs
    # the kecamatan's configuration
    VIEW_SERVICES = "view_services"
    CONFIGURE_SERVICES = "configure_services"
    MANAGE_STAFF = "manage_staff"
    EDIT_OFFICE_PROFILE = "edit_office_profile"
    VIEW_GOLIVE_CHECKLIST = "view_golive_checklist"  # the go-live checklist while onboarding
    PURGE_TRIALS = "purge_trials"  # delete the trial applications run while onboarding

    PUBLISH_TEMPLATE = "publish_template"  # the kecamatan's configuration as a regency template (model kecamatan)
    # feedback and figures
    VIEW_FEEDBACK = "view_feedback"  # the SKM summary and the complaints
    RESPOND_COMPLAINTS = "respond_complaints"
    VIEW_KECAMATAN_DASHBOARD = (
        "view_kecamatan_dashboard"  # the Camat's dashboard, /kantor/dasbor/ (regency/staff_views.py)
    )
    VIEW_USAGE = "view_usage"  # this kecamatan's usage against its plan's quotas, and its overage

    # staff alerts (accounts/alerts.py)
    CHOOSE_ALERTS = "choose_alerts"  # one's own alerts page: which alerts, by e-mail and/or WhatsApp
    BE_TOLD_OF_NEW_APPLICATIONS = "be_told_of_new_applications"  # alerted of a new one nobody is assigned to yet
    BE_TOLD_OF_LAPSED_SLA = "be_told_of_lapsed_sla"  # the daily list of applications past their SLA

    # personal data (UU 27/2022)
    HANDLE_PRIVACY_REQUESTS = "handle_privacy_requests"  # citizens' correction and deletion requests

    # the desa's covering letter (sipentol.desa), each scoped to the staff member's own desa
    VIEW_PENGANTAR = "view_pengantar"  # the desa's queue of requests for a surat pengantar (office: every desa's)
    DRAFT_PENGANTAR = "draft_pengantar"  # check a request, draft the pengantar, refuse it with a reason
    SIGN_PENGANTAR = "sign_pengantar"  # approve and sign it (own login, second factor); refuse it
    EDIT_DESA_TEMPLATE = "edit_desa_template"  # the desa's letterhead and pengantar wording
    MANAGE_DESA_LINKS = "manage_desa_links"  # desa API tokens (OpenSID), the desa's deadline


_EVERY_STAFF = frozenset(Role)
# Everyone working in the kecamatan office; the operator desa and the Kepala Desa work for one desa.
_OFFICE = frozenset({Role.VERIFIER, Role.CAMAT, Role.SEKCAM, Role.ADMIN})
_LEADERS = frozenset({Role.CAMAT, Role.SEKCAM, Role.ADMIN})

PERMISSIONS: dict[Capability, frozenset[Role]] = {
    Capability.VIEW_APPLICATIONS: _EVERY_STAFF,
    Capability.SEE_ALL_APPLICATIONS: _OFFICE,
    Capability.REVIEW_APPLICATION: _OFFICE,
    Capability.BE_ASSIGNED: _OFFICE,
    Capability.APPLY_ON_BEHALF: _EVERY_STAFF,
    Capability.ADD_NOTE: _EVERY_STAFF,
    Capability.PRINT_FILES: _EVERY_STAFF,
    Capability.SIGN_AS_CAMAT: frozenset({Role.CAMAT}),
    Capability.SIGN_BY_DELEGATION: frozenset({Role.SEKCAM}),
    Capability.SIGN_LETTERS: frozenset({Role.CAMAT, Role.SEKCAM}),
    Capability.REVOKE_LETTER: frozenset({Role.CAMAT, Role.ADMIN}),
    Capability.MANAGE_DELEGATIONS: frozenset({Role.CAMAT, Role.ADMIN}),
    Capability.EDIT_LETTER_TEMPLATES: frozenset({Role.CAMAT, Role.ADMIN}),
    Capability.MANAGE_SIGNERS: frozenset({Role.ADMIN}),
    Capability.VIEW_SERVICES: frozenset({Role.CAMAT, Role.ADMIN}),
    Capability.CONFIGURE_SERVICES: frozenset({Role.ADMIN}),
    Capability.MANAGE_STAFF: frozenset({Role.ADMIN}),
    Capability.EDIT_OFFICE_PROFILE: frozenset({Role.ADMIN}),
    Capability.VIEW_GOLIVE_CHECKLIST: _LEADERS,
    Capability.PURGE_TRIALS: frozenset({Role.ADMIN}),
    Capability.PUBLISH_TEMPLATE: frozenset({Role.ADMIN}),
    Capability.VIEW_FEEDBACK: _LEADERS,
    Capability.RESPOND_COMPLAINTS: _LEADERS,
    Capability.VIEW_KECAMATAN_DASHBOARD: _LEADERS,
    Capability.VIEW_USAGE: frozenset({Role.ADMIN}),
    Capability.HANDLE_PRIVACY_REQUESTS: frozenset({Role.ADMIN}),
    Capability.CHOOSE_ALERTS: _OFFICE,
    Capability.BE_TOLD_OF_NEW_APPLICATIONS: frozenset({Role.VERIFIER}),
    Capability.BE_TOLD_OF_LAPSED_SLA: frozenset({Role.SEKCAM}),
    Capability.VIEW_PENGANTAR: _OFFICE | {Role.DESA_OPERATOR, Role.KEPALA_DESA},
    Capability.DRAFT_PENGANTAR: frozenset({Role.DESA_OPERATOR}),
    Capability.SIGN_PENGANTAR: frozenset({Role.KEPALA_DESA}),
    Capability.EDIT_DESA_TEMPLATE: frozenset({Role.DESA_OPERATOR, Role.KEPALA_DESA}),
    Capability.MANAGE_DESA_LINKS: frozenset({Role.ADMIN}),
}
# Signing is one or the other; the queue and the certificate upload ask for either.
assert PERMISSIONS[Capability.SIGN_LETTERS] == (
    PERMISSIONS[Capability.SIGN_AS_CAMAT] | PERMISSIONS[Capability.SIGN_BY_DELEGATION]
)
assert set(PERMISSIONS) == set(Capability)


# Roles that work for one desa (StaffProfile.desa_code): they see only that desa's work.
DESA_ROLES = frozenset({Role.DESA_OPERATOR, Role.KEPALA_DESA})


def staff_desa_code(user) -> str:
    """The desa a desa role works for ("" for office staff, citizens and anyone without one)."""
    profile = getattr(user, "staff", None) if getattr(user, "is_authenticated", False) else None
    return profile.desa_code if profile and profile.role in DESA_ROLES else ""


def staff_role(user) -> str | None:
    """The user's role in this kecamatan, or None for anyone who is not its staff."""
    profile = getattr(user, "staff", None) if getattr(user, "is_authenticated", False) else None
    return profile.role if profile else None


def can(user, capability: Capability) -> bool:
    """Does this user's role hold the capability? False for a citizen or an anonymous visitor."""
    return staff_role(user) in PERMISSIONS[capability]


def holds_signing_certificate(user) -> bool:
    """Signs with a certificate of their own: the Camat or a delegate (letters), a Kepala Desa (pengantar)."""
    return can(user, Capability.SIGN_LETTERS) or can(user, Capability.SIGN_PENGANTAR)


def roles_with(capability: Capability) -> list[str]:
    """The roles holding a capability, for querysets (`staff__role__in=roles_with(...)`)."""
    return sorted(PERMISSIONS[capability])


# ---------------------------------------------------------------------------------------------
# Diskominfo and regency accounts (public schema): the ops console and the regency dashboard.


class RegencyCapability(StrEnum):
    VIEW_CONSOLE = "view_console"  # the ops console's pages (read)
    ONBOARD_KECAMATAN = "onboard_kecamatan"  # start or retry provisioning, mark a model kecamatan
    CHANGE_KECAMATAN_STATUS = "change_kecamatan_status"  # activate, suspend, resume
    RETRY_MESSAGES = "retry_messages"  # send an undelivered message again
    MANAGE_REGENCY_USERS = "manage_regency_users"  # invite, change role, deactivate, enrolment codes
    MANAGE_PLANS = "manage_plans"  # plans, quotas, subscriptions
    CONFIGURE_RETENTION = "configure_retention"  # how long each kind of record is kept
    CONFIGURE_COMPLAINT_DEADLINES = "configure_complaint_deadlines"  # SP4N-LAPOR! deadlines (working days)
    EDIT_SIGNATURE_FOOTER = "edit_signature_footer"  # the footer of BSrE-signed letters (BSSN's wording)
    REBUILD_FACTS = "rebuild_facts"  # recompute the dashboards' facts of every kecamatan
    VIEW_DASHBOARD = "view_dashboard"  # the regency dashboard


_DISKOMINFO = frozenset({RegencyRole.DISKOMINFO_ADMIN, RegencyRole.OPERATOR, RegencyRole.HELPDESK})
_OPERATORS = frozenset({RegencyRole.DISKOMINFO_ADMIN, RegencyRole.OPERATOR})
_DISKOMINFO_ADMIN = frozenset({RegencyRole.DISKOMINFO_ADMIN})

REGENCY_PERMISSIONS: dict[RegencyCapability, frozenset[RegencyRole]] = {
    RegencyCapability.VIEW_CONSOLE: _DISKOMINFO,
    RegencyCapability.ONBOARD_KECAMATAN: _OPERATORS,
    RegencyCapability.CHANGE_KECAMATAN_STATUS: _OPERATORS,
    RegencyCapability.RETRY_MESSAGES: _DISKOMINFO,
    RegencyCapability.MANAGE_REGENCY_USERS: _DISKOMINFO_ADMIN,
    RegencyCapability.MANAGE_PLANS: _DISKOMINFO_ADMIN,
    RegencyCapability.CONFIGURE_RETENTION: _DISKOMINFO_ADMIN,
    RegencyCapability.CONFIGURE_COMPLAINT_DEADLINES: _DISKOMINFO_ADMIN,
    RegencyCapability.EDIT_SIGNATURE_FOOTER: _DISKOMINFO_ADMIN,
    RegencyCapability.REBUILD_FACTS: _OPERATORS,
    RegencyCapability.VIEW_DASHBOARD: frozenset(RegencyRole),
}
assert set(REGENCY_PERMISSIONS) == set(RegencyCapability)


def regency_role(user) -> str | None:
    """The role of a Diskominfo or regency account, or None (citizens, kecamatan staff, anonymous)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    profile = getattr(user, "regency", None)
    return profile.role if profile else None


def regency_can(user, capability: RegencyCapability) -> bool:
    """Does this Diskominfo or regency account's role hold the capability?"""
    return regency_role(user) in REGENCY_PERMISSIONS[capability]
