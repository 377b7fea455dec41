from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from diagnosis import services
from diagnosis.models import Instrument, InstrumentItem, Result
from diagnosis.tests.helpers import VALID_PROFILE, all_answers


@pytest.mark.django_db
def test_loading_twice_changes_nothing() -> None:
    call_command("load_reference_data", verbosity=0)
    before = (Instrument.objects.count(), InstrumentItem.objects.count())
    call_command("load_reference_data", verbosity=0)
    assert (Instrument.objects.count(), InstrumentItem.objects.count()) == before
    assert Instrument.objects.filter(is_current=True).count() == 1


@pytest.mark.django_db
def test_instrument_has_30_to_45_items_with_text_in_both_languages() -> None:
    call_command("load_reference_data", verbosity=0)
    items = InstrumentItem.objects.all()
    assert 30 <= items.count() <= 45
    assert all(i.text_ko and i.text_en for i in items)


@pytest.mark.django_db
def test_editing_a_released_version_is_refused(tmp_path: Path) -> None:
    call_command("load_reference_data", verbosity=0)
    spec = json.loads((settings.INSTRUMENT_DIR / "v1.json").read_text(encoding="utf-8"))
    spec["sections"][0]["items"][0]["text_ko"] = "바뀐 문항"
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="already loaded"):
        services.load_instrument_file(path, make_current=True)


@pytest.mark.django_db
def test_a_new_version_never_changes_an_old_result(tmp_path: Path) -> None:
    call_command("load_reference_data", verbosity=0)
    old = services.current_instrument()
    result = services.create_result(old, VALID_PROFILE, all_answers(old, 4))
    snapshot = (result.type_code, dict(result.scale_scores))
    spec = json.loads(json.dumps(old.spec))
    spec["version"] = "2099.1"
    spec["rules"] = old.spec["rules"]
    path = tmp_path / "v2.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    new, status = services.load_instrument_file(path, make_current=True)
    assert status == "created" and new.is_current
    result = Result.objects.get(pk=result.pk)
    assert result.instrument == old
    assert (result.type_code, dict(result.scale_scores)) == snapshot


@pytest.mark.django_db
def test_a_new_current_instrument_is_used_at_once() -> None:
    """An instrument's sections are kept per version; which instrument is current is not."""
    call_command("load_reference_data", verbosity=0)
    old = services.current_instrument()
    assert services.sections(old)  # kept now
    spec = {**old.spec, "version": "v-next"}
    new = Instrument.objects.create(version="v-next", title="next", spec=spec)
    Instrument.objects.filter(pk=old.pk).update(is_current=False)
    Instrument.objects.filter(pk=new.pk).update(is_current=True)
    assert services.current_instrument().version == "v-next"


@pytest.mark.django_db
def test_a_released_spec_is_decoded_once_per_process_and_reads_as_loaded() -> None:
    call_command("load_reference_data", verbosity=0)
    first, second = services.current_instrument(), services.current_instrument()
    assert first.spec is second.spec  # one decoded object, not one per row read
    assert first.spec == json.loads((settings.INSTRUMENT_DIR / "v1.json").read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_the_kept_decoded_specs_are_dropped_past_the_limit_and_decoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from diagnosis.models import ReleasedSpecField

    call_command("load_reference_data", verbosity=0)
    monkeypatch.setattr(ReleasedSpecField, "_decoded", {})
    monkeypatch.setattr(ReleasedSpecField, "MAX_KEPT", 1)
    field = Instrument._meta.get_field("spec")
    other = field.from_db_value('{"another": "version"}', None, None)
    assert list(ReleasedSpecField._decoded.values()) == [other]
    spec = services.current_instrument().spec  # a second text: the store is emptied first
    assert list(ReleasedSpecField._decoded.values()) == [spec]
    assert field.from_db_value(None, None, None) is None  # a NULL is not kept


@pytest.mark.django_db
def test_a_row_read_without_its_spec_gets_the_one_kept_for_its_version(django_assert_num_queries: Any) -> None:
    from diagnosis.models import Draft, ReleasedSpecField, without_spec

    call_command("load_reference_data", verbosity=0)
    ReleasedSpecField.forget()  # a process that has read no instrument yet
    with django_assert_num_queries(1):
        first = services.current_instrument()  # nothing kept: the spec comes with the row
        assert first.spec == json.loads((settings.INSTRUMENT_DIR / "v1.json").read_text(encoding="utf-8"))
    draft = Draft.objects.create(instrument=first)
    with django_assert_num_queries(2):  # one for each row, none for the specs
        assert services.current_instrument().spec is first.spec
        read = without_spec(Draft.objects.select_related("instrument"), "instrument__spec").get(pk=draft.pk)
        assert read.instrument.get_deferred_fields() == {"spec"}  # 24 kB not read
        assert read.instrument.spec is first.spec
    # A version this process has not kept yet: read once more (one query), then kept.
    Instrument.objects.create(version="v-next", title="next", spec={**first.spec, "version": "v-next"})
    with django_assert_num_queries(2):
        new = without_spec(Instrument.objects.all()).get(version="v-next")
        assert new.spec["version"] == "v-next"
    with django_assert_num_queries(1):
        assert without_spec(Instrument.objects.all()).get(version="v-next").spec is new.spec
