"""After release, for support workers, through ``evaluate`` with contract JSON: AME filings and
rights (AME-2, AME-5 … AME-9), C2S renewal (C2S-7), and the end of the PUMa maintenance after a
residence permit expires (PUMA-2, PUMA-3).

Expected dates are derived by hand from rules-catalogue.md (sections 6 and 7), case-contract.md
(task kinds and their dates), the dated parameters' sources (seeds 001, 002, 003, 004) and the
catalogue's date convention (§8: python-dateutil ``relativedelta``, months then days; periods
closed-open, ``end`` = the day after the last day).
"""

from __future__ import annotations

import pytest
from contract import builders, dues, ecrou, funds, levee, problems

from cnpe_flow.rules import evaluate

ECROU = "2019-09-02"


person, case = builders(
    birth_date="1984-05-12",
    residence_status="irregular",
    carte_vitale=False,
    residence_postcode="42000",
)


def released(levee_day, *after, as_of="2026-11-23", **fields):
    """A person écroué on ECROU and released on ``levee_day``, then the ``after`` events."""
    return case([ecrou(ECROU), levee(levee_day), *after], as_of=as_of, **fields)


def regular_released(levee_day, *after, as_of="2026-11-23"):
    return released(levee_day, *after, as_of=as_of, residence_status="regular", carte_vitale=True)


def filed(day, complete=True):
    return {"type": "ame_filed", "date": day, "complete": complete}


def granted(day):
    return {"type": "ame_granted", "date": day}


def c2s(day, **fields):
    return {"type": "c2s_granted", "date": day, **fields}


def expiry(day, **fields):
    return {"type": "residence_permit_expiry", "date": day, **fields}


def ame(out):
    return [(a["start"], a["end"], a["contract_code"], a["waiting_period_end"]) for a in out["ame"]]


# ---------------------------------------------------------------- AME-2


def test_ame_2_ame_filed_during_custody_is_refused_naming_the_event_and_the_rule():
    """AME-2: no AME application is possible during incarceration: an ame_filed during the écrou
    is bad input naming the event, both dates and AME-2."""
    found = problems(case([ecrou("2026-01-12"), filed("2026-03-02")]))
    assert len(found) == 1
    field, message = found[0]
    assert field == "events[1]"
    assert "AME-2" in message
    assert "02/03/2026" in message
    assert "12/01/2026" in message


def test_ame_2_ame_granted_during_a_second_custody_is_refused():
    """AME-2: the same during a later écrou, after a first release."""
    found = problems(
        case([ecrou("2025-01-06"), levee("2025-04-07"), ecrou("2025-09-01"), granted("2025-10-01")])
    )
    assert len(found) == 1
    field, message = found[0]
    assert field == "events[3]"
    assert "AME-2" in message
    assert "01/10/2025" in message
    assert "01/09/2025" in message


def test_ame_1_ame_for_a_regular_person_without_permit_expiry_is_refused():
    """AME-1: the AME is for persons in irregular situation: a regular person with no permit
    expiry cannot have an AME filing."""
    found = problems(regular_released("2024-02-01", filed("2024-03-15")))
    assert [f for f, _ in found] == ["events[2]"]
    assert "AME-1" in found[0][1]


# ---------------------------------------------------------------- AME-5


def test_ame_5_ame_for_one_year_from_the_grant_then_none():
    """AME-5: the AME covers the person from the rights start for one year ([start, start + 1
    year[), then NONE unless renewed."""
    out = evaluate(released("2024-02-01", filed("2024-03-15"), granted("2024-03-15")))
    assert funds(out) == [
        (ECROU, "2024-02-01", "CNPE"),
        ("2024-02-01", "2024-03-15", "NONE"),
        ("2024-03-15", "2025-03-15", "AME"),
        ("2025-03-15", None, "NONE"),
    ]
    assert "AME-5" in out["affiliation"][2]["rules"]


def test_ame_5_last_day_of_rights_and_first_day_without():
    """AME-5: boundary pair: rights granted on 15 March 2024 still apply on 14 March 2025, not on
    15 March 2025 (end exclusive)."""
    events = (filed("2024-03-15"), granted("2024-03-15"))
    last_day = evaluate(released("2024-02-01", *events, as_of="2025-03-14"))
    day_after = evaluate(released("2024-02-01", *events, as_of="2025-03-15"))
    assert last_day["current"]["fund"] == "AME"
    assert day_after["current"]["fund"] == "NONE"


def test_ame_5_a_filing_without_a_grant_does_not_show_ame_coverage():
    """AME-5, AFF-8: the AME fund starts from the rights start given by ame_granted (contract);
    a filing still waiting for its answer leaves the person without base coverage."""
    out = evaluate(released("2024-02-01", filed("2024-03-15"), as_of="2024-04-01"))
    assert funds(out)[-1] == ("2024-02-01", None, "NONE")
    assert out["ame"] == []


# ---------------------------------------------------------------- AME-6


def test_ame_6_incomplete_filing_missing_documents_within_two_months():
    """AME-6: an incomplete file filed on 10 May 2024: the missing documents are due within
    2 months, by 10 July 2024."""
    out = evaluate(released("2024-02-01", filed("2024-05-10", complete=False)))
    assert dues(out, "ame_missing_documents_deadline") == ["2024-07-10"]


@pytest.mark.parametrize(
    ("filing", "deadline"),
    [("2023-03-19", "2023-04-18"), ("2023-03-20", "2023-05-20")],
)
def test_ame_6_delay_changes_on_20_march_2023(filing, deadline):
    """AME-6: dated parameter: 30 days for a filing the day before 20 March 2023 (seed 002),
    2 months from that day (seed 003)."""
    out = evaluate(released("2023-01-16", filed(filing, complete=False)))
    assert dues(out, "ame_missing_documents_deadline") == [deadline]


def test_ame_6_filing_in_2021_gets_thirty_days():
    """AME-6: a filing on 10 March 2021 falls under the 2020 rule: 30 days, by 9 April 2021."""
    out = evaluate(released("2021-01-20", filed("2021-03-10", complete=False)))
    assert dues(out, "ame_missing_documents_deadline") == ["2021-04-09"]


def test_ame_6_two_months_from_31_december_end_on_29_february():
    """AME-6: months follow relativedelta: 31 December 2023 + 2 months = 29 February 2024."""
    out = evaluate(released("2023-12-04", filed("2023-12-31", complete=False)))
    assert dues(out, "ame_missing_documents_deadline") == ["2024-02-29"]


def test_ame_6_complete_filing_has_no_missing_documents_deadline():
    """AME-6: nothing is missing from a complete file."""
    out = evaluate(released("2024-02-01", filed("2024-05-10", complete=True)))
    assert dues(out, "ame_missing_documents_deadline") == []


# ---------------------------------------------------------------- AME-7


def test_ame_7_no_answer_two_months_after_filing_deemed_rejected():
    """AME-7: no answer 2 months after the filing of 10 May 2024 = deemed rejected on 10 July
    2024: contact the CPAM."""
    out = evaluate(released("2024-02-01", filed("2024-05-10")))
    assert dues(out, "ame_deemed_rejected") == ["2024-07-10"]
    task = next(t for t in out["tasks"] if t["kind"] == "ame_deemed_rejected")
    assert task["rules"] == ["AME-7"]


def test_ame_6_ame_7_a_grant_answers_the_filing_no_deadline_tasks():
    """AME-6, AME-7: when a grant follows the filing, there is no deemed rejection and no
    missing-documents deadline left."""
    out = evaluate(
        released("2024-02-01", filed("2024-05-10", complete=False), granted("2024-05-10"))
    )
    assert dues(out, "ame_deemed_rejected") == []
    assert dues(out, "ame_missing_documents_deadline") == []


# ---------------------------------------------------------------- AME-8


def test_ame_8_renewal_from_the_tenth_month_the_quiz_of_seed_003():
    """AME-8: AME from 1 February 2021 to 31 January 2022 (end exclusive 1 February 2022): the
    renewal can be prepared from 1 December 2021, as the quiz of seed 003 answers."""
    out = evaluate(released("2021-01-20", filed("2021-02-01"), granted("2021-02-01")))
    assert dues(out, "ame_renewal") == ["2021-12-01"]
    assert out["ame"][0]["end"] == "2022-02-01"


def test_ame_8_renewal_of_rights_granted_on_31_january():
    """AME-5, AME-8: rights from 31 January 2024 end (exclusive) on 31 January 2025; 2 months
    before is 30 November 2024 (relativedelta: no 31 November)."""
    out = evaluate(released("2024-01-15", granted("2024-01-31")))
    assert out["ame"][0]["start"] == "2024-01-31"
    assert out["ame"][0]["end"] == "2025-01-31"
    assert dues(out, "ame_renewal") == ["2024-11-30"]


# ---------------------------------------------------------------- AME-9


def test_ame_9_first_grant_code_04_with_nine_months_waiting_period():
    """AME-9: a first grant has contract code 04; opened from 2021, some non-urgent care waits
    9 months: 1 February 2021 → 1 November 2021."""
    out = evaluate(released("2021-01-20", granted("2021-02-01")))
    assert ame(out) == [("2021-02-01", "2022-02-01", "04", "2021-11-01")]


@pytest.mark.parametrize(
    ("grant", "waiting_end"),
    [("2020-12-31", None), ("2021-01-01", "2021-10-01")],
)
def test_ame_9_waiting_period_only_for_rights_opened_from_1_january_2021(grant, waiting_end):
    """AME-9: boundary pair: no waiting period for a right opened on 31 December 2020; 9 months
    for one opened on 1 January 2021."""
    out = evaluate(released("2020-12-01", granted(grant)))
    assert out["ame"][0]["contract_code"] == "04"
    assert out["ame"][0]["waiting_period_end"] == waiting_end


def test_ame_9_renewal_without_interruption_code_05_no_waiting_period():
    """AME-9, AME-8, AME-5: a renewal starting the day the previous right ends: code 05, no new
    waiting period; coverage continues without a gap; a renewal task for each right."""
    out = evaluate(released("2021-01-20", granted("2021-02-01"), granted("2022-02-01")))
    assert ame(out) == [
        ("2021-02-01", "2022-02-01", "04", "2021-11-01"),
        ("2022-02-01", "2023-02-01", "05", None),
    ]
    assert funds(out)[2:] == [
        ("2021-02-01", "2023-02-01", "AME"),
        ("2023-02-01", None, "NONE"),
    ]
    assert dues(out, "ame_renewal") == ["2021-12-01", "2022-12-01"]


def test_ame_9_after_an_interruption_of_less_than_a_year_code_06():
    """AME-9: rights ended 1 February 2022, new right on 1 June 2022 (4 months without): code 06,
    no waiting period; NONE during the interruption."""
    out = evaluate(released("2021-01-20", granted("2021-02-01"), granted("2022-06-01")))
    assert ame(out)[1] == ("2022-06-01", "2023-06-01", "06", None)
    assert funds(out)[2:] == [
        ("2021-02-01", "2022-02-01", "AME"),
        ("2022-02-01", "2022-06-01", "NONE"),
        ("2022-06-01", "2023-06-01", "AME"),
        ("2023-06-01", None, "NONE"),
    ]


@pytest.mark.parametrize(
    ("second", "code", "waiting_end"),
    [("2023-02-01", "06", None), ("2023-02-02", "04", "2023-11-02")],
)
def test_ame_9_interruption_of_exactly_one_year_vs_more(second, code, waiting_end):
    """AME-9: the first right ends (exclusive) on 1 February 2022. A new right on 1 February 2023
    follows an interruption of exactly one year: code 06. On 2 February 2023 the interruption is
    more than a year: a first application again, code 04 with a 9-month waiting period."""
    out = evaluate(released("2021-01-20", granted("2021-02-01"), granted(second)))
    assert out["ame"][1]["contract_code"] == code
    assert out["ame"][1]["waiting_period_end"] == waiting_end


# ---------------------------------------------------------------- C2S-7


def test_c2s_7_renewal_two_months_before_the_default_one_year_end():
    """C2S-7: C2S from 3 March 2025 without a given end lasts one year (end 3 March 2026): the
    renewal is due 2 months before, on 3 January 2026."""
    out = evaluate(regular_released("2025-02-03", c2s("2025-03-03")))
    assert [(p["start"], p["end"]) for p in out["c2s"]] == [("2025-03-03", "2026-03-03")]
    assert dues(out, "c2s_renewal") == ["2026-01-03"]


def test_c2s_7_renewal_two_months_before_an_explicit_end():
    """C2S-7: with an explicit end (exclusive) on 31 August 2026, the renewal is due on 30 June
    2026 (relativedelta: no 31 June)."""
    out = evaluate(regular_released("2025-02-03", c2s("2025-09-01", end="2026-08-31")))
    assert [(p["start"], p["end"]) for p in out["c2s"]] == [("2025-09-01", "2026-08-31")]
    assert dues(out, "c2s_renewal") == ["2026-06-30"]


def test_c2s_7_renewal_of_a_right_ending_30_april_falls_on_28_february():
    """C2S-7: C2S from 30 April 2025 ends on 30 April 2026; 2 months before is 28 February 2026."""
    out = evaluate(regular_released("2025-02-03", c2s("2025-04-30")))
    assert dues(out, "c2s_renewal") == ["2026-02-28"]


def test_c2s_1_c2s_granted_for_an_irregular_person_is_refused():
    """C2S-1, C2S-7: the C2S is for persons in regular situation: a c2s_granted for an irregular
    person is bad input naming the event."""
    found = problems(released("2025-02-03", c2s("2025-03-03")))
    assert len(found) == 1
    field, message = found[0]
    assert field == "events[2]"
    assert "C2S accordée" in message


def test_c2s_7_an_end_before_the_start_names_the_end_field():
    """C2S-7: an explicit end must come after the start."""
    found = problems(regular_released("2025-02-03", c2s("2025-09-01", end="2025-08-01")))
    assert [f for f, _ in found] == ["events[2].end"]
    assert "01/08/2025" in found[0][1]


# ---------------------------------------------------------------- PUMA-2, PUMA-3


def test_puma_2_puma_3_maintenance_six_months_and_45_days_then_none():
    """PUMA-2, PUMA-3: a permit expiring on 15 March 2024 keeps PUMa until (exclusive)
    15 March + 6 months + 45 days = 30 October 2024: CPAM of residence until then, then NONE;
    an AME filing becomes receivable 45 days before, on 15 September 2024."""
    out = evaluate(regular_released("2023-09-04", expiry("2024-03-15")))
    assert funds(out) == [
        (ECROU, "2023-09-04", "CNPE"),
        ("2023-09-04", "2024-10-30", "CPAM_RESIDENCE"),
        ("2024-10-30", None, "NONE"),
    ]
    puma = out["puma_maintenance"]
    assert (puma["permit_expiry"], puma["end"], puma["ame_filing_from"]) == (
        "2024-03-15",
        "2024-10-30",
        "2024-09-15",
    )
    assert dues(out, "ame_filing_window_opens") == ["2024-09-15"]


def test_puma_2_puma_3_final_oqtf_two_months():
    """PUMA-2, PUMA-3: with a final OQTF the maintenance is 2 months: 15 March 2024 → 15 May
    2024; the AME window opens 45 days before, on 31 March 2024."""
    out = evaluate(regular_released("2023-09-04", expiry("2024-03-15", oqtf=True)))
    assert funds(out)[1:] == [
        ("2023-09-04", "2024-05-15", "CPAM_RESIDENCE"),
        ("2024-05-15", None, "NONE"),
    ]
    assert out["puma_maintenance"]["end"] == "2024-05-15"
    assert dues(out, "ame_filing_window_opens") == ["2024-03-31"]


def test_puma_2_puma_3_expiry_before_november_2020_one_year():
    """PUMA-2, PUMA-3: before the decree of 30 October 2020 the maintenance was 1 year (seed
    004): 15 October 2020 → 15 October 2021; AME window from 31 August 2021."""
    out = evaluate(regular_released("2020-03-02", expiry("2020-10-15")))
    assert funds(out)[1:] == [
        ("2020-03-02", "2021-10-15", "CPAM_RESIDENCE"),
        ("2021-10-15", None, "NONE"),
    ]
    assert dues(out, "ame_filing_window_opens") == ["2021-08-31"]


@pytest.mark.parametrize(
    ("permit_expiry", "end", "window"),
    [("2020-11-01", "2021-11-01", "2021-09-17"), ("2020-11-02", "2021-06-16", "2021-05-02")],
)
def test_puma_2_maintenance_changes_with_the_2020_decree(permit_expiry, end, window):
    """PUMA-2, PUMA-3: boundary pair around the decree's entry into force (2 November 2020):
    1 year for an expiry on 1 November, 6 months + 45 days for one on 2 November."""
    out = evaluate(regular_released("2020-03-02", expiry(permit_expiry)))
    assert out["puma_maintenance"]["end"] == end
    assert dues(out, "ame_filing_window_opens") == [window]


def test_puma_2_oqtf_before_the_decree_has_no_special_rule():
    """PUMA-2: the 2-month OQTF rule comes with the 2020 decree; before it, the 1-year
    maintenance applies to everyone."""
    out = evaluate(regular_released("2020-03-02", expiry("2020-10-15", oqtf=True)))
    assert out["puma_maintenance"]["end"] == "2021-10-15"


def test_puma_2_ame_5_ame_takes_over_when_the_maintenance_ends():
    """PUMA-2, PUMA-3, AME-5: an AME granted from the end of the maintenance follows the CPAM
    without a gap, for one year."""
    out = evaluate(regular_released("2023-09-04", expiry("2024-03-15"), granted("2024-10-30")))
    assert funds(out)[1:] == [
        ("2023-09-04", "2024-10-30", "CPAM_RESIDENCE"),
        ("2024-10-30", "2025-10-30", "AME"),
        ("2025-10-30", None, "NONE"),
    ]


def test_puma_2_permit_expiry_for_an_irregular_person_is_refused():
    """PUMA-2: an irregular person has no permit to expire: the message names the event and the
    person.residence_status it contradicts."""
    found = problems(released("2024-02-01", expiry("2024-03-15")))
    assert len(found) == 1
    field, message = found[0]
    assert field == "events[2]"
    assert "situation irrégulière" in message


def test_ame_5_a_grant_from_the_care_date_answers_a_filing_made_within_90_days_of_care():
    """AME-5: filed on 2024-04-10 after care on 2024-01-15 (86 days): rights start on the care
    date, so a grant from 2024-01-15 answers the filing and no deemed rejection is due (AME-7)."""
    care = {"type": "ame_filed", "date": "2024-04-10", "complete": True, "care_date": "2024-01-15"}
    out = evaluate(released("2023-12-01", care, granted("2024-01-15")))
    assert dues(out, "ame_deemed_rejected") == []


def test_ame_5_care_more_than_90_days_before_the_filing_does_not_backdate_it():
    """AME-5: care on 2024-01-01, filed on 2024-04-10 (100 days): rights would start on the
    filing day, so a grant dated on the care day does not answer this filing: the deemed
    rejection stays due at filing + 2 months (AME-7)."""
    care = {"type": "ame_filed", "date": "2024-04-10", "complete": True, "care_date": "2024-01-01"}
    out = evaluate(released("2023-12-01", care, granted("2024-01-01")))
    assert dues(out, "ame_deemed_rejected") == ["2024-06-10"]
