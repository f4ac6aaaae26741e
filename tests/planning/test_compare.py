"""Pure: what changed between two years' items, by stable key."""

from solna_sn.planning import Item, compare


def test_added_reworded_and_removed_items_by_key():
    old = [
        Item("a", "Nämndmål 1", "Stöd så att solnaborna tar tillvara egna resurser."),
        Item("b", "Nämndmål 2", "Hållbara lösningar på hemmaplan.", "Beskrivning"),
        Item("c", "Nämndmål 3", "Barn och unga far inte illa."),
    ]
    new = [
        Item("a", "Nämndmål 1", "Stöd så att solnaborna tar tillvara sina egna resurser."),
        Item("b", "Nämndmål 2", "Hållbara lösningar  på\nhemmaplan.", "Ny beskrivning"),
        Item("d", "Nämndmål 3", "Ett nytt mål."),
    ]
    changes = [(c.kind, c.label, c.old, c.new) for c in compare(old, new)]
    assert changes == [
        (
            "Omformulerat",
            "Nämndmål 1",
            "Stöd så att solnaborna tar tillvara egna resurser.",
            "Stöd så att solnaborna tar tillvara sina egna resurser.",
        ),
        # Whitespace is no rewording; the description is reported on its own.
        ("Ändrat", "Nämndmål 2, beskrivning", "Beskrivning", "Ny beskrivning"),
        ("Tillagt", "Nämndmål 3", "", "Ett nytt mål."),
        ("Borttaget", "Nämndmål 3", "Barn och unga far inte illa.", ""),
    ]


def test_the_same_items_are_no_change():
    items = [Item("a", "Risk 1", "Felaktiga utbetalningar", "Stickprov")]
    assert compare(items, list(items)) == []
