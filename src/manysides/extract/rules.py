"""The cleanup rules, in one table: every removed line is traced to one of these names.

A rule is a regular expression over one line (whitespace-collapsed) that applies only to
lines of at most ``max_words`` words, so that a real article sentence that happens to
mention "subscribe" or "photo" is not touched. ``where`` says where the rule applies:

* ``any``   anywhere in the text;
* ``tail``  only in the trailing block after the article's last paragraph (bios, tag
  lists and headline lists look like article text when taken out of context).

Rules that are not regular expressions (``title``, ``template``, ``related-list``,
``tail-list``, ``promo-context``, and for plain-text page dumps ``menu`` and
``table-markup``) are listed in ``STRUCTURAL`` with their explanation; the cleaner in
``manysides.extract.text`` implements them. ``manysides extract --rules`` prints the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Where = Literal["any", "tail"]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    description: str
    pattern: re.Pattern[str]
    max_words: int = 40
    where: Where = "any"
    starts_list: bool = False  # a heading after which a list of links follows
    # Cheap pre-check: the (lowercased) line must contain one of these for the pattern to
    # be tried at all. Empty: always tried. Keeps unanchored patterns off most lines.
    keywords: tuple[str, ...] = ()
    _gate: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.keywords:
            gate = re.compile("|".join(re.escape(k) for k in self.keywords))
            object.__setattr__(self, "_gate", gate)

    def applies(self, line: str, lower: str, words: int) -> bool:
        if words > self.max_words:
            return False
        if self._gate is not None and self._gate.search(lower) is None:
            return False
        return self.pattern.search(line) is not None


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


RULES: tuple[Rule, ...] = (
    Rule(
        "no-words",
        "a line with no letters or digits (separators, bullets, leftover markup)",
        _re(r"^[\W_]*$"),
        max_words=0,
    ),
    Rule(
        "advertisement",
        "advertisement markers and 'story continues below' notices",
        _re(
            r"^[\W_]*(advertisement|advertising|sponsored( content)?|paid (content|post)|"
            r"ad|ads by \w+|skip (advertisement|ad)|(the )?(story|article) continues "
            r"(below|after)( (the )?(advertisement|ad))?|continue reading (the main story|"
            r"below)( advertisement)?)[\W_]*$"
        ),
        max_words=8,
    ),
    Rule(
        "navigation",
        "navigation and page-furniture words on a line of their own ('Back to top', 'Sign in')",
        _re(
            r"^[\W_]*(back to (the )?top|top of page|skip to (main )?(content|navigation)|"
            r"sign ?in|sign ?in ?/ ?register|log ?in|log ?out|sign ?out|register|my account|"
            r"home|home ?page|menu|main menu|search|next|previous|prev|next page|previous page|"
            r"older posts|newer posts|next article|previous article|view in: \w+|quick links|"
            r"you are here|toggle navigation|close|loading|page \d+ of \d+|\d+ - \d+ of \d+|"
            r"\d+ (answers?|comments?|replies|views)|need help\??|contact us|about us|"
            r"sitemap|site map|help|faqs?|jump to|go to top|scroll to top|all rights reserved|"
            r"search results|table of contents|related questions)"
            r"[\W_]*$|^[\W_]*you (cannot|can not|can) (post|reply|edit|delete|vote|attach|"
            r"download)\b.{0,40}\b(forum|topics?|posts?|polls?)\b"
        ),
        max_words=10,
    ),
    Rule(
        "related-heading",
        "heading of a related-stories, more-from or most-read list",
        _re(
            r"^[\W_]*(related( stories| articles| content| coverage| reading| posts| news|"
            r" links| topics| videos?)?|more (from|on|about|in|stories|news|coverage|to "
            r"explore|headlines)\b.*|(read|see|watch) (more|next|also)\b.*|also (read|see|"
            r"on)\b.*|recommended( for you| stories| reading| articles)?|you (may|might|"
            r"could) (also )?(like|enjoy|be interested in)\b.*|(most|top) (read|popular|"
            r"viewed|shared|emailed|commented)( stories| articles| news)?( today| this week"
            r")?( (in|on|from) [\w .&'-]{1,30})?|more [\w'’&-]+( [\w'’&-]+){0,2} (stories|"
            r"news|articles|reads|coverage|videos)|trending( now| stories| news)?|top stories|"
            r"popular (now|stories|articles|"
            r"on \w+)|editor'?s'? (picks|choice)|further reading|what to read next|latest "
            r"(news|stories|headlines|articles|videos)|in (other|case you missed) news|"
            r"don'?t miss|(recent|featured|similar) (posts|stories|articles)|around the web|"
            r"from (around )?the web|promoted stories|sponsored stories)[\W_]*$"
        ),
        max_words=8,
        starts_list=True,
    ),
    Rule(
        "newsletter-promo",
        "newsletter and e-mail sign-up prompts",
        _re(
            r"(\bsign(ing)? up\b.{0,60}\b(newsletter|e-?mails?|alerts?|briefing|inbox|digest"
            r")|\bnewsletters?\b|\bin(to)? your inbox\b|\bdelivered (directly |straight |"
            r"right )?to your (inbox|e-?mail)|\b(free|daily|weekly) (e-?mail|briefing|"
            r"digest)\b|\bsubscribe (now|today|here)\b|^[\W_]*subscribe (to|for)\b|"
            r"\bsubscribe to (our|the|this) \w+( \w+)? "
            r"(newsletter|channel|podcast|e-?mails?|mailing list)|^[\W_]*subscribe[\W_]*$|"
            r"\benter your e-?mail\b|\byour e-?mail address\b|\bthanks? (you )?for "
            r"(signing up|subscribing)\b|\bget (the|our) \w+( \w+)? (email|newsletter|"
            r"app)\b|\bdownload (the|our) (free )?\w*\s?app\b)"
        ),
        max_words=45,
        keywords=(
            "sign",
            "newsletter",
            "inbox",
            "mail",
            "briefing",
            "digest",
            "subscri",
            "thank",
            "app",
        ),
    ),
    Rule(
        "paywall",
        "paywall, subscription and login notices",
        _re(
            r"(\bsubscribers? only\b|\balready (a subscriber|have an account|registered)\b|"
            r"\b(log|sign) ?in to (continue|read|keep|view|comment)\b|\bfree articles? "
            r"(left|remaining)\b|\bto continue reading\b|\bunlimited (digital )?access\b|"
            r"\bcreate a free account\b|\bregister (now|for free|to continue)\b|"
            r"\bsubscribe to (continue|read|unlock)\b|\bbecome a (member|subscriber)\b|"
            r"\bsupport (our|independent|quality) journalism\b|\bthis (article|content) is "
            r"(for|available to) (subscribers|members)\b|\bsubscription (required|offer)\b|"
            r"\byou have reached (your|the) (limit|maximum)\b|\b(login|log in|"
            r"sign in) or register\b|"
            r"\bcreate (a|an|your) (new |free )?account\b|\bforgot (your )?(password|passcode)\b|"
            r"\bif you (enjoyed|liked|value|"
            r"appreciate) (this|our) (article|story|journalism|reporting)\b|^[\W_]*get "
            r"(unlimited |full |digital |instant )?access to\b)"
        ),
        max_words=50,
        keywords=(
            "subscri",
            "already",
            "log",
            "sign",
            "free",
            "continue reading",
            "unlimited",
            "account",
            "register",
            "member",
            "journalism",
            "limit",
            "enjoyed",
            "liked",
            "value",
            "appreciate",
            "access",
            "forgot",
        ),
    ),
    Rule(
        "cookie-notice",
        "cookie consent and privacy notices",
        _re(
            r"(\b(we|this (site|website)) uses? cookies\b|\bcookies? (policy|settings|"
            r"preferences|consent)\b|\baccept (all )?cookies\b|\bby (continuing|using) "
            r"(to (use|browse) )?(this|our) (site|website)\b|\b(our|agree to( the)?|read "
            r"the|see the|accept the|view our|visit our) (updated )?(privacy (policy|notice|"
            r"settings)|terms (of|and) (use|service|conditions))\b|^[\W_]*(privacy (policy|"
            r"notice|settings)|terms (of|and) (use|service|conditions))\b.{0,40}$|"
            r"\bdo not sell my\b)"
        ),
        max_words=60,
        keywords=(
            "cookie",
            "by continuing",
            "by using",
            "privacy",
            "terms",
            "do not sell",
        ),
    ),
    Rule(
        "share-prompt",
        "share, follow and comment prompts",
        _re(
            r"(^[\W_]*(share|tweet|e-?mail|print|pin|save|copy link|link copied|reddit|"
            r"whatsapp|linkedin|facebook|twitter|flipboard|messenger|comments?|\d+ comments?|"
            r"view comments|show comments|leave a (comment|reply)|reply|listen|gift "
            r"(this )?article)([\W_]+(share|tweet|e-?mail|print|pin|save|reddit|whatsapp|"
            r"linkedin|facebook|twitter|flipboard|messenger|comments?))*[\W_]*$|"
            r"^[\W_]*share (this|on|via|the)\b|\bclick (here )?to (share|email|print|tweet)\b|"
            r"\bfollow (us|me|him|her|them|\w+ \w+) on (twitter|x|facebook|instagram|"
            r"linkedin|threads|bluesky|tiktok|youtube)\b|^[\W_]*follow .{1,60}\bon (twitter|"
            r"x|facebook|instagram|linkedin|threads|bluesky|tiktok|youtube)\b|^[\W_]*(text|"
            r"font) size[\W_]*$|\blike us on facebook\b|"
            r"\bjoin the (conversation|discussion)\b|\bshare (it|this) with (a|your) friends?\b|"
            r"\btell us what you think\b|\bfollow \S+('s)? (full )?coverage\b|\bwe (want to hear|"
            r"'d love to hear) "
            r"from you\b|\bhave a (news )?tip\b|\bsend us a tip\b|\bwhat do you think\?$)"
        ),
        max_words=25,
        keywords=(
            "share",
            "tweet",
            "mail",
            "print",
            "pin",
            "save",
            "link",
            "reddit",
            "whatsapp",
            "facebook",
            "twitter",
            "flipboard",
            "messenger",
            "comment",
            "reply",
            "listen",
            "gift",
            "click",
            "follow",
            "like us",
            "join the",
            "hear from you",
            "tip",
            "what do you think",
            "tell us",
        ),
    ),
    Rule(
        "photo-credit",
        "photo captions and credits",
        _re(
            r"(^[\W_]*(photo|image|picture|video|illustration|photograph|file photo|"
            r"caption|credit|source|pictured|above|top|main image|header image)s?( credit)?"
            r"\s*[:|/]|[(\[]\s*(photo|image|picture|credit|ap photo|file)[^)\]]*[)\]]\s*$|"
            r"\b(getty images|ap photo|reuters/|afp via getty|afp/getty|shutterstock|istock"
            r"(photo)?|associated press|via reuters|epa-efe|alamy|pool photo|file photo)"
            r"[)\].\s]*$|^[\W_]*(image|photo) (source|copyright|caption)\b|^[\W_]*(enlarge|"
            r"toggle caption|hide caption|expand) (this )?(image|photo|caption)?[\W_]*$)"
        ),
        max_words=45,
        keywords=(
            "photo",
            "image",
            "picture",
            "video",
            "illustration",
            "caption",
            "credit",
            "source",
            "pictured",
            "above",
            "top",
            "main",
            "header",
            "getty",
            "reuters",
            "afp",
            "shutterstock",
            "istock",
            "associated press",
            "epa",
            "alamy",
            "pool",
            "file",
            "enlarge",
            "toggle",
            "hide",
            "expand",
        ),
    ),
    Rule(
        "copyright",
        "copyright and rights-reserved lines",
        _re(
            r"(^[\W_]*(©|\(c\)|copyright)\s*(\d{4})?|\ball rights reserved\b|\bmay not be "
            r"(published|reproduced|republished|redistributed)\b)"
        ),
        max_words=40,
        keywords=(
            "©",
            "(c)",
            "copyright",
            "rights reserved",
            "may not be",
        ),
    ),
    Rule(
        "read-more-link",
        "'read more' and 'click here' links",
        _re(
            r"^[\W_]*(read more|click here|continue reading|read the (full|rest of the|"
            r"original|whole) (story|article|report|piece|interview|post)|full (story|"
            r"coverage))\b|\bread( more)?\s*[»›>]+[\W_]*$"
        ),
        max_words=25,
    ),
    Rule(
        "related-link",
        "a single related-story link ('Related: ...', 'Also on example.com ...', 'SEE MORE: ...')",
        _re(
            r"^[\W_]*(related( post| article| story| stories| content| coverage| video)?|see "
            r"(more|also)|read (more|next|also)|also (read|see|watch)|watch|listen|more|"
            r"recommended|must read|don'?t miss|trending|more from \S+( \S+)?|more \S+( "
            r"\S+)?)\s*[:|»]|^[\W_]*also on \S+\.\w+\b"
        ),
        max_words=30,
        starts_list=True,
    ),
    Rule(
        "credit-line",
        "reporting, writing and editing credits ('Reporting by ...; Editing by ...')",
        _re(
            r"(^[\W_]*((additional|with|further) )?(reporting|writing|editing|research|"
            r"compiled|produced|translated|fact-?checked) by\b|\bcontributed (reporting|"
            r"to (this|the) (report|story|article))\b|^[\W_]*(\S+ ){0,2}(staff|wire) "
            r"reports?[\W_]*$)"
        ),
        max_words=60,
        keywords=(
            " by",
            "by ",
            "contributed",
            "report",
        ),
    ),
    Rule(
        "dateline",
        "a standalone date, time, update stamp or reading time",
        _re(
            r"(^[\W_]*(updated|published|posted|last (updated|modified)|first published|"
            r"created|modified)( on| at)?\b.{0,40}(\d{1,2}:\d{2}|\d{4}|\d{1,2}/\d{1,2}|"
            r"ago|\b(am|pm|a\.m\.|p\.m\.)(?!\w))|^[\W_]*[\w.,-]*\s*\d{1,2}:\d{2}\s*("
            r"am|pm|a\.m\.|p\.m\.)?\s*\w{0,4}\s*[\W_]*[\d/.-]*(\s+by\s+[\w .'-]+)?$|"
            r"^[\W_]*(\w+,? )?(\w+ \d{1,2},? \d{4}|\d{1,2} \w+,? \d{4}|\d{4}-\d{2}-\d{2})"
            r"([\W_]+\d{1,2}:\d{2}.*)?[\W_]*$|^(?=.*\b(19|20)\d{2}\b)(?=.*\b\d{1,2}[:h]\d{2}\b)"
            r"(?!.*[.!?][\"'”’)]*$)|\b\d+ min(ute)?s? read\b|\b(reading time|"
            r"tempo de leitura|lesezeit|temps de lecture)\b)"
        ),
        max_words=12,
        keywords=(
            "0",
            "1",
            "2",
            "3",
            "4",
            "5",
            "6",
            "7",
            "8",
            "9",
            "reading time",
            "tempo de leitura",
            "lesezeit",
            "temps de lecture",
        ),
    ),
    Rule(
        "contact",
        "a bare e-mail address or social handle (author contact)",
        _re(
            r"^[\W_]*(\S+@\S+\.\w+|@\w+|(https?://)?(www\.)?(twitter|x|instagram|facebook)"
            r"\.com/\w+)([\s,;|]+(\S+@\S+\.\w+|@\w+))*[\W_]*$|^[\W_]*(write to|contact|"
            r"e-?mail|reach) [\w .'’-]{1,60}\b(at|via|on)\s+\S+@\S+\.\w+[\W_]*$"
        ),
        max_words=12,
    ),
    Rule(
        "tag-list",
        "trailing tag, topic and category lists",
        _re(
            r"^[\W_]*(tags?|topics?|filed under|categories|category|keywords|posted in|"
            r"more about|explore more on these topics|more on these topics)\s*[:|]"
        ),
        max_words=40,
        where="tail",
    ),
    Rule(
        "author-bio",
        "author biographies and contact lines after the article",
        _re(
            r"(^(\S+ ){1,4}(is|was|has been) an? (\S+[ -]){0,5}(writer|reporter|editor|"
            r"correspondent|journalist|columnist|contributor|producer|fellow|intern|critic|"
            r"analyst|author|photographer|anchor|host|blogger)\b|^(\S+ ){1,4}(has (worked|"
            r"written|reported|covered)|joined|covers|writes)\b.{0,80}\b(news|journalism|"
            r"newspaper|magazine|writer|reporter|editor|correspondent|newsroom|covers|"
            r"reporting|desk|staff)\b|\b(his|her|their) (journalism )?(career|work) (began|has "
            r"appeared)\b|\b(contact|reach|email) (him|her|them|the (authors?|writers?|"
            r"reporters?))( at| on| via)?\b|^[\W_]*about the (author|writer|reporter)\b|"
            r"\bfollow (him|her|them) on\b)"
        ),
        max_words=90,
        keywords=(
            " is ",
            " was ",
            " has ",
            "joined",
            "covers",
            "writes",
            "career",
            "contact",
            "reach",
            "email",
            "about the",
            "follow",
        ),
        where="tail",
    ),
    Rule(
        "site-slogan",
        "imperative promotional slogans after the article ('Escape your echo chamber.')",
        _re(
            r"^[\W_]*(get|escape|discover|join|stay|never miss|don'?t miss|download|listen|"
            r"watch|try|support|unlock|explore|sign|become|follow|enjoy|want|like this|"
            r"love this|thanks for reading|read|go|look|see)\b.{0,40}\b(your|our|us|the "
            r"news|today|free|now|more|headlines|the (whole|full|real) story|the facts|"
            r"analysis|perspectives?)\b"
        ),
        max_words=20,
        where="tail",
    ),
)

STRUCTURAL: dict[str, str] = {
    "title": "the headline repeated at the top of the text",
    "template": "a line recurring across many pages of the same site (learned template)",
    "related-list": "an item of a list of links after a related-stories heading",
    "tail-list": "a headline-like line in the trailing block after the article",
    "promo-context": "a short brand line directly above a promotional block",
    "menu": "a run of very short lines in a plain-text page dump (navigation menu)",
    "table-markup": "a table row rendered with pipes in a plain-text page dump",
}

RULE_NAMES: tuple[str, ...] = tuple(r.name for r in RULES) + tuple(STRUCTURAL)

# Names of rules that mark "strong" boilerplate: their neighbours are suspect too.
PROMO_RULES = frozenset({"newsletter-promo", "paywall", "cookie-notice", "site-slogan"})


def describe(name: str) -> str:
    """One-line explanation of a rule name."""
    for rule in RULES:
        if rule.name == name:
            return rule.description
    return STRUCTURAL.get(name, name)
