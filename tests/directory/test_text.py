from proxima.directory.services.text import fold, index_tokens, query_words, stems


def test_fold_strips_accents_and_case():
    assert fold("Élève À L'ÉCOLE") == "eleve a l'ecole"


def test_french_and_english_stems_meet():
    assert set(stems("logements")) & set(stems("logement"))
    assert set(stems("banks")) & set(stems("bank"))
    assert stems("dépannage") == stems("depannage")


def test_stopwords_and_elisions_are_dropped():
    assert query_words("on n'a plus rien dans le frigo") == [("rien",), ("frigo",)]
    assert index_tokens("the and of le la les") == []
