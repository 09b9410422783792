import re


def test_it_renders_the_landing_page_from_the_top_level_templates_folder(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'name="csrf-token"' in response.data
    assert re.search(rb"/static/\w+/css/app\.css", response.data)
