"""The days' spreadsheet as the English export writes it (field names and codes), for tests that read it."""


def english_csv(client) -> str:
    """Switch the logged-in user to English and download the CSV export as text."""
    client.post("/language", data={"language": "en"})
    return client.get("/api/v1/export.csv").get_data(as_text=True)
