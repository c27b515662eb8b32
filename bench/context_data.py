"""Synthetic memories for the context bench: realistic, varied facts about one person, in the third
person as an importer would send them ("Sam lives in Lisbon.", "Sam's sister Ana works at Siemens
as a nurse."), and natural questions about them.

Each user has a cast drawn once from their seed (home, employer, family, friends, pets, ...) that
their memories keep coming back to, as a real person's do: the same sister, the same dog, the same
few friends, so the graph has hubs and the functional facts (where they live, where they work, who
they are married to) rarely change. Around them, most memories are one-off: a trip, a concert, a
dish, a book, a date. Templates x slot values make the texts nearly all distinct. Everything is
derived from (seed, external id, index): the same user gets the same memories on every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


def _words(text: str) -> list[str]:
    """A list written as words; "_" joins the words of one item ("Mexico_City")."""
    return [w.replace("_", " ") for w in text.split()]


FIRST_NAMES = _words("""Ana Marco Emma Liam Noor Yuki Priya Mateo Olivia Lucas Chloe Arjun Sofia Ethan Mia
Hiro Leila Omar Zoe Ivan Elena Tomas Ingrid Kofi Amara Diego Hana Rafael Julia Felix Nina Andre
Clara Samir Aisha Jonas Freya Luca Maya Daniel Rosa Viktor Lena Pablo Alice Ben Carla David Eva
Farah George Helena Isaac Jade Kai Laura Malik Nadia Oscar Paula Quentin Rita Stefan Tara Umar Vera
Wes Ximena Yara Zane Bruno Celia Dmitri Esther Fatima Gabriel Hugo Irene Jorge Kenji Lucia Mateus
Nora Otto Petra Ravi Sara Theo Ursula Valentina Wanda Yusuf Zara Aiden Bianca Cyrus Dalia Emil
Flora Goran Hedda Ilya Jasmin Karim Lotte Mirela Niko Olga Pia Reza Selma Teo Uma Vito""")
SURNAMES = _words("""Silva Novak Tanaka Okafor Schmidt Rossi Dubois Kowalski Haddad Lindqvist Moreau Petrov
Garcia Nakamura Mensah Fischer Costa Jensen Horvat Ibrahim""")
CITIES = _words("""Lisbon Porto Madrid Barcelona Valencia Seville Paris Lyon Marseille Berlin Munich Hamburg
Cologne Vienna Zurich Geneva Amsterdam Rotterdam Brussels Antwerp Copenhagen Stockholm Oslo Helsinki
Dublin London Manchester Edinburgh Glasgow Bristol Prague Warsaw Krakow Budapest Bucharest Athens
Rome Milan Naples Florence Venice Turin Istanbul Tokyo Osaka Kyoto Seoul Busan Singapore Bangkok
Hanoi Manila Jakarta Sydney Melbourne Auckland Toronto Montreal Vancouver Boston Chicago Seattle
Portland Denver Austin Miami Atlanta Nairobi Lagos Accra Cairo Marrakesh Johannesburg Lima Bogota
Santiago Mexico_City Buenos_Aires Rio_de_Janeiro Sao_Paulo Reykjavik Tallinn Riga Vilnius Ljubljana
Zagreb Split Dubrovnik Bordeaux Nice Salzburg Innsbruck Bologna Granada Bilbao""")
COUNTRIES = _words("""Portugal Spain France Germany Italy Greece Japan Korea Thailand Vietnam Indonesia
Australia Canada Mexico Peru Chile Argentina Brazil Morocco Kenya Ghana Egypt Iceland Norway Sweden
Finland Denmark Ireland Scotland Croatia Slovenia Austria Switzerland Poland Hungary Turkey India
Nepal Georgia Colombia""")
ORGS = _words("""Siemens Google Microsoft Amazon Spotify Deloitte Accenture Philips Bosch Nokia Ericsson IKEA
Zalando SAP Airbus Unilever Nestle Novartis Roche Bayer BMW Volkswagen Renault Airbnb Booking.com
Adyen Revolut Monzo Stripe Shopify Salesforce Oracle IBM Intel Nvidia Tesla Netflix Uber Lufthansa
KLM Heineken Danone Lego Maersk Vodafone Telefonica Santander ING Allianz AXA Pfizer Moderna Canva
Atlassian Figma Notion Dropbox Slack Zoom Oxfam UNICEF""")
JOBS = [
    "nurse", "teacher", "software engineer", "architect", "designer", "accountant", "lawyer", "chef",
    "pharmacist", "journalist", "photographer", "data analyst", "product manager", "dentist",
    "physiotherapist", "electrician", "translator", "marketing manager", "researcher", "veterinarian",
    "consultant", "baker", "librarian", "pilot", "mechanical engineer", "social worker", "midwife",
    "economist", "barista", "paramedic",
]  # fmt: skip
HOBBIES = [
    "hiking", "climbing", "cycling", "swimming", "running", "yoga", "pottery", "painting", "knitting",
    "gardening", "baking", "photography", "birdwatching", "chess", "board games", "surfing", "skiing",
    "sailing", "kayaking", "fishing", "camping", "woodworking", "calligraphy", "salsa dancing",
    "tango", "bouldering", "scuba diving", "journaling", "crosswords", "video games", "origami",
    "sourdough baking", "trail running", "stand-up paddling", "archery", "fencing", "karaoke",
    "jigsaw puzzles", "embroidery", "beekeeping",
]  # fmt: skip
FOODS = [
    "sushi", "ramen", "pizza", "tacos", "pad thai", "paella", "lasagna", "dumplings", "pho", "curry",
    "falafel", "hummus", "risotto", "pierogi", "bibimbap", "croissants", "dark chocolate",
    "cheesecake", "mango", "avocado toast", "goulash", "moussaka", "ceviche", "empanadas",
    "shakshuka", "tiramisu", "gelato", "kimchi", "tempura", "burritos", "pancakes", "bagels",
    "miso soup", "couscous", "tapas", "fish and chips", "spring rolls", "gnocchi", "baklava",
    "churros",
]  # fmt: skip
DISLIKES = [
    "olives", "mushrooms", "cilantro", "anchovies", "blue cheese", "licorice", "liver", "oysters",
    "brussels sprouts", "coffee", "horror films", "crowded beaches", "reality TV", "jazz",
    "early mornings", "cold weather", "spicy food", "pineapple on pizza",
]  # fmt: skip
ALLERGENS = [
    "peanuts", "shellfish", "cats", "pollen", "dust mites", "penicillin", "gluten", "lactose",
    "eggs", "soy", "tree nuts", "sesame", "bee stings", "latex", "strawberries", "kiwi",
]  # fmt: skip
LANGUAGES = [
    "Japanese", "Spanish", "Portuguese", "German", "French", "Italian", "Korean", "Mandarin",
    "Arabic", "Dutch", "Swedish", "Norwegian", "Greek", "Turkish", "Polish", "Russian", "Hindi",
    "Swahili", "Vietnamese", "Icelandic",
]  # fmt: skip
INSTRUMENTS = [
    "the piano", "the guitar", "the violin", "the cello", "the drums", "the ukulele", "the flute",
    "the saxophone", "the trumpet", "the bass guitar", "the harp", "the accordion",
]  # fmt: skip
SPORTS = [
    "tennis", "football", "basketball", "volleyball", "badminton", "squash", "padel", "golf",
    "rugby", "table tennis", "handball", "water polo", "ice hockey", "cricket", "baseball",
]  # fmt: skip
BANDS = [
    "Radiohead", "Coldplay", "Arctic Monkeys", "Taylor Swift", "Beyonce", "Daft Punk", "Adele",
    "Muse", "Metallica", "Bon Iver", "Fleetwood Mac", "Queen", "U2", "Rosalia", "Billie Eilish",
    "Kendrick Lamar", "The Beatles", "Pink Floyd", "Florence and the Machine", "Tame Impala",
    "Dua Lipa", "Ed Sheeran", "Lizzo", "The Strokes", "Bruce Springsteen", "Norah Jones",
    "Massive Attack", "Portishead", "Bjork", "ABBA",
]  # fmt: skip
BOOKS = [
    ("Dune", "Frank Herbert"), ("Middlemarch", "George Eliot"), ("Beloved", "Toni Morrison"),
    ("The Remains of the Day", "Kazuo Ishiguro"), ("Norwegian Wood", "Haruki Murakami"),
    ("One Hundred Years of Solitude", "Gabriel Garcia Marquez"), ("Sapiens", "Yuval Noah Harari"),
    ("The Hobbit", "J. R. R. Tolkien"), ("Circe", "Madeline Miller"), ("Educated", "Tara Westover"),
    ("The Overstory", "Richard Powers"), ("Pachinko", "Min Jin Lee"), ("Atomic Habits", "James Clear"),
    ("The Name of the Wind", "Patrick Rothfuss"), ("Normal People", "Sally Rooney"),
    ("Project Hail Mary", "Andy Weir"), ("The Left Hand of Darkness", "Ursula K. Le Guin"),
    ("Anna Karenina", "Leo Tolstoy"), ("The Road", "Cormac McCarthy"),
    ("Klara and the Sun", "Kazuo Ishiguro"),
]  # fmt: skip
PET_KINDS = ["dog", "cat", "rabbit", "parrot", "hamster", "guinea pig", "tortoise", "ferret"]
PET_NAMES = _words("""Biscuit Miso Pepper Luna Rex Mochi Olive Ziggy Nala Bruno Coco Pixel Maple Ginger
Noodle Otis Pickles Juniper Tofu Waffles Clementine Bean Sushi Rocket Poppy Oreo Hazel Kiwi Rufus
Marble""")
CARS = [
    "Toyota Corolla", "Volkswagen Golf", "Tesla Model 3", "Honda Civic", "Renault Clio", "Fiat 500",
    "Volvo XC40", "Mini Cooper", "Skoda Octavia", "Kia Niro", "Peugeot 208", "Nissan Leaf",
]  # fmt: skip
UNIVERSITIES = [
    "the University of Lisbon", "Oxford University", "ETH Zurich", "the Sorbonne", "TU Munich",
    "the University of Edinburgh", "Trinity College Dublin", "KU Leuven", "the University of Tokyo",
    "McGill University", "the University of Melbourne", "Delft University of Technology",
    "the University of Copenhagen", "Imperial College London", "the University of Barcelona",
]  # fmt: skip
SUBJECTS = [
    "economics", "biology", "architecture", "computer science", "history", "philosophy",
    "chemistry", "mechanical engineering", "psychology", "linguistics", "law", "medicine",
    "mathematics", "graphic design", "nursing",
]  # fmt: skip
CLUBS = [
    "a running club", "a book club", "a chess club", "a choir", "a climbing gym", "a cycling club",
    "a community garden", "a rowing club", "a photography society", "a hiking group",
]  # fmt: skip
CUISINES = [
    "Italian", "Japanese", "Thai", "Lebanese", "Mexican", "Ethiopian", "Korean", "Vietnamese",
    "Georgian", "Peruvian", "Indian", "Greek", "Turkish", "Spanish", "French",
]  # fmt: skip
DRINKS = ["green tea", "black coffee", "espresso", "oat milk lattes", "matcha", "chai", "kombucha"]
FILMS = [
    "Spirited Away", "Parasite", "Amelie", "Inception", "The Godfather", "Everything Everywhere All at Once",
    "Casablanca", "Arrival", "Roma", "Past Lives", "Oppenheimer", "Dune", "Paddington 2",
    "Before Sunrise", "The Grand Budapest Hotel", "Drive My Car", "Perfect Days", "Aftersun",
]  # fmt: skip
CELEBRATIONS = [
    "a birthday", "an anniversary", "New Year's Eve", "Christmas", "a graduation", "a housewarming",
    "Easter", "Thanksgiving", "a retirement party", "an engagement party",
]  # fmt: skip
MOUNTAINS = [
    "the Alps", "the Pyrenees", "the Dolomites", "the Rockies", "the Andes", "the Highlands",
    "the Tatras", "the Atlas Mountains", "the Julian Alps", "Mount Fuji",
]  # fmt: skip
TOPICS = [
    "machine learning", "climate", "design", "healthcare", "fintech", "education", "robotics",
    "urban planning", "nutrition", "photography",
]  # fmt: skip
MONTHS = _words("""January February March April May June July August September October November
December""")
WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
SEASONS = ["spring", "summer", "autumn", "winter"]
YEARS = [str(y) for y in range(2012, 2026)]
FUTURE_YEARS = ["2026", "2027"]
RETRIES = 30  # draws before a repeated text is accepted

# Functional facts (where they live and work, whom they are married to) use the cast's one value:
# the same fact said again is one more memory about it, not a move.
TEMPLATES = [
    # home, work, studies, origins
    "{name} lives in {home}.",
    "{name} lives in {home} with {partner_role} {partner}.",
    "{name} works at {employer} as a {job}.",
    "{name} has worked at {employer} since {year}.",
    "{name} works as a {job} at {employer} in {home}.",
    "{name} got promoted at {employer} in {month} {year}.",
    "{name} studied {subject} at {university}.",
    "{name} graduated from {university} in {year}.",
    "{name} grew up in {hometown}.",
    "{name} was born in {hometown} in {birth_year}.",
    "{name} moved to {home} in {month} {year} for the job at {employer}.",
    "{name} commutes to {employer} by bike.",
    "{name} works from home on {weekday}s.",
    "{name} gave a talk about {topic} at {employer} in {month} {year}.",
    "{name} attended a {topic} conference in {city} in {month} {year}.",
    "{name} mentors two junior colleagues at {employer}.",
    "{name} is the team lead of the {topic} team at {employer}.",
    # likes, dislikes, food, allergies, diet
    "{name} likes {hobby}.",
    "{name} loves {food}.",
    "{name} enjoys {hobby} on weekends.",
    "{name} really likes {cuisine} food.",
    "{name} loves cooking {food} for friends.",
    "{name} hates {dislike}.",
    "{name} dislikes {dislike}.",
    "{name} can't stand {dislike}.",
    "{name} is allergic to {allergen}.",
    "{name} found out about being allergic to {allergen} in {year}.",
    "{name} drinks {drink} every morning.",
    "{name}'s favourite food is {food}.",
    "{name}'s favourite dessert is {dessert}.",
    "{name}'s favourite band is {band}.",
    "{name}'s favourite film is {film}.",
    "{name}'s favourite city is {city}.",
    "{name} prefers {drink} to coffee.",
    "{name} is a big fan of {band}.",
    "{name} always orders {food} at {cuisine} restaurants.",
    "{name} learned to make {food} in a cooking class in {city}.",
    # hobbies, sports, music, languages, books, films
    "{name} plays {instrument}.",
    "{name} has played {instrument} since {year}.",
    "{name} started taking {instrument_plain} lessons in {month} {year}.",
    "{name} plays {sport} with {friend} every {weekday}.",
    "{name} plays {sport} on {weekday} evenings.",
    "{name} joined {club} in {month} {year}.",
    "{name} is a member of {club}.",
    "{name} started learning {language} in {month} {year}.",
    "{name} speaks {language} fluently.",
    "{name} is learning {language} with an app.",
    "{name} passed a {language} exam in {month} {year}.",
    "{name} is reading {book} by {author}.",
    "{name} finished reading {book} in {month} {year}.",
    "{name} loved the book {book}.",
    "{name} watched {film} with {partner} on {weekday}.",
    "{name} saw {film} at a cinema in {home} in {month} {year}.",
    "{name} ran a half marathon in {city} in {month} {year}.",
    "{name} ran the {city} marathon in {year}.",
    "{name} goes {hobby} with {friend} most weekends.",
    "{name} took up {hobby} in {year}.",
    "{name} gave up {hobby} in {year}.",
    "{name} won a {sport} tournament in {home} in {year}.",
    "{name} signed up for a {hobby} course in {month} {year}.",
    "{name} bought a new bike in {month} {year}.",
    "{name} practises yoga every {weekday} morning.",
    "{name} went skiing in {mountains} in {month} {year}.",
    "{name} went hiking in {mountains} with {friend} in {month} {year}.",
    # music and events
    "{name} saw {band} live in {city} on {day} {month} {year}.",
    "{name} went to a {band} concert in {city} in {month} {year}.",
    "{name} bought tickets for the {band} concert in {city} in {month} {future_year}.",
    "{name} went to a jazz festival in {city} in {season} {year}.",
    "{name} celebrated {celebration} with {name}'s {family_role} {family} in {city} in {month} {year}.",
    "{name} celebrated {celebration} with {friend} in {home}.",
    "{name} threw a surprise party for {partner} in {month} {year}.",
    "{name} went to {friend}'s wedding in {city} on {day} {month} {year}.",
    "{name} gave a speech at {friend}'s wedding in {year}.",
    "{name} attended a pottery workshop in {city} in {month} {year}.",
    # travel
    "{name} visited {city} in {month} {year}.",
    "{name} travelled to {country} with {partner} in {month} {year}.",
    "{name} spent two weeks in {country} in {season} {year}.",
    "{name} went on a road trip through {country} in {year}.",
    "{name} flew to {city} for work in {month} {year}.",
    "{name} went backpacking in {country} in {year}.",
    "{name} spent Christmas {year} in {city} with {name}'s {family_role} {family}.",
    "{name} took the train from {city} to {city2} in {month} {year}.",
    "{name} visited {friend} in {city} in {month} {year}.",
    "{name} stayed in a cabin near {city} in {season} {year}.",
    "{name} went scuba diving in {country} in {year}.",
    "{name} loved the food in {city}.",
    "{name} is planning a trip to {country} in {month} {future_year}.",
    "{name} wants to visit {city} next year.",
    "{name} is going to {city} for a conference in {month} {future_year}.",
    "{name} hopes to see the northern lights in {northern} one day.",
    "{name} plans to run the {city} marathon next year.",
    "{name} wants to learn {language} before the trip to {country}.",
    # family
    "{name}'s sister {sister} works at {sister_org} as a {sister_job}.",
    "{name}'s sister {sister} lives in {sister_city}.",
    "{name}'s sister {sister} loves {hobby}.",
    "{name}'s sister {sister} is allergic to {allergen}.",
    "{name}'s sister {sister} had a baby in {month} {year}.",
    "{name}'s sister {sister} visited {name} in {home} in {month} {year}.",
    "{name}'s brother {brother} works at {brother_org}.",
    "{name}'s brother {brother} lives in {brother_city}.",
    "{name}'s brother {brother} plays {sport}.",
    "{name}'s brother {brother} studied {subject} at {university}.",
    "{name}'s brother {brother} got married in {city} in {month} {year}.",
    "{name}'s mother {mother} lives in {hometown}.",
    "{name}'s mother {mother} loves {hobby}.",
    "{name}'s mother {mother} retired in {year}.",
    "{name}'s mother {mother} taught {name} to make {food}.",
    "{name}'s father {father} lives in {hometown}.",
    "{name}'s father {father} worked as a {job} for thirty years.",
    "{name}'s father {father} is allergic to {allergen}.",
    "{name}'s father {father} likes {hobby}.",
    "{name}'s {partner_role} {partner} works at {partner_org}.",
    "{name}'s {partner_role} {partner} is a {partner_job}.",
    "{name}'s {partner_role} {partner} loves {food}.",
    "{name}'s {partner_role} {partner} is learning {language}.",
    "{name} met {partner} in {city} in {meet_year}.",
    "{name} and {partner} went to {city} for their anniversary in {month} {year}.",
    "{name}'s {kid_role} {kid} started school in {month} {year}.",
    "{name}'s {kid_role} {kid} loves {hobby}.",
    "{name}'s {kid_role} {kid} is allergic to {allergen}.",
    "{name}'s {kid_role} {kid} plays {sport}.",
    "{name}'s cousin {person} lives in {city}.",
    "{name}'s aunt {person} lives in {city}.",
    "{name}'s uncle {person} works at {org}.",
    "{name}'s grandmother {person} turned ninety in {month} {year}.",
    # friends and colleagues
    "{name}'s friend {friend} lives in {friend_city}.",
    "{name}'s friend {friend} works at {friend_org}.",
    "{name}'s friend {friend} loves {hobby}.",
    "{name}'s friend {friend} is a {job}.",
    "{name}'s best friend is {best_friend}.",
    "{name}'s best friend {best_friend} lives in {friend_city}.",
    "{name} has known {best_friend} since school.",
    "{name} had dinner with {friend} at a {cuisine} restaurant in {home} on {day} {month} {year}.",
    "{name} had lunch with {friend} in {home} in {month} {year}.",
    "{name} helped {friend} move to {city} in {month} {year}.",
    "{name} met {friend} for coffee in {home} on {weekday}.",
    "{name} and {friend} went to {city} together in {month} {year}.",
    "{name} and {friend} play {sport} together.",
    "{name}'s colleague {colleague} is a {job}.",
    "{name}'s colleague {colleague} lives in {colleague_city}.",
    "{name}'s colleague {colleague} loves {food}.",
    "{name} worked with {colleague} on a {topic} project in {year}.",
    "{name}'s neighbour {neighbour} has a {pet_kind}.",
    "{name} met a {job} named {person} at a conference in {city}.",
    "{name}'s manager {manager} works at {employer}.",
    # pets
    "{name} has a {pet_kind} named {pet}.",
    "{name} adopted a {pet_kind} named {pet} in {month} {year}.",
    "{name}'s {pet_kind} {pet} loves {pet_thing}.",
    "{name}'s {pet_kind} {pet} is scared of {pet_fear}.",
    "{name}'s {pet_kind} {pet} turned {pet_age} in {month} {year}.",
    "{name} takes {pet} to the vet in {home}.",
    "{name}'s {pet_kind} {pet} is allergic to chicken.",
    # things, health, traits, plans
    "{name} bought a {car} in {month} {year}.",
    "{name} drives a {car}.",
    "{name} sold the old {car} in {year}.",
    "{name} is vegetarian.",
    "{name} is lactose intolerant.",
    "{name} is an early riser.",
    "{name} is very organised.",
    "{name} is shy in large groups.",
    "{name} broke an arm skiing in {mountains} in {year}.",
    "{name} had knee surgery in {month} {year}.",
    "{name} wears glasses.",
    "{name} volunteers at {ngo} on Saturdays.",
    "{name} donated to {ngo} in {month} {year}.",
    "{name} is saving money to buy a flat in {home}.",
    "{name} plans to adopt a {pet_kind}.",
    "{name} wants to learn {instrument_plain} next year.",
    "{name} is thinking about moving to {city}.",
    "{name} is planning to run a marathon in {season} {future_year}.",
    "{name} will start a new {hobby} class in {month} {future_year}.",
    "{name} hopes to visit {friend} in {friend_city} this year.",
    "{name} renovated the kitchen in {month} {year}.",
    "{name} planted tomatoes in the garden in {month} {year}.",
    "{name} got a tattoo in {city} in {year}.",
    "{name} learned to swim in {year}.",
    "{name} passed the driving test in {month} {year}.",
]

PARTNER_ROLES = ["wife", "husband", "partner", "girlfriend", "boyfriend"]
KID_ROLES = ["daughter", "son"]
PET_THINGS = ["the beach", "tennis balls", "long walks", "the park", "carrots", "belly rubs", "the snow"]
PET_FEARS = ["thunder", "the vacuum cleaner", "fireworks", "the postman", "umbrellas"]
DESSERTS = ["tiramisu", "cheesecake", "baklava", "churros", "gelato", "apple pie", "creme brulee"]
NGOS = ["Oxfam", "UNICEF", "the Red Cross", "a food bank", "an animal shelter", "Doctors Without Borders"]
NORTHERN = ["Iceland", "Norway", "Finland", "Sweden", "Canada"]

QUESTIONS = [
    "Where does {name} live?",
    "Where does {name} work?",
    "What is {name}'s job?",
    "What is {name} allergic to?",
    "What food does {name} like?",
    "What does {name} like to eat?",
    "What does {name} dislike?",
    "What are {name}'s hobbies?",
    "What does {name} do on weekends?",
    "Which cities has {name} visited?",
    "Where has {name} travelled?",
    "Where is {name} planning to travel?",
    "What languages is {name} learning?",
    "Which languages does {name} speak?",
    "What instrument does {name} play?",
    "What sports does {name} play?",
    "Which concerts has {name} been to?",
    "What is {name}'s favourite band?",
    "What books has {name} read?",
    "What films does {name} like?",
    "Who is {name}'s sister?",
    "Where does {name}'s sister work?",
    "Where does {name}'s brother live?",
    "Who is {name}'s partner?",
    "Where does {name}'s partner work?",
    "Does {name} have kids?",
    "Who are {name}'s friends?",
    "Who is {name}'s best friend?",
    "Where does {name}'s best friend live?",
    "What pets does {name} have?",
    "What is the name of {name}'s pet?",
    "When did {name} adopt a pet?",
    "What car does {name} drive?",
    "Where did {name} grow up?",
    "Where did {name} study?",
    "What did {name} study?",
    "When did {name} start learning a language?",
    "Who did {name} have dinner with recently?",
    "Which weddings did {name} go to?",
    "What did {name} do for the anniversary?",
    "Is {name} vegetarian?",
    "Does {name} have any health issues?",
    "What are {name}'s plans for next year?",
    "What clubs is {name} a member of?",
    "Where does {name}'s mother live?",
    "What does {name}'s father like?",
    "Who are {name}'s colleagues?",
    "What does {name} drink in the morning?",
    "When did {name} run a marathon?",
    "What conferences has {name} attended?",
]


@dataclass(frozen=True, slots=True)
class Cast:
    """The people, places and things one user's memories keep coming back to."""

    values: dict[str, str]
    friends: list[str]
    colleagues: list[str]
    pets: list[tuple[str, str]]  # (kind, name)


def _cast(rng: random.Random, name: str) -> Cast:
    people = [n for n in rng.sample(FIRST_NAMES, 32) if n != name]
    org = rng.sample(ORGS, 6)
    cities = rng.sample(CITIES, 8)
    values = {
        "name": name,
        "home": cities[0],
        "hometown": cities[1],
        "employer": org[0],
        "job": rng.choice(JOBS),
        "university": rng.choice(UNIVERSITIES),
        "subject": rng.choice(SUBJECTS),
        "birth_year": str(rng.randint(1965, 2000)),
        "meet_year": str(rng.randint(2005, 2020)),
        "sister": people[0],
        "sister_org": org[1],
        "sister_job": rng.choice(JOBS),
        "sister_city": cities[2],
        "brother": people[1],
        "brother_org": org[2],
        "brother_city": cities[3],
        "mother": people[2],
        "father": people[3],
        "partner_role": rng.choice(PARTNER_ROLES),
        "partner": people[4],
        "partner_org": org[3],
        "partner_job": rng.choice(JOBS),
        "kid_role": rng.choice(KID_ROLES),
        "kid": people[5],
        "best_friend": people[6],
        "manager": f"{people[7]} {rng.choice(SURNAMES)}",
        "neighbour": people[8],
        "friend_city": cities[4],
        "friend_org": org[4],
        "colleague_city": cities[5],
    }
    friends = [people[6], *people[9:21]]
    colleagues = people[21:27]
    pets = [(rng.choice(PET_KINDS), p) for p in rng.sample(PET_NAMES, 2)]
    return Cast(values, friends, colleagues, pets)


def memory_texts(*, name: str, count: int, seed: str) -> list[str]:
    """`count` memories about `name`, the same for the same seed; mostly distinct texts."""
    rng = random.Random(seed)
    cast = _cast(rng, name)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < count:
        for _ in range(RETRIES):  # a fact that never changes is said once, until little else is left
            text = _memory(rng, cast)
            if text not in seen:
                break
        seen.add(text)
        out.append(text)
    return out


def _memory(rng: random.Random, cast: Cast) -> str:
    template = rng.choice(TEMPLATES)
    book, author = rng.choice(BOOKS)
    pet_kind, pet = rng.choice(cast.pets)
    family_role, family = rng.choice(
        [("sister", cast.values["sister"]), ("brother", cast.values["brother"]),
         ("mother", cast.values["mother"]), ("father", cast.values["father"])]
    )  # fmt: skip
    city, city2 = rng.sample(CITIES, 2)
    values = {
        **cast.values,
        "city": city,
        "city2": city2,
        "country": rng.choice(COUNTRIES),
        "org": rng.choice(ORGS),
        "job": cast.values["job"] if "{employer}" in template else rng.choice(JOBS),
        "person": rng.choice(FIRST_NAMES),
        "friend": rng.choice(cast.friends),
        "colleague": rng.choice(cast.colleagues),
        "hobby": rng.choice(HOBBIES),
        "food": rng.choice(FOODS),
        "dessert": rng.choice(DESSERTS),
        "dislike": rng.choice(DISLIKES),
        "allergen": rng.choice(ALLERGENS),
        "drink": rng.choice(DRINKS),
        "cuisine": rng.choice(CUISINES),
        "language": rng.choice(LANGUAGES),
        "instrument": (instrument := rng.choice(INSTRUMENTS)),
        "instrument_plain": instrument.removeprefix("the "),
        "sport": rng.choice(SPORTS),
        "band": rng.choice(BANDS),
        "book": book,
        "author": author,
        "film": rng.choice(FILMS),
        "club": rng.choice(CLUBS),
        "celebration": rng.choice(CELEBRATIONS),
        "mountains": rng.choice(MOUNTAINS),
        "topic": rng.choice(TOPICS),
        "car": rng.choice(CARS),
        "ngo": rng.choice(NGOS),
        "northern": rng.choice(NORTHERN),
        "pet_kind": pet_kind,
        "pet": pet,
        "pet_thing": rng.choice(PET_THINGS),
        "pet_fear": rng.choice(PET_FEARS),
        "pet_age": str(rng.randint(2, 14)),
        "family_role": family_role,
        "family": family,
        "day": str(rng.randint(1, 28)),
        "month": rng.choice(MONTHS),
        "year": rng.choice(YEARS),
        "season": rng.choice(SEASONS),
        "weekday": rng.choice(WEEKDAYS),
        "future_year": rng.choice(FUTURE_YEARS),
    }
    return template.format(**values)


def questions(name: str) -> list[str]:
    return [q.format(name=name) for q in QUESTIONS]
