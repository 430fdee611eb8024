"""The directory's data model: HSDS 3.0 objects plus Proxima's additions."""

from proxima.directory.models.hsds import (  # noqa: F401
    Accessibility,
    Address,
    Attribute,
    CapacityStatus,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Metadata,
    MetaTableDescription,
    Organization,
    OrganizationIdentifier,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from proxima.directory.models.needs import (  # noqa: F401
    MappingStatus,
    NeedSource,
    ServiceNeed,
    TermMapping,
)
from proxima.directory.models.search import (  # noqa: F401
    SearchCategory,
    SearchDocument,
    SearchPoint,
)
from proxima.directory.models.taxonomy import NeedLexiconEntry, Taxonomy, TaxonomyTerm  # noqa: F401
