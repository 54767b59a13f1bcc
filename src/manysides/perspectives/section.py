"""A transparent keyword classifier for the briefing section of a story.

Each section has a keyword list; a story scores one point per keyword occurrence in its
texts and three per occurrence in its headlines. "Business" or "Science & Tech" wins
when its score reaches ``MIN_TOPIC_SCORE`` and beats the politics score; otherwise the
story goes to "World" when the world place/institution score beats ``US_WEIGHT`` times
the US one, else to "US". The weight was set on corpus-abp's topic labels
(``benchmarks/bench_sections.py``, docs/benchmarks.md): world news names Washington and
the president often without being about them.

"virus" is not a science word: in a pandemic every beat says it (a WHO funding fight is
world politics). Law enforcement and the administration count as politics, so a story of
the FBI and an iPhone is not technology news because it names Apple.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..nlp.text import words, wordset
from .records import StoryArticle

MIN_TOPIC_SCORE = 4
TITLE_WEIGHT = 3
US_WEIGHT = 0.5

KEYWORDS: dict[str, frozenset[str]] = {
    "Business": wordset(
        """economy economic economists inflation recession stocks stock shares market markets
        nasdaq dow investors earnings revenue profit profits company companies ceo
        merger acquisition bank banks banking fed interest rates tariffs tariff trade
        gdp unemployment jobs wages layoffs startup bitcoin crypto oil prices retail
        billionaire bankruptcy dollar imf ipo"""
    ),
    "Science & Tech": wordset(
        """science scientists scientific research researchers study nasa space spacex rocket
        astronauts planet climate emissions species technology tech ai artificial
        intelligence software algorithm google apple microsoft amazon meta facebook twitter
        tiktok openai chatbot internet cyber hackers data privacy smartphone chip chips
        semiconductor vaccine genetic dna quantum telescope environmental environment
        environmentalists pollution carbon warming renewable renewables solar fossil
        conservation endangered wildlife epa ocean oceans drought wildfires coal greenhouse"""
    ),
}
POLITICS = wordset(
    """president congress senate house election campaign vote voters democrats republicans
    democratic republican gop governor lawmakers bill legislation court fbi justice
    attorney prosecutors investigation impeachment administration"""
)
US_PLACES = wordset(
    """america american americans washington congress senate white house federal fbi
    supreme democrats republicans gop governor alabama alaska arizona arkansas
    california colorado connecticut delaware florida georgia hawaii idaho illinois indiana
    iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
    mississippi missouri montana nebraska nevada hampshire jersey mexico york carolina dakota
    ohio oklahoma oregon pennsylvania rhode tennessee texas utah vermont virginia wisconsin
    wyoming chicago houston philadelphia phoenix pentagon capitol biden trump obama harris
    pelosi mcconnell"""
)
WORLD_PLACES = wordset(
    """world international foreign global china chinese beijing russia russian moscow
    putin ukraine ukrainian kyiv kiev europe european eu britain british uk london
    france french paris germany german berlin italy spain iran iranian tehran iraq syria
    israel israeli gaza palestinian hamas hezbollah lebanon saudi yemen egypt turkey
    afghanistan taliban pakistan india indian japan japanese korea korean pyongyang taiwan
    canada canadian mexican brazil venezuela cuba africa african nigeria australia nato un
    united nations minister parliament argentina chile colombia peru ecuador bolivia haiti
    ireland scotland poland hungary greece sweden norway finland denmark netherlands belgium
    switzerland austria portugal serbia belarus armenia azerbaijan kazakhstan qatar
    jordan libya sudan ethiopia somalia kenya congo rwanda uganda ghana zimbabwe myanmar
    thailand vietnam philippines indonesia malaysia singapore bangladesh sri lanka nepal
    zealand tokyo seoul delhi kabul baghdad damascus jerusalem cairo brussels vatican pope"""
)


def _score(vocab: frozenset[str], title_words: list[str], text_words: list[str]) -> int:
    return TITLE_WEIGHT * sum(w in vocab for w in title_words) + sum(w in vocab for w in text_words)


def classify_section(headline: str, articles: Sequence[StoryArticle]) -> str:
    """ "US", "World", "Business" or "Science & Tech" (see the module docstring)."""
    title_words = words(" ".join([headline, *(a.title for a in articles)]))
    text_words = words(" ".join(a.text for a in articles))
    politics = _score(POLITICS, title_words, text_words)
    topics = {s: _score(v, title_words, text_words) for s, v in KEYWORDS.items()}
    best = max(topics, key=lambda s: topics[s])
    if topics[best] >= MIN_TOPIC_SCORE and topics[best] > politics:
        return best
    us = _score(US_PLACES, title_words, text_words)
    world = _score(WORLD_PLACES, title_words, text_words)
    return "World" if world > US_WEIGHT * us else "US"
