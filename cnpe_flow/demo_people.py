"""The demo's fictional people: some fifteen situations (see :mod:`cnpe_flow.demo`), each as
identity and contract person fields, events in days from today, medical benefits, household and
whether it is shared with the partner."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

DEMO_ESTABLISHMENT = "Centre pénitentiaire de Liancourt"
OTHER_ESTABLISHMENT = "Centre pénitentiaire de Fresnes"
#: where the demo transfer goes (pole Sud of the CNPE)
TRANSFER_ESTABLISHMENT = "Centre pénitentiaire de Marseille-Baumettes"
MAYOTTE_ESTABLISHMENT = "Centre pénitentiaire de Majicavo"


def demo_people(t: date) -> list[dict[str, Any]]:
    """Each entry: identity + contract person fields, events (days from today), medical, shared."""

    def d(days: int) -> str:
        return (t + timedelta(days=days)).isoformat()

    return [
        {
            "person": {
                "last_name": "Martin",
                "first_name": "Karim",
                "birth_date": "1988-04-02",
                "nir": "1 88 04 75 112 345 60",
                "ecrou_number": "24581",
                "residence_status": "regular",
                "carte_vitale": True,
                "residence_postcode": "60100",
                "release_address": {
                    "kind": "hosted",
                    "care_of": "Mme Leïla Martin",
                    "lines": ["14 rue Gambetta", "Appartement 3"],
                    "postcode": "60100",
                    "city": "Creil",
                },
            },
            "events": [
                ("ecrou", -200, {"establishment": DEMO_ESTABLISHMENT}),
                ("planned_release", 12, {}),
            ],
        },
        {
            "person": {
                "last_name": "Dubois",
                "first_name": "Sophie",
                "birth_date": "1979-11-23",
                "ecrou_number": "24602",
                "residence_status": "regular",
                "carte_vitale": True,
                "residence_postcode": "60000",
            },
            "medical": ["ij", "ald"],
            "events": [
                ("ecrou", -300, {"establishment": DEMO_ESTABLISHMENT}),
                ("amenagement", -40, {"measure": "semi_liberte"}),
                ("activity_start", -30, {"activity": "work"}),
                ("planned_release", 28, {}),
            ],
        },
        {
            "person": {
                "last_name": "Leroy",
                "first_name": "Thomas",
                "birth_date": "1995-06-17",
                "ecrou_number": "24377",
                "residence_status": "regular",
                "carte_vitale": False,
                "residence_postcode": None,
            },
            "events": [
                ("ecrou", -150, {"establishment": DEMO_ESTABLISHMENT}),
                ("levee_ecrou", -5, {}),
            ],
            "shared": True,
        },
        {
            "person": {
                "last_name": "Diallo",
                "first_name": "Moussa",
                "birth_date": "1992-01-09",
                "ecrou_number": "24655",
                "residence_status": "irregular",
                "carte_vitale": False,
                "residence_postcode": "60180",
                "release_address": {
                    "kind": "domiciliation",
                    "care_of": "CCAS de Nogent-sur-Oise",
                    "lines": ["Place de l'Hôtel de Ville"],
                    "postcode": "60180",
                    "city": "Nogent-sur-Oise",
                },
            },
            "events": [
                ("ecrou", -90, {"establishment": DEMO_ESTABLISHMENT}),
                ("planned_release", 20, {}),
            ],
        },
        {
            "person": {
                "last_name": "Traoré",
                "first_name": "Awa",
                "birth_date": "1990-08-30",
                "ecrou_number": "24410",
                "residence_status": "irregular",
                "carte_vitale": False,
                "residence_postcode": "60100",
            },
            "events": [
                ("ecrou", -220, {"establishment": DEMO_ESTABLISHMENT}),
                ("levee_ecrou", -12, {}),
                ("ame_filed", -8, {"complete": False}),
            ],
            "shared": True,
        },
        {
            "person": {
                "last_name": "Petit",
                "first_name": "Julie",
                "birth_date": "1969-02-14",
                "ecrou_number": "24588",
                "residence_status": "regular",
                "carte_vitale": True,
                "residence_postcode": "60290",
            },
            "medical": ["ald"],
            "events": [
                ("ecrou", -400, {"establishment": DEMO_ESTABLISHMENT}),
                ("planned_release", 6, {}),
            ],
        },
        {
            "person": {
                "last_name": "Moreau",
                "first_name": "Lucas",
                "birth_date": "1985-12-01",
                "ecrou_number": "24390",
                "residence_status": "regular",
                "carte_vitale": True,
                "residence_postcode": "60600",
            },
            "medical": ["ij"],
            "events": [
                ("ecrou", -180, {"establishment": DEMO_ESTABLISHMENT}),
                ("work_inside_start", -120, {}),
                ("atmp_during_ecrou", -60, {"consolidated": False}),
                ("levee_ecrou", -3, {}),
            ],
        },
        {
            "person": {
                "last_name": "Fernandez",
                "first_name": "Ana",
                "birth_date": "1998-05-05",
                "ecrou_number": "24699",
                "residence_status": "regular",
                "carte_vitale": True,
                "residence_postcode": "60200",
            },
            "events": [
                ("ecrou", -60, {"establishment": DEMO_ESTABLISHMENT}),
                ("amenagement", -10, {"measure": "surveillance_electronique"}),
                ("planned_release", 45, {}),
            ],
        },
        {
            "person": {
                "last_name": "Nguyen",
                "first_name": "Minh",
                "birth_date": "1983-09-19",
                "ecrou_number": "23150",
                "residence_status": "irregular",
                "carte_vitale": False,
                "residence_postcode": "60000",
            },
            "events": [
                ("ecrou", -700, {"establishment": DEMO_ESTABLISHMENT}),
                ("levee_ecrou", -400, {}),
                ("ame_filed", -395, {"complete": True}),
                ("ame_granted", -330, {}),
            ],
            "shared": True,
        },
        {
            "person": {
                "last_name": "Bernard",
                "first_name": "Paul",
                "birth_date": "1975-03-28",
                "ecrou_number": "24512",
                "residence_status": "regular",
                "carte_vitale": True,
                "residence_postcode": "60300",
            },
            "medical": ["ij", "invalidity_pension"],
            "events": [
                ("ecrou", -250, {"establishment": DEMO_ESTABLISHMENT}),
                ("work_inside_start", -200, {}),
                ("planned_release", 3, {}),
            ],
        },
        {
            "person": {
                "last_name": "Rousseau",
                "first_name": "Emma",
                "birth_date": "2001-07-11",
                "ecrou_number": "24630",
                "residence_status": "regular",
                "carte_vitale": True,
                "residence_postcode": "60400",
            },
            "events": [
                ("ecrou", -120, {"establishment": DEMO_ESTABLISHMENT}),
                ("amenagement", -20, {"measure": "placement_exterieur"}),
                ("activity_start", -15, {"activity": "paid_training"}),
            ],
        },
        {
            "person": {
                "last_name": "Haddad",
                "first_name": "Yasmine",
                "birth_date": "1987-10-03",
                "ecrou_number": "24201",
                "residence_status": "regular",
                "carte_vitale": True,
                "residence_postcode": "60100",
            },
            "events": [
                ("ecrou", -330, {"establishment": DEMO_ESTABLISHMENT}),
                ("levee_ecrou", -30, {}),
                ("residence_permit_expiry", -20, {"oqtf": False}),
            ],
            "shared": True,
        },
        {
            "person": {
                "last_name": "Garnier",
                "first_name": "Louis",
                "birth_date": "1980-12-24",
                "ecrou_number": "88120",
                "residence_status": "regular",
                "carte_vitale": True,
                "residence_postcode": "94260",
                "establishment": OTHER_ESTABLISHMENT,
            },
            "events": [
                ("ecrou", -45, {"establishment": OTHER_ESTABLISHMENT}),
                ("planned_release", 15, {}),
            ],
        },
        # --- contract v2: custody paths as they really happen ------------------------------
        {
            # Transferred from Liancourt (pole Nord) to Marseille-Baumettes (pole Sud) by the
            # Liancourt SPIP: the file leaves Liancourt; the Marseille SPIP and USMP get it
            # with a notification, and the ALD renewal now goes to the pole Sud (ALD-2).
            "person": {
                "last_name": "Lambert",
                "first_name": "Nadia",
                "birth_date": "1976-05-21",
                "ecrou_number": "24477",
                "residence_status": "regular",
                "carte_vitale": True,
                "residence_postcode": "13005",
            },
            "medical": ["ald"],
            "events": [
                ("ecrou", -260, {"establishment": DEMO_ESTABLISHMENT}),
                ("transfer", -20, {"establishment": TRANSFER_ESTABLISHMENT}),
                ("planned_release", 40, {}),
            ],
        },
        {
            # A semi-liberté granted for a work contract signed a week before it: the contract
            # takes effect on the aménagement's date (AFF-3).
            "person": {
                "last_name": "Girard",
                "first_name": "Hugo",
                "birth_date": "1993-02-08",
                "ecrou_number": "24640",
                "residence_status": "regular",
                "carte_vitale": True,
                "residence_postcode": "60180",
            },
            "events": [
                ("ecrou", -150, {"establishment": DEMO_ESTABLISHMENT}),
                # the aménagement is recorded first: the engine accepts a contract signed
                # before it only when that aménagement follows in the same écrou
                ("amenagement", -18, {"measure": "semi_liberte"}),
                ("activity_start", -25, {"activity": "work"}),
                ("planned_release", 90, {}),
            ],
        },
        {
            # Without residence permit, released in Mayotte, where AME does not exist (AME-1):
            # no AME filing, a warning says what applies instead.
            "person": {
                "last_name": "Soilihi",
                "first_name": "Anli",
                "birth_date": "1994-09-14",
                "ecrou_number": "976112",
                "residence_status": "irregular",
                "carte_vitale": False,
                "residence_postcode": "97600",
                "establishment": MAYOTTE_ESTABLISHMENT,
            },
            "events": [
                ("ecrou", -200, {"establishment": MAYOTTE_ESTABLISHMENT}),
                ("levee_ecrou", -6, {}),
            ],
        },
        # --- household with C2S participation: added by the household work of issue 8 -------
        {
            # Released ten days ago, back with a spouse and two children: 25 000 € a year for
            # four people lies between the ceilings of the free C2S and of the C2S with
            # participation (c2s_ceilings: 21 711 € and 29 311 € from 01/04/2025), so the case
            # page shows the participation per member and in total (C2S-1, C2S-2).
            "person": {
                "last_name": "Mercier",
                "first_name": "Samir",
                "birth_date": "1984-06-12",
                "ecrou_number": "24533",
                "residence_status": "regular",
                "carte_vitale": True,
                "residence_postcode": "60100",
            },
            "events": [
                ("ecrou", -240, {"establishment": DEMO_ESTABLISHMENT}),
                ("levee_ecrou", -10, {}),
            ],
            "household": {
                "members": [
                    {"birth_date": "1986-09-03", "relation": "spouse"},
                    {"birth_date": "2014-03-20", "relation": "child"},
                    {"birth_date": "2018-11-05", "relation": "child"},
                ],
                "annual_resources": 25000,
                "rsa": False,
            },
            "shared": True,
        },
    ]
