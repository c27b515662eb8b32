"""The closed vocabularies of the user graph: memory kinds, entity types, relation types.

Every relation type here has its own branch in `cypher/memory/*.cypher` (Cypher cannot take a
relationship type as a parameter on every server), and a test keeps the two in step.
"""

from __future__ import annotations

from typing import Literal, get_args

Kind = Literal["fact", "preference", "event", "plan", "relationship", "trait"]
EntityType = Literal["person", "place", "organization", "pet", "product", "event", "concept"]
KINDS: tuple[str, ...] = get_args(Kind)
ENTITY_TYPES: tuple[str, ...] = get_args(EntityType)

# One valid value at a time: a new value invalidates the edge (and memory) it replaces.
FUNCTIONAL = frozenset({"LIVES_IN", "WORKS_AT", "STUDIES_AT", "MARRIED_TO", "PARTNER_OF"})
RELATION_TYPES = (
    "LIVES_IN",
    "WORKS_AT",
    "STUDIES_AT",
    "MARRIED_TO",
    "PARTNER_OF",
    "FROM",
    "HAS_PET",
    "SIBLING_OF",
    "PARENT_OF",
    "CHILD_OF",
    "FRIEND_OF",
    "COLLEAGUE_OF",
    "LIKES",
    "DISLIKES",
    "ALLERGIC_TO",
    "MEMBER_OF",
    "VISITED",
    "OWNS",
    "PLAYS",
    "RELATED_TO",
)
# Opposites: a new LIKES of a thing ends its DISLIKES, and the other way round.
OPPOSITE = {"LIKES": "DISLIKES", "DISLIKES": "LIKES"}

# Family and social roles: "my sister (Anna)" -> relation type and a role noun for "Alice's sister".
ROLES: dict[str, tuple[str, str]] = {
    "sister": ("SIBLING_OF", "sister"),
    "brother": ("SIBLING_OF", "brother"),
    "sibling": ("SIBLING_OF", "sibling"),
    "twin": ("SIBLING_OF", "twin"),
    "sis": ("SIBLING_OF", "sister"),
    "bro": ("SIBLING_OF", "brother"),
    "son": ("PARENT_OF", "son"),
    "daughter": ("PARENT_OF", "daughter"),
    "kid": ("PARENT_OF", "kid"),
    "child": ("PARENT_OF", "child"),
    "baby": ("PARENT_OF", "baby"),
    "mom": ("CHILD_OF", "mother"),
    "mum": ("CHILD_OF", "mother"),
    "mother": ("CHILD_OF", "mother"),
    "mommy": ("CHILD_OF", "mother"),
    "dad": ("CHILD_OF", "father"),
    "father": ("CHILD_OF", "father"),
    "daddy": ("CHILD_OF", "father"),
    "parent": ("CHILD_OF", "parent"),
    "husband": ("MARRIED_TO", "husband"),
    "wife": ("MARRIED_TO", "wife"),
    "spouse": ("MARRIED_TO", "spouse"),
    "hubby": ("MARRIED_TO", "husband"),
    "boyfriend": ("PARTNER_OF", "boyfriend"),
    "girlfriend": ("PARTNER_OF", "girlfriend"),
    "partner": ("PARTNER_OF", "partner"),
    "fiance": ("PARTNER_OF", "fiancé"),
    "fiancé": ("PARTNER_OF", "fiancé"),
    "fiancee": ("PARTNER_OF", "fiancée"),
    "fiancée": ("PARTNER_OF", "fiancée"),
    "friend": ("FRIEND_OF", "friend"),
    "bestie": ("FRIEND_OF", "best friend"),
    "roommate": ("FRIEND_OF", "roommate"),
    "neighbor": ("FRIEND_OF", "neighbor"),
    "neighbour": ("FRIEND_OF", "neighbour"),
    "coworker": ("COLLEAGUE_OF", "coworker"),
    "co-worker": ("COLLEAGUE_OF", "coworker"),
    "colleague": ("COLLEAGUE_OF", "colleague"),
    "boss": ("COLLEAGUE_OF", "boss"),
    "manager": ("COLLEAGUE_OF", "manager"),
    "grandma": ("RELATED_TO", "grandmother"),
    "grandmother": ("RELATED_TO", "grandmother"),
    "grandpa": ("RELATED_TO", "grandfather"),
    "grandfather": ("RELATED_TO", "grandfather"),
    "aunt": ("RELATED_TO", "aunt"),
    "uncle": ("RELATED_TO", "uncle"),
    "cousin": ("RELATED_TO", "cousin"),
    "niece": ("RELATED_TO", "niece"),
    "nephew": ("RELATED_TO", "nephew"),
    "mentor": ("RELATED_TO", "mentor"),
}
PETS = frozenset(
    {
        "dog", "cat", "puppy", "kitten", "pup", "hamster", "rabbit", "bunny", "parrot", "bird",
        "fish", "goldfish", "turtle", "tortoise", "horse", "pony", "snake", "lizard", "gecko",
        "guinea pig", "ferret", "chicken", "pig", "goat", "rat", "mouse", "bearded dragon", "iguana",
        "hedgehog", "chinchilla", "budgie", "parakeet", "cockatiel", "axolotl", "tarantula", "doggo",
        "retriever", "labrador", "poodle", "terrier", "beagle", "husky", "corgi", "pug",
        "dachshund", "german shepherd", "bulldog", "chihuahua", "spaniel", "collie", "greyhound",
        "labradoodle",
        "goldendoodle", "doberman", "rottweiler", "schnauzer", "pomeranian", "shih tzu",
    }
)  # fmt: skip
# The last word of an organisation's name: "St. David's Medical Center", "Mayo Clinic", "Acme Inc".
ORG_HEADS = frozenset(
    {
        "Center", "Centre", "Hospital", "Clinic", "University", "College", "Institute", "Academy",
        "Inc", "Inc.", "Corp", "Corp.", "Corporation", "LLC", "Ltd", "Ltd.", "GmbH", "Company",
        "Foundation", "Bank", "Labs", "Laboratories", "Infirmary", "Hospice",
    }
)  # fmt: skip
