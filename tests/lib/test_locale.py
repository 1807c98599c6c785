"""Bahasa Indonesia unless the visitor chose English, whatever the phone's language."""


def test_it_answers_in_indonesian_to_a_phone_set_to_english(jetis_client):
    response = jetis_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="id">' in response.content.decode()
    assert response["Content-Language"] == "id"


def test_it_switches_to_english_only_when_chosen(jetis_client):
    jetis_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = jetis_client.get("/", HTTP_ACCEPT_LANGUAGE="id")

    assert '<html lang="en">' in response.content.decode()


def test_it_ignores_an_unknown_language_cookie(jetis_client, settings):
    jetis_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    assert '<html lang="id">' in jetis_client.get("/").content.decode()
