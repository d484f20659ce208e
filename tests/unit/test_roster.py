"""Reading a cohort roster from CSV, whatever French Excel wrote."""
from simulator.cohorts import roster


def test_french_headers_semicolons_and_a_bom():
    data = "\ufeffNom;Courriel;N° candidat\nCamille Martin;Camille.Martin@Exemple.fr;2026-014\n".encode()
    rows, rejected = roster.parse(data)
    assert rejected == [] and rows == [roster.Row(2, "Camille Martin", "camille.martin@exemple.fr", "2026-014")]


def test_english_headers_any_order_commas_and_windows_1252():
    data = "email,name\nzoe@exemple.fr,Zoé Lefèvre\n".encode("cp1252")
    rows, _ = roster.parse(data)
    assert rows[0].name == "Zoé Lefèvre" and rows[0].number == ""


def test_each_bad_line_is_rejected_with_its_reason_and_the_good_ones_kept():
    data = ("nom;email;numero\n"
            ";sans.nom@exemple.fr;1\n"
            "Bad Mail;pas-une-adresse;2\n"
            "Ok;ok@exemple.fr;3\n"
            "\n"
            "Twice;OK@exemple.fr;4\n").encode()
    rows, rejected = roster.parse(data)
    assert [r.email for r in rows] == ["ok@exemple.fr"]
    assert [(r.line, r.reason) for r in rejected] == [(2, "no_name"), (3, "bad_email"), (6, "duplicate")]
    assert rejected[2].detail == "4"


def test_a_file_without_the_columns_says_so():
    assert roster.parse(b"a;b\n1;2\n") == ([], [roster.Rejected(1, "no_header")])
    assert roster.parse(b"") == ([], [roster.Rejected(1, "no_header")])
