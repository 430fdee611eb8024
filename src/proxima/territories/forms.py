"""Form fields the other apps share for choosing a territory."""

from proxima.core.forms import RecordField


class TerritoryField(RecordField):
    """One of the territories offered, named with its level ("Limoilou (neighbourhood)")."""

    def label_from_instance(self, territory):
        return territory.name_and_level
