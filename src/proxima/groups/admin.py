"""No admin for group activities: their registrations and attendance are people's
information. Workers keep them on their own pages (/groups/), where every read of a
participant list and every change is audited."""
