"""Stop words per language: the short function words that say nothing about a text's subject.

They are dropped before matching, and they are also the best evidence of which language a
text is written in (see language_guess), so each list keeps to words frequent in writing and
rare in other languages' lists. Written after the Snowball project's lists, shortened to the
words that matter in short workplace texts. Chinese has no word spaces: its list is of single
characters, which split a run of Han characters the way spaces split words.
"""

_LISTS = {
    "en": """a about after all also am an and any are as at be been before being but by can could
        did do does doing for from had has have he her here him his how i if in into is it its just
        me more most my no nor not of off on once only or other our out over she should so some such
        than that the their them then there these they this those through to too under until up us
        very was we were what when where which while who whom why will with would you your s t""",
    "fr": """à au aux avec ce ces cette comme dans de des du elle elles en est et être eux il ils je
        la le les leur leurs lui ma mais me même mes moi mon ne nos notre nous on ont ou où par pas
        pour qu que qui sa sans se ses son sont sur ta te tes toi ton tu un une vos votre vous y c d
        j l m n s t été était avoir fait faire plus très aussi peut comment quoi quand pourquoi""",
    "de": """aber alle alles als am an auch auf aus bei bin bis bist da damit dann das dass dem den
        der des dich die dir doch dort du durch ein eine einem einen einer eines er es euch euer für
        hat hatte haben hier ich ihm ihn ihr ihre im in ist ja jetzt kann kein keine man mein meine
        mich mir mit nach nicht noch nun nur ob oder ohne sehr sein seine sich sie sind so über um
        und uns unser unter viel vom von vor war waren was weil wenn werden wie wir wird wo zu zum
        zur wer warum wann gibt""",
    "es": """a al algo ante como con contra cual cuando de del desde donde el ella ellas ellos en
        entre era es esa ese eso esta está este esto estos fue ha hay la las le les lo los más me mi
        mis muy nada ni no nos nuestra nuestro o os para pero por porque que qué quien se ser si sí
        sin sobre su sus también te tiene tu tus un una uno unos y ya yo cómo""",
    "it": """a ad al all alla alle anche che chi ci come con cosa da dal dall dalla dei del dell
        della delle di dove e è ed era gli ha hanno ho i il in io la le lei lo loro lui ma mi mio
        nei nel l nell nella noi non o per perché più quale quando questa questo se si sia sono su
        sua suo sul sulla tra tu un una uno voi""",
    "pt": """a ao aos as com como da das de dele do dos e é ela ele eles em entre era essa esse esta
        está este eu foi há isso isto já lhe mais mas me meu minha muito na nas não nem no nos nós
        num numa o os ou para pela pelo por porque quando que quem se seu sua são também te tem tu
        um uma você""",
    "nl": """aan al als bij dan dat de der deze die dit door een en er hem het hier hij hoe ik in is
        je kan maar me met mijn na naar niet nog nu of om ons ook op over te tot u uit van veel voor
        waar wat we wel wie wij zal ze zich zij zijn zo""",
    "ru": """а без бы был была были было в вам вас весь во вот все всё вы да для до его ее её если
        есть еще ещё же за и из или им их к как когда кто ли меня мне мы на над не нет ни но ну о об
        он она они оно от по под при с со так там то того тоже только ты у уже чем что чтобы эта эти
        это я""",
    # Particles and conjunctions only: "在", "是", "有" also begin words ("现在", "有效").
    "zh": "的 了 吗 呢 吧 啊 么 们 和 与 及 或 也 都 就 而 但 被 把",
}

STOP_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split()) for language, words in _LISTS.items()
}

# The languages whose stop words are written in the Latin script: the candidates when a
# Latin-script text's language is guessed.
LATIN = ("en", "fr", "de", "es", "it", "pt", "nl")


def stop_words(language: str | None) -> frozenset[str]:
    """The stop words of `language` (an ISO 639-1 code), none for a language without a list."""
    return STOP_WORDS.get(language or "", frozenset())
