"""The 17 goals of Agenda 2030 (FN:s globala mål) with their Swedish names. Pure data.

Loaded into `Agenda2030Goal` by the data migration and, idempotently, by
`services.ensure_agenda2030` (tests that flush the database need them back).
"""

GOALS: tuple[tuple[int, str], ...] = (
    (1, "Ingen fattigdom"),
    (2, "Ingen hunger"),
    (3, "God hälsa och välbefinnande"),
    (4, "God utbildning för alla"),
    (5, "Jämställdhet"),
    (6, "Rent vatten och sanitet för alla"),
    (7, "Hållbar energi för alla"),
    (8, "Anständiga arbetsvillkor och ekonomisk tillväxt"),
    (9, "Hållbar industri, innovationer och infrastruktur"),
    (10, "Minskad ojämlikhet"),
    (11, "Hållbara städer och samhällen"),
    (12, "Hållbar konsumtion och produktion"),
    (13, "Bekämpa klimatförändringarna"),
    (14, "Hav och marina resurser"),
    (15, "Ekosystem och biologisk mångfald"),
    (16, "Fredliga och inkluderande samhällen"),
    (17, "Genomförande och globalt partnerskap"),
)


def label(number: int, name: str) -> str:
    """As the plans print it: "Mål 10 Minskad ojämlikhet"."""
    return f"Mål {number} {name}"
