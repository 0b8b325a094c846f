"""The Normandy digital-sector contract 2017–2019, as the Region announced it on 25 October 2017.

Only stated facts are written here. What the announcement does not say (how
the 850,000 € split across actions and years, action targets, measurements)
is left out; the demo data generates it, flagged as demo.
"""

from datetime import date
from decimal import Decimal

SLUG = "normandie-numerique-2017"
SOURCE = (
    "Région Normandie, annonce de la signature du contrat de filière numérique 2017-2019, "
    "25 octobre 2017 (Château de Gromesnil, Saint-Romain-de-Colbosc)."
)

ORGANISATIONS = [
    {
        "slug": "region-normandie",
        "name": "Région Normandie",
        "short_name": "Région",
        "kind": "regional_council",
        # The Region's headquarters in Caen (SIRENE): the grants' attributor in the open data.
        "siren": "200053767",
        "siret": "20005376700014",
        "commune": "14118",
    },
    {
        "slug": "ad-normandie",
        "name": "Agence de développement pour la Normandie",
        "short_name": "AD Normandie",
        "kind": "development_agency",
        "commune": "14118",
    },
    {
        "slug": "pole-tes",
        "name": "Pôle TES",
        "short_name": "TES",
        "kind": "cluster",
        "description": "Pôle de compétitivité Transactions électroniques sécurisées.",
    },
    {
        "slug": "nwx",
        "name": "Normandy Web Expert",
        "short_name": "NWX",
        "kind": "business_association",
        "description": "Association des entreprises du numérique de Normandie.",
    },
    {
        "slug": "normandy-french-tech",
        "name": "Normandy French Tech",
        "short_name": "Normandy French Tech",
        "kind": "label_network",
    },
    {
        "slug": "cci-normandie",
        "name": "Chambres de commerce et d'industrie de Normandie",
        "short_name": "CCI",
        "kind": "chamber_of_commerce",
    },
    {
        "slug": "cma-normandie",
        "name": "Chambres de métiers et de l'artisanat de Normandie",
        "short_name": "CMA",
        "kind": "chamber_of_trades",
    },
    {
        "slug": "relais-d-sciences",
        "name": "Relais d'sciences",
        "short_name": "Relais d'sciences",
        "kind": "living_lab",
        "commune": "14118",
        "description": "Centre de culture scientifique et living lab, Caen.",
    },
]

CONTRACT = {
    "slug": SLUG,
    "title": "Contrat de filière numérique 2017-2019",
    "sector": "Numérique",
    "region": "28",
    "owner": "region-normandie",
    "aim": "Faire de la Normandie un territoire de référence en matière de numérique.",
    "signed_on": date(2017, 10, 25),
    "signing_place": "Château de Gromesnil, Saint-Romain-de-Colbosc",
    "signing_commune": "76647",
    "start_date": date(2017, 1, 1),
    "end_date": date(2019, 12, 31),
    "budget_eur": Decimal("850000"),
    "source": SOURCE,
    "is_published": True,
}

ACTORS = [
    ("region-normandie", "funder", "Finance le contrat (850 000 €)."),
    (
        "region-normandie",
        "signatory",
        "Le président de Région et une vice-présidente chargée de l'enseignement supérieur, "
        "de la recherche et de l'innovation.",
    ),
    ("ad-normandie", "signatory", "Partenaire institutionnel."),
    ("pole-tes", "signatory", "Coordonne le volet Innovation."),
    ("pole-tes", "coordinator", "Volet Innovation."),
    ("nwx", "signatory", "Coordonne le volet Business / Performance."),
    ("nwx", "coordinator", "Volet Business / Performance."),
    ("normandy-french-tech", "partner", "Visibilité, international, label."),
    ("cci-normandie", "organiser", "Organise les rencontres entre l'offre et la demande."),
    ("cma-normandie", "organiser", "Organise les rencontres entre l'offre et la demande."),
    ("relais-d-sciences", "partner", "Living lab de Caen, partenaire de la promotion."),
]

# Each action: code, title, description, coordinator (None where the announcement
# names nobody), partners [(slug, role)], items [(kind, name, place, commune code)].
AXES = [
    {
        "number": 1,
        "title": "Identification de nouveaux marchés",
        "actions": [
            {
                "code": "1.1",
                "title": "Rencontres entre l'offre numérique et la demande de digitalisation",
                "description": (
                    "Les CCI et CMA organisent, en s'appuyant sur Normandy French Tech, des "
                    "rencontres mettant en relation l'offre des entreprises du numérique et la "
                    "demande de digitalisation des entreprises ; NWX mobilise ses adhérents pour "
                    "y présenter leurs solutions."
                ),
                "coordinator": "cci-normandie",
                "partners": [
                    ("cma-normandie", "Co-organisateur des rencontres"),
                    ("normandy-french-tech", "Appui aux rencontres"),
                    ("nwx", "Mobilise ses adhérents pour présenter leurs solutions"),
                ],
                "items": [],
            },
            {
                "code": "1.2",
                "title": "Synergies entre entreprises du numérique pour des projets collaboratifs",
                "description": (
                    "TES crée des synergies entre entreprises du numérique pour faire émerger des "
                    "projets innovants collaboratifs répondant aux besoins du marché, notamment "
                    "en santé, tourisme et agriculture."
                ),
                "coordinator": "pole-tes",
                "partners": [],
                "items": [
                    ("target_market", "Santé", "", None),
                    ("target_market", "Tourisme", "", None),
                    ("target_market", "Agriculture", "", None),
                ],
            },
        ],
    },
    {
        "number": 2,
        "title": "Accompagnement des entreprises du numérique",
        "actions": [
            {
                "code": "2.1",
                "title": "Besoins individuels des entreprises du numérique",
                "description": (
                    "NWX identifie les besoins individuels de chaque entreprise du numérique et "
                    "met en place, avec les partenaires institutionnels concernés, les actions "
                    "nécessaires en ingénierie financière, export et gestion prévisionnelle des "
                    "emplois et des compétences (GPEC). Action appuyée par le label Normandy "
                    "French Tech."
                ),
                "coordinator": "nwx",
                "partners": [
                    ("ad-normandie", "Partenaire institutionnel"),
                    ("normandy-french-tech", "Label"),
                ],
                "items": [
                    ("support_theme", "Ingénierie financière", "", None),
                    ("support_theme", "Export", "", None),
                    (
                        "support_theme",
                        "Gestion prévisionnelle des emplois et compétences (GPEC)",
                        "",
                        None,
                    ),
                ],
            },
            {
                "code": "2.2",
                "title": "Ingénierie, labellisation, financement et suivi des projets innovants",
                "description": (
                    "TES apporte l'ingénierie, la labellisation, la recherche de financements et "
                    "le suivi technique des projets numériques innovants sur tout le territoire "
                    "régional. Action appuyée par le label Normandy French Tech."
                ),
                "coordinator": "pole-tes",
                "partners": [("normandy-french-tech", "Label")],
                "items": [
                    ("service", "Ingénierie de projet", "", None),
                    ("service", "Labellisation", "", None),
                    ("service", "Recherche de financements", "", None),
                    ("service", "Suivi technique", "", None),
                ],
            },
            {
                "code": "2.3",
                "title": "Hébergement d'entreprises innovantes en résidences thématiques",
                "description": (
                    "TES héberge des entreprises innovantes dans des résidences thématiques. "
                    "Action appuyée par le label Normandy French Tech."
                ),
                "coordinator": "pole-tes",
                "partners": [("normandy-french-tech", "Label")],
                "items": [
                    ("residence", "Agri up", "Colombelles", "14167"),
                    ("residence", "Tourism up", "Deauville", "14220"),
                    ("residence", "Smart port", "Le Havre", "76351"),
                ],
            },
        ],
    },
    {
        "number": 3,
        "title": "Développement à l'international",
        "actions": [
            {
                "code": "3.1",
                "title": "Présence des entreprises du numérique sur les grands salons",
                "description": (
                    "Mobiliser les entreprises du numérique pour exposer sur les grands salons."
                ),
                "coordinator": None,
                "partners": [("normandy-french-tech", "Visibilité internationale")],
                "items": [
                    ("trade_show", "CES", "Las Vegas", None),
                    ("trade_show", "Vivatech", "Paris", None),
                ],
            },
            {
                "code": "3.2",
                "title": "Missions de prospection pour les PME exportatrices",
                "description": (
                    "NWX organise des missions de prospection pour les PME exportatrices."
                ),
                "coordinator": "nwx",
                "partners": [],
                "items": [
                    ("mission", "Mission San Francisco", "San Francisco", None),
                    ("mission", "Mission New York", "New York", None),
                ],
            },
        ],
    },
    {
        "number": 4,
        "title": "Promotion du secteur",
        "actions": [
            {
                "code": "4.1",
                "title": "Événements régionaux et outils de communication",
                "description": (
                    "NWX organise des événements à l'échelle régionale et développe des outils "
                    "de communication."
                ),
                "coordinator": "nwx",
                "partners": [],
                "items": [],
            },
            {
                "code": "4.2",
                "title": "Valorisation des innovations remarquables et lobbying",
                "description": (
                    "TES valorise les innovations les plus remarquables et mène des actions de "
                    "lobbying pour les entreprises et l'image de la Région, avec Normandy French "
                    "Tech et Relais d'sciences."
                ),
                "coordinator": "pole-tes",
                "partners": [
                    ("normandy-french-tech", "Partenaire de la promotion"),
                    ("relais-d-sciences", "Partenaire de la promotion"),
                ],
                "items": [],
            },
        ],
    },
]

STRATEGY = {
    "title": "Stratégie régionale de transformation numérique",
    "annual_budget_eur": Decimal("45000000"),
    "description": "Environ 45 M€ par an consacrés à la transformation numérique de la Normandie.",
    "pillars": [
        (
            1,
            "Très haut débit (THD)",
            [
                ("Toute la région couverte en très haut débit", None, date(2025, 12, 31)),
                ("Montant déjà programmé", Decimal("110000000"), None),
            ],
        ),
        (
            2,
            "Le numérique dans les lycées",
            [
                ("Investissement pour le numérique dans les lycées", Decimal("60000000"), None),
                ("Tous les lycées raccordés à la fibre", None, date(2017, 12, 31)),
                ("Wifi dans les lycées", None, None),
                ("Un espace numérique de travail (ENT) unique", None, None),
            ],
        ),
        (
            3,
            "Digitalisation de l'économie",
            [
                ("Prêt « Normandie TPE »", None, None),
                ("Fonds régional de garantie des crédits bancaires des TPE", None, None),
            ],
        ),
        (
            4,
            "Compétences numériques",
            [
                ("Adapter l'offre de formation", None, None),
                (
                    "Doubler les membres de l'espace collaboratif COMMUNOTIC",
                    None,
                    date(2020, 12, 31),
                ),
                ("Créer 1 500 parcours de formation multimodaux", None, date(2020, 12, 31)),
            ],
        ),
        (
            5,
            "Écosystème régional de la donnée",
            [
                ("Datacentres innovants, performants et éco-responsables", None, None),
                ("Datalab normand : 20 projets collaboratifs big data / open data", None, None),
            ],
        ),
        (
            6,
            "Innovation numérique",
            [
                ("Aménager et labelliser 30 tiers-lieux par an", None, date(2020, 12, 31)),
                ("Valoriser la Normandie lors des événements internationaux", None, None),
            ],
        ),
    ],
}

BASELINE_2017 = date(2017, 1, 1)
SIGNED = date(2017, 10, 25)

INDICATORS = [
    {
        "code": "emplois-filiere",
        "name": "Emplois de la filière numérique",
        "unit": "emplois",
        "baseline_value": Decimal("21000"),
        "baseline_date": BASELINE_2017,
        "computed_source": "observatory.numerique_jobs",
        "description": (
            "Référence du contrat : environ 21 000 emplois en 2017. Valeurs calculées : emplois "
            "salariés estimés (estimation centrale) des établissements actifs de la filière "
            "numérique dans le registre SIRENE."
        ),
    },
    {
        "code": "etablissements-filiere",
        "name": "Établissements de la filière numérique",
        "unit": "établissements",
        "baseline_value": Decimal("4000"),
        "baseline_date": BASELINE_2017,
        "computed_source": "observatory.numerique_establishments",
        "description": (
            "Référence du contrat : environ 4 000 établissements en 2017. Valeurs calculées : "
            "établissements actifs de la filière numérique dans le registre SIRENE."
        ),
    },
    {
        "code": "budget-engage",
        "name": "Budget régional du contrat engagé",
        "unit": "€",
        "baseline_value": Decimal("0"),
        "baseline_date": SIGNED,
        "target_value": Decimal("850000"),
        "deadline": date(2019, 12, 31),
        "computed_source": "programme.budget_committed",
        "description": "Somme des engagements enregistrés sur les actions du contrat.",
    },
    {
        "code": "budget-paye",
        "name": "Budget régional du contrat payé",
        "unit": "€",
        "baseline_value": Decimal("0"),
        "baseline_date": SIGNED,
        "target_value": Decimal("850000"),
        "deadline": date(2019, 12, 31),
        "computed_source": "programme.budget_paid",
        "description": "Somme des paiements enregistrés sur les engagements du contrat.",
    },
    {
        "code": "mises-en-relation",
        "name": "Mises en relation entre entreprises et prestataires du numérique",
        "unit": "mises en relation",
        "baseline_value": Decimal("0"),
        "baseline_date": SIGNED,
        "computed_source": "needs.matches_accepted",
        "description": (
            "Axe 1 (rencontres offre / demande) : demandes de contact acceptées par un "
            "prestataire. Le contrat ne chiffre pas de cible."
        ),
    },
    {
        "code": "contrats-signes",
        "name": "Contrats signés après une mise en relation",
        "unit": "contrats",
        "baseline_value": Decimal("0"),
        "baseline_date": SIGNED,
        "computed_source": "needs.contracts_signed",
        "description": "Axe 1 : contrats déclarés signés par l'entreprise ou le prestataire.",
    },
    {
        "code": "besoins-accompagnes",
        "name": "Besoins des entreprises du numérique traités avec un partenaire",
        "unit": "besoins",
        "baseline_value": Decimal("0"),
        "baseline_date": SIGNED,
        "computed_source": "support.needs_handled",
        "description": (
            "Axe 2 (ingénierie financière, export, GPEC…) : besoins orientés vers un bureau "
            "partenaire et traités. Le contrat ne chiffre pas de cible."
        ),
    },
    {
        "code": "rendez-vous-tenus",
        "name": "Rendez-vous d'affaires tenus entre entreprises et acteurs du numérique",
        "unit": "rendez-vous",
        "baseline_value": Decimal("0"),
        "baseline_date": SIGNED,
        "computed_source": "events.meetings_held",
        "description": (
            "Axe 1 : rendez-vous publiés et tenus (hors absents) lors des rencontres "
            "rattachées aux actions du contrat. Le contrat ne chiffre pas de cible."
        ),
    },
    {
        "code": "entreprises-delegations",
        "name": "Entreprises mobilisées sur les salons et missions internationaux",
        "unit": "entreprises",
        "baseline_value": Decimal("0"),
        "baseline_date": SIGNED,
        "computed_source": "events.firms_at_trade_shows",
        "description": (
            "Axe 3 (CES Las Vegas, Vivatech, missions San Francisco et New York) : "
            "entreprises retenues. Le contrat ne chiffre pas de cible."
        ),
    },
    {
        "code": "projets-innovants-labellises",
        "name": "Projets innovants labellisés par le pôle",
        "unit": "projets",
        "baseline_value": Decimal("0"),
        "baseline_date": SIGNED,
        "computed_source": "projects.labelled",
        "description": (
            "Axe 2 (ingénierie, labellisation, financement et suivi, Pôle TES) : projets dont "
            "le comité a décidé la labellisation. Le contrat ne chiffre pas de cible."
        ),
    },
    {
        "code": "projets-innovants-finances",
        "name": "Projets innovants financés",
        "unit": "projets",
        "baseline_value": Decimal("0"),
        "baseline_date": SIGNED,
        "computed_source": "projects.funded",
        "description": "Axe 2 : projets labellisés dont le financement est acquis.",
    },
    {
        "code": "financements-projets-innovants",
        "name": "Financements obtenus par les projets innovants",
        "unit": "€",
        "baseline_value": Decimal("0"),
        "baseline_date": SIGNED,
        "computed_source": "projects.amount_raised",
        "description": "Axe 2 : somme des financements enregistrés sur les projets du pôle.",
    },
    {
        "code": "entreprises-residences",
        "name": "Entreprises accueillies dans les résidences thématiques",
        "unit": "entreprises",
        "baseline_value": Decimal("0"),
        "baseline_date": SIGNED,
        "computed_source": "registers.firms_hosted",
        "description": (
            "Axe 2 : entreprises entrées dans les résidences Agri up (Colombelles), Tourism up "
            "(Deauville) et Smart port (Le Havre)."
        ),
    },
    {
        "code": "couverture-thd",
        "name": "Couverture de la région en très haut débit",
        "unit": "%",
        "pillar": 1,
        "target_value": Decimal("100"),
        "deadline": date(2025, 12, 31),
    },
    {
        "code": "lycees-fibre",
        "name": "Lycées raccordés à la fibre",
        "unit": "%",
        "pillar": 2,
        "target_value": Decimal("100"),
        "deadline": date(2017, 12, 31),
    },
    {
        "code": "membres-communotic",
        "name": "Membres de l'espace collaboratif COMMUNOTIC",
        "unit": "membres",
        "pillar": 4,
        "target_factor": Decimal("2"),
        "deadline": date(2020, 12, 31),
        "description": "Engagement : doubler le nombre de membres. La cible vaut deux fois la "
        "référence, à saisir.",
    },
    {
        "code": "parcours-formation",
        "name": "Parcours de formation multimodaux créés",
        "unit": "parcours",
        "pillar": 4,
        "baseline_value": Decimal("0"),
        "baseline_date": SIGNED,
        "target_value": Decimal("1500"),
        "deadline": date(2020, 12, 31),
        "computed_source": "registers.training_paths",
    },
    {
        "code": "projets-datalab",
        "name": "Projets collaboratifs du datalab normand",
        "unit": "projets",
        "pillar": 5,
        "baseline_value": Decimal("0"),
        "baseline_date": SIGNED,
        "target_value": Decimal("20"),
        "computed_source": "registers.datalab_projects",
    },
    {
        "code": "tiers-lieux-labellises",
        "name": "Tiers-lieux aménagés et labellisés dans l'année",
        "unit": "tiers-lieux par an",
        "pillar": 6,
        "target_value": Decimal("30"),
        "deadline": date(2020, 12, 31),
        "description": "Rythme annuel : 30 tiers-lieux par an à atteindre en 2020.",
        "computed_source": "registers.third_places_labelled_in_year",
    },
]

# Labels firms of the directory can carry, named by the contract, and the organisation whose
# coordinators grant each: the label network for French Tech, each network for its members,
# Pôle TES for the three residences it runs (action 2.3).
LABELS = [
    ("normandy-french-tech", "Normandy French Tech", "french_tech", "normandy-french-tech"),
    ("membre-pole-tes", "Membre du Pôle TES", "cluster", "pole-tes"),
    ("membre-nwx", "Membre de Normandy Web Expert", "cluster", "nwx"),
    ("residence-agri-up", "Résidence Agri up (Colombelles)", "residence", "pole-tes"),
    ("residence-tourism-up", "Résidence Tourism up (Deauville)", "residence", "pole-tes"),
    ("residence-smart-port", "Résidence Smart port (Le Havre)", "residence", "pole-tes"),
]
