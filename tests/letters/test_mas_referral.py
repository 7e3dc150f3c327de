"""MAS referral follow-up (REL-3, REL-4, REL-5): consent first, then sending, a follow-up task
15 days after sending, closed when the MAS answers."""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import select

from cnpe_flow import db
from cnpe_flow.errors import Conflict, Forbidden, InvalidInput
from cnpe_flow.letters import mas_operations as mas
from cnpe_flow.letters.models import MasReferral
from cnpe_flow.letters.operations import LetterNotYet, LetterUnavailable, generate_letter
from cnpe_flow.people.models import Person, Task
from cnpe_flow.people.operations import update_person

LIANCOURT = "Centre pénitentiaire de Liancourt"
RELEASED = [
    {"type": "ecrou", "date": "2026-01-10", "establishment": LIANCOURT},
    {"type": "levee_ecrou", "date": "2026-09-30"},
]


def follow_ups(session):
    return session.exec(select(Task).where(Task.kind == "mas_follow_up")).scalars().all()


def test_a_referral_cannot_be_marked_sent_before_consent(app, make_user, make_person):
    spip = make_user("spip")
    person = make_person(events=RELEASED)
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        with pytest.raises(InvalidInput) as exc:
            mas.mark_sent(s, spip, p, "2026-10-05")
        assert exc.value.problems[0].field == "consent_date"
        assert "REL-5" in exc.value.problems[0].message
        assert follow_ups(s) == []


def test_sending_needs_a_problem_ticked(app, make_user, make_person):
    spip = make_user("spip")
    person = make_person(events=RELEASED)
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        mas.record_consent(s, spip, p, "2026-10-01")
        with pytest.raises(InvalidInput) as exc:
            mas.mark_sent(s, spip, p, "2026-10-05")
        assert [x.field for x in exc.value.problems] == ["problems"]


def test_follow_up_is_due_15_days_after_sending_and_closes_on_answer(app, make_user, make_person):
    spip = make_user("spip")
    person = make_person(events=RELEASED)
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        mas.record_consent(s, spip, p, "2026-10-01")
        mas.set_problems(s, spip, p, ["rights", "digital"])
        referral = mas.mark_sent(s, spip, p, "2026-10-05")
        task = follow_ups(s)[0]
        assert (task.key, task.owner, task.due, task.status, task.rules) == (
            f"mas_follow_up:{referral.id}",
            "spip",
            date(2026, 10, 20),
            "open",
            ["REL-3", "REL-5"],
        )
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        referral = mas.record_answer(s, spip, p, "accepted", "2026-10-14")
        task = follow_ups(s)[0]
        assert (referral.status, referral.answered_on) == ("accepted", date(2026, 10, 14))
        assert (task.status, task.closed_by) == ("done", spip.id)


def test_the_engine_task_sync_leaves_the_follow_up_alone(app, make_user, make_person):
    spip = make_user("spip")
    admin = make_user("admin")
    person = make_person(events=RELEASED)
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        mas.record_consent(s, spip, p, "2026-10-01")
        mas.set_problems(s, spip, p, ["social"])
        mas.mark_sent(s, spip, p, "2026-10-05")
        update_person(s, admin, p, {"residence_postcode": "75011"}, None)
        assert [(t.status, t.obsolete) for t in follow_ups(s)] == [("open", False)]


def test_a_refusal_needs_its_reason(app, make_user, make_person):
    spip = make_user("spip")
    person = make_person(events=RELEASED)
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        mas.record_consent(s, spip, p, "2026-10-01")
        mas.set_problems(s, spip, p, ["care"])
        mas.mark_sent(s, spip, p, "2026-10-05")
        with pytest.raises(InvalidInput) as exc:
            mas.record_answer(s, spip, p, "refused", "2026-10-12", "  ")
        assert exc.value.problems[0].field == "refusal_reason"
        referral = mas.record_answer(s, spip, p, "refused", "2026-10-12", "injoignable")
        assert (referral.status, referral.refusal_reason) == ("refused", "injoignable")


def test_a_stale_version_gets_a_conflict(app, make_user, make_person):
    spip = make_user("spip")
    person = make_person(events=RELEASED)
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        referral = mas.record_consent(s, spip, p, "2026-10-01")
        seen = referral.version
        mas.set_problems(s, spip, p, ["care"], expected_version=seen)
        with pytest.raises(Conflict):
            mas.set_problems(s, spip, p, ["rights"], expected_version=seen)


def test_no_referral_for_an_ame_case_and_none_by_the_usmp(app, make_user, make_person):
    """REL-4: AME beneficiaries cannot be referred; the USMP reads referrals only."""
    spip = make_user("spip")
    usmp = make_user("usmp")
    ame = make_person(events=RELEASED, residence_status="irregular", carte_vitale=False)
    insured = make_person(events=RELEASED)
    with db.transaction(app) as s:
        with pytest.raises(LetterUnavailable):
            mas.record_consent(s, spip, s.get(Person, ame.id), "2026-10-01")
        with pytest.raises(Forbidden):
            mas.record_consent(s, usmp, s.get(Person, insured.id), "2026-10-01")
        assert s.exec(select(MasReferral)).scalars().all() == []


def test_ticking_problems_gives_a_new_version_of_the_referral_letter(app, make_user, make_person):
    spip = make_user("spip")
    person = make_person(events=RELEASED)
    with db.transaction(app) as s:
        p = s.get(Person, person.id)
        # REL-5: no referral letter before the person's consent
        with pytest.raises(LetterNotYet) as exc:
            generate_letter(s, spip, p, "mas_referral")
        assert "consentement" in str(exc.value)
        mas.record_consent(s, spip, p, "2026-10-01")
        first = generate_letter(s, spip, p, "mas_referral")
        mas.set_problems(s, spip, p, ["digital"])
        second = generate_letter(s, spip, p, "mas_referral")
        assert (first.version, second.version) == (1, 2)
        assert [x["ticked"] for x in second.context["problems"]] == [
            False,
            False,
            False,
            True,
            False,
        ]
        assert second.context["consent_date"] == "2026-10-01"


def test_the_mas_page_walks_through_the_steps(app, client, login, make_user, make_person):
    person = make_person(events=RELEASED)
    login(client, make_user("spip"))
    url = f"/personnes/{person.id}/mas"
    early = client.form(url, {"action": "sent", "sent_on": "2026-10-05"})
    assert early.status_code == 400
    assert "recueillez d'abord le consentement" in html.unescape(early.get_data(as_text=True))
    assert client.form(url, {"action": "consent", "consent_date": "2026-10-01"}).status_code == 302
    with db.transaction(app) as s:
        version = s.exec(select(MasReferral.version)).scalars().one()
    ticked = client.form(
        url, {"action": "problems", "problems": ["rights", "social"], "version": version}
    )
    assert ticked.status_code == 302
    stale = client.form(url, {"action": "sent", "sent_on": "2026-10-05", "version": version})
    assert stale.status_code == 409
    # the second click of another tab: this page, the message in its summary (issue 12)
    stale_page = html.unescape(stale.get_data(as_text=True))
    assert "Orientation vers la Mission accompagnement santé —" in stale_page
    assert "La saisie n'a pas été enregistrée" in stale_page
    assert "modifiée par quelqu'un d'autre depuis que vous l'avez ouverte" in stale_page
    sent = client.form(url, {"action": "sent", "sent_on": "2026-10-05", "version": version + 1})
    assert sent.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "envoyée, en attente de retour" in page
    assert "à faire le 20/10/2026" in page


def test_the_mas_page_of_an_ame_case_gives_the_reason(client, login, make_user, make_person):
    person = make_person(events=RELEASED, residence_status="irregular", carte_vitale=False)
    login(client, make_user("spip"))
    page = html.unescape(client.get(f"/personnes/{person.id}/mas").get_data(as_text=True))
    assert "Pas d'orientation vers la Mission accompagnement santé" in page
    assert "(REL-4)" in page
    assert "Enregistrer le consentement" not in page


def test_mas_dates_are_typed_as_every_other_date(app, client, login, make_user, make_person):
    """Issue 12: JJ/MM/AAAA as on every form (ISO still accepted); a wrong one says so."""
    person = make_person(events=RELEASED)
    login(client, make_user("spip"))
    url = f"/personnes/{person.id}/mas"

    wrong = client.form(url, {"action": "consent", "consent_date": "31/02/2026"})
    assert wrong.status_code == 400
    assert "saisissez-la en JJ/MM/AAAA" in wrong.get_data(as_text=True)
    assert client.form(url, {"action": "consent", "consent_date": "01/10/2026"}).status_code == 302
    with db.transaction(app) as s:
        assert s.exec(select(MasReferral.consent_date)).scalars().one().isoformat() == "2026-10-01"
