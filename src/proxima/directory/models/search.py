"""The search index: one row per searchable service, derived from the HSDS records.

Texts and categories are indexed by the database's own full-text engine (FTS5 on SQLite,
a tsvector column on PostgreSQL), written by `proxima.directory.services.indexing`.
The columns here carry what full-text engines do not: ages, points, opening hours.
"""

from django.db import models


class SearchDocument(models.Model):
    service = models.OneToOneField(
        "Service", on_delete=models.CASCADE, related_name="search_document"
    )
    sort_name = models.CharField(max_length=200, db_index=True)
    min_age = models.FloatField(default=0)
    max_age = models.FloatField(default=200)
    # Reachable without travelling (online or by phone): kept in "close by or remote" searches.
    is_remote = models.BooleanField(default=False)
    # One 48-bit mask per weekday (Monday first): bit n set when open at some time in
    # the half hour starting at n*30 minutes. `hours` holds the exact intervals.
    open_mon = models.BigIntegerField(default=0)
    open_tue = models.BigIntegerField(default=0)
    open_wed = models.BigIntegerField(default=0)
    open_thu = models.BigIntegerField(default=0)
    open_fri = models.BigIntegerField(default=0)
    open_sat = models.BigIntegerField(default=0)
    open_sun = models.BigIntegerField(default=0)
    hours = models.TextField(blank=True, default="")
    # How many points (SearchPoint) the listing has, and the point itself when it has one
    # (most do): a search the full-text index drives measures that row's distance without
    # looking its points up.
    point_count = models.PositiveIntegerField(default=0)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    WEEKDAY_COLUMNS = (
        "open_mon",
        "open_tue",
        "open_wed",
        "open_thu",
        "open_fri",
        "open_sat",
        "open_sun",
    )

    def __str__(self) -> str:
        return f"search document of {self.service_id}"


class SearchPoint(models.Model):
    """A public point of a searchable service (confidential places are coarsened)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="points")
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        # Covering: a radius search reads the index alone (see services/search.py).
        indexes = [
            models.Index(
                fields=["latitude", "longitude", "document"], name="searchpoint_lat_lon_doc"
            ),
            # And a document's nearest point, when the full-text index found the document.
            models.Index(
                fields=["document", "latitude", "longitude"], name="searchpoint_doc_lat_lon"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.latitude:.4f}, {self.longitude:.4f}"


class SearchCategory(models.Model):
    """A searchable service under one category or need domain (every `tx_` token of its
    index row: its categories, their broader terms, the need domains they map to and
    those read in its words), with its name's sort key: a listing of one category is
    read in name order from the (token, sort_name, service_id) index, a page at a time,
    where the full-text index would fetch and sort every listing of the category."""

    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, related_name="categories"
    )
    token = models.CharField(max_length=20)
    sort_name = models.CharField(max_length=200)
    service_id = models.CharField(max_length=250)

    class Meta:
        indexes = [
            models.Index(
                fields=["token", "sort_name", "service_id"], name="searchcategory_token_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.token} of {self.service_id}"
