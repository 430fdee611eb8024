"""Form fields the other apps share for choosing a team."""

from proxima.core.forms import RecordField


class TeamField(RecordField):
    """One of the teams offered, named in the reader's language."""

    def label_from_instance(self, team):
        return team.localized_name
