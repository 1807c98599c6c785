def test_it_serves_jetis_on_its_subdomain(jetis_client):
    response = jetis_client.get("/")
    assert response.status_code == 200
    assert "Kecamatan Jetis" in response.content.decode()
