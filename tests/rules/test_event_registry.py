"""Every event type of the registry (``rules/event_types.py``) reaches every place that needs
it: the engine's reader, the access rules, the page labels, the forms and the API schemas.
Adding an event type is one registry entry (plus its reader and rule): this test says which
derived place would have missed it."""

from __future__ import annotations

from cnpe_flow.api.contract_schemas import EVENT_FIELDS, OPTIONAL_EVENT_FIELDS
from cnpe_flow.api.schemas import COMPONENTS
from cnpe_flow.auth.access import EVENT_ROLES, MEDICAL_EVENTS
from cnpe_flow.auth.models import Role
from cnpe_flow.people import event_forms as forms
from cnpe_flow.people.page_labels import EVENT_LABELS
from cnpe_flow.rules import case, case_reading
from cnpe_flow.rules.event_types import REGISTRY

KINDS = list(REGISTRY)


def test_the_engine_reads_every_type_and_names_it_in_french():
    assert list(case.EVENT_TYPES) == KINDS
    assert set(case.CUSTODY_EVENTS) | set(case.AFTER_RELEASE_EVENTS) == set(KINDS)
    assert set(case_reading._FIELD_READERS) == {k for k, t in REGISTRY.items() if t.fields}
    assert {k: case.EVENT_NAMES[k] for k in KINDS} == {
        k: t.in_sentence for k, t in REGISTRY.items()
    }


def test_each_type_is_recorded_by_its_roles_and_the_administrator():
    for kind, t in REGISTRY.items():
        assert EVENT_ROLES[kind] == {Role(r) for r in t.recorded_by} | {Role.ADMIN}, kind
    assert sorted(MEDICAL_EVENTS) == ["atmp_during_ecrou"]
    assert Role.USMP not in EVENT_ROLES["levee_ecrou"]
    assert Role.PARTNER in EVENT_ROLES["ame_filed"]


def test_pages_and_forms_label_every_type_and_show_its_fields():
    assert list(EVENT_LABELS) == KINDS
    assert set(forms.EVENT_DATE_LABELS) == set(KINDS)
    for kind, t in REGISTRY.items():
        names = tuple(f.name for f in t.fields)
        assert forms.EVENT_FIELDS.get(kind, ()) == names, kind
        for name in names:
            assert name in forms.EventForm.__dict__, f"EventForm has no field {name}"
    measure_values = [c.value for c in forms.MEASURE_CHOICES]
    assert measure_values == list(REGISTRY["amenagement"].fields[0].values)


def test_the_api_schema_describes_every_type_and_its_fields():
    titles = [s["title"] for s in COMPONENTS["ContractEvent"]["oneOf"]]
    assert titles == KINDS
    for kind, t in REGISTRY.items():
        assert list(EVENT_FIELDS.get(kind, {})) == [f.name for f in t.fields], kind
    optional = {f.name for t in REGISTRY.values() for f in t.fields if not f.required}
    assert OPTIONAL_EVENT_FIELDS == optional == {"care_date", "end", "oqtf"}
