"""proxima train-crisis-model: learn the crisis model again from its examples and write it
(src/proxima/directory/data/crisis_model.json); prints how it does on the held-out fifth."""

from django.core.management.base import BaseCommand

from proxima.directory.services import crisis_model


class Command(BaseCommand):
    help = "Learn the crisis model from data/crisis_examples.json and write data/crisis_model.json."

    def handle(self, *args, **options):
        model = crisis_model.train(crisis_model.examples(learning=True))
        crisis_model.write_model(model)
        crisis_model._loaded.cache_clear()
        held = crisis_model.examples(learning=False)
        from proxima.directory.services.crisis import prepare

        found = {text: crisis_model.crisis_kind([prepare(text)]) for text, _label in held}
        crises = [t for t, label in held if label != crisis_model.NONE]
        ordinary = [t for t, label in held if label == crisis_model.NONE]
        caught = sum(1 for t in crises if found[t])
        raised = sum(1 for t in ordinary if found[t])
        self.stdout.write(
            f"Wrote {crisis_model.MODEL} ({len(model['weights'])} features). Held out: "
            f"{caught}/{len(crises)} crises read as crises, {raised}/{len(ordinary)} "
            "ordinary searches as crises (the model alone, before the patterns)."
        )
