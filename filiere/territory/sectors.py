"""The digital sector as shipped with Filière (slug ``numerique``).

The list follows the OECD's definition of the ICT sector (2007), which INSEE
uses for its « secteur des technologies de l'information et de la
communication » in NAF rev. 2: ICT manufacturing, ICT wholesale, software
publishing, telecommunications, IT services, data processing, hosting and
portals, and repair of computers and communication equipment.
"""

DIGITAL_SECTOR = {
    "slug": "numerique",
    "name": "Numérique (secteur des TIC)",
    "source": (
        "OCDE, définition du secteur des TIC (2007), déclinée en NAF rév. 2 par l'INSEE "
        "(« secteur des technologies de l'information et de la communication »)."
    ),
    "codes": [
        ("26.11Z", "Fabrication de composants électroniques — fabrication TIC"),
        ("26.12Z", "Fabrication de cartes électroniques assemblées — fabrication TIC"),
        ("26.20Z", "Fabrication d'ordinateurs et d'équipements périphériques — fabrication TIC"),
        ("26.30Z", "Fabrication d'équipements de communication — fabrication TIC"),
        ("26.40Z", "Fabrication de produits électroniques grand public — fabrication TIC"),
        ("26.80Z", "Fabrication de supports magnétiques et optiques — fabrication TIC"),
        ("46.51Z", "Commerce de gros d'ordinateurs et de logiciels — commerce de gros TIC"),
        ("46.52Z", "Commerce de gros de composants électroniques — commerce de gros TIC"),
        ("58.21Z", "Édition de jeux électroniques — édition de logiciels"),
        ("58.29A", "Édition de logiciels système et de réseau — édition de logiciels"),
        ("58.29B", "Édition de logiciels outils de développement — édition de logiciels"),
        ("58.29C", "Édition de logiciels applicatifs — édition de logiciels"),
        ("61.10Z", "Télécommunications filaires"),
        ("61.20Z", "Télécommunications sans fil"),
        ("61.30Z", "Télécommunications par satellite"),
        ("61.90Z", "Autres activités de télécommunication"),
        ("62.01Z", "Programmation informatique — services informatiques"),
        ("62.02A", "Conseil en systèmes et logiciels informatiques — services informatiques"),
        ("62.02B", "Tierce maintenance de systèmes et d'applications — services informatiques"),
        ("62.03Z", "Gestion d'installations informatiques — services informatiques"),
        ("62.09Z", "Autres activités informatiques — services informatiques"),
        ("63.11Z", "Traitement de données, hébergement — traitement de données"),
        ("63.12Z", "Portails Internet — portails"),
        ("95.11Z", "Réparation d'ordinateurs et d'équipements périphériques — réparation"),
        ("95.12Z", "Réparation d'équipements de communication — réparation"),
    ],
}

# The sector the platform's pages open on (the observatory's figures, the directory's search):
# the digital sector the reference contract is about. « Toutes activités » stays a choice.
DEFAULT_SECTOR = DIGITAL_SECTOR["slug"]
