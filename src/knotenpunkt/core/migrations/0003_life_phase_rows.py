from django.db import migrations


def create_life_phases(apps, schema_editor):  # type: ignore[no-untyped-def]
    from knotenpunkt.core.models import LIFE_PHASES

    LifePhase = apps.get_model("core", "LifePhase")
    for position, (code, min_months, max_months, is_transition) in enumerate(LIFE_PHASES):
        LifePhase.objects.update_or_create(
            code=code,
            defaults={
                "min_months": min_months,
                "max_months": max_months,
                "is_transition": is_transition,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_life_phase")]

    operations = [migrations.RunPython(create_life_phases, migrations.RunPython.noop)]
