from proxima.core.roles import (
    ADMIN_SITE,
    DECLARE_EMERGENCY,
    EDIT_ANY_SERVICE,
    EDIT_OWN_ORGANIZATION_SERVICES,
    KEEP_CASELOAD,
    MAP_TAXONOMY_TERMS,
    OVERSEE_REGION_CASES,
    OVERSEE_REGION_GROUPS,
    OVERSEE_REGION_OUTREACH,
    READ_AUDIT_LOG,
    READ_PERSONAL_RECORDS,
    RECEIVE_FOR_ORGANIZATION,
    RECORD_OUTREACH,
    RESPOND_EMERGENCY,
    RUN_GROUPS,
    VIEW_AGREEMENTS,
    VIEW_COLLECTIVE_PROJECTS,
    VIEW_COVERAGE,
    VIEW_INDICATORS,
    has_capability,
)


def navigation(request):
    """What the header shows, by capability (the apps add their own: the directory's demo
    banner, the referrals' badge)."""
    user = getattr(request, "user", None)  # none yet on an error page (a bad Host header)
    return {
        "nav_partner": has_capability(user, EDIT_OWN_ORGANIZATION_SERVICES)
        or has_capability(user, EDIT_ANY_SERVICE),
        "nav_admin": has_capability(user, ADMIN_SITE),
        "nav_taxonomies": has_capability(user, MAP_TAXONOMY_TERMS),
        "nav_intake": has_capability(user, READ_PERSONAL_RECORDS),
        "nav_caseload": has_capability(user, KEEP_CASELOAD)
        or has_capability(user, OVERSEE_REGION_CASES),
        "keeps_caseload_nav": has_capability(user, KEEP_CASELOAD),
        "nav_groups": has_capability(user, RUN_GROUPS)
        or has_capability(user, OVERSEE_REGION_GROUPS),
        "nav_outreach": has_capability(user, RECORD_OUTREACH),
        "nav_outreach_contacts": has_capability(user, OVERSEE_REGION_OUTREACH),
        "nav_projects": has_capability(user, VIEW_COLLECTIVE_PROJECTS),
        "nav_emergency": has_capability(user, RESPOND_EMERGENCY)
        or has_capability(user, DECLARE_EMERGENCY),
        "nav_privacy": has_capability(user, READ_AUDIT_LOG),
        "nav_coverage": has_capability(user, VIEW_COVERAGE),
        "nav_indicators": has_capability(user, VIEW_INDICATORS),
        # Partners read the agreements their organization is party to.
        "nav_agreements": has_capability(user, VIEW_AGREEMENTS)
        or has_capability(user, RECEIVE_FOR_ORGANIZATION),
    }
