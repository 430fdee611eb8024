"""Queries that pages and the API share."""

from datetime import datetime

from django.db.models import Q, QuerySet

from proxima.directory.models import Attribute, Location, Organization, Service, ServiceAtLocation
from proxima.directory.services.taxonomy import term_graph


def services_filtered(
    *,
    taxonomy_term_id: str = "",
    taxonomy_id: str = "",
    organization_id: str = "",
    modified_after: datetime | None = None,
) -> QuerySet[Service]:
    """Every service (any status) matching the HSDS list filters, by id."""
    queryset = Service.objects.select_related("organization", "program").order_by("id")
    if taxonomy_term_id:
        terms = term_graph().descendants_and_self(taxonomy_term_id)
        queryset = queryset.filter(
            id__in=Attribute.objects.filter(taxonomy_term_id__in=terms).values("link_id")
        )
    if taxonomy_id:
        queryset = queryset.filter(
            id__in=Attribute.objects.filter(taxonomy_term__taxonomy_id=taxonomy_id).values(
                "link_id"
            )
        )
    if organization_id:
        queryset = queryset.filter(organization_id=organization_id)
    if modified_after is not None:
        queryset = queryset.filter(last_modified__gte=modified_after)
    return queryset


def organizations_matching(text: str) -> QuerySet[Organization]:
    queryset = Organization.objects.order_by("id")
    if text:
        queryset = queryset.filter(Q(name__icontains=text) | Q(alternate_name__icontains=text))
    return queryset


def confidential_location_ids_of(service_ids: list[str]) -> list[str]:
    return list(
        Location.objects.filter(
            is_confidential=True,
            id__in=ServiceAtLocation.objects.filter(service_id__in=service_ids).values(
                "location_id"
            ),
        ).values_list("id", flat=True)
    )
