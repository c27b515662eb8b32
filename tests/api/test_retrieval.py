"""Search, context and summary through HTTP on the real stack: graph server, extractor, embedding
model, cl100k_base."""

from __future__ import annotations

from typing import Any

import pytest

from app.retrieval import tokens
from tests.api.test_memories import user_says
from tests.api.test_threads import append, new_thread, new_user
from tests.conftest import Api, wait_for_jobs

LIFE = [
    "I live in Seattle.",
    "I work at Acme as a platform engineer, mostly on billing.",
    "My sister Anna lives in Boston and works as a nurse.",
    "I'm vegetarian, I stopped eating meat in January.",
    "My dog Biscuit hates the rain but loves the beach.",
    "I'm allergic to peanuts, so be careful with recipes.",
    "I love hiking in the Cascades on weekends.",
    "My favorite band is Radiohead.",
    "I started learning Japanese last month.",
    "We're planning a trip to Lisbon next summer.",
    "My best friend Tom plays the guitar in a jazz band.",
    "I ran my first half marathon in April.",
    "I prefer short answers with code examples.",
    "My manager Priya wants the billing migration done by June.",
    "I drive a blue Subaru Outback.",
    "I moved to Portland last March.",
]


async def someone_with_a_life(api: Api, **user: Any) -> tuple[str, str]:
    person = await new_user(api, firstName="Alice", lastName="Smith", **user)
    thread = await new_thread(api, person["id"])
    response = await append(api, thread["id"], {"messages": [user_says(text) for text in LIFE]})
    assert response.status_code == 201, response.text
    jobs = await wait_for_jobs(api, person["id"])
    assert all(j["status"] == "succeeded" for j in jobs), jobs
    return person["id"], thread["id"]


async def search(api: Api, user_id: str, query: str, **body: Any) -> list[dict[str, Any]]:
    response = await api.post(f"/v1/users/{user_id}/memories/search", json={"query": query, **body})
    assert response.status_code == 200, response.text
    return list(response.json()["results"])


async def context(api: Api, user_id: str, **params: Any) -> dict[str, Any]:
    response = await api.get(f"/v1/users/{user_id}/context", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_search_ranks_by_meaning_words_and_graph_and_leaves_superseded_facts_out(api: Api) -> None:
    user_id, _ = await someone_with_a_life(api)

    [first, *_] = await search(api, user_id, "What is she allergic to?", limit=3)
    assert "peanuts" in first["memory"]["text"]
    assert first["memory"]["sourceMessageIds"]
    assert first["memory"]["entities"]
    # A rare name finds its memory by words and by the graph.
    [first, *_] = await search(api, user_id, "Biscuit", limit=3)
    assert "Biscuit" in first["memory"]["text"]
    # Who is Anna? The memory about her and, through the graph, what is linked to her.
    texts = [r["memory"]["text"] for r in await search(api, user_id, "Anna", limit=3)]
    assert any("Anna" in t for t in texts[:1]), texts

    # Seattle was superseded by Portland: absent unless asked for.
    where = await search(api, user_id, "Where does Alice live?", limit=10)
    assert not any("Seattle" in r["memory"]["text"] for r in where)
    assert any("Portland" in r["memory"]["text"] for r in where[:3]), [r["memory"]["text"] for r in where]
    everything = await search(api, user_id, "Where does Alice live?", limit=20, includeInvalid=True)
    seattle = [r["memory"] for r in everything if "Seattle" in r["memory"]["text"]]
    assert seattle
    assert seattle[0]["invalidAt"] is not None

    # Scores are normalised (1.0 = first for every signal) and sorted; limit and kinds hold.
    results = await search(api, user_id, "food", limit=5)
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    assert len(results) == 5
    kinds = {
        r["memory"]["kind"] for r in await search(api, user_id, "anything", limit=50, kinds=["preference"])
    }
    assert kinds == {"preference"}


async def test_context_budget_is_never_exceeded_and_cut_only_between_items(api: Api) -> None:
    user_id, _ = await someone_with_a_life(api, metadata={"plan": "premium", "secret": "s3cr3t"})
    budgets = [50, 51, 64, 80, 100, 128, 200, 333, 500, 800, 1500, 4000, 8000]
    for template in ("chat", "agent", "support"):
        sizes = []
        for budget in budgets:
            for query in (None, "what should I cook for her?"):
                params: dict[str, Any] = {"template": template, "maxTokens": budget}
                if query:
                    params["query"] = query
                block = await context(api, user_id, **params)
                assert block["template"] == template
                assert block["tokens"] == tokens.count(block["context"])
                assert block["tokens"] <= budget, (template, budget)
                for line in block["context"].splitlines():
                    # Every line is whole: a heading, the intro, or an item ending its sentence.
                    assert line == "" or line.startswith("## ") or line[-1] in ".!?" or ": " in line, line
                sizes.append(block["tokens"])
        assert sizes[-1] > sizes[0]  # a bigger budget holds more
    full = await context(api, user_id, maxTokens=8000)
    assert not full["truncated"]
    assert "s3cr3t" not in full["context"]  # only the metadata keys in settings are shown
    assert "Plan: premium" in full["context"]
    small = await context(api, user_id, maxTokens=60)
    assert small["truncated"]


async def test_context_reads_well_without_ids_duplicates_or_superseded_facts(api: Api) -> None:
    user_id, _ = await someone_with_a_life(api)
    block = await context(api, user_id, maxTokens=2000)
    text = block["context"]
    assert "Portland" in text
    assert "Seattle" not in text
    assert "mem_" not in text
    assert "ent_" not in text
    assert "usr_" not in text
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(set(bullets))
    # A memory in the summary is not listed again.
    summary = (await api.get(f"/v1/users/{user_id}")).json()["summary"]
    assert summary
    assert text.index(summary) < text.index("- ")
    for line in bullets:
        assert line[2:] not in summary
    # Dates where they matter: an event dated by the text or by its time.
    assert "half marathon in April" in text  # as said, or quoted with its date in brackets
    assert "April 2026" in text
    assert len(block["memories"]) == len(set(block["memories"])) > 5
    # The query focuses the block: what answers it comes first after the profile, as a fact or as
    # the message that said it (a fact whose message is quoted is not said twice).
    focused = await context(
        api, user_id, query="Which musical instrument does her friend play?", maxTokens=2000
    )
    sections = focused["context"].split("\n## ")
    answers = [
        s for s in sections if s.startswith(("Relevant to this conversation", "From past conversations"))
    ]
    assert answers
    assert "guitar" in answers[0].splitlines()[1] or "guitar" in sections[1].split("## Who")[0]
    assert focused["messages"]


async def test_personality_scope(api: Api) -> None:
    user = await new_user(api, firstName="Bob")
    coach = (await api.post("/v1/personalities", json={"name": "Chef"})).json()
    general = await new_thread(api, user["id"])
    scoped = await new_thread(api, user["id"], personalityId=coach["id"])
    assert (await append(api, general["id"], user_says("I live in Berlin."))).status_code == 201
    assert (await append(api, scoped["id"], user_says("I love cooking Thai curry."))).status_code == 201
    await wait_for_jobs(api, user["id"])

    plain = await context(api, user["id"], maxTokens=1000)
    assert "Berlin" in plain["context"]
    assert "curry" not in plain["context"]
    paired = await context(api, user["id"], maxTokens=1000, personalityId=coach["id"])
    assert "Berlin" in paired["context"]
    assert "curry" in paired["context"]
    assert not any("curry" in r["memory"]["text"] for r in await search(api, user["id"], "Thai curry"))
    found = await search(api, user["id"], "Thai curry", personalityId=coach["id"])
    assert "curry" in found[0]["memory"]["text"]


async def test_summary_is_idempotent_unless_forced_and_follows_changes(api: Api) -> None:
    user = await new_user(api, firstName="Carol")
    empty = (await api.post(f"/v1/users/{user['id']}/summary")).json()
    assert empty == {"generated": False, "summary": None, "memoryCount": 0}
    thread = await new_thread(api, user["id"])
    await append(api, thread["id"], {"messages": [user_says(t) for t in LIFE[:4]]})
    await wait_for_jobs(api, user["id"])

    first = (await api.post(f"/v1/users/{user['id']}/summary")).json()
    assert first["generated"]
    assert "Carol" in first["summary"]
    assert first["memoryCount"] >= 4
    again = (await api.post(f"/v1/users/{user['id']}/summary")).json()
    assert again == {**first, "generated": False}
    forced = (await api.post(f"/v1/users/{user['id']}/summary", params={"force": "true"})).json()
    assert forced == {**first, "generated": True}
    assert (await api.get(f"/v1/users/{user['id']}")).json()["summary"] == first["summary"]

    # The job moves: the summary follows, the old job is gone from it.
    await append(api, thread["id"], user_says("I quit Acme and now I work at Globex as a data engineer."))
    await wait_for_jobs(api, user["id"])
    changed = (await api.post(f"/v1/users/{user['id']}/summary")).json()
    assert changed["generated"]
    assert "works at Globex" in changed["summary"]
    assert "works at Acme" not in changed["summary"]


async def test_retrieval_bad_input_and_other_projects(api: Api, other_api: Api) -> None:
    user_id = (await new_user(api))["id"]
    bad = [
        {},
        {"query": ""},
        {"query": "   "},
        {"query": "x", "limit": 0},
        {"query": "x", "limit": 101},
        {"query": "x", "kinds": ["gossip"]},
        {"query": "x", "unknown": 1},
    ]
    for body in bad:
        response = await api.post(f"/v1/users/{user_id}/memories/search", json=body)
        assert response.status_code in (400, 422), body
        assert response.headers["content-type"].startswith("application/problem+json")
    for params in ({"maxTokens": 49}, {"maxTokens": 8001}, {"template": "poem"}, {"maxTokens": "many"}):
        response = await api.get(f"/v1/users/{user_id}/context", params=params)
        assert response.status_code in (400, 422), params
    missing = await api.get(f"/v1/users/{user_id}/context", params={"groups": "no-such-group"})
    assert missing.status_code == 404
    missing = await api.get(f"/v1/users/{user_id}/context", params={"personalityId": "per_nope"})
    assert missing.status_code == 404

    for response in (
        await other_api.post(f"/v1/users/{user_id}/memories/search", json={"query": "x"}),
        await other_api.get(f"/v1/users/{user_id}/context"),
        await other_api.post(f"/v1/users/{user_id}/summary"),
    ):
        assert response.status_code == 404, response.text


@pytest.mark.parametrize("template", ["chat", "agent", "support"])
async def test_a_new_user_gets_a_short_block(api: Api, template: str) -> None:
    user = await new_user(api, firstName="Dana")
    block = await context(api, user["id"], template=template)
    assert block["memories"] == []
    assert not block["truncated"]
    assert "Dana" in block["context"]
    assert block["tokens"] < 60


async def test_search_sees_every_change_to_the_graph(api: Api) -> None:
    user = await new_user(api, firstName="Erin")
    thread = await new_thread(api, user["id"])
    await append(api, thread["id"], user_says("I play the cello in an orchestra."))
    await wait_for_jobs(api, user["id"])
    [hit, *_] = await search(api, user["id"], "cello")
    memory = hit["memory"]
    # A correction by hand, a deletion, a new message: each is seen by the next search.
    patched = await api.patch(
        f"/v1/memories/{memory['id']}", json={"text": "Erin plays the viola in an orchestra."}
    )
    assert patched.status_code == 200, patched.text
    [hit, *_] = await search(api, user["id"], "viola")
    assert hit["memory"]["text"] == "Erin plays the viola in an orchestra."
    assert (await api.delete(f"/v1/memories/{memory['id']}")).status_code == 200
    assert all(r["memory"]["id"] != memory["id"] for r in await search(api, user["id"], "viola"))
    await append(api, thread["id"], user_says("I also collect vintage stamps."))
    await wait_for_jobs(api, user["id"])
    [hit, *_] = await search(api, user["id"], "stamps")
    assert "stamps" in hit["memory"]["text"]


async def test_groups_merge_into_members_context_and_by_name(api: Api) -> None:
    member = await new_user(api, firstName="Fay")
    stranger = await new_user(api, firstName="Gus")
    team = (await api.post("/v1/groups", json={"name": "billing-team"})).json()
    handbook = (await api.post("/v1/groups", json={"name": "handbook"})).json()
    for group, text in (
        (team, "The billing service deploys on Tuesdays."),
        (handbook, "Refunds take 5 days."),
    ):
        response = await api.post(f"/v1/groups/{group['id']}/memories", json={"text": text})
        assert response.status_code == 201, response.text
    added = await api.post(f"/v1/groups/{team['id']}/members", json={"userIds": [member["id"]]})
    assert added.status_code == 200, added.text

    # A member's context includes their groups' memories; a stranger's does not.
    mine = await context(api, member["id"])
    assert "## Shared knowledge: billing-team" in mine["context"]
    assert "deploys on Tuesdays" in mine["context"]
    assert "Refunds" not in mine["context"]
    assert "Tuesdays" not in (await context(api, stranger["id"]))["context"]
    # `groups=` merges named groups for anyone, under each group's own heading.
    both = await context(api, stranger["id"], groups="billing-team,handbook", template="support")
    assert "## Knowledge base: handbook" in both["context"]
    assert "Refunds take 5 days." in both["context"]
    # Search too: a group memory comes back with its group and no user.
    [hit, *_] = await search(api, member["id"], "When does billing deploy?")
    assert hit["memory"]["groupId"] == team["id"]
    assert hit["memory"]["userId"] is None
    # A new group memory is seen at once; leaving the group takes its memories away.
    await api.post(f"/v1/groups/{team['id']}/memories", json={"text": "Code freeze starts December 15."})
    assert "Code freeze" in (await context(api, member["id"]))["context"]
    removed = await api.request(
        "DELETE", f"/v1/groups/{team['id']}/members", json={"userIds": [member["id"]]}
    )
    assert removed.status_code == 200, removed.text
    assert "Tuesdays" not in (await context(api, member["id"]))["context"]


async def test_the_summary_appears_and_follows_changes_on_its_own(api: Api) -> None:
    user = await new_user(api, firstName="Hal", externalId="hal-1")
    assert (await api.get(f"/v1/users/{user['id']}")).json()["summary"] is None
    thread = await new_thread(api, user["id"])
    await append(api, thread["id"], {"messages": [user_says(t) for t in LIFE[1:4]]})
    await wait_for_jobs(api, user["id"])
    first = (await api.get(f"/v1/users/{user['id']}")).json()["summary"]
    assert first is not None
    assert "Hal works at Acme" in first
    assert (await api.get("/v1/users/external/hal-1")).json()["summary"] == first
    # Ten more changes to the graph (one message each) and it is rebuilt without being asked.
    for text in ["I quit Acme and now I work at Globex as a data engineer.", *LIFE[5:14]]:
        await append(api, thread["id"], user_says(text))
        await wait_for_jobs(api, user["id"])
    later = (await api.get(f"/v1/users/{user['id']}")).json()["summary"]
    assert later != first
    assert "Globex" in later


async def test_context_quotes_the_messages_that_answer_with_speaker_date_and_resolved_times(api: Api) -> None:
    user = await new_user(api, firstName="Dana")
    coach = (await api.post("/v1/personalities", json={"name": "Coach"})).json()
    general = await new_thread(api, user["id"])
    scoped = await new_thread(api, user["id"], personalityId=coach["id"])
    said = [
        "Hi there! How are you today?",
        "I went to a pottery class yesterday and made a bowl with a speckled cobalt glaze.",
        "Work has been busy, lots of meetings this week.",
        "My brother Sam is visiting in June.",
    ]
    at = "2024-05-08T12:00:00Z"
    posted = await append(api, general["id"], {"messages": [user_says(t, at) for t in said]})
    assert posted.status_code == 201, posted.text
    secret = await append(api, scoped["id"], user_says("My cobalt glaze recipe is a secret.", at))
    assert secret.status_code == 201
    await wait_for_jobs(api, user["id"])
    messages = (await api.get(f"/v1/threads/{general['id']}/messages")).json()["messages"]
    pottery = next(m["id"] for m in messages if "pottery" in m["content"])

    block = await context(api, user["id"], query="What glaze did Dana use on her bowl?", maxTokens=500)
    line = (
        "- (8 May 2024) Dana: I went to a pottery class yesterday (7 May 2024) and made a bowl with a "
        "speckled cobalt glaze."
    )
    assert line in block["context"].splitlines()
    assert pottery in block["messages"]
    assert "secret" not in block["context"]  # a personality's thread is quoted only for it
    paired = await context(
        api, user["id"], query="What glaze did Dana use?", maxTokens=500, personalityId=coach["id"]
    )
    assert "secret" in paired["context"]
    # Without a query the block holds what is known, and quotes nothing.
    plain = await context(api, user["id"], maxTokens=500)
    assert plain["messages"] == []
